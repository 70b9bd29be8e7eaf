/*
 * Wait queues: the one way a process waits for anything.  A queue is a
 * list of PCBs plus a name that `ps` shows ("console", "sleep", "child").
 * The ready queue has the same shape (see sched.c).
 */
#ifndef WAITQ_H
#define WAITQ_H

#include "list.h"
#include "brinch/errno.h"

struct wait_queue {
	struct list waiters;	/* struct proc, linked by queue_node */
	const char *name;
};

void	wait_queue_init(struct wait_queue *q, const char *name);

/* Put the current process to sleep on q until wakeup(q), or until a
 * signal arrives.  Returns 0 when woken, -EINTR when a signal that will
 * do something (not ignored) interrupted the wait.  A stop signal stops
 * the process right here and, once continued, counts as a wakeup.
 * Callers loop, testing their condition, because a wakeup is a hint,
 * not a promise. */
int	sleep_on(struct wait_queue *q);

/* The same with a limit: after `timeout` ticks (0 = no limit) give up
 * and return -ETIMEDOUT. */
int	sleep_on_timeout(struct wait_queue *q, uint32_t timeout);

/*
 * The limits of one blocking system call, set once at its start so that
 * every sleep in a loop shares them: fail at once (nowait: IPC_NOWAIT,
 * MSG_DONTWAIT), or give up at a deadline in ticks (a timeout_ms, or
 * SO_RCVTIMEO).  Mailboxes, semaphores, sockets and remote calls use it.
 */
struct wait_limit {
	int      nowait;
	uint32_t deadline;		/* in ticks; 0 = none */
	uint64_t deadline_us;		/* the same by the clock (uptime_us) */
};

/* timeout_ms 0 = no limit.  Inline for that usual case: only a deadline
 * needs the clock (wait_limit_deadline). */
void	wait_limit_deadline(struct wait_limit *w, int nowait, uint32_t timeout_ms);

static inline void
wait_limit_init(struct wait_limit *w, int nowait, uint32_t timeout_ms)
{
	if (timeout_ms) {
		wait_limit_deadline(w, nowait, timeout_ms);
		return;
	}
	w->nowait = nowait != 0;
	w->deadline = 0;
	w->deadline_us = 0;
}

/* sleep_on within w's limits: 0 when woken, -EAGAIN (nowait), -EINTR,
 * or -ETIMEDOUT once the deadline has passed.  Inline for a wait with no
 * limit, a message's usual case. */
int	sleep_on_deadline(struct wait_queue *q, struct wait_limit *w);

static inline int
sleep_on_limit(struct wait_queue *q, struct wait_limit *w)
{
	if (w->nowait)
		return -EAGAIN;
	if (!w->deadline)
		return sleep_on_timeout(q, 0);
	return sleep_on_deadline(q, w);
}

/* A wait only an explicit wake_process() ends (signals do not). */
void	sleep_on_uninterruptible(struct wait_queue *q);

void	wakeup(struct wait_queue *q);		/* every waiter */
void	wakeup_one(struct wait_queue *q);	/* the longest waiting */

struct proc;
void	wake_process(struct proc *p);		/* off its queue, onto ready */

#endif
