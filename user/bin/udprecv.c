/*
 * udprecv: print the datagrams that arrive on a UDP port.
 *
 *   udprecv [-c count] [-W timeout_ms] [-n] [-d delay_ms] port
 *
 * Each datagram is printed as "from A.B.C.D:P: text" (bytes outside
 * printable ASCII as '.'); one over SHOW bytes as its first SHOW and
 * "... (N bytes)".  -W gives up after that long without one
 * (SO_RCVTIMEO); -n polls once without blocking (MSG_DONTWAIT).  Exit
 * status 0 if anything arrived, 1 otherwise.  -d waits that long after
 * binding before the first read, so that datagrams pile up in the
 * socket's queue (which holds SO_RCVBUF of them, 32 by default, and
 * drops the rest): `net sockets` shows the drops.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#define SHOW	64		/* bytes of a long datagram printed */

int
main(int argc, char *argv[])
{
	static char buf[UDP_MAX_PAYLOAD + 1];
	struct sockaddr_in addr, from;
	socklen_t fromlen;
	uint32_t timeout = 0;
	int count = -1, nowait = 0, delay = 0, got = 0, fd, n, i, j;

	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc - 1)
			count = atoi(argv[++i]);
		else if (strcmp(argv[i], "-W") == 0 && i + 1 < argc - 1)
			timeout = (uint32_t)atoi(argv[++i]);
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc - 1)
			delay = atoi(argv[++i]);
		else if (strcmp(argv[i], "-n") == 0)
			nowait = 1;
		else
			break;
	}
	if (i != argc - 1) {
		dprintf(2, "usage: udprecv [-c count] [-W timeout_ms] [-n] [-d delay_ms] port\n");
		return 2;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)atoi(argv[i]));
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		dprintf(2, "udprecv: port %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	if (timeout)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	printf("udprecv: listening on port %s\n", argv[i]);
	if (delay > 0)
		msleep((unsigned)delay);
	while (count != 0) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf) - 1, nowait ? MSG_DONTWAIT : 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			printf("udprecv: %s\n", strerror(errno));
			break;
		}
		for (j = 0; j < n && j < SHOW; j++)
			if (buf[j] < ' ' || buf[j] > '~')
				buf[j] = '.';
		buf[j] = '\0';
		printf("from %s:%u: %s", inet_ntoa(from.sin_addr), ntohs(from.sin_port), buf);
		if (n > SHOW)
			printf("... (%d bytes)", n);
		printf("\n");
		got++;
		if (count > 0)
			count--;
	}
	return got ? 0 : 1;
}
