/*
 * rfile_client.c: a Linux client for brinch's remote file service, built
 * from rpc/rfile.x with Debian's rpcgen and libtirpc: prints a file from
 * the node's initrd, one RFILE_READ chunk at a time.
 *
 *   rfile_client host path
 */
#include <stdio.h>
#include "rfile.h"

int
main(int argc, char *argv[])
{
	rfile_read_args a;
	rfile_read_res *res;
	CLIENT *clnt;

	if (argc != 3) {
		fprintf(stderr, "usage: rfile_client host path\n");
		return 2;
	}
	if ((clnt = clnt_create(argv[1], RFILE_PROG, RFILE_VERS, "udp")) == NULL) {
		clnt_pcreateerror(argv[1]);
		return 1;
	}
	a.path = argv[2];
	a.offset = 0;
	a.count = RFILE_CHUNK;
	do {
		if ((res = rfile_read_1(&a, clnt)) == NULL) {
			clnt_perror(clnt, "RFILE_READ");
			return 1;
		}
		if (res->status != RFILE_OK) {
			fprintf(stderr, "rfile_client: %s: status %d\n", a.path, (int)res->status);
			return 1;
		}
		fwrite(res->data.data_val, 1, res->data.data_len, stdout);
		a.offset += res->data.data_len;
	} while (!res->eof && res->data.data_len > 0);
	clnt_destroy(clnt);
	return 0;
}
