/*
 * Deadlock detection for `dlock serve` (docs/deadlock.md), both of the
 * chapter's ways; either way the youngest transaction of a cycle is
 * aborted (wounded: it rolls back and restarts with its old timestamp).
 *  - central: node 0's server asks every server for its wait-for edges,
 *    unites them, and on a cycle asks again: a cycle whose edges are not
 *    all still there was a phantom (made of reports of different moments).
 *  - Chandy-Misra-Haas: a transaction waiting long sends a probe along
 *    its wait-for edges, every server forwarding it along the edges of the
 *    transaction it names; a probe that reaches its initiator, still
 *    waiting, has gone round a cycle.  It also carries the youngest
 *    transaction it met, which is the one aborted.
 * Transactions are named by their timestamps, 1..15 here.
 */
#include <string.h>
#include "dlock.h"

/* Every server's edges (POL_DETECT waiters) as one graph per node. */
static int
fetch(struct wfg local[], uint32_t attempt[DL_MAX])
{
	struct dlock_graph g;
	struct dlock_req q;
	int k, i;

	memset(local, 0, dlock_nodes * sizeof(local[0]));
	for (k = 0; k < dlock_nodes; k++) {
		if (k == dlock_me) {
			g.n = server_edges(g.e, DLOCK_MAX_EDGES, POL_DETECT);
		} else {
			memset(&q, 0, sizeof(q));
			q.op = OP_GRAPH;
			if (server_call(k, &q, &g, sizeof(g)) != sizeof(g))
				return -1;
		}
		for (i = 0; i < g.n && i < DLOCK_MAX_EDGES; i++) {
			struct dlock_edge *e = &g.e[i];

			if (e->wts >= DL_MAX || e->hts >= DL_MAX)
				continue;
			local[k].waits[e->wts] |= 1u << e->hts;
			local[k].ts[e->wts] = e->wts;
			local[k].ts[e->hts] = e->hts;
			attempt[e->wts] = e->watt;
		}
	}
	return 0;
}

void
detect_central(void)
{
	struct wfg local[DL_MAX], now[DL_MAX], global;
	uint32_t attempt[DL_MAX], attempt_now[DL_MAX], members;
	int victim;

	if (fetch(local, attempt) < 0)
		return;
	memset(&global, 0, sizeof(global));
	wfg_union(&global, local, dlock_nodes);
	if (!wfg_cycle(&global, &members))
		return;
	victim = wfg_victim(&global, members);
	if (fetch(now, attempt_now) < 0)
		return;
	if (!wfg_confirm(members, &global, now, dlock_nodes) ||
	    attempt[victim] != attempt_now[victim]) {
		dlock_stats.phantoms++;
		return;
	}
	dlock_stats.central_cycles++;
	server_wound((uint32_t)victim, attempt_now[victim]);
}

/* Probes already passed on: (which probe, the transaction it went to). */
#define SEEN_MAX	128
static struct dlock_req seen[SEEN_MAX];
static int nseen, seen_next;
static uint32_t probes_started;

static int
passed_on(const struct dlock_req *p)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen[i].probe_id == p->probe_id && seen[i].ts == p->ts &&
		    seen[i].attempt == p->attempt)
			return 1;
	seen[seen_next] = *p;
	seen_next = (seen_next + 1) % SEEN_MAX;
	if (nseen < SEEN_MAX)
		nseen++;
	return 0;
}

/* Send probe p to every server (the one where its transaction waits
 * will act on it), this one included. */
static void
probe_out(struct dlock_req *p)
{
	if (passed_on(p))
		return;
	dlock_stats.probes++;
	server_send_all(p);
	detect_probe(p);
}

/* Pass probe p on along the edges of the transaction it names (e). */
static void
chase(const struct dlock_req *p, const struct dlock_edge *e, int n)
{
	struct dlock_req next;
	int i;

	for (i = 0; i < n; i++) {
		next = *p;
		next.ts = e[i].hts;
		next.attempt = e[i].hatt;
		if (e[i].hts > next.young_ts) {		/* younger */
			next.young_ts = e[i].hts;
			next.young_attempt = e[i].hatt;
		}
		probe_out(&next);
	}
}

void
detect_probe(const struct dlock_req *p)
{
	struct dlock_edge e[DLOCK_MAX_EDGES];
	int n;

	/* Does the transaction it names wait here, and for whom? */
	n = server_waits_for(p->ts, p->attempt, e, DLOCK_MAX_EDGES);
	if (n == 0)
		return;
	if (p->ts == p->init_ts && p->attempt == p->init_attempt) {
		dlock_stats.cmh_cycles++;
		server_wound(p->young_ts, p->young_attempt);
		return;
	}
	chase(p, e, n);
}

/* The first probe of a waiter: along its own edges. */
void
detect_first_probe(const struct dlock_req *waiter)
{
	struct dlock_edge e[DLOCK_MAX_EDGES];
	struct dlock_req p = *waiter;

	p.op = OP_PROBE;
	p.probe_id = (uint32_t)dlock_me << 24 | (++probes_started & 0xffffff);
	p.init_ts = p.young_ts = waiter->ts;
	p.init_attempt = p.young_attempt = waiter->attempt;
	chase(&p, e, server_waits_for(p.ts, p.attempt, e, DLOCK_MAX_EDGES));
}
