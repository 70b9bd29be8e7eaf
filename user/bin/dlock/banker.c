/*
 * The banker's algorithm across nodes, in node 0's lock server: a
 * transaction under policy "banker" declares its claim (every resource it
 * may lock, wherever it lives) and asks node 0 before each lock; node 0
 * grants only if every transaction could still finish in some order
 * (banker_request, deadlock.c), else the request waits here until a
 * release makes it safe.  Each resource is one unit; transactions are
 * named by their timestamps, 1..15.  Granted here, the lock at the
 * resource's own node is free: every holder under this policy went
 * through the banker.
 */
#include <string.h>
#include <brinch.h>
#include "dlock.h"

static struct banker bank = { .ntxn = DL_MAX, .nres = DLOCK_NRES };
static int ready;
static struct { int caller; struct dlock_req req; } queue[DL_MAX];
static int nqueue;

static void
init(void)
{
	int r;

	if (ready)
		return;
	for (r = 0; r < DLOCK_NRES; r++)
		bank.avail[r] = 1;
	ready = 1;
}

static int
try_grant(const struct dlock_req *q)
{
	int req[DL_MAX] = { 0 }, r, t = (int)q->ts;

	/* The claim is declared again with each request: the same one. */
	for (r = 0; r < DLOCK_NRES; r++)
		bank.max[t][r] = q->held >> r & 1;
	req[q->r] = 1;
	return banker_request(&bank, t, req);
}

static void
answer(int caller, int32_t a)
{
	reply(caller, &a, sizeof(a));
}

void
banker_call(int caller, const struct dlock_req *q)
{
	int i, verdict;

	init();
	if (q->ts >= DL_MAX || q->r < 0 || q->r >= DLOCK_NRES)
		return answer(caller, ANS_ERROR);
	if (q->op == OP_BANK_RELEASE) {
		banker_release(&bank, (int)q->ts);
		memset(bank.max[q->ts], 0, sizeof(bank.max[q->ts]));
		answer(caller, ANS_DONE);
		/* Waiting requests that are safe now go ahead, oldest first. */
		for (i = 0; i < nqueue; i++)
			if (try_grant(&queue[i].req) == 0) {
				answer(queue[i].caller, ANS_GRANTED);
				queue[i--] = queue[--nqueue];
			}
		return;
	}
	verdict = try_grant(q);
	if (verdict == 0)
		return answer(caller, ANS_GRANTED);
	if (verdict < 0 || nqueue == DL_MAX)
		return answer(caller, ANS_ERROR);	/* beyond its claim */
	dlock_stats.banker_waits++;
	queue[nqueue].caller = caller;
	queue[nqueue++].req = *q;
}
