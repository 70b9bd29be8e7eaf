/*
 * `dlock serve`: one node's lock server.  It owns resources r with
 * r % NODES == this node; a LOCK is answered at once (granted, or die,
 * or out of order) or later, when the resource comes to the caller; the
 * waiters of a resource are kept oldest first, and the oldest gets it.
 * Wound-wait: an older requester wounds the holder, and this server tells
 * every server (OP_WOUND) so that the wounded transaction, wherever it
 * waits, is answered WOUNDED and rolls back.  Under detection (detect.c)
 * requests just wait, and an abort of a cycle's youngest travels the same
 * way as a wound.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <brinch.h>
#include <dist.h>
#include "dlock.h"

#define MAXWAIT		32
#define DETECT_MS	200	/* how often to look for deadlock */

struct waiter {
	int	 caller;		/* pid to reply() to */
	struct dlock_req req;
	uint64_t since;			/* uptime_us when it began to wait */
	uint64_t probed;		/* uptime_us of its latest probe, or 0 */
};

struct resource {
	int	 held;
	uint32_t ts, attempt;		/* the holder */
	struct waiter wait[MAXWAIT];	/* oldest first */
	int	 nwait;
};

static struct resource res[DLOCK_NRES];
#define nodes	dlock_nodes
#define me	dlock_me
int dlock_nodes, dlock_me;
struct dlock_stat dlock_stats;
static int server[DL_MAX];		/* LOCK@k, opened when needed */
static struct { uint32_t ts, attempt; } wounded[MAXWAIT];
static int nwounded;

static void
answer(int caller, int32_t a)
{
	if (reply(caller, &a, sizeof(a)) < 0)
		printf("dlock serve: reply to %d: %s\n", caller, strerror(errno));
}

static int
is_wounded(uint32_t ts, uint32_t attempt)
{
	int i;

	for (i = 0; i < nwounded; i++)
		if (wounded[i].ts == ts && wounded[i].attempt == attempt)
			return 1;
	return 0;
}

/* Wounds of the transaction's earlier attempts are history. */
static void
forget_older_wounds(uint32_t ts, uint32_t attempt)
{
	int i;

	for (i = 0; i < nwounded; i++)
		if (wounded[i].ts == ts && wounded[i].attempt < attempt)
			wounded[i--] = wounded[--nwounded];
}

/* A wounded transaction waiting here is answered now. */
static void
wound_here(uint32_t ts, uint32_t attempt)
{
	int r, i;

	if (!is_wounded(ts, attempt) && nwounded < MAXWAIT) {
		wounded[nwounded].ts = ts;
		wounded[nwounded++].attempt = attempt;
	}
	for (r = 0; r < DLOCK_NRES; r++)
		for (i = 0; i < res[r].nwait; i++)
			if (res[r].wait[i].req.ts == ts && res[r].wait[i].req.attempt == attempt) {
				answer(res[r].wait[i].caller, ANS_WOUNDED);
				memmove(&res[r].wait[i], &res[r].wait[i + 1],
				    (--res[r].nwait - i) * sizeof(res[r].wait[0]));
				i--;
			}
}

static int
open_server(int k)
{
	char name[MBOX_NAME_LEN];

	if (server[k] < 0)
		server[k] = mbox_open(dist_name(name, sizeof(name), "LOCK", k));
	return server[k];
}

void
server_send_all(struct dlock_req *q)
{
	int k;

	for (k = 0; k < nodes; k++)
		if (k != me && open_server(k) >= 0)
			mbox_send(server[k], q, sizeof(*q), 0, 10000);
}

int
server_call(int node, struct dlock_req *q, void *reply, int max)
{
	if (open_server(node) < 0)
		return -1;
	return mbox_call(server[node], q, sizeof(*q), reply, max, 10000);
}

/* Wound (or abort) txn's attempt here and at every other server. */
void
server_wound(uint32_t ts, uint32_t attempt)
{
	struct dlock_req w;

	memset(&w, 0, sizeof(w));
	w.op = OP_WOUND;
	w.ts = ts;
	w.attempt = attempt;
	wound_here(ts, attempt);
	server_send_all(&w);
}

/* This node's wait-for edges of waiters under `policy` (-1: all). */
int
server_edges(struct dlock_edge *out, int max, int policy)
{
	int r, i, n = 0;

	for (r = 0; r < DLOCK_NRES; r++)
		for (i = 0; i < res[r].nwait && n < max; i++) {
			if (policy >= 0 && res[r].wait[i].req.policy != policy)
				continue;
			out[n].wts = res[r].wait[i].req.ts;
			out[n].watt = res[r].wait[i].req.attempt;
			out[n].hts = res[r].ts;
			out[n++].hatt = res[r].attempt;
		}
	return n;
}

/* What txn (ts, attempt) waits for here: its edges. */
int
server_waits_for(uint32_t ts, uint32_t attempt, struct dlock_edge *out, int max)
{
	struct dlock_edge all[DLOCK_MAX_EDGES];
	int i, n = server_edges(all, DLOCK_MAX_EDGES, -1), k = 0;

	for (i = 0; i < n && k < max; i++)
		if (all[i].wts == ts && all[i].watt == attempt)
			out[k++] = all[i];
	return k;
}

/* Edge chasing starts for waiters that have waited this long, and again
 * as long as they wait (what they wait for may change meanwhile). */
#define PROBE_AFTER_US	300000ULL
#define REPROBE_US	1000000ULL

void
detect_start_probes(void)
{
	int r, i;

	for (r = 0; r < DLOCK_NRES; r++)
		for (i = 0; i < res[r].nwait; i++) {
			struct waiter *w = &res[r].wait[i];

			if (w->req.policy != POL_CMH ||
			    uptime_us() - w->since < PROBE_AFTER_US ||
			    (w->probed && uptime_us() - w->probed < REPROBE_US))
				continue;
			w->probed = uptime_us();
			detect_first_probe(&w->req);
		}
}

/* Give r to its oldest waiter; under wait-die the younger rest die. */
static void
hand_on(int r)
{
	struct resource *x = &res[r];
	struct waiter w;

	x->held = 0;
	if (x->nwait == 0)
		return;
	w = x->wait[0];
	memmove(&x->wait[0], &x->wait[1], --x->nwait * sizeof(x->wait[0]));
	x->held = 1;
	x->ts = w.req.ts;
	x->attempt = w.req.attempt;
	answer(w.caller, ANS_GRANTED);
	while (w.req.policy == POL_WAIT_DIE && x->nwait > 0) {
		answer(x->wait[0].caller, ANS_DIE);
		memmove(&x->wait[0], &x->wait[1], --x->nwait * sizeof(x->wait[0]));
	}
}

static void
enqueue(struct resource *x, int caller, const struct dlock_req *q)
{
	int i = 0;

	if (x->nwait == MAXWAIT) {
		answer(caller, ANS_ERROR);
		return;
	}
	while (i < x->nwait && x->wait[i].req.ts < q->ts)
		i++;
	memmove(&x->wait[i + 1], &x->wait[i], (x->nwait - i) * sizeof(x->wait[0]));
	x->wait[i].caller = caller;
	x->wait[i].req = *q;
	x->wait[i].since = uptime_us();
	x->wait[i].probed = 0;
	x->nwait++;
}

static void
lock(int caller, const struct dlock_req *q)
{
	struct resource *x = &res[q->r];
	enum dl_verdict v = DL_WAIT;

	forget_older_wounds(q->ts, q->attempt);
	if (is_wounded(q->ts, q->attempt))
		return answer(caller, ANS_WOUNDED);
	if (q->policy == POL_ORDER && dl_ordered(q->held, q->r) == DL_REFUSE)
		return answer(caller, ANS_EDEADLK);
	if (!x->held) {
		x->held = 1;
		x->ts = q->ts;
		x->attempt = q->attempt;
		return answer(caller, ANS_GRANTED);
	}
	if (q->policy == POL_WAIT_DIE)
		v = dl_wait_die(q->ts, x->ts);
	else if (q->policy == POL_WOUND_WAIT)
		v = dl_wound_wait(q->ts, x->ts);
	if (v == DL_DIE)
		return answer(caller, ANS_DIE);
	enqueue(x, caller, q);
	if (v == DL_WOUND)
		server_wound(x->ts, x->attempt);
}

static void
unlock_all(int caller, const struct dlock_req *q)
{
	int r;

	for (r = 0; r < DLOCK_NRES; r++)
		if (res[r].held && res[r].ts == q->ts)
			hand_on(r);
	forget_older_wounds(q->ts, q->attempt + 1);
	answer(caller, ANS_DONE);
}

static void
serve_call(int caller, struct dlock_req *q)
{
	struct dlock_graph g;

	if (q->op == OP_LOCK && q->r >= 0 && q->r < DLOCK_NRES && q->r % nodes == me)
		lock(caller, q);
	else if (q->op == OP_UNLOCK_ALL)
		unlock_all(caller, q);
	else if (q->op == OP_CHECK)
		answer(caller, is_wounded(q->ts, q->attempt) ? ANS_WOUNDED : ANS_GRANTED);
	else if (q->op == OP_GRAPH) {
		g.n = server_edges(g.e, DLOCK_MAX_EDGES, POL_DETECT);
		reply(caller, &g, sizeof(g));
	} else if ((q->op == OP_BANK_REQ || q->op == OP_BANK_RELEASE) && me == 0)
		banker_call(caller, q);
	else if (q->op == OP_STAT)
		reply(caller, &dlock_stats, sizeof(dlock_stats));
	else
		answer(caller, ANS_ERROR);
}

/* coordinator: node 0 also builds the global wait-for graph. */
int
dlock_serve(int n, int coordinator)
{
	struct dlock_req q;
	struct msg_info info;
	uint64_t last = 0;
	int box, k, got;

	nodes = n;
	if ((me = dist_node()) < 0 || nodes < 1 || nodes > DL_MAX || me >= nodes) {
		printf("dlock serve: need a network and to be one of %d nodes\n", nodes);
		return 1;
	}
	for (k = 0; k < DL_MAX; k++)
		server[k] = -1;
	if ((box = mbox_create("LOCK", MBOX_UNBOUNDED)) < 0) {
		printf("dlock serve: create LOCK: %s\n", strerror(errno));
		return 1;
	}
	printf("dlock: serving resources r %% %d == %d\n", nodes, me);
	for (;;) {
		got = mbox_receive(box, &q, sizeof(q), &info, 0, DETECT_MS);
		if (uptime_us() - last > DETECT_MS * 1000ULL) {
			last = uptime_us();
			detect_start_probes();
			if (coordinator)
				detect_central();
		}
		if (got != sizeof(q))
			continue;		/* a timeout, or not ours */
		if (!(info.flags & MSG_CALL)) {
			if (q.op == OP_WOUND)
				wound_here(q.ts, q.attempt);
			else if (q.op == OP_PROBE)
				detect_probe(&q);
			continue;
		}
		serve_call(info.sender, &q);
	}
}
