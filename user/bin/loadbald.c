/*
 * loadbald: the load balancer's daemon (docs/loadbal.md), started by init
 * on every node when the kernel command line holds `loadbal` (master node
 * 0) or `loadbal=N` (master node N).  `loadbald MASTER`.
 *
 * On every node it is an agent: every LB_PERIOD_MS it counts the node's
 * runnable processes and the CPU-bound ones among them, reports that to
 * LOADBAL@MASTER, and carries out the moves the master orders, with
 * migrate().  On the master node it is also the monitor: it keeps the
 * latest report of each node and, when the busiest node has LB_THRESHOLD
 * more runnable processes than the idlest, orders moves from one to the
 * other until the counts are within one.  The `loadbal` command asks
 * either for what it knows.
 *
 * Nothing ping-pongs: moves need a difference of two (a difference of
 * one would only swap the nodes), no decision is taken until every node
 * has reported again after the last move (LB_SETTLE_MS), a job never
 * goes back to the node it last left, and no job moves more than
 * LB_MAX_MOVES times.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dist.h>
#include <loadbal.h>
#include <migrate.h>
#include <sched.h>

#define MAXPROCS	64

static int node, master, self;
static int mbox;			/* our LOADBAL */
static int master_mbox = -1;		/* LOADBAL@master, once it exists */

/* The log: decisions on the master, moves carried out on an agent. */
static struct lb_event events[LB_LOG];
static int nevents;			/* ever logged; the ring holds the last LB_LOG */
static uint32_t moves_ok, moves_failed;

static void on_result(const struct lb_result *r);

static uint32_t
now_ms(void)
{
	return (uint32_t)(uptime_us() / 1000);
}

static struct lb_event *
log_event(const struct lb_move *m, int load_from, int load_to, int result)
{
	struct lb_event *e = &events[nevents++ % LB_LOG];

	memset(e, 0, sizeof(*e));
	e->t_ms = now_ms();
	e->move = *m;
	e->load_from = load_from;
	e->load_to = load_to;
	e->result = result;
	return e;
}

/* A message we send or check: the header says what, who and how long. */
static void
hdr_init(struct lb_hdr *h, int type, uint32_t len)
{
	h->magic = LB_MAGIC;
	h->type = type;
	h->node = node;
	h->len = len;
}

/* Send to the master's mailbox, opening it first; it may not exist yet
 * while the master boots, and may be gone if the master rebooted. */
static int
to_master(const void *msg, uint32_t len)
{
	char name[MBOX_NAME_LEN];

	if (master_mbox < 0 &&
	    (master_mbox = mbox_open(dist_name(name, sizeof(name), LB_MBOX, master))) < 0)
		return -1;
	if (mbox_send(master_mbox, msg, len, 0, LB_PERIOD_MS) < 0) {
		if (errno != ETIMEDOUT)
			master_mbox = -1;	/* reopen next time */
		return -1;
	}
	return 0;
}

/* ---- the agent: sampling ------------------------------------------------- */

/* A job's name that survives moves: its pid at home, as a global pid. */
static int
gpid_of(const struct proc_info *p)
{
	return p->home >= 0 ? DIST_PID(p->home, p->home_pid) : DIST_PID(node, p->pid);
}

/* Never moved: init, ourselves, and what init started at home (the
 * daemons own sockets and mailboxes; the shell serves the console).  A
 * process that arrived from elsewhere counts as a job whatever its
 * parent here, since its parent is at home. */
static int
is_system(const struct proc_info *p)
{
	return p->pid <= 1 || p->pid == self || (p->home < 0 && p->ppid <= 1);
}

static int
runnable(const struct proc_info *p)
{
	return p->state == PSTATE_READY || p->state == PSTATE_RUNNING;
}

/* Ticks each process had at the last sample, to see who ran since; a
 * pid is matched with its start tick so a reused pid starts afresh. */
static struct seen {
	int32_t  pid;
	uint32_t start_tick, ticks;
} seen[MAXPROCS];
static int nseen;
static uint32_t seen_tick;		/* uptime ticks at that sample */
static struct lb_report last_report;	/* for queries on an agent */

static int
ticks_before(const struct proc_info *p)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen[i].pid == p->pid && seen[i].start_tick == p->start_tick)
			return (int)seen[i].ticks;
	/* Started here since the last sample: every tick it has, it ran in
	 * this period, and a job found busy one period sooner is moved one
	 * period sooner.  One that arrived from elsewhere (its start tick
	 * is its arrival) brings the ticks of its whole life: unknown until
	 * the next sample, which also keeps it where it landed for a while. */
	if (nseen && p->home < 0 && (int32_t)(p->start_tick - seen_tick) >= 0)
		return 0;
	return -1;
}

static void
sample(struct lb_report *r)
{
	static struct proc_info procs[MAXPROCS];
	static struct seen next[MAXPROCS];
	uint32_t tick = (uint32_t)uptime(NULL), busy = 0, elapsed;
	int n, i, j, before;

	memset(r, 0, sizeof(*r));
	hdr_init(&r->hdr, LB_REPORT, sizeof(*r));
	if ((n = ps(procs, MAXPROCS)) < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		struct proc_info *p = &procs[i];
		uint32_t t = p->user_ticks + p->sys_ticks;

		next[i].pid = p->pid;
		next[i].start_tick = p->start_tick;
		next[i].ticks = t;
		if ((before = ticks_before(p)) >= 0)
			busy += t - (uint32_t)before;
		if (!runnable(p) || p->pid == self)
			continue;
		r->ready++;
		/* A process that is runnable at this instant but hardly ran
		 * (a daemon answering a packet, a parent woken by its child's
		 * exit) is no load; one too new to have been measured may be. */
		if (before < 0 || t - (uint32_t)before >= LB_MIN_TICKS)
			r->load++;
		/* CPU-bound: ran in the last period (see ticks_before). */
		if (is_system(p) || before < 0 || t - (uint32_t)before < LB_MIN_TICKS ||
		    r->ncand == LB_CANDS)
			continue;
		r->cand[r->ncand].pid = p->pid;
		r->cand[r->ncand].gpid = gpid_of(p);
		r->cand[r->ncand].ticks = (int32_t)(t - (uint32_t)before);
		strlcpy(r->cand[r->ncand].name, p->name, PROC_NAME_LEN);
		r->ncand++;
	}
	/* Hungriest first: the master takes candidates in this order. */
	for (i = 1; i < r->ncand; i++)
		for (j = i; j > 0 && r->cand[j].ticks > r->cand[j - 1].ticks; j--) {
			struct lb_cand c = r->cand[j];

			r->cand[j] = r->cand[j - 1];
			r->cand[j - 1] = c;
		}
	elapsed = tick - seen_tick;
	r->cpu = elapsed && nseen ? (int32_t)(busy * 100 / elapsed) : 0;
	if (r->cpu > 100)
		r->cpu = 100;	/* ps and uptime are not read at one instant */
	memcpy(seen, next, n * sizeof(seen[0]));
	nseen = n;
	seen_tick = tick;
	last_report = *r;
}

/* ---- the agent: moving ---------------------------------------------------- */

/* Carry out one move of an order.  Returns 0 or an errno. */
static int
move_one(const struct lb_move *m, int *why, uint32_t *ms)
{
	struct mig_record rec;
	struct proc_info pi;
	uint32_t t0 = now_ms();

	*why = 0;
	*ms = 0;
	/* The pid must still be the job the master meant: it may have
	 * exited, and its pid been reused, since the report. */
	if (procinfo(m->pid, &pi) < 0 || gpid_of(&pi) != m->gpid || !runnable(&pi))
		return ESRCH;
	if (m->moves >= LB_MAX_MOVES || is_system(&pi))
		return EPERM;
	memset(&rec, 0, sizeof(rec));
	if (migrate(m->pid, m->to, MIG_PRECOPY, &rec) < 0) {
		*why = rec.why;
		*ms = now_ms() - t0;
		return errno;
	}
	*ms = now_ms() - t0;
	return 0;
}

static void
do_order(const struct lb_order *o)
{
	struct lb_result r;
	int i;

	for (i = 0; i < o->nmoves; i++) {
		memset(&r, 0, sizeof(r));
		hdr_init(&r.hdr, LB_RESULT, sizeof(r));
		r.move = o->move[i];
		r.result = move_one(&o->move[i], &r.why, &r.ms);
		if (node != master) {
			struct lb_event *e = log_event(&r.move, last_report.load, -1, r.result);

			e->why = r.why;
			e->ms = r.ms;
			if (r.result == 0)
				moves_ok++;
			else
				moves_failed++;
		}
		/* The master counts a job's moves from these.  One lost
		 * (the master rebooted, say) leaves a move uncounted; the
		 * master gives its order up after LB_ORDER_MS. */
		if (node == master)
			on_result(&r);
		else
			to_master(&r, sizeof(r));
	}
}

/* ---- the monitor (master node only) --------------------------------------- */

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
	char name[MBOX_NAME_LEN];
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
		id = src == node ? mbox : mbox_open(dist_name(name, sizeof(name), LB_MBOX, src));
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
static void
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

static void
on_report(const struct lb_report *r)
{
	struct nodestate *s = node_slot(r->hdr.node, 1);

	if (!s)
		return;
	s->report = *r;
	s->heard_ms = now_ms();
}

static void
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

/* ---- queries ---------------------------------------------------------------- */

static void
answer(int caller)
{
	static struct lb_status st;
	uint32_t now = now_ms();
	int i, first;

	memset(&st, 0, sizeof(st));
	hdr_init(&st.hdr, LB_STATUS, sizeof(st));
	st.master = master;
	st.is_master = node == master;
	st.uptime_ms = now;
	st.moves_ok = moves_ok;
	st.moves_failed = moves_failed;
	for (i = 0; i < LB_NODES; i++) {
		const struct lb_report *r = &nodes[i].report;

		if (!st.is_master || !nodes[i].used)
			continue;
		st.nodes[st.nnodes].node = r->hdr.node;
		st.nodes[st.nnodes].ready = r->ready;
		st.nodes[st.nnodes].load = r->load;
		st.nodes[st.nnodes].cpu = r->cpu;
		st.nodes[st.nnodes].ncand = r->ncand;
		st.nodes[st.nnodes].age_ms = now - nodes[i].heard_ms;
		st.nnodes++;
	}
	if (!st.is_master) {
		st.nodes[0].node = node;
		st.nodes[0].ready = last_report.ready;
		st.nodes[0].load = last_report.load;
		st.nodes[0].cpu = last_report.cpu;
		st.nodes[0].ncand = last_report.ncand;
		st.nodes[0].age_ms = now - seen_tick * 10;
		st.nnodes = 1;
	}
	first = nevents > LB_LOG ? nevents - LB_LOG : 0;
	for (i = first; i < nevents; i++)
		st.log[st.nlog++] = events[i % LB_LOG];
	for (i = 0; i < LB_JOBS; i++)
		if (jobs[i].gpid && (jobs[i].moves || jobs[i].pinned))
			st.jobs[st.njobs++] = jobs[i];
	reply(caller, &st, sizeof(st));
}

/* ---- the loop ----------------------------------------------------------------- */

/* A message is taken only if its header and length agree with its type:
 * any process may send to LOADBAL. */
static int
well_formed(const struct lb_hdr *h, int len)
{
	static const uint32_t sizes[] = {
		[LB_REPORT] = sizeof(struct lb_report), [LB_ORDER] = sizeof(struct lb_order),
		[LB_RESULT] = sizeof(struct lb_result), [LB_QUERY] = sizeof(struct lb_hdr),
	};

	if (len < (int)sizeof(*h) || h->magic != LB_MAGIC || h->len != (uint32_t)len ||
	    h->type < LB_REPORT || h->type > LB_QUERY || sizes[h->type] != (uint32_t)len)
		return 0;
	if (h->type == LB_REPORT)
		return ((const struct lb_report *)h)->ncand >= 0 &&
		    ((const struct lb_report *)h)->ncand <= LB_CANDS;
	if (h->type == LB_ORDER)
		return ((const struct lb_order *)h)->nmoves >= 0 &&
		    ((const struct lb_order *)h)->nmoves <= LB_ORDER_MAX;
	return 1;
}

/* Orders come only from loadbald on the master: the master's own
 * orders come from ourselves, by a local pid; another node's sender is
 * a global pid naming its node. */
static int
from_master(int sender)
{
	if (node == master)
		return sender == self;
	return DIST_IS_GLOBAL(sender) && DIST_NODE(sender) == master;
}

int
main(int argc, char **argv)
{
	static union {
		struct lb_hdr	 hdr;
		struct lb_report report;
		struct lb_order	 order;
		struct lb_result result;
		char		 raw[MSG_MAX];
	} msg;
	struct msg_info info;
	uint32_t next, now;
	int n;

	master = argc > 1 ? atoi(argv[1]) : 0;
	self = getpid();
	if ((node = dist_node()) < 0) {
		printf("loadbald: no network, nothing to balance\n");
		return 1;
	}
	if ((mbox = mbox_create(LB_MBOX, 64)) < 0) {
		printf("loadbald: mailbox %s: %s\n", LB_MBOX, strerror(errno));
		return 1;
	}
	printf("loadbald: node %d, master node %d\n", node, master);
	next = now_ms();
	for (;;) {
		now = now_ms();
		if ((int32_t)(now - next) >= 0) {
			struct lb_report r;

			sample(&r);
			if (node == master) {
				on_report(&r);	/* not through the mailbox: fresh */
				decide();
			} else {
				to_master(&r, sizeof(r));
			}
			next += LB_PERIOD_MS;
			if ((int32_t)(now - next) >= 0)
				next = now + LB_PERIOD_MS;	/* fell behind: no burst */
			continue;
		}
		n = mbox_receive(mbox, &msg, sizeof(msg), &info, 0, next - now);
		if (n < 0) {
			if (errno != ETIMEDOUT && errno != EINTR)
				msleep(LB_PERIOD_MS);	/* should not happen: do not spin */
			continue;
		}
		if (info.flags & MSG_NOTICE)
			continue;
		if (!well_formed(&msg.hdr, n)) {
			if (info.flags & MSG_CALL)
				reply(info.sender, NULL, 0);
			continue;
		}
		switch (msg.hdr.type) {
		case LB_REPORT:
			if (node == master) {
				on_report(&msg.report);
				decide();	/* now, not at our next sample */
			}
			break;
		case LB_ORDER:
			if (from_master(info.sender))
				do_order(&msg.order);
			break;
		case LB_RESULT:
			if (node == master)
				on_result(&msg.result);
			break;
		case LB_QUERY:
			if (info.flags & MSG_CALL)
				answer(info.sender);
			break;
		}
	}
}
