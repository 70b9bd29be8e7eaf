/*
 * vec_client.c: a Linux client for the vector demo, built from rpc/vec.x
 * with Debian's rpcgen and libtirpc: finds the program through the
 * server's portmapper and calls VECMUL and VECSUM over UDP.
 *
 *   vec_client host k v1 v2 ...
 */
#include <stdio.h>
#include <stdlib.h>
#include "vec.h"

int
main(int argc, char *argv[])
{
	static int v[VEC_MAX];
	vec_args args;
	CLIENT *clnt;
	quad_t *sum;
	vec *res;
	int i, n;

	if (argc < 4) {
		fprintf(stderr, "usage: vec_client host k v1 v2 ...\n");
		return 2;
	}
	if ((clnt = clnt_create(argv[1], VEC_PROG, VEC_VERS, "udp")) == NULL) {
		clnt_pcreateerror(argv[1]);
		return 1;
	}
	for (n = 0; n + 3 < argc && n < VEC_MAX; n++)
		v[n] = atoi(argv[n + 3]);
	args.k = atoi(argv[2]);
	args.v.vec_len = n;
	args.v.vec_val = v;
	if ((res = vecmul_1(&args, clnt)) == NULL) {
		clnt_perror(clnt, "VECMUL");
		return 1;
	}
	printf("vec_client: VECMUL:");
	for (i = 0; i < (int)res->vec_len; i++)
		printf(" %d", res->vec_val[i]);
	printf("\n");
	if ((sum = vecsum_1(&args.v, clnt)) == NULL) {
		clnt_perror(clnt, "VECSUM");
		return 1;
	}
	printf("vec_client: VECSUM: %lld\n", (long long)*sum);
	clnt_destroy(clnt);
	return 0;
}
