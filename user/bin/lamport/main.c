/*
 * lamport: Lamport clocks across nodes (docs/protocol.md).
 *   lamport                    the clock now
 *   lamport tick               a local event, and its time
 *   lamport hb NODES COUNT [SEED]
 *       COUNT random events (local, send to a random node, receive) on
 *       each of nodes 0..NODES-1, each printed with its timestamp; the test
 *       checks that happened-before always means a smaller timestamp
 *   lamport order NODES UPDATES
 *       the textbook's replicated account: each node multicasts UPDATES
 *       updates (deposits on odd nodes, interest on even ones, which do
 *       not commute) and applies everyone's in the total order of
 *       (timestamp, node), once every node has acknowledged them.  Every
 *       replica ends with the same order and balance; applying them as
 *       they arrive instead would not.
 *   lamport example NODES g-first|f-first
 *       the textbook's two multicasts, (f,8,1) and (g,10,NODES-1), made to
 *       arrive in either order: every node delivers f first.
 * Each node runs the same command; they find each other by mailbox name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include <dist.h>
#include "order.h"

#define MAXN		ORDER_MAX_NODES
#define OPEN_WAIT_MS	30000

enum { M_DATA, M_DONE, M_UPDATE, M_ACK };

struct msg {
	int32_t	 kind;
	int32_t	 node;		/* sender */
	uint32_t ts;		/* its Lamport time when it sent this */
	int32_t	 seq;		/* hb: sender's event number; order: update value */
	uint32_t about_ts;	/* M_ACK: which update, (about_ts, about_node) */
	int32_t	 about_node;
};

static int me, nodes;
static int box;			/* our own mailbox */
static int peer[MAXN];		/* their mailboxes, by node */
static unsigned seed;
static int dones;		/* DONEs received: they may come early */

static unsigned
rnd(void)
{
	seed = seed * 1103515245 + 12345;
	return (seed >> 16) & 0x7fff;
}

/* Our mailbox, then everyone else's (they start when they start). */
static int
setup(const char *name)
{
	char full[MBOX_NAME_LEN];
	uint64_t deadline = uptime_us() + OPEN_WAIT_MS * 1000ULL;
	int k;

	if ((me = dist_node()) < 0 || nodes < 2 || nodes > MAXN || me >= nodes) {
		printf("lamport: need a network, 2..%d nodes, and to be one of them\n", MAXN);
		return -1;
	}
	if ((box = mbox_create(name, MBOX_UNBOUNDED)) < 0) {
		printf("lamport: create %s: %s\n", name, strerror(errno));
		return -1;
	}
	for (k = 0; k < nodes; k++) {
		if (k == me) {
			peer[k] = box;
			continue;
		}
		dist_name(full, sizeof(full), name, k);
		while ((peer[k] = mbox_open(full)) < 0) {
			if (uptime_us() > deadline) {
				printf("lamport: open %s: %s\n", full, strerror(errno));
				return -1;
			}
			msleep(50);
		}
	}
	return 0;
}

static int
post(int k, struct msg *m)
{
	if (mbox_send(peer[k], m, sizeof(*m), 0, 10000) < 0) {
		printf("lamport: send to node %d: %s\n", k, strerror(errno));
		return -1;
	}
	return 0;
}

/* m to every node but this one. */
static int
post_others(struct msg *m)
{
	int k;

	for (k = 0; k < nodes; k++)
		if (k != me && post(k, m) < 0)
			return -1;
	return 0;
}

/* Tell everyone we are finished, and wait until everyone has said so:
 * only then is nobody going to send to our mailbox any more.  fn sees
 * whatever else arrives meanwhile. */
static int
finish(int (*fn)(struct msg *))
{
	struct msg m;

	memset(&m, 0, sizeof(m));
	m.kind = M_DONE;
	m.node = me;
	if (post_others(&m) < 0)
		return -1;
	while (dones < nodes - 1) {
		if (mbox_receive(box, &m, sizeof(m), NULL, 0, 60000) != sizeof(m)) {
			printf("lamport: receive: %s\n", strerror(errno));
			return -1;
		}
		if (m.kind == M_DONE)
			dones++;
		else if (fn(&m) < 0)
			return -1;
	}
	return 0;
}

/* ---- happened-before: random events, each printed with its time ---- */

static int hb_events;

static int
hb_received(struct msg *m)
{
	printf("hb %d %d %u R %d %d\n", me, ++hb_events, (unsigned)lamport_tick(),
	    (int)m->node, (int)m->seq);
	return 0;
}

static int
happened_before(int count)
{
	struct msg m;
	int k, i;

	if (setup("HB") < 0)
		return 1;
	for (i = 0; i < count; i++) {
		switch (rnd() % 3) {
		case 0:
			printf("hb %d %d %u L\n", me, ++hb_events, (unsigned)lamport_tick());
			break;
		case 1:
			while ((k = (int)(rnd() % nodes)) == me)
				;
			memset(&m, 0, sizeof(m));
			m.kind = M_DATA;
			m.node = me;
			m.seq = ++hb_events;
			m.ts = lamport_tick();
			printf("hb %d %d %u S %d\n", me, m.seq, (unsigned)m.ts, k);
			if (post(k, &m) < 0)
				return 1;
			break;
		default:
			if (mbox_receive(box, &m, sizeof(m), NULL, IPC_NOWAIT, 0) == sizeof(m)) {
				if (m.kind == M_DONE)
					dones++;	/* it has finished; we have not */
				else
					hb_received(&m);
			} else {
				printf("hb %d %d %u L\n", me, ++hb_events, (unsigned)lamport_tick());
			}
		}
	}
	if (finish(hb_received) < 0)
		return 1;
	printf("hb %d done %d events\n", me, hb_events);
	return 0;
}

/* ---- total order: the replicated account (order.c) ---- */

static struct replica account;
static long naive = 1000;		/* the same updates in arrival order */
static uint32_t arrival_hash = 17;

/* What applying updates as they come would give, for comparison. */
static void
as_they_come(uint32_t ts, int node, int value)
{
	naive = account_apply(naive, node, value);
	arrival_hash = order_hash_step(arrival_hash, ts, node);
}

static void
print_applied(struct replica *r, const struct update *u)
{
	printf("order %d: deliver (%u,%d) %s%d -> %ld\n", me, (unsigned)u->ts,
	    u->node, u->node % 2 ? "+" : "%", u->value, r->balance);
}

static int
order_received(struct msg *m)
{
	struct msg ack;

	if (m->kind == M_ACK)
		return replica_ack(&account, m->about_ts, m->about_node, m->node);
	if (m->kind != M_UPDATE || m->node == me)
		return -1;
	as_they_come(m->ts, m->node, m->seq);
	memset(&ack, 0, sizeof(ack));
	ack.kind = M_ACK;
	ack.node = me;
	ack.ts = lamport_tick();
	ack.about_ts = m->ts;
	ack.about_node = m->node;
	/* To everyone, its sender included; the update itself stands for
	 * its sender's acknowledgement, and receiving it for ours. */
	if (post_others(&ack) < 0)
		return -1;
	return replica_update(&account, m->ts, m->node, m->seq);
}

/* Our update of value, stamped ts, as it goes to the others. */
static void
update_msg(struct msg *m, uint32_t ts, int value)
{
	memset(m, 0, sizeof(*m));
	m->kind = M_UPDATE;
	m->node = me;
	m->seq = value;
	m->ts = ts;
}

/* Stamp an update, queue it here, then send it to everyone else. */
static int
multicast(int value)
{
	struct msg m;

	update_msg(&m, lamport_tick(), value);
	printf("order %d: multicast (%u,%d)\n", me, (unsigned)m.ts, me);
	as_they_come(m.ts, me, value);
	if (replica_update(&account, m.ts, me, value) < 0)
		return -1;
	if (post_others(&m) < 0)
		return -1;
	return 0;
}

static int
total_order(int updates)
{
	struct msg m;
	int sent = 0;

	if (setup("ORDER") < 0)
		return 1;
	replica_init(&account, me, nodes, 1000);
	account.on_apply = print_applied;
	while (account.applied < updates * nodes) {
		/* Our queue holds what is not yet applied everywhere, from
		 * every node: let it drain before adding more, so that the
		 * three (or more) nodes' additions together stay in bounds. */
		if (sent < updates && rnd() % 2 == 0 &&
		    account.queued < ORDER_MAX_UPDATES / 8) {
			/* Interest of 1-3%: a thousand updates stay within
			 * a long, so every replica's arithmetic is defined. */
			if (multicast(me % 2 ? 10 * me + sent : 1 + (me + sent) % 3) < 0)
				return 1;
			sent++;
			continue;
		}
		if (mbox_receive(box, &m, sizeof(m), NULL, 0, sent < updates ? 20 : 60000) !=
		    sizeof(m)) {
			if (errno == ETIMEDOUT && sent < updates)
				continue;
			printf("lamport: receive: %s\n", strerror(errno));
			return 1;
		}
		if (m.kind == M_DONE)
			dones++;	/* it has everything; we wait for acks */
		else if (order_received(&m) < 0)
			return printf("lamport: bad or too many updates\n"), 1;
	}
	if (finish(order_received) < 0)
		return 1;
	printf("order %d: final balance %ld, order %08x; in arrival order it "
	    "would be %ld (%08x)\n", me, account.balance, (unsigned)account.order_hash,
	    naive, (unsigned)arrival_hash);
	return 0;
}

/* ---- the textbook's example: (f,8,1) before (g,10,4) everywhere ---- */

#define F_NODE		1
#define F_TS		8
#define G_TS		10

static int g_node;

static char
label(uint32_t ts, int node)
{
	return ts == F_TS && node == F_NODE ? 'f' : ts == G_TS && node == g_node ? 'g' : '?';
}

static void
print_example(struct replica *r, const struct update *u)
{
	printf("example %d: deliver (%c,%u,%d)\n", me, label(u->ts, u->node),
	    (unsigned)u->ts, u->node);
	(void)r;
}

/* Our own update: queued here when stamped, sent to everyone. */
static int
example_send(uint32_t ts)
{
	struct msg m;

	update_msg(&m, ts, 1);
	if (post_others(&m) < 0)
		return -1;
	printf("example %d: sent (%c,%u,%d)\n", me, label(ts, me), (unsigned)ts, me);
	return 0;
}

/*
 * f is stamped 8 by node 1 and g 10 by node NODES-1, the textbook's
 * stamps (given here, not read from the clock).  "g-first": node 1 stamps
 * f, then holds it until g has reached it: g arrives first there (and
 * mostly everywhere).  "f-first": node NODES-1 stamps g only after f has
 * reached it.  A node sends its own update before acknowledging anyone
 * else's, as the rule requires (order.c): its acknowledgement says all its
 * older updates are already on their way.  Every node must deliver f, then g.
 */
static int
example(const char *first)
{
	int g_first = strcmp(first, "g-first") == 0;
	uint32_t my_ts;
	int mine, sent = 0;
	struct msg m;

	if (setup("EXAMPLE") < 0)
		return 1;
	my_ts = me == F_NODE ? F_TS : G_TS;
	mine = me == F_NODE || me == g_node;
	replica_init(&account, me, nodes, 1000);
	account.on_apply = print_example;
	if (mine) {
		if (replica_update(&account, my_ts, me, 1) < 0)
			return 1;
		printf("example %d: stamp (%c,%u,%d)\n", me, label(my_ts, me),
		    (unsigned)my_ts, me);
		/* Who goes first sends now; the other waits for it. */
		if ((me == g_node) == g_first) {
			if (example_send(my_ts) < 0)
				return 1;
			sent = 1;
		}
	}
	while (account.applied < 2) {
		if (mbox_receive(box, &m, sizeof(m), NULL, 0, 60000) != sizeof(m)) {
			printf("lamport: receive: %s\n", strerror(errno));
			return 1;
		}
		if (m.kind == M_DONE) {
			dones++;
			continue;
		}
		if (m.kind == M_UPDATE)
			printf("example %d: arrive (%c,%u,%d)\n", me,
			    label(m.ts, m.node), (unsigned)m.ts, (int)m.node);
		if (mine && !sent && m.kind == M_UPDATE) {
			if (example_send(my_ts) < 0)
				return 1;
			sent = 1;
		}
		if (order_received(&m) < 0)
			return printf("lamport: bad update\n"), 1;
	}
	if (finish(order_received) < 0)
		return 1;
	printf("example %d: done\n", me);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 1) {
		printf("%u\n", (unsigned)lamport_time());
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "tick") == 0) {
		printf("%u\n", (unsigned)lamport_tick());
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "hb") == 0) {
		nodes = atoi(argv[2]);
		seed = (argc > 4 ? (unsigned)atoi(argv[4]) : 1) * 7919 + (unsigned)dist_node();
		return happened_before(atoi(argv[3]));
	}
	if (argc == 4 && strcmp(argv[1], "order") == 0) {
		nodes = atoi(argv[2]);
		seed = 12345u + (unsigned)dist_node() * 31;
		return total_order(atoi(argv[3]));
	}
	if (argc == 4 && strcmp(argv[1], "example") == 0) {
		nodes = atoi(argv[2]);
		g_node = nodes - 1;
		if (nodes < 3 || (strcmp(argv[3], "g-first") && strcmp(argv[3], "f-first")))
			return printf("lamport: example NODES(>=3) g-first|f-first\n"), 2;
		return example(argv[3]);
	}
	dprintf(2, "usage: lamport [tick] | lamport hb NODES COUNT [SEED] | "
	    "lamport order NODES UPDATES | lamport example NODES g-first|f-first\n");
	return 2;
}
