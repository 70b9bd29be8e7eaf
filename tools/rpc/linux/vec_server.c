/*
 * vec_server.c: the Linux side of the vector demo, compiled with the
 * vec_svc.c (main, registration with rpcbind) that Debian's rpcgen makes
 * from rpc/vec.x, and libtirpc.  tests/integration/test_rpc_linux.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vec.h"

/* rpcgen's classic interface: results live in static storage. */
vec *
vecmul_1_svc(vec_args *a, struct svc_req *req)
{
	static int out[VEC_MAX];
	static vec res;
	u_int i;

	for (i = 0; i < a->v.vec_len; i++)
		out[i] = a->v.vec_val[i] * a->k;
	res.vec_len = a->v.vec_len;
	res.vec_val = out;
	printf("vec_server: VECMUL of %u elements by %d\n", a->v.vec_len, a->k);
	fflush(stdout);
	return &res;
}

quad_t *
vecsum_1_svc(vec *v, struct svc_req *req)
{
	static quad_t sum;
	u_int i;

	sum = 0;
	for (i = 0; i < v->vec_len; i++)
		sum += v->vec_val[i];
	return &sum;
}
