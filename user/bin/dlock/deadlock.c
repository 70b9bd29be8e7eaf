/*
 * Distributed deadlock handling's decisions (deadlock.h): pure functions,
 * run by the host's unit test over simulated nodes.
 */
#include <string.h>
#include "deadlock.h"

enum dl_verdict
dl_ordered(uint32_t held, int r)
{
	/* Any resource numbered r or more already held: out of order. */
	return held >> r ? DL_REFUSE : DL_GRANT;
}

enum dl_verdict
dl_wait_die(uint32_t req_ts, uint32_t holder_ts)
{
	/* LAB dlock: BEGIN wait_die */
	return req_ts < holder_ts ? DL_WAIT : DL_DIE;
	/* LAB dlock: END wait_die */
}

enum dl_verdict
dl_wound_wait(uint32_t req_ts, uint32_t holder_ts)
{
	/* LAB dlock: BEGIN wound_wait */
	return req_ts < holder_ts ? DL_WOUND : DL_WAIT;
	/* LAB dlock: END wound_wait */
}

/* Can every transaction finish in some order, each getting its whole
 * claim from what the others give back? */
int
banker_safe(const struct banker *b)
{
	int work[DL_MAX], done[DL_MAX] = { 0 };
	int t, r, progress = 1, finished = 0;

	memcpy(work, b->avail, sizeof(work));
	while (progress) {
		progress = 0;
		for (t = 0; t < b->ntxn; t++) {
			if (done[t])
				continue;
			for (r = 0; r < b->nres; r++)
				if (b->max[t][r] - b->alloc[t][r] > work[r])
					break;
			if (r < b->nres)
				continue;
			for (r = 0; r < b->nres; r++)
				work[r] += b->alloc[t][r];
			done[t] = 1;
			finished++;
			progress = 1;
		}
	}
	return finished == b->ntxn;
}

int
banker_request(struct banker *b, int t, const int req[])
{
	int r;

	for (r = 0; r < b->nres; r++)
		if (b->alloc[t][r] + req[r] > b->max[t][r])
			return -1;
	for (r = 0; r < b->nres; r++)
		if (req[r] > b->avail[r])
			return DL_WAIT;
	for (r = 0; r < b->nres; r++) {
		b->avail[r] -= req[r];
		b->alloc[t][r] += req[r];
	}
	if (banker_safe(b))
		return 0;
	for (r = 0; r < b->nres; r++) {		/* pretend it never happened */
		b->avail[r] += req[r];
		b->alloc[t][r] -= req[r];
	}
	return DL_WAIT;
}

void
banker_release(struct banker *b, int t)
{
	int r;

	for (r = 0; r < b->nres; r++) {
		b->avail[r] += b->alloc[t][r];
		b->alloc[t][r] = 0;
	}
}

/* Depth-first search from each transaction; a grey node met again closes
 * a cycle, whose members are the grey path from it. */
static int
dfs(const struct wfg *g, int i, int colour[], int path[], int depth, uint32_t *members)
{
	int j, k;

	colour[i] = 1;
	path[depth] = i;
	for (j = 0; j < DL_MAX; j++) {
		if (!(g->waits[i] & 1u << j))
			continue;
		if (colour[j] == 1) {
			*members = 0;
			for (k = depth; k >= 0; k--) {
				*members |= 1u << path[k];
				if (path[k] == j)
					break;
			}
			return 1;
		}
		if (colour[j] == 0 && dfs(g, j, colour, path, depth + 1, members))
			return 1;
	}
	colour[i] = 2;
	return 0;
}

int
wfg_cycle(const struct wfg *g, uint32_t *members)
{
	int colour[DL_MAX] = { 0 }, path[DL_MAX + 1], i;

	for (i = 0; i < DL_MAX; i++)
		if (colour[i] == 0 && dfs(g, i, colour, path, 0, members))
			return 1;
	return 0;
}

int
wfg_victim(const struct wfg *g, uint32_t members)
{
	int i, victim = -1;

	for (i = 0; i < DL_MAX; i++)
		if ((members & 1u << i) && (victim < 0 || g->ts[i] >= g->ts[victim]))
			victim = i;
	return victim;
}

void
wfg_union(struct wfg *global, const struct wfg *local, int nlocal)
{
	int n, i;

	memset(global->waits, 0, sizeof(global->waits));
	for (n = 0; n < nlocal; n++)
		for (i = 0; i < DL_MAX; i++) {
			global->waits[i] |= local[n].waits[i];
			if (local[n].ts[i])
				global->ts[i] = local[n].ts[i];
		}
}

int
wfg_confirm(uint32_t members, const struct wfg *global, const struct wfg *now, int nnow)
{
	struct wfg current;
	int i;

	memset(&current, 0, sizeof(current));
	wfg_union(&current, now, nnow);
	for (i = 0; i < DL_MAX; i++)
		if ((members & 1u << i) &&
		    (global->waits[i] & members & ~current.waits[i]))
			return 0;	/* an edge of the cycle is gone: phantom */
	return 1;
}

static int
forward(const struct wfg *g, int initiator, int at, uint32_t sent[DL_MAX],
    struct cmh_probe out[])
{
	int j, n = 0;

	for (j = 0; j < DL_MAX; j++)
		if ((g->waits[at] & 1u << j) && !(sent[initiator] & 1u << j)) {
			sent[initiator] |= 1u << j;
			out[n].initiator = initiator;
			out[n].from = at;
			out[n++].to = j;
		}
	return n;
}

int
cmh_start(const struct wfg *g, int initiator, uint32_t sent[DL_MAX], struct cmh_probe out[])
{
	return forward(g, initiator, initiator, sent, out);
}

int
cmh_receive(const struct wfg *g, const struct cmh_probe *p, uint32_t sent[DL_MAX],
    struct cmh_probe out[], int *nout)
{
	*nout = 0;
	if (p->to < 0 || p->to >= DL_MAX || !g->waits[p->to])
		return 0;		/* not blocked: the chain ends here */
	if (p->to == p->initiator)
		return 1;
	*nout = forward(g, p->initiator, p->to, sent, out);
	return 0;
}
