/*
 * Short-term scheduling policies: which READY process runs next and when
 * the running one must give way.  sched.c owns the mechanism (switching,
 * ticks, idle) and asks these functions for every decision.
 */
#ifndef SCHED_POLICY_H
#define SCHED_POLICY_H

#include <stdint.h>
#include "brinch/types.h"
#include "waitq.h"

struct proc;

extern int sched_policy;		/* SCHED_RR, SCHED_PRIO, SCHED_MLFQ */
extern uint32_t sched_quantum;		/* ticks; MLFQ level n gets quantum << n */

void	policy_init(void);
int	policy_set(int policy, uint32_t quantum);
const char *policy_name(int policy);
int	policy_parse(const char *name);	/* "rr" -> SCHED_RR, or -1 */

void	policy_enqueue(struct proc *p);		/* p just became READY */
struct proc *policy_pick(void);			/* dequeue the next, or NULL */
void	policy_remove(struct proc *p);		/* p leaves the ready queues */
int	policy_should_preempt(struct proc *running);
void	policy_used_full_slice(struct proc *p);	/* the timer took the CPU */
uint32_t policy_quantum(struct proc *p);
void	policy_tick(void);			/* aging */
uint32_t policy_ready_count(void);
struct wait_queue *policy_queue(int level);	/* for ps and gdb */

/* The queues, levels 0 (the only one rr and prio use), 1 and 2. */
extern struct wait_queue ready_queue, lower_queue[MLFQ_LEVELS - 1];

/* Is any process READY, on any level?  If none is, no policy has anyone
 * to preempt the running process for (sched_should_preempt).  Inline:
 * asked on every return to user mode. */
static inline int
policy_anyone_ready(void)
{
	return !list_empty(&ready_queue.waiters) ||
	    !list_empty(&lower_queue[0].waiters) || !list_empty(&lower_queue[1].waiters);
}

#endif
