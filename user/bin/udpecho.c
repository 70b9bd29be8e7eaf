/*
 * udpecho: the echo service (RFC 862) over UDP: every datagram that
 * arrives is sent back to where it came from.
 *
 *   udpecho [-v] [-c count] [port]      (port 7 by default)
 *
 * -v prints each datagram; -c exits after count of them.  Usually run in
 * the background: `udpecho &`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

int
main(int argc, char *argv[])
{
	static uint8_t buf[UDP_MAX_PAYLOAD];
	struct sockaddr_in addr, from;
	socklen_t fromlen;
	int verbose = 0, count = -1, port = 7, fd, n, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (argv[i][0] != '-' && i == argc - 1)
			port = atoi(argv[i]);
		else {
			dprintf(2, "usage: udpecho [-v] [-c count] [port]\n");
			return 2;
		}
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
		dprintf(2, "udpecho: socket: %s\n", strerror(errno));
		return 1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		dprintf(2, "udpecho: bind port %d: %s\n", port, strerror(errno));
		return 1;
	}
	printf("udpecho: listening on port %d\n", port);
	while (count != 0) {
		fromlen = sizeof(from);
		if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fromlen)) < 0) {
			dprintf(2, "udpecho: recvfrom: %s\n", strerror(errno));
			return 1;
		}
		if (verbose)
			printf("udpecho: %d bytes from %s:%u\n", n, inet_ntoa(from.sin_addr),
			    ntohs(from.sin_port));
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, fromlen) < 0)
			dprintf(2, "udpecho: sendto: %s\n", strerror(errno));
		if (count > 0)
			count--;
	}
	return 0;
}
