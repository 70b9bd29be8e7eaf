/*
 * The short-term scheduler: a ready queue of PCBs served round robin, a
 * timer tick that ends time slices, and the idle loop that runs when the
 * ready queue is empty.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stdint.h>

struct proc;

#define TIMER_HZ	100
#define DEFAULT_QUANTUM	5		/* ticks: 50 ms */

extern volatile uint32_t ticks;		/* timer ticks since boot */

void	sched_init(void);
void	make_ready(struct proc *p);	/* append to the ready queue */
void	schedule(const char *reason);	/* give the CPU to the next process */
void	yield(const char *reason);	/* current goes to the back of the queue */
void	preempt(void);			/* yield at the end of a time slice */
void	sched_tick(int from_user);	/* called by the timer interrupt */
int	sched_should_preempt(void);
void	idle_loop(void) __attribute__((noreturn));
uint64_t uptime_us(void);

/* The last switch, for gdb's trace-switch and for teaching output. */
extern const char *last_switch_reason;

/* Timed waits: timer_arm puts p on the timer list; the tick wakes it
 * with timed_out set once `timeout` ticks have passed. */
void	timer_arm(struct proc *p, uint32_t timeout);
void	timer_disarm(struct proc *p);

/* sleep(): current waits until `ticks` reaches wake_tick */
int	sleep_until(uint32_t wake_tick);
uint32_t ms_to_ticks(uint32_t ms);	/* rounded up */

#endif
