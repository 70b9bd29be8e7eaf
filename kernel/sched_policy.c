/*
 * Short-term policies (see sched_policy.h):
 *
 *   rr    round robin: one FIFO, every process gets `sched_quantum` ticks.
 *   prio  static priority: the READY process with the lowest nice value
 *         runs; equal values share the CPU round robin; a process that
 *         becomes READY with a better value preempts the running one.
 *   mlfq  multi-level feedback queue: three FIFOs; new processes start at
 *         level 0; using a whole slice moves a process down a level
 *         (slices double each level); blocking keeps its level; aging
 *         moves a process that has waited AGING_TICKS on a lower level up
 *         one, so nothing starves.
 *
 * The queues: level 0 is `ready_queue` (the only one rr and prio use);
 * mlfq adds `lower_queue[0]` (level 1) and `lower_queue[1]` (level 2).
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "sched_policy.h"

#define AGING_TICKS	50		/* 0.5 s on a lower level: move up */

int sched_policy = SCHED_RR;
uint32_t sched_quantum = DEFAULT_QUANTUM;

struct wait_queue ready_queue;			/* level 0 */
struct wait_queue lower_queue[MLFQ_LEVELS - 1];	/* levels 1.. */

static const char *const names[] = {
	[SCHED_RR] = "rr", [SCHED_PRIO] = "prio", [SCHED_MLFQ] = "mlfq",
};

void
policy_init(void)
{
	wait_queue_init(&ready_queue, "ready");
	wait_queue_init(&lower_queue[0], "ready 1");
	wait_queue_init(&lower_queue[1], "ready 2");
}

const char *
policy_name(int policy)
{
	return policy >= 0 && policy < (int)ARRAY_SIZE(names) ? names[policy] : "?";
}

int
policy_parse(const char *name)
{
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

struct wait_queue *
policy_queue(int level)
{
	if (level == 0)
		return &ready_queue;
	if (level > 0 && level < MLFQ_LEVELS)
		return &lower_queue[level - 1];
	return NULL;
}

static int
level_of(struct proc *p)
{
	return sched_policy == SCHED_MLFQ ? p->level : 0;
}

void
policy_enqueue(struct proc *p)
{
	p->ready_since = ticks;
	list_push_back(&policy_queue(level_of(p))->waiters, &p->queue_node);
}

void
policy_remove(struct proc *p)
{
	list_remove(&p->queue_node);
}

uint32_t
policy_ready_count(void)
{
	uint32_t n = 0;
	int level;

	for (level = 0; level < MLFQ_LEVELS; level++)
		n += list_length(&policy_queue(level)->waiters);
	return n;
}

/* LAB sched: BEGIN pick */
/* The READY process with the lowest nice value; the earliest queued
 * among equals, so equal priorities take turns. */
static struct proc *
best_priority(void)
{
	struct list_node *n;
	struct proc *p, *best = NULL;

	list_for_each(n, &ready_queue.waiters) {
		p = container_of(n, struct proc, queue_node);
		if (!best || p->nice < best->nice)
			best = p;
	}
	return best;
}

/* The first process on the highest non-empty level. */
static struct proc *
highest_level(void)
{
	struct list_node *n;
	int level;

	for (level = 0; level < MLFQ_LEVELS; level++)
		if ((n = list_front(&policy_queue(level)->waiters)))
			return container_of(n, struct proc, queue_node);
	return NULL;
}
/* LAB sched: END pick */

struct proc *
policy_pick(void)
{
	struct list_node *n;
	struct proc *p;

	switch (sched_policy) {
	case SCHED_PRIO:
		p = best_priority();
		break;
	case SCHED_MLFQ:
		p = highest_level();
		break;
	default:
		n = list_front(&ready_queue.waiters);
		p = n ? container_of(n, struct proc, queue_node) : NULL;
		break;
	}
	if (p)
		list_remove(&p->queue_node);
	return p;
}

uint32_t
policy_quantum(struct proc *p)
{
	/* LAB sched: BEGIN quantum */
	return sched_quantum << level_of(p);
	/* LAB sched: END quantum */
}

int
policy_should_preempt(struct proc *running)
{
	int expired = running->slice_used >= policy_quantum(running);
	struct proc *next;

	switch (sched_policy) {
	/* LAB sched: BEGIN preempt */
	case SCHED_PRIO:
		if (!(next = best_priority()))
			return 0;
		return next->nice < running->nice ||
		    (expired && next->nice == running->nice);
	case SCHED_MLFQ:
		if (!(next = highest_level()))
			return 0;
		return next->level < running->level || expired;
	/* LAB sched: END preempt */
	default:
		return expired && !list_empty(&ready_queue.waiters);
	}
}

void
policy_used_full_slice(struct proc *p)
{
	/* LAB sched: BEGIN demote */
	if (sched_policy == SCHED_MLFQ && p->level < MLFQ_LEVELS - 1)
		p->level++;
	/* LAB sched: END demote */
}

/* Aging: a process that has waited AGING_TICKS on a lower level moves up
 * one level (to the back of that queue). */
void
policy_tick(void)
{
	/* LAB sched: BEGIN aging */
	struct list_node *n, *tmp;
	struct proc *p;
	int level;

	if (sched_policy != SCHED_MLFQ)
		return;
	for (level = 1; level < MLFQ_LEVELS; level++) {
		list_for_each_safe(n, tmp, &policy_queue(level)->waiters) {
			p = container_of(n, struct proc, queue_node);
			if ((int32_t)(ticks - p->ready_since) >= AGING_TICKS) {
				list_remove(n);
				p->level = level - 1;
				policy_enqueue(p);
			}
		}
	}
	/* LAB sched: END aging */
}

/* Switch policy: everyone waiting is requeued under the new rules, and
 * MLFQ levels start afresh. */
int
policy_set(int policy, uint32_t quantum)
{
	struct proc *p;
	struct list_node *n;
	struct list waiting;

	if (policy < 0 || policy >= (int)ARRAY_SIZE(names) || quantum > 1000)
		return -EINVAL;
	if (quantum)
		sched_quantum = quantum;
	list_init(&waiting);
	while ((p = policy_pick()))
		list_push_back(&waiting, &p->queue_node);
	sched_policy = policy;
	for (p = proc_table; p < &proc_table[NPROC]; p++)
		p->level = 0;
	while ((n = list_pop_front(&waiting)))
		policy_enqueue(container_of(n, struct proc, queue_node));
	return 0;
}
