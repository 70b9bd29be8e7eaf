/*
 * `dlock serve`: one node's lock server.  It owns resources r with
 * r % NODES == this node; a LOCK is answered at once (granted, or die,
 * or out of order) or later, when the resource comes to the caller; the
 * waiters of a resource are kept oldest first, and the oldest gets it.
 * Wound-wait: an older requester wounds the holder, and this server tells
 * every server (OP_WOUND) so that the wounded transaction, wherever it
 * waits, is answered WOUNDED and rolls back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <brinch.h>
#include <dist.h>
#include "dlock.h"

#define MAXWAIT		32

struct waiter {
	int	 caller;		/* pid to reply() to */
	struct dlock_req req;
};

struct resource {
	int	 held;
	uint32_t ts, attempt;		/* the holder */
	struct waiter wait[MAXWAIT];	/* oldest first */
	int	 nwait;
};

static struct resource res[DLOCK_NRES];
static int nodes, me;
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

static void
wound_everywhere(uint32_t ts, uint32_t attempt)
{
	struct dlock_req w = { OP_WOUND, 0, ts, attempt, -1, 0 };
	char name[MBOX_NAME_LEN];
	int k;

	wound_here(ts, attempt);
	for (k = 0; k < nodes; k++) {
		if (k == me)
			continue;
		if (server[k] < 0 && (server[k] = mbox_open(dist_name(name, sizeof(name),
		    "LOCK", k))) < 0)
			continue;
		mbox_send(server[k], &w, sizeof(w), 0, 10000);
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
		wound_everywhere(x->ts, x->attempt);
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

int
dlock_serve(int n)
{
	struct dlock_req q;
	struct msg_info info;
	int box, k;

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
		if (mbox_receive(box, &q, sizeof(q), &info, 0, 0) != sizeof(q))
			continue;		/* not ours: ignore it */
		if (q.op == OP_WOUND && !(info.flags & MSG_CALL)) {
			wound_here(q.ts, q.attempt);
			continue;
		}
		if (!(info.flags & MSG_CALL))
			continue;
		if (q.op == OP_LOCK && q.r >= 0 && q.r < DLOCK_NRES && q.r % nodes == me)
			lock(info.sender, &q);
		else if (q.op == OP_UNLOCK_ALL)
			unlock_all(info.sender, &q);
		else if (q.op == OP_CHECK)
			answer(info.sender, is_wounded(q.ts, q.attempt) ? ANS_WOUNDED : ANS_GRANTED);
		else
			answer(info.sender, ANS_ERROR);
	}
}
