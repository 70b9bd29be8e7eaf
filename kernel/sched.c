/*
 * The scheduling mechanism (see sched.h): make_ready() hands a process to
 * the ready queue(s), schedule() switches to the one the policy picks
 * (sched_policy.c), or to the idle process (pid 0, the boot thread), which
 * halts the CPU until the next interrupt.  Preemption: the timer counts
 * ticks against the running process's slice, and trap() calls preempt()
 * on the way back to user mode when the policy says so.
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "proc.h"
#include "sched.h"
#include "pit.h"
#include "signal.h"
#include "sched_policy.h"
#include "sched_admit.h"
#include "trace.h"

/* context_switch (switch.asm) */
void	context_switch(struct context **save, struct context *load);

volatile uint32_t ticks;
const char *last_switch_reason = "boot";
uint32_t context_switches;

static struct wait_queue sleep_queue;	/* sleep(): nobody wakes it but time */
static struct list timer_list;		/* processes in a timed wait */
static struct proc *idle_proc;

void
sched_init(void)
{
	policy_init();
	admit_init();
	wait_queue_init(&sleep_queue, "sleep");
	list_init(&timer_list);
	idle_proc = &proc_table[0];
}

void
make_ready(struct proc *p)
{
	if (p->suspend_pending) {	/* medium-term: it stays out */
		p->state = SUSPENDED;
		TRACE(TRACE_SCHED, TEV_SUSPEND, p->pid, 0, 0, NULL);
		return;
	}
	p->state = READY;
	policy_enqueue(p);
	TRACE(TRACE_SCHED, TEV_READY, p->pid, p->level, 0, NULL);
}

/*
 * Give the CPU to the process at the head of the ready queue (or to idle).
 * The caller has already put `current` where it belongs: back on the
 * ready queue (yield), on a wait queue (sleep_on) or nowhere (exit).
 * Returns when some later schedule() picks this process again.
 */
void
schedule(const char *reason)
{
	struct proc *prev = current, *next;

	next = policy_pick();
	if (!next)
		next = idle_proc;
	else
		next->ready_ticks += ticks - next->ready_since;
	if (prev == idle_proc && prev != next)
		prev->state = READY;
	next->state = RUNNING;
	if (next == prev)
		return;
	next->slice_used = 0;
	last_switch_reason = reason;
	context_switches++;
	TRACE(TRACE_SCHED, TEV_SWITCH, prev->pid, next->pid, prev->state, reason);
	current = next;
	/* The next trap from user mode must land on next's kernel stack,
	 * and its user addresses must mean its own memory. */
	tss_set_kernel_stack((uint32_t)next->kstack + KSTACK_SIZE);
	vm_switch(next->pgdir ? next->pgdir : kernel_pgdir);
	context_switch(&prev->context, next->context);
	/* ...and much later, some schedule() switches back to us here. */
}

void
yield(const char *reason)
{
	make_ready(current);
	schedule(reason);
}

/* The timer ended the slice (trap.c): the policy may demote first. */
void
preempt(void)
{
	if (current->slice_used >= policy_quantum(current))
		policy_used_full_slice(current);
	yield("preempted");
}

void
timer_arm(struct proc *p, uint32_t timeout)
{
	p->timeout_tick = ticks + timeout;
	if (!list_node_linked(&p->timer_node))
		list_push_back(&timer_list, &p->timer_node);
}

void
timer_disarm(struct proc *p)
{
	if (list_node_linked(&p->timer_node))
		list_remove(&p->timer_node);
}

/* Wake every timed wait that is due; post SIGALRM for alarms that are. */
static void
expire_timers(void)
{
	struct list_node *n, *tmp;
	struct proc *p;

	list_for_each_safe(n, tmp, &timer_list) {
		p = container_of(n, struct proc, timer_node);
		if ((int32_t)(ticks - p->timeout_tick) >= 0) {
			timer_disarm(p);
			p->timed_out = 1;
			wake_process(p);
		}
	}
	if (alarms_armed)
		signal_expire_alarms();
}

void
sched_tick(int from_user)
{
	ticks++;
	if (current != idle_proc) {
		if (from_user)
			current->user_ticks++;
		else
			current->sys_ticks++;
		current->slice_used++;
	}
	expire_timers();
	policy_tick();
	if (trace_classes && ticks % TIMER_HZ == 0)
		trace_calibrate();		/* for gdb's trace-dump */
}

int
sched_should_preempt(void)
{
	/* Asked on every return to user mode: with nobody READY (a system
	 * call's usual case) there is nobody to preempt for, and the
	 * policy's own test (~40 instructions) is not asked. */
	return current != idle_proc && policy_anyone_ready() &&
	    policy_should_preempt(current);
}

int
sleep_until(uint32_t wake_tick)
{
	int32_t left;

	while ((left = (int32_t)(wake_tick - ticks)) > 0)
		if (sleep_on_timeout(&sleep_queue, (uint32_t)left) == -EINTR)
			return -EINTR;
	return 0;
}

uint32_t
ms_to_ticks(uint32_t ms)
{
	return (uint32_t)(((uint64_t)ms * TIMER_HZ + 999) / 1000);
}

uint64_t
uptime_us(void)
{
	return pit_clock_us(ticks);
}

/* The boot thread becomes the idle process.  `sti; hlt` is one unit: an
 * interrupt cannot slip in between and leave us halted with work ready. */
void
idle_loop(void)
{
	for (;;) {
		if (policy_ready_count())
			schedule("idle");
		else
			__asm__ volatile("sti; hlt; cli");
	}
}
