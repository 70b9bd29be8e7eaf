/*
 * The user side of networking: wrappers for system calls 60-76
 * (kernel/net/sys_net.c) and dotted-quad address helpers.  Each wrapper
 * returns -1 and sets errno on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <brinch.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <poll.h>
#include "user/lib/syscall.h"

int
socket(int domain, int type, int protocol)
{
	return unix_result(syscall5(SYS_socket, domain, type, protocol, 0, 0));
}

int
bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return unix_result(syscall5(SYS_bind, fd, ARG(addr), (int)len, 0, 0));
}

ssize_t
sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
    socklen_t tolen)
{
	return unix_result(syscall6(SYS_sendto, fd, ARG(buf), (int)len, flags,
	    ARG(to), (int)tolen));
}

ssize_t
recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
    socklen_t *fromlen)
{
	return unix_result(syscall6(SYS_recvfrom, fd, ARG(buf), (int)len, flags,
	    ARG(from), ARG(fromlen)));
}

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return unix_result(syscall5(SYS_setsockopt, fd, level, name, ARG(val), (int)len));
}

int
getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return unix_result(syscall5(SYS_getsockname, fd, ARG(addr), ARG(len), 0, 0));
}

int
listen(int fd, int backlog)
{
	return unix_result(syscall5(SYS_listen, fd, backlog, 0, 0, 0));
}

int
accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return unix_result(syscall5(SYS_accept, fd, ARG(addr), ARG(len), 0, 0));
}

int
connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return unix_result(syscall5(SYS_connect, fd, ARG(addr), (int)len, 0, 0));
}

ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

int
shutdown(int fd, int how)
{
	return unix_result(syscall5(SYS_shutdown, fd, how, 0, 0, 0));
}

int
getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return unix_result(syscall5(SYS_getpeername, fd, ARG(addr), ARG(len), 0, 0));
}

int
poll(struct pollfd *fds, unsigned n, int timeout_ms)
{
	return unix_result(syscall5(SYS_poll, ARG(fds), (int)n, timeout_ms, 0, 0));
}

int
net_info(struct net_info *info)
{
	return unix_result(syscall5(SYS_net_info, ARG(info), 0, 0, 0, 0));
}

int
net_counters(struct net_counter *buf, int max)
{
	return unix_result(syscall5(SYS_net_counters, ARG(buf), max, 0, 0, 0));
}

int
arp_list(struct arp_info *buf, int max)
{
	return unix_result(syscall5(SYS_arp_list, ARG(buf), max, 0, 0, 0));
}

int
sock_list(struct sock_info *buf, int max)
{
	return unix_result(syscall5(SYS_sock_list, ARG(buf), max, 0, 0, 0));
}

int
pci_list(struct pci_info *buf, int max)
{
	return unix_result(syscall5(SYS_pci_list, ARG(buf), max, 0, 0, 0));
}

int
inet_aton(const char *s, uint32_t *addr)
{
	uint32_t v = 0, part;
	int i, digits;

	for (i = 0; i < 4; i++) {
		for (part = 0, digits = 0; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
			part = part * 10 + (uint32_t)(*s - '0');
		if (digits == 0 || part > 255)
			return 0;
		v = v << 8 | part;
		if (i < 3 && *s++ != '.')
			return 0;
	}
	if (*s != '\0')
		return 0;
	*addr = htonl(v);
	return 1;
}

char *
inet_ntoa_r(uint32_t addr, char *buf)
{
	uint32_t v = ntohl(addr);

	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(v >> 24), (unsigned)(v >> 16) & 255,
	    (unsigned)(v >> 8) & 255, (unsigned)v & 255);
	return buf;
}

char *
inet_ntoa(uint32_t addr)
{
	static char buf[16];

	return inet_ntoa_r(addr, buf);
}
