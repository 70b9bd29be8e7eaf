/*
 * vecmul: the textbook's remote vector example.  Multiplies each element
 * of a vector by k on another node (VECMUL in vec.x), or adds them up
 * (-s, VECSUM).  Given several nodes, the vector is cut into one piece
 * per node and the calls run at the same time: started asynchronously,
 * then waited for one by one.
 *
 *   vecmul [-s] [-t timeout_ms] node[,node...] k v1 v2 ...
 *   vecmul -s [-t timeout_ms] node v1 v2 ...
 */
// rpc: vec_xdr vec_clnt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vec.h"

#define MAX_NODES	8

static void
usage(void)
{
	dprintf(2, "usage: vecmul [-t timeout_ms] node[,node...] k v1 v2 ...\n"
	    "       vecmul -s [-t timeout_ms] node v1 v2 ...\n");
	exit(2);
}

static int
sum(struct rpc_client *c, const char *node, int *v, int n)
{
	vec arg = { (unsigned)n, v };
	enum rpc_stat st;
	int64_t total;

	if ((st = vecsum_1(c, &arg, &total)) != RPC_SUCCESS) {
		dprintf(2, "vecmul: %s: %s\n", node, rpc_strerror(st));
		return 1;
	}
	printf("vecmul: sum %d\n", (int)total);
	return 0;
}

int
main(int argc, char *argv[])
{
	static int v[VEC_MAX];
	struct rpc_client *c[MAX_NODES];
	struct rpc_call *h[MAX_NODES];
	char *names[MAX_NODES], *p;
	vec_args args[MAX_NODES];
	vec res[MAX_NODES];
	enum rpc_stat st;
	unsigned timeout = 3000;
	int i = 1, do_sum = 0, nnodes = 0, n, k = 0, j, at, piece, failed = 0;
	uint32_t addr;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0' &&
	    (argv[i][1] < '0' || argv[i][1] > '9'); i++) {
		if (strcmp(argv[i], "-s") == 0)
			do_sum = 1;
		else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			timeout = (unsigned)atoi(argv[++i]);
		else
			usage();
	}
	if (argc - i < (do_sum ? 2 : 3))
		usage();
	for (p = argv[i]; nnodes < MAX_NODES && (names[nnodes] = p) != NULL; nnodes++) {
		if ((p = strchr(p, ',')) != NULL)
			*p++ = '\0';
	}
	i++;
	if (!do_sum)
		k = atoi(argv[i++]);
	for (n = 0; i < argc && n < VEC_MAX; n++)
		v[n] = atoi(argv[i++]);
	if (nnodes > n)
		nnodes = n;
	for (j = 0; j < nnodes; j++) {
		if (rpc_parse_host(names[j], &addr) < 0) {
			dprintf(2, "vecmul: %s: not a node number or address\n", names[j]);
			return 2;
		}
		if ((c[j] = rpc_client_create(addr, 0, VEC_PROG, VEC_VERS, &st)) == NULL) {
			dprintf(2, "vecmul: %s: %s\n", names[j], rpc_strerror(st));
			return 1;
		}
		rpc_client_timeout(c[j], timeout, 0);
	}
	if (do_sum)
		return sum(c[0], names[0], v, n);
	/* Start every piece, then collect: the nodes work in parallel. */
	piece = (n + nnodes - 1) / nnodes;
	for (j = 0, at = 0; j < nnodes; j++, at += piece) {
		args[j].v.vec_val = v + at;
		args[j].v.vec_len = (unsigned)(at + piece <= n ? piece : n - at);
		args[j].k = k;
		if ((h[j] = vecmul_1_start(c[j], &args[j], &st)) == NULL) {
			dprintf(2, "vecmul: %s: %s\n", names[j], rpc_strerror(st));
			return 1;
		}
	}
	for (j = 0; j < nnodes; j++) {
		if ((st = vecmul_1_wait(h[j], &res[j])) != RPC_SUCCESS) {
			dprintf(2, "vecmul: %s: %s\n", names[j], rpc_strerror(st));
			failed = 1;
		}
	}
	if (failed)
		return 1;
	printf("vecmul:");
	for (j = 0; j < nnodes; j++)
		for (i = 0; i < (int)res[j].vec_len; i++)
			printf(" %d", res[j].vec_val[i]);
	printf("\n");
	return 0;
}
