/*
 * loadbald's agent, on every node: it samples the node's load and the
 * CPU-bound jobs that could leave, reports them to the master every
 * LB_PERIOD_MS, and carries out the moves the master orders (migrate()).
 */
#include <errno.h>
#include <string.h>
#include <brinch.h>
#include <dist.h>
#include <migrate.h>
#include <sched.h>
#include "loadbald.h"

#define MAXPROCS	64		/* processes one sample looks at */

static int master_mbox = -1;		/* LOADBAL@master, once it exists */

/* Send to the master's mailbox, opening it first; it may not exist yet
 * while the master boots, and may be gone if the master rebooted. */
int
to_master(const void *msg, uint32_t len)
{
	if (master_mbox < 0 && (master_mbox = open_loadbal(master)) < 0)
		return -1;
	if (mbox_send(master_mbox, msg, len, 0, LB_PERIOD_MS) < 0) {
		if (errno != ETIMEDOUT)
			master_mbox = -1;	/* reopen next time */
		return -1;
	}
	return 0;
}

/* ---- sampling --------------------------------------------------------------- */

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
uint32_t seen_tick;
struct lb_report last_report;

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

void
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

/* ---- moving ----------------------------------------------------------------- */

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

void
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
