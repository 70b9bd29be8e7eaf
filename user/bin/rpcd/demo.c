/*
 * rpcd's demonstration programs: the textbook's vector multiplication,
 * a counter that shows at-most-once semantics, and echo (the benchmark's
 * null RPC and payload sizes).
 */
#include <errno.h>
#include <string.h>
#include <brinch.h>
#include "rpcd.h"

/* Each element times k, in place: the argument's memory lives until the
 * reply has been encoded. */
int
vecmul_1_svc(vec_args *a, vec *res, struct rpc_req *req)
{
	unsigned i;

	for (i = 0; i < a->v.vec_len; i++)
		a->v.vec_val[i] *= a->k;
	*res = a->v;
	return SUCCESS;
}

int
vecsum_1_svc(vec *v, int64_t *res, struct rpc_req *req)
{
	unsigned i;

	*res = 0;
	for (i = 0; i < v->vec_len; i++)
		*res += v->vec_val[i];
	return SUCCESS;
}

static struct counter {
	uint64_t value;
} *counter;
static int counter_sem = -1;

int
counter_init(void)
{
	int id;

	if ((id = shm_create(sizeof(*counter))) < 0 ||
	    (counter = shm_attach(id)) == (void *)-1 ||
	    (counter_sem = sem_create(1)) < 0)
		return -1;
	counter->value = 0;
	return 0;
}

static void
lock(void)
{
	while (sem_wait(counter_sem) < 0 && errno == EINTR)
		;
}

int
incr_1_svc(unsigned *delta, uint64_t *res, struct rpc_req *req)
{
	lock();
	counter->value += *delta;
	*res = counter->value;
	sem_post(counter_sem);
	return SUCCESS;
}

int
get_1_svc(uint64_t *res, struct rpc_req *req)
{
	lock();
	*res = counter->value;
	sem_post(counter_sem);
	return SUCCESS;
}

int
reset_1_svc(struct rpc_req *req)
{
	lock();
	counter->value = 0;
	sem_post(counter_sem);
	return SUCCESS;
}

int
echo_1_svc(echo_data *arg, echo_data *res, struct rpc_req *req)
{
	*res = *arg;
	return SUCCESS;
}

int
sink_1_svc(echo_data *arg, struct rpc_req *req)
{
	return SUCCESS;
}

int
sleep_1_svc(unsigned *ms, struct rpc_req *req)
{
	if (*ms > 60000)
		return GARBAGE_ARGS;
	msleep(*ms);
	return SUCCESS;
}
