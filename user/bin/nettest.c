/*
 * nettest: the socket system calls' contract, checked from user space:
 * each error the kernel promises (bad pointers, wrong descriptors, ports
 * in use, sizes, families) and the basic loopback path.  Prints one line
 * per failure and "nettest: N passed, M failed"; exit status 1 on any
 * failure.  Run by tests/integration/test_net.py; needs a network device.
 * The stream calls (listen, accept, connect, shutdown, getpeername, poll)
 * are checked here for their errors and one loopback connection;
 * tests/integration/test_tcp.py drives TCP itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <brinch.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <poll.h>

#define KERNEL_ADDR	((void *)0xC0100000)	/* kernel space: always EFAULT */

static int passed, failed;

#define CHECK(cond) do { \
	if (cond) \
		passed++; \
	else { \
		failed++; \
		printf("nettest: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); \
	} \
} while (0)

/* r == -1 with errno e. */
#define FAILS(expr, e) do { \
	errno = 0; \
	CHECK((expr) == -1 && errno == (e)); \
} while (0)

static struct sockaddr_in
local(uint16_t port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr = htonl(0x7F000001);	/* 127.0.0.1 */
	return a;
}

static void
test_creation(void)
{
	struct stat st;
	int fd;

	FAILS(socket(99, SOCK_DGRAM, 0), EAFNOSUPPORT);
	FAILS(socket(AF_INET, SOCK_RAW, 0), EPROTONOSUPPORT);
	FAILS(socket(AF_INET, SOCK_DGRAM, 6), EPROTONOSUPPORT);
	FAILS(socket(AF_PACKET, SOCK_RAW, htons(0x0800)), EINVAL);
	CHECK((fd = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	CHECK(fstat(fd, &st) == 0 && st.type == FT_SOCKET);
	FAILS(lseek(fd, 0, SEEK_SET), ESPIPE);
	FAILS(write(fd, "x", 1), EDESTADDRREQ);
	CHECK(close(fd) == 0);
}

static void
test_bad_arguments(void)
{
	struct sockaddr_in a = local(7100), from;
	char buf[16];
	uint32_t v = 5;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), file = open("/etc/motd", O_RDONLY);

	FAILS(bind(99, (struct sockaddr *)&a, sizeof(a)), EBADF);
	FAILS(bind(file, (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
	FAILS(bind(fd, KERNEL_ADDR, sizeof(a)), EFAULT);
	FAILS(bind(fd, NULL, sizeof(a)), EFAULT);
	FAILS(bind(fd, (struct sockaddr *)&a, 4), EINVAL);
	FAILS(sendto(fd, buf, 4, 0, KERNEL_ADDR, sizeof(a)), EFAULT);
	FAILS(sendto(fd, KERNEL_ADDR, 4, 0, (struct sockaddr *)&a, sizeof(a)), EFAULT);
	FAILS(sendto(fd, buf, 4, 0, NULL, 0), EDESTADDRREQ);
	FAILS(sendto(fd, buf, UDP_MAX_PAYLOAD + 1, 0, (struct sockaddr *)&a, sizeof(a)), EMSGSIZE);
	FAILS(recvfrom(fd, KERNEL_ADDR, sizeof(buf), MSG_DONTWAIT, NULL, NULL), EFAULT);
	FAILS(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, KERNEL_ADDR, 4), EFAULT);
	FAILS(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, 2), EINVAL);
	v = 0;
	FAILS(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), EINVAL);
	FAILS(setsockopt(fd, 99, SO_RCVBUF, &v, sizeof(v)), ENOPROTOOPT);
	FAILS(getsockname(fd, (struct sockaddr *)&from, KERNEL_ADDR), EFAULT);
	FAILS(net_info(KERNEL_ADDR), EFAULT);
	FAILS(net_counters(KERNEL_ADDR, 4), EFAULT);
	FAILS(arp_list(KERNEL_ADDR, 4), EFAULT);
	FAILS(sock_list(KERNEL_ADDR, 4), EFAULT);
	FAILS(pci_list(KERNEL_ADDR, 4), EFAULT);
	close(fd);
	close(file);
}

static void
test_ports(void)
{
	struct sockaddr_in a = local(7101), got;
	socklen_t len = sizeof(got);
	int s1 = socket(AF_INET, SOCK_DGRAM, 0), s2 = socket(AF_INET, SOCK_DGRAM, 0);
	int s3 = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK(bind(s1, (struct sockaddr *)&a, sizeof(a)) == 0);
	FAILS(bind(s2, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	FAILS(bind(s1, (struct sockaddr *)&a, sizeof(a)), EINVAL);	/* bound already */
	a.sin_addr = htonl(0x0A0000FE);		/* 10.0.0.254: not ours */
	a.sin_port = htons(7102);
	FAILS(bind(s2, (struct sockaddr *)&a, sizeof(a)), EADDRNOTAVAIL);
	a.sin_port = 0;
	a.sin_addr = 0;
	CHECK(bind(s3, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(getsockname(s3, (struct sockaddr *)&got, &len) == 0 &&
	    ntohs(got.sin_port) >= 49152 && len == sizeof(got));
	/* A closed socket's port is free again. */
	close(s1);
	a = local(7101);
	CHECK(bind(s2, (struct sockaddr *)&a, sizeof(a)) == 0);
	close(s2);
	close(s3);
}

static void
test_loopback(void)
{
	struct sockaddr_in a = local(7103), from;
	socklen_t len = sizeof(from);
	char buf[32];
	uint32_t ms = 100;
	int r, rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	uint64_t t0;

	CHECK(bind(rx, (struct sockaddr *)&a, sizeof(a)) == 0);
	FAILS(recvfrom(rx, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL), EAGAIN);
	CHECK(setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof(ms)) == 0);
	t0 = uptime_us();
	FAILS(recvfrom(rx, buf, sizeof(buf), 0, NULL, NULL), ETIMEDOUT);
	CHECK(uptime_us() - t0 >= 90000);
	CHECK(sendto(tx, "hello, me", 9, 0, (struct sockaddr *)&a, sizeof(a)) == 9);
	r = recvfrom(rx, buf, 5, 0, (struct sockaddr *)&from, &len);	/* truncated */
	CHECK(r == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(len == sizeof(from) && from.sin_addr == htonl(0x7F000001) &&
	    ntohs(from.sin_port) >= 49152);
	CHECK(sendto(tx, "again", 5, 0, (struct sockaddr *)&a, sizeof(a)) == 5);
	CHECK(read(rx, buf, sizeof(buf)) == 5 && memcmp(buf, "again", 5) == 0);
	close(rx);
	close(tx);
}

/* The stream calls' errors, and one connection over loopback: connect
 * returns once the handshake (all looped back) is done, so one process
 * can play both ends. */
static void
test_streams(void)
{
	struct sockaddr_in a = local(7200), got;
	struct pollfd pfd[2];
	uint32_t len = sizeof(got);
	char buf[16];
	int udp = socket(AF_INET, SOCK_DGRAM, 0), file = open("/etc/motd", O_RDONLY);
	int lis, cli, srv;

	FAILS(socket(AF_INET, SOCK_STREAM, 17), EPROTONOSUPPORT);
	FAILS(listen(99, 4), EBADF);
	FAILS(listen(file, 4), ENOTSOCK);
	FAILS(listen(udp, 4), EOPNOTSUPP);
	FAILS(accept(udp, NULL, NULL), EOPNOTSUPP);
	FAILS(poll(KERNEL_ADDR, 1, 0), EFAULT);
	FAILS(poll(pfd, 33, 0), EINVAL);
	pfd[0].fd = file;
	pfd[0].events = POLLIN;
	pfd[1].fd = udp;
	pfd[1].events = POLLIN;
	CHECK(poll(pfd, 2, 0) == 1 && pfd[0].revents == POLLNVAL && pfd[1].revents == 0);

	CHECK((lis = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	CHECK((cli = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	FAILS(getpeername(cli, (struct sockaddr *)&got, &len), ENOTCONN);
	FAILS(connect(cli, KERNEL_ADDR, sizeof(a)), EFAULT);
	FAILS(connect(cli, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED);
	close(cli);
	CHECK(bind(lis, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(listen(lis, 2) == 0);
	CHECK((cli = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	CHECK(connect(cli, (struct sockaddr *)&a, sizeof(a)) == 0);
	FAILS(connect(cli, (struct sockaddr *)&a, sizeof(a)), EISCONN);
	pfd[0].fd = lis;
	/* Looped back, the handshake is over when connect returns. */
	CHECK(poll(pfd, 1, 0) == 1 && (pfd[0].revents & POLLIN));
	FAILS(accept(lis, KERNEL_ADDR, &len), EFAULT);
	CHECK((srv = accept(lis, (struct sockaddr *)&got, &len)) >= 0);
	CHECK(write(cli, "stream", 6) == 6);
	CHECK(read(srv, buf, sizeof(buf)) == 6 && memcmp(buf, "stream", 6) == 0);
	CHECK(getpeername(srv, (struct sockaddr *)&got, &len) == 0 &&
	    got.sin_addr == htonl(0x7F000001));
	CHECK(shutdown(cli, SHUT_WR) == 0);
	CHECK(read(srv, buf, sizeof(buf)) == 0);	/* end of stream */
	close(srv);
	close(cli);
	close(lis);
	close(udp);
	close(file);
}

int
main(void)
{
	test_creation();
	test_bad_arguments();
	test_ports();
	test_loopback();
	test_streams();
	printf("nettest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
