/*
 * rps_client.c: a Linux client for brinch's remote process list, built
 * from rpc/rps.x with Debian's rpcgen and libtirpc.
 *
 *   rps_client host
 */
#include <stdio.h>
#include "rps.h"

int
main(int argc, char *argv[])
{
	CLIENT *clnt;
	rps_res *res;
	int first = 0;
	u_int i;

	if (argc != 2) {
		fprintf(stderr, "usage: rps_client host\n");
		return 2;
	}
	if ((clnt = clnt_create(argv[1], RPS_PROG, RPS_VERS, "udp")) == NULL) {
		clnt_pcreateerror(argv[1]);
		return 1;
	}
	do {
		if ((res = rps_list_1(&first, clnt)) == NULL) {
			clnt_perror(clnt, "RPS_LIST");
			return 1;
		}
		if (first == 0)
			printf("node %d, up %u s\n", res->node, res->uptime_s);
		for (i = 0; i < res->procs.rps_procs_len; i++)
			printf("%5d %5d %d %s\n", res->procs.rps_procs_val[i].pid,
			    res->procs.rps_procs_val[i].ppid,
			    (int)res->procs.rps_procs_val[i].state,
			    res->procs.rps_procs_val[i].name);
		first = res->next_pid;
	} while (res->more);
	clnt_destroy(clnt);
	return 0;
}
