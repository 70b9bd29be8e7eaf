/*
 * Totally ordered multicast (Lamport 1978; Tanenbaum's replicated
 * account): one replica's queue and the rule for applying its head.
 * No I/O here: main.c sends and receives, the unit test simulates.
 */
#include <string.h>
#include "order.h"

void
replica_init(struct replica *r, int me, int nodes, long balance)
{
	memset(r, 0, sizeof(*r));
	r->me = me;
	r->nodes = nodes;
	r->balance = balance;
	r->order_hash = 17;
}

/* Odd nodes deposit, even ones add interest: the order matters. */
long
account_apply(long balance, int node, int value)
{
	return node % 2 ? balance + value : balance + balance * value / 100;
}

uint32_t
order_hash_step(uint32_t hash, uint32_t ts, int node)
{
	return hash * 31 + ts * 7 + (uint32_t)node;
}

static int
before(uint32_t ts1, int n1, uint32_t ts2, int n2)
{
	return ts1 < ts2 || (ts1 == ts2 && n1 < n2);
}

/* The queue entry for update (ts, node), made if it is new. */
static struct update *
entry(struct replica *r, uint32_t ts, int node)
{
	struct update *q = r->queue;
	int i;

	for (i = 0; i < r->queued && before(q[i].ts, q[i].node, ts, node); i++)
		;
	if (i < r->queued && q[i].ts == ts && q[i].node == node)
		return &q[i];
	if (r->queued == ORDER_MAX_UPDATES)
		return NULL;
	memmove(&q[i + 1], &q[i], (r->queued - i) * sizeof(q[0]));
	r->queued++;
	memset(&q[i], 0, sizeof(q[i]));
	q[i].ts = ts;
	q[i].node = node;
	return &q[i];
}

/*
 * Apply the head while it is here and every node has acknowledged it.
 * Why that is safe: node k acknowledges an update only after receiving
 * it, so anything k sends later carries a larger timestamp; and links
 * are FIFO, so anything k sent earlier is already here.  Nothing that
 * sorts before the head can still arrive.
 */
static void
apply_ready(struct replica *r)
{
	uint32_t all = (1u << r->nodes) - 1;
	struct update head;

	while (r->queued && r->queue[0].have && (r->queue[0].acked & all) == all) {
		head = r->queue[0];
		r->queued--;
		memmove(&r->queue[0], &r->queue[1], r->queued * sizeof(r->queue[0]));
		r->balance = account_apply(r->balance, head.node, head.value);
		r->order_hash = order_hash_step(r->order_hash, head.ts, head.node);
		r->applied++;
		if (r->on_apply)
			r->on_apply(r, &head);
	}
}

/*
 * Receiving an update also counts as our own acknowledgement of it, and
 * that acknowledgement claims "every update of mine older than this is
 * in my queue".  So our own updates join the queue when they are
 * stamped.  Looping them back through our own mailbox instead is wrong:
 * while we are still sending one to the other nodes, a younger update
 * from elsewhere and its acknowledgements can overtake it in the mailbox,
 * and we would apply that first (test_total_order.c shows it).
 */
int
replica_update(struct replica *r, uint32_t ts, int node, int value)
{
	struct update *u;

	if (node < 0 || node >= r->nodes || !(u = entry(r, ts, node)))
		return -1;
	u->have = 1;
	u->value = value;
	u->acked |= 1u << node | 1u << r->me;
	apply_ready(r);
	return 0;
}

int
replica_ack(struct replica *r, uint32_t ts, int node, int from)
{
	struct update *u;

	if (node < 0 || node >= r->nodes || from < 0 || from >= r->nodes ||
	    !(u = entry(r, ts, node)))
		return -1;
	u->acked |= 1u << from;
	apply_ready(r);
	return 0;
}
