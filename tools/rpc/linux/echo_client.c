/*
 * echo_client.c: a Linux client for brinch's echo program, built from
 * rpc/echo.x with Debian's rpcgen and libtirpc.  Sends SINK and ECHO
 * with `size` bytes of arguments over UDP and checks what comes back:
 * over 1472 bytes both ways travel as IP fragments.
 *
 *   echo_client host size [count]
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "echo.h"

/* clnt_create's UDP buffers hold 8800 bytes (UDPMSGSIZE), as Sun's did;
 * NFS-sized messages need a client made with room for them. */
#define BUFSIZE	65000

int
main(int argc, char *argv[])
{
	static char data[ECHO_MAX];
	struct timeval wait = { 1, 0 };
	struct sockaddr_in addr;
	echo_data arg, *res;
	CLIENT *clnt;
	int sock = RPC_ANYSOCK, size, count, i;

	if (argc < 3 || (size = atoi(argv[2])) < 0 || size > ECHO_MAX) {
		fprintf(stderr, "usage: echo_client host size [count]\n");
		return 2;
	}
	count = argc > 3 ? atoi(argv[3]) : 1;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
		fprintf(stderr, "echo_client: %s: not an IPv4 address\n", argv[1]);
		return 2;
	}
	/* Port 0: ask the portmapper on the host. */
	clnt = clntudp_bufcreate(&addr, ECHO_PROG, ECHO_VERS, wait, &sock,
	    BUFSIZE, BUFSIZE);
	if (clnt == NULL) {
		clnt_pcreateerror(argv[1]);
		return 1;
	}
	for (i = 0; i < size; i++)
		data[i] = (char)('A' + i % 23);
	arg.echo_data_len = size;
	arg.echo_data_val = data;
	for (i = 0; i < count; i++) {
		if (sink_1(&arg, clnt) == NULL) {
			clnt_perror(clnt, "SINK");
			return 1;
		}
		if ((res = echo_1(&arg, clnt)) == NULL) {
			clnt_perror(clnt, "ECHO");
			return 1;
		}
		if (res->echo_data_len != (unsigned)size ||
		    memcmp(res->echo_data_val, data, size) != 0) {
			fprintf(stderr, "echo_client: ECHO came back different\n");
			return 1;
		}
		xdr_free((xdrproc_t)xdr_echo_data, (char *)res);
	}
	printf("echo_client: %d x SINK and ECHO of %d bytes: ok\n", count, size);
	clnt_destroy(clnt);
	return 0;
}
