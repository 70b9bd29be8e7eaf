/*
 * Long- and medium-term scheduling (see sched_admit.h).
 *
 * Admission: every process counts against `maxrun` from the moment it is
 * admitted until it exits (init and the shell included).  A new process
 * found over the limit stays NEW, queued on the job queue in order of
 * arrival, and is admitted when another process exits.
 *
 * Suspension: a READY process leaves the ready queue and becomes
 * SUSPENDED.  A process that is WAITING (or still NEW) is marked, and
 * becomes SUSPENDED instead of READY when its wait ends: the textbook's
 * "suspended blocked" becoming "suspended ready".  resume() undoes both.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "sched_policy.h"
#include "sched_admit.h"
#include "trace.h"

uint32_t admit_maxrun;
uint32_t admitted;
static struct wait_queue job_queue;

void
admit_init(void)
{
	wait_queue_init(&job_queue, "job queue");
}

static int
has_room(void)
{
	return admit_maxrun == 0 || admitted < admit_maxrun;
}

void
admit(struct proc *p)
{
	if (has_room()) {
		admitted++;
		make_ready(p);
		return;
	}
	p->state = NEW;
	p->waiting_on = &job_queue;
	list_push_back(&job_queue.waiters, &p->queue_node);
}

/* Admit from the job queue while there is room. */
static void
admit_waiting_jobs(void)
{
	struct list_node *n;
	struct proc *p;

	while (has_room() && (n = list_pop_front(&job_queue.waiters))) {
		p = container_of(n, struct proc, queue_node);
		p->waiting_on = NULL;
		admitted++;
		make_ready(p);
	}
}

void
admit_leave(struct proc *p)
{
	admitted--;
	admit_waiting_jobs();
}

int
admit_set_maxrun(uint32_t maxrun)
{
	if (maxrun > NPROC)
		return -EINVAL;
	admit_maxrun = maxrun;
	admit_waiting_jobs();
	return 0;
}

uint32_t
admit_waiting(void)
{
	return (uint32_t)list_length(&job_queue.waiters);
}

int
proc_suspend(struct proc *p)
{
	if (p == init_proc || p->pid == 0)
		return -EPERM;		/* the system needs them running */
	switch (p->state) {
	case READY:
		policy_remove(p);
		p->suspend_pending = 1;
		p->state = SUSPENDED;
		TRACE(TRACE_SCHED, TEV_SUSPEND, p->pid, 0, 0, NULL);
		return 0;
	case RUNNING:			/* suspending oneself */
		p->suspend_pending = 1;
		p->state = SUSPENDED;
		schedule("suspended");
		return 0;
	case WAITING:
	case NEW:
		p->suspend_pending = 1;
		return 0;
	case SUSPENDED:
		return 0;
	default:
		return -ESRCH;
	}
}

int
proc_resume(struct proc *p)
{
	if (!p->suspend_pending && p->state != SUSPENDED)
		return -EINVAL;		/* not suspended */
	p->suspend_pending = 0;
	if (p->state == SUSPENDED)
		make_ready(p);
	return 0;
}
