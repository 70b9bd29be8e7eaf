/*
 * Host unit tests for totally ordered multicast (user/bin/lamport/order.c):
 * several replicas over simulated FIFO links with Lamport clocks, in
 * thousands of random interleavings, must apply the same updates in the
 * same (timestamp, node) order.  The same simulation with each node's
 * own updates looped back through its mailbox must go wrong sometimes,
 * which shows that the check can fail.
 */
// uses: user/bin/lamport/order.c
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "user/bin/lamport/order.h"

#define NODES_MAX	4
#define UPDATES		5
#define LINK_MAX	256

enum { UPDATE, ACK };

struct sim_msg {
	int	 kind, from, value;
	uint32_t header_ts;		/* the message layer's stamp */
	uint32_t ts;			/* UPDATE: its stamp; ACK: which update */
	int	 node;
};

struct fifo {
	struct sim_msg m[LINK_MAX];
	int head, tail;
};

struct sim_node {
	struct replica replica;
	uint32_t clock;
	int sent;
	struct fifo mailbox;			/* what has arrived, in order */
	uint32_t log[NODES_MAX * UPDATES][2];	/* (ts, node) as applied */
};

static struct sim_node node[NODES_MAX];
static struct fifo link[NODES_MAX][NODES_MAX];	/* from, to */
static int nodes, loop_back_own;
static unsigned seed;

static unsigned
rnd(void)
{
	seed = seed * 1103515245 + 12345;
	return (seed >> 16) & 0x7fff;
}

static void
push(struct fifo *f, const struct sim_msg *m)
{
	f->m[f->tail++ % LINK_MAX] = *m;
}

static int
pop(struct fifo *f, struct sim_msg *m)
{
	if (f->head == f->tail)
		return 0;
	*m = f->m[f->head++ % LINK_MAX];
	return 1;
}

static void
record(struct replica *r, const struct update *u)
{
	struct sim_node *n = &node[r->me];

	n->log[r->applied - 1][0] = u->ts;
	n->log[r->applied - 1][1] = (uint32_t)u->node;
}

static void
send(int from, int to, struct sim_msg m)
{
	m.from = from;
	m.header_ts = ++node[from].clock;
	push(&link[from][to], &m);
}

static void
multicast(int me)
{
	struct sim_node *n = &node[me];
	struct sim_msg m = { .kind = UPDATE, .node = me, .value = 1 + me + n->sent };
	int k;

	m.ts = ++n->clock;
	n->sent++;
	if (!loop_back_own)
		replica_update(&n->replica, m.ts, me, m.value);
	for (k = 0; k < nodes; k++)
		if (k != me || loop_back_own)
			send(me, k, m);
}

/* One message from the head of its mailbox, as main.c handles it. */
static void
receive(int me)
{
	struct sim_node *n = &node[me];
	struct sim_msg m, ack;
	int k;

	if (!pop(&n->mailbox, &m))
		return;
	if (m.kind == ACK) {
		replica_ack(&n->replica, m.ts, m.node, m.from);
		return;
	}
	if (m.node != me) {
		ack = (struct sim_msg){ .kind = ACK, .ts = m.ts, .node = m.node };
		++n->clock;
		for (k = 0; k < nodes; k++)
			if (k != me)
				send(me, k, ack);
	}
	replica_update(&n->replica, m.ts, m.node, m.value);
}

/* The link delivers its oldest message; the kernel applies the receive
 * rule before the process sees it. */
static int
deliver(int from, int to)
{
	struct sim_msg m;

	if (!pop(&link[from][to], &m))
		return 0;
	if (node[to].clock < m.header_ts)
		node[to].clock = m.header_ts;
	node[to].clock++;
	push(&node[to].mailbox, &m);
	return 1;
}

static int
busy(void)
{
	int i, j;

	for (i = 0; i < nodes; i++) {
		if (node[i].sent < UPDATES || node[i].mailbox.head != node[i].mailbox.tail)
			return 1;
		for (j = 0; j < nodes; j++)
			if (link[i][j].head != link[i][j].tail)
				return 1;
	}
	return 0;
}

/* One random run; 1 if every replica applied everything in the same
 * sorted order (with the same balance), else 0. */
static int
run(unsigned run_seed, int n_nodes, int loop_back)
{
	int i, j, total = n_nodes * UPDATES;

	memset(node, 0, sizeof(node));
	memset(link, 0, sizeof(link));
	nodes = n_nodes;
	loop_back_own = loop_back;
	seed = run_seed;
	for (i = 0; i < nodes; i++) {
		replica_init(&node[i].replica, i, nodes, 1000);
		node[i].replica.on_apply = record;
	}
	while (busy()) {
		i = (int)(rnd() % nodes);
		switch (rnd() % 4) {
		case 0:
			if (node[i].sent < UPDATES)
				multicast(i);
			break;
		case 1:
			receive(i);
			break;
		default:
			deliver(i, (int)(rnd() % nodes));
		}
	}
	for (i = 0; i < nodes; i++) {
		if (node[i].replica.applied != total ||
		    node[i].replica.balance != node[0].replica.balance)
			return 0;
		for (j = 0; j < total; j++) {
			if (memcmp(node[i].log[j], node[0].log[j], sizeof(node[i].log[j])))
				return 0;
			if (j > 0 && (node[i].log[j][0] < node[i].log[j - 1][0] ||
			    (node[i].log[j][0] == node[i].log[j - 1][0] &&
			    node[i].log[j][1] < node[i].log[j - 1][1])))
				return 0;
		}
	}
	return 1;
}

static void
test_random_interleavings(void)
{
	int good = 0, naive_good = 0, runs = 0, n;
	unsigned s;

	for (n = 2; n <= NODES_MAX; n++)
		for (s = 1; s <= 1500; s++) {
			runs++;
			good += run(s, n, 0);
			naive_good += run(s, n, 1);
		}
	CHECK_EQ_INT(good, runs);
	/* Looping our own updates back through the mailbox breaks it. */
	CHECK(naive_good < runs);
	printf("test_total_order: %d runs; own updates looped back: %d wrong\n",
	    runs, runs - naive_good);
}

static void
test_ack_before_update(void)
{
	struct replica r;

	replica_init(&r, 0, 2, 1000);
	CHECK_EQ_INT(replica_update(&r, 5, 0, 10), 0);		/* ours: waits for 1 */
	CHECK_EQ_INT(r.applied, 0);
	CHECK_EQ_INT(replica_ack(&r, 7, 1, 1), 0);		/* an ack ahead of its update */
	CHECK_EQ_INT(replica_ack(&r, 5, 0, 1), 0);
	CHECK_EQ_INT(r.applied, 1);
	CHECK_EQ_INT(r.balance, 1100);				/* 10% interest */
	CHECK_EQ_INT(r.queued, 1);				/* (7,1): no update yet */
	CHECK_EQ_INT(replica_update(&r, 7, 1, 3), 0);
	CHECK_EQ_INT(r.applied, 2);
	CHECK_EQ_INT(r.balance, 1103);
}

static void
test_bad_input(void)
{
	struct replica r;
	int i;

	replica_init(&r, 0, 3, 1000);
	CHECK_EQ_INT(replica_update(&r, 1, 3, 1), -1);		/* no node 3 */
	CHECK_EQ_INT(replica_update(&r, 1, -1, 1), -1);
	CHECK_EQ_INT(replica_ack(&r, 1, 1, 31), -1);
	CHECK_EQ_INT(replica_ack(&r, 1, 99, 1), -1);
	CHECK_EQ_INT(r.queued, 0);
	for (i = 0; i < ORDER_MAX_UPDATES; i++)
		CHECK_EQ_INT(replica_ack(&r, 100 + i, 1, 2), 0);
	CHECK_EQ_INT(replica_ack(&r, 99, 1, 2), -1);		/* full */
	CHECK_EQ_INT(r.queued, ORDER_MAX_UPDATES);
	CHECK_EQ_INT(r.applied, 0);
}

int
main(void)
{
	test_random_interleavings();
	test_ack_before_update();
	test_bad_input();
	return unit_summary("test_total_order");
}
