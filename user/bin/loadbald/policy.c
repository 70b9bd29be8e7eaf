/*
 * loadbald's monitor, on the master node only: the latest report of each
 * node, what it knows of each job, and the balancing policy that turns
 * them into orders (docs/loadbal.md).  Reports and results arrive
 * through main.c's loop; orders leave for agent.c on the sources.
 */
#include <errno.h>
#include <string.h>
#include <brinch.h>
#include <dist.h>
#include <migrate.h>
#include "loadbald.h"

static struct nodestate {
	int		 used;
	struct lb_report report;
	uint32_t	 heard_ms;	/* our uptime when it came */
} nodes[LB_NODES];

static struct lb_job jobs[LB_JOBS];
static uint32_t jobs_seen[LB_JOBS];	/* when we last looked it up */
static int pending;			/* moves ordered, results not yet in */
static uint32_t pending_since, settle_from;

static struct nodestate *
node_slot(int n, int create)
{
	int i, free_slot = -1;

	for (i = 0; i < LB_NODES; i++) {
		if (nodes[i].used && nodes[i].report.hdr.node == n)
			return &nodes[i];
		if (!nodes[i].used && free_slot < 0)
			free_slot = i;
	}
	if (!create || free_slot < 0)
		return NULL;
	nodes[free_slot].used = 1;
	return &nodes[free_slot];
}

/* The job's entry, made if need be in a free slot or, when all are
 * taken, in the one no report has named for longest (a job long gone). */
static struct lb_job *
job(int gpid, const char *name)
{
	int i, victim = 0;

	for (i = 0; i < LB_JOBS; i++)
		if (jobs[i].gpid == gpid) {
			jobs_seen[i] = now_ms();
			return &jobs[i];
		}
	for (i = 0; i < LB_JOBS; i++) {
		if (jobs[i].gpid == 0) {
			victim = i;
			break;
		}
		if (jobs_seen[i] < jobs_seen[victim])
			victim = i;
	}
	memset(&jobs[victim], 0, sizeof(jobs[victim]));
	jobs[victim].gpid = gpid;
	jobs[victim].last_from = -1;
	strlcpy(jobs[victim].name, name, PROC_NAME_LEN);
	jobs_seen[victim] = now_ms();
	return &jobs[victim];
}

static int
live(const struct nodestate *s, uint32_t now)
{
	return s->used && now - s->heard_ms < LB_STALE_MS;
}

/* May job c of a node move to node `to`?  Not if it moved its share,
 * cannot move, is already in this round's plan, or just came from there. */
static int
movable(const struct lb_cand *c, int to, const struct lb_move *plan, int nplan)
{
	struct lb_job *j = job(c->gpid, c->name);
	int i;

	if (j->moves >= LB_MAX_MOVES || j->pinned || j->last_from == to)
		return 0;
	for (i = 0; i < nplan; i++)
		if (plan[i].gpid == c->gpid)
			return 0;
	return 1;
}

/* Send each source its part of the plan.  Our own part goes to our own
 * mailbox, by its id: opening "LOADBAL@<us>" would give that same id,
 * and closing it would destroy the mailbox (we own it).  A remote id
 * holds nothing, so it needs no close. */
static void
send_orders(const struct lb_move *plan, int nplan, const int *load_from, const int *load_to)
{
	struct lb_order o;
	int sent[LB_ORDER_MAX] = { 0 };
	int i, k, src, id;

	for (i = 0; i < nplan; i++) {
		if (sent[i])
			continue;
		src = plan[i].from;
		memset(&o, 0, sizeof(o));
		hdr_init(&o.hdr, LB_ORDER, sizeof(o));
		for (k = i; k < nplan; k++)
			if (plan[k].from == src)
				o.move[o.nmoves++] = plan[k];
		id = src == node ? mbox : open_loadbal(src);
		if (id >= 0 && mbox_send(id, &o, sizeof(o), 0, LB_PERIOD_MS) < 0)
			id = -1;
		for (k = i; k < nplan; k++) {
			if (plan[k].from != src)
				continue;
			sent[k] = 1;
			if (id >= 0) {
				log_event(&plan[k], load_from[k], load_to[k], LB_PENDING);
				pending++;
			}
		}
	}
	if (pending)
		pending_since = now_ms();
}

/*
 * One look at the table.  Plan moves from the busiest live node to the
 * idlest, one at a time, counting each planned move in both loads, until
 * they are within LB_THRESHOLD - 1: (6, 0, 0) becomes (2, 2, 2) in four
 * moves ordered at once, instead of one move per settling period.
 */
void
decide(void)
{
	struct lb_move plan[LB_ORDER_MAX];
	int load[LB_NODES], dry[LB_NODES], pfrom[LB_ORDER_MAX], pto[LB_ORDER_MAX];
	int nplan = 0, nlive = 0, i, k, hi, lo, src, dst;
	uint32_t now = now_ms();
	struct lb_report *r;

	if (pending) {
		if (now - pending_since < LB_ORDER_MS)
			return;
		for (i = 0; i < LB_LOG && i < nevents; i++)
			if (events[i].result == LB_PENDING)
				events[i].result = ETIMEDOUT;
		pending = 0;
		settle_from = now;
	}
	for (i = 0; i < LB_NODES; i++) {
		dry[i] = 0;
		load[i] = nodes[i].report.load;
		if (!live(&nodes[i], now))
			continue;
		/* Every node must have spoken since the last move settled. */
		if (settle_from && (int32_t)(nodes[i].heard_ms - settle_from) < LB_SETTLE_MS)
			return;
		nlive++;
	}
	if (nlive < 2)
		return;
	while (nplan < LB_ORDER_MAX) {
		hi = lo = -1;
		for (i = 0; i < LB_NODES; i++) {
			if (!live(&nodes[i], now))
				continue;
			if (!dry[i] && (hi < 0 || load[i] > load[hi]))
				hi = i;
			if (lo < 0 || load[i] < load[lo])
				lo = i;
		}
		if (hi < 0 || load[hi] - load[lo] < LB_THRESHOLD)
			break;
		r = &nodes[hi].report;
		src = r->hdr.node;
		dst = nodes[lo].report.hdr.node;
		for (k = 0; k < r->ncand; k++)
			if (movable(&r->cand[k], dst, plan, nplan))
				break;
		if (k == r->ncand) {
			dry[hi] = 1;	/* nothing there can go: try the next busiest */
			continue;
		}
		plan[nplan].pid = r->cand[k].pid;
		plan[nplan].gpid = r->cand[k].gpid;
		plan[nplan].from = src;
		plan[nplan].to = dst;
		plan[nplan].moves = job(r->cand[k].gpid, r->cand[k].name)->moves;
		strlcpy(plan[nplan].name, r->cand[k].name, PROC_NAME_LEN);
		pfrom[nplan] = load[hi];
		pto[nplan] = load[lo];
		nplan++;
		load[hi]--;
		load[lo]++;
	}
	if (nplan)
		send_orders(plan, nplan, pfrom, pto);
}

void
on_report(const struct lb_report *r)
{
	struct nodestate *s = node_slot(r->hdr.node, 1);

	if (!s)
		return;
	s->report = *r;
	s->heard_ms = now_ms();
}

void
on_result(const struct lb_result *r)
{
	struct lb_job *j = job(r->move.gpid, r->move.name);
	int i;

	for (i = 0; i < LB_LOG && i < nevents; i++) {
		struct lb_event *e = &events[i];

		if (e->result == LB_PENDING && e->move.gpid == r->move.gpid) {
			e->result = r->result;
			e->why = r->why;
			e->ms = r->ms;
			break;
		}
	}
	if (r->result == 0) {
		j->moves++;
		j->last_from = r->move.from;
		moves_ok++;
	} else {
		moves_failed++;
		if (r->result == EBUSY)
			j->pinned = r->why ? r->why : MIG_WHY_SYSTEM;
	}
	if (pending > 0 && --pending == 0)
		settle_from = now_ms();
}

/* The master's part of a status: each node's latest report, and the jobs
 * that moved or were found unable to. */
void
monitor_status(struct lb_status *st, uint32_t now)
{
	int i;

	for (i = 0; i < LB_NODES; i++)
		if (nodes[i].used)
			status_node(st, nodes[i].report.hdr.node, &nodes[i].report,
			    now - nodes[i].heard_ms);
	for (i = 0; i < LB_JOBS; i++)
		if (jobs[i].gpid && (jobs[i].moves || jobs[i].pinned))
			st->jobs[st->njobs++] = jobs[i];
}
