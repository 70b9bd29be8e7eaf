/*
 * tcp: TCP from the shell, for trying the stack by hand and for the
 * tests (docs/network.md "TCP").
 *
 *   tcp listen [-1] [-s] [-v] PORT   echo every connection back (a process
 *                                    each); -s: a sink that only counts;
 *                                    -1: one connection, then exit
 *   tcp connect IP PORT              type lines to send, see what comes back;
 *                                    Ctrl-D closes our half
 *   tcp send [-e] [-n N] IP PORT BYTES
 *                                    send BYTES of a pattern; -e: read the
 *                                    echo back and compare; -n: N times,
 *                                    a connection each
 *   tcp get IP PORT                  read until the peer closes
 *
 * Transfers report "N bytes fnv1a 0xHHHHHHHH" (FNV-1a over the bytes) so
 * two ends, or a test on the host, can compare what went and came.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#define CHUNK	4096

static uint8_t buf[CHUNK], back[CHUNK];
static int verbose;

static uint32_t
fnv1a(uint32_t h, const uint8_t *p, int n)
{
	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

#define FNV_START	2166136261u

/* The bytes `tcp send` sends: a linear congruential sequence, so a
 * reordered or repeated segment changes the checksum. */
static void
pattern(uint32_t *state, uint8_t *out, int n)
{
	while (n-- > 0) {
		*state = *state * 1103515245u + 12345u;
		*out++ = (uint8_t)(*state >> 16);
	}
}

static int
usage(void)
{
	dprintf(2, "usage: tcp listen [-1] [-s] [-v] PORT | tcp connect IP PORT |\n"
	    "       tcp send [-e] [-n N] IP PORT BYTES | tcp get IP PORT\n");
	return 2;
}

static int
make_addr(const char *ip, const char *port, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(port));
	if (!inet_aton(ip, &a->sin_addr) || a->sin_port == 0) {
		dprintf(2, "tcp: bad address %s %s\n", ip, port);
		return -1;
	}
	return 0;
}

static int
dial(const char *ip, const char *port)
{
	struct sockaddr_in a;
	int fd;

	if (make_addr(ip, port, &a) < 0)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		dprintf(2, "tcp: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		dprintf(2, "tcp: connect %s:%s: %s\n", ip, port, strerror(errno));
		close(fd);
		return -1;
	}
	if (verbose)
		printf("tcp: connected to %s:%s\n", ip, port);
	return fd;
}

/* All of n bytes, however many writes it takes. */
static int
write_all(int fd, const uint8_t *p, int n)
{
	int w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/* One connection, in its own process: echo it (or count it) until the
 * peer closes, then report. */
static int
serve(int fd, int sink, const struct sockaddr_in *peer)
{
	uint32_t h = FNV_START, total = 0;
	char who[24];
	int n;

	snprintf(who, sizeof(who), "%s:%u", inet_ntoa(peer->sin_addr),
	    (unsigned)ntohs(peer->sin_port));
	if (verbose)
		printf("tcp: connection from %s\n", who);
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		h = fnv1a(h, buf, n);
		total += (uint32_t)n;
		if (!sink && write_all(fd, buf, n) < 0)
			break;
	}
	if (n < 0)
		printf("tcp: %s: %s\n", who, strerror(errno));
	printf("tcp: %s received %u bytes fnv1a %#010x\n", who, (unsigned)total,
	    (unsigned)h);
	close(fd);
	return n < 0;
}

static int
do_listen(int argc, char *argv[])
{
	struct sockaddr_in a, peer;
	socklen_t len;
	int once = 0, sink = 0, fd, c, i, pid;

	for (i = 0; i < argc - 1; i++) {
		if (strcmp(argv[i], "-1") == 0)
			once = 1;
		else if (strcmp(argv[i], "-s") == 0)
			sink = 1;
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else
			return usage();
	}
	if (argc < 1)
		return usage();
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		dprintf(2, "tcp: socket: %s\n", strerror(errno));
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(argv[argc - 1]));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0) {
		dprintf(2, "tcp: port %s: %s\n", argv[argc - 1], strerror(errno));
		return 1;
	}
	printf("tcp: listening on port %u\n", (unsigned)ntohs(a.sin_port));
	for (;;) {
		len = sizeof(peer);
		if ((c = accept(fd, (struct sockaddr *)&peer, &len)) < 0) {
			dprintf(2, "tcp: accept: %s\n", strerror(errno));
			return 1;
		}
		if (once) {
			close(fd);
			return serve(c, sink, &peer);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;			/* reap finished connections */
		if ((pid = fork()) == 0) {
			close(fd);
			exit(serve(c, sink, &peer));
		}
		if (pid < 0)
			serve(c, sink, &peer);	/* no process: serve it here */
		close(c);
	}
}

/* Interactive: a child prints what arrives while we send what is typed. */
static int
do_connect(int argc, char *argv[])
{
	int fd, n, pid, status;

	if (argc != 2)
		return usage();
	verbose = 1;
	if ((fd = dial(argv[0], argv[1])) < 0)
		return 1;
	if ((pid = fork()) == 0) {
		while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
			write(1, buf, n);
		printf("tcp: %s\n", n < 0 ? strerror(errno) : "connection closed");
		exit(0);
	}
	while ((n = read(0, back, sizeof(back))) > 0)
		if (write_all(fd, back, n) < 0) {
			printf("tcp: send: %s\n", strerror(errno));
			break;
		}
	shutdown(fd, SHUT_WR);		/* Ctrl-D: our half is done */
	waitpid(pid, &status, 0);
	close(fd);
	return 0;
}

/* One connection: total bytes out (and back, with echo). */
static int
send_once(char *argv[], uint32_t total, int echo)
{
	uint32_t state = 1, h = FNV_START, hb = FNV_START, sent = 0, got = 0;
	int fd, n, r, want;

	if ((fd = dial(argv[0], argv[1])) < 0)
		return 1;
	while (sent < total) {
		n = (int)(total - sent < CHUNK ? total - sent : CHUNK);
		pattern(&state, buf, n);
		h = fnv1a(h, buf, n);
		if (write_all(fd, buf, n) < 0) {
			printf("tcp: send: %s\n", strerror(errno));
			return 1;
		}
		sent += (uint32_t)n;
		/* Read the echo as we go, or both sides' queues fill and
		 * each waits for the other. */
		for (want = (int)(sent - got); echo && want > 0; want -= r) {
			if ((r = recv(fd, back, (uint32_t)want < CHUNK ? want : CHUNK, 0)) <= 0) {
				printf("tcp: echo: %s\n", r < 0 ? strerror(errno) :
				    "closed early");
				return 1;
			}
			hb = fnv1a(hb, back, r);
			got += (uint32_t)r;
		}
	}
	shutdown(fd, SHUT_WR);
	if (!echo) {
		/* Wait for the peer's close: then everything arrived. */
		while ((r = recv(fd, back, sizeof(back), 0)) > 0)
			;
	}
	printf("tcp: sent %u bytes fnv1a %#010x\n", (unsigned)sent, (unsigned)h);
	if (echo)
		printf("tcp: echo %s: %u bytes fnv1a %#010x\n", hb == h && got == sent ?
		    "ok" : "MISMATCH", (unsigned)got, (unsigned)hb);
	close(fd);
	return echo && (hb != h || got != sent);
}

static int
do_send(int argc, char *argv[])
{
	int echo = 0, times = 1, failed = 0, i;

	for (; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (strcmp(argv[0], "-e") == 0)
			echo = 1;
		else if (strcmp(argv[0], "-n") == 0 && argc > 1)
			times = atoi((argc--, *++argv));
		else
			return usage();
	}
	if (argc != 3)
		return usage();
	for (i = 0; i < times; i++)
		failed += send_once(argv, (uint32_t)atoi(argv[2]), echo);
	if (times > 1)
		printf("tcp: %d connections, %d failed\n", times, failed);
	return failed != 0;
}

static int
do_get(int argc, char *argv[])
{
	uint32_t h = FNV_START, total = 0;
	int fd, n;

	if (argc != 2)
		return usage();
	if ((fd = dial(argv[0], argv[1])) < 0)
		return 1;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		h = fnv1a(h, buf, n);
		total += (uint32_t)n;
	}
	if (n < 0)
		printf("tcp: recv: %s\n", strerror(errno));
	printf("tcp: received %u bytes fnv1a %#010x\n", (unsigned)total, (unsigned)h);
	close(fd);
	return n < 0;
}

int
main(int argc, char *argv[])
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "listen") == 0)
		return do_listen(argc - 2, argv + 2);
	if (strcmp(argv[1], "connect") == 0)
		return do_connect(argc - 2, argv + 2);
	if (strcmp(argv[1], "send") == 0)
		return do_send(argc - 2, argv + 2);
	if (strcmp(argv[1], "get") == 0)
		return do_get(argc - 2, argv + 2);
	return usage();
}
