/*
 * Sleep and wakeup on wait queues (see waitq.h).  With interrupts off in
 * the kernel there is no lost-wakeup race: nothing can run between a
 * caller testing its condition and sleep_on() queueing it.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "signal.h"
#include "waitq.h"
#include "trace.h"

void
wait_queue_init(struct wait_queue *q, const char *name)
{
	list_init(&q->waiters);
	q->name = name;
}

/* Queue current on q and run something else until it is woken. */
static void
wait_on(struct wait_queue *q)
{
	struct proc *p = current;

	p->state = WAITING;
	p->waiting_on = q;
	list_push_back(&q->waiters, &p->queue_node);
	TRACE(TRACE_SCHED, TEV_WAIT, p->pid, 0, 0, q->name);
	schedule(q->name);
	p->waiting_on = NULL;
}

void
sleep_on_uninterruptible(struct wait_queue *q)
{
	wait_on(q);
}

int
sleep_on_timeout(struct wait_queue *q, uint32_t timeout)
{
	struct proc *p = current;

	if (p->mig_freeze)
		return -EINTR;		/* to be moved: the call restarts there */
	/* Nothing pending, nothing to interrupt: asked before and after
	 * every sleep, so the usual answer costs no call. */
	if (p->sig_pending && signal_interrupts(p))
		return signal_stop_sleeper(p) ? 0 : -EINTR;
	p->timed_out = 0;
	if (timeout)
		timer_arm(p, timeout);
	wait_on(q);
	if (timeout)
		timer_disarm(p);
	if (p->timed_out)
		return -ETIMEDOUT;
	if (p->mig_freeze)
		return -EINTR;
	if (p->sig_pending && signal_interrupts(p))
		return signal_stop_sleeper(p) ? 0 : -EINTR;
	return 0;
}

int
sleep_on(struct wait_queue *q)
{
	return sleep_on_timeout(q, 0);
}

/* Move p from whatever queue it waits on to the ready queue. */
void
wake_process(struct proc *p)
{
	if (p->state != WAITING)
		return;
	list_remove(&p->queue_node);
	p->waiting_on = NULL;
	make_ready(p);
}

void
wakeup(struct wait_queue *q)
{
	struct list_node *n;

	while ((n = list_front(&q->waiters)))
		wake_process(container_of(n, struct proc, queue_node));
}

void
wakeup_one(struct wait_queue *q)
{
	struct list_node *n = list_front(&q->waiters);

	if (n)
		wake_process(container_of(n, struct proc, queue_node));
}

/* wait_limit_init with a timeout (waitq.h): only a deadline needs the
 * clock, and reading the PIT and dividing cost each mailbox operation
 * ~200 instructions. */
void
wait_limit_deadline(struct wait_limit *w, int nowait, uint32_t timeout_ms)
{
	w->nowait = nowait != 0;
	w->deadline = ticks + ms_to_ticks(timeout_ms);
	if (w->deadline == 0)
		w->deadline = 1;	/* ticks wrapped to 0: 0 means none */
	w->deadline_us = uptime_us() + (uint64_t)timeout_ms * 1000;
}

/* sleep_on_limit (waitq.h) with a deadline (never 0 here: sleep_on_limit
 * takes a wait without one).  It is absolute, so a caller that sleeps
 * again after a wakeup that did not satisfy it waits only for what is
 * left. */
int
sleep_on_deadline(struct wait_queue *q, struct wait_limit *w)
{
	int32_t left;
	uint64_t now;
	int r;

	for (;;) {
		left = (int32_t)(w->deadline - ticks);
		/*
		 * Timer interrupts can come late and then in a burst (an
		 * emulator's host was busy): counted in ticks, a wait could
		 * end before its time by the clock the caller reads.  The
		 * clock has the last word.
		 */
		if (left <= 0) {
			if ((now = uptime_us()) >= w->deadline_us)
				return -ETIMEDOUT;
			left = (int32_t)ms_to_ticks((uint32_t)((w->deadline_us - now) / 1000) + 1);
			if ((w->deadline = ticks + (uint32_t)left) == 0)
				w->deadline = 1;	/* 0 means none */
		}
		r = sleep_on_timeout(q, (uint32_t)left);
		if (r != -ETIMEDOUT)
			return r;
	}
}
