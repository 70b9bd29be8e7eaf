/*
 * Short-term scheduler (see sched.h).  The ready queue is a FIFO of PCBs:
 * make_ready() appends, schedule() takes the head.  When it is empty the
 * idle process (pid 0, the boot thread) runs and halts the CPU until the
 * next interrupt.  Preemption: the timer counts ticks against the running
 * process's quantum, and trap() calls yield() on the way back to user mode
 * once the quantum is used up.
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "proc.h"
#include "sched.h"
#include "pit.h"

/* context_switch (switch.asm) */
void	context_switch(struct context **save, struct context *load);

volatile uint32_t ticks;
const char *last_switch_reason = "boot";
uint32_t context_switches;

static struct wait_queue ready_queue;
static struct wait_queue sleep_queue;
static struct proc *idle_proc;

void
sched_init(void)
{
	wait_queue_init(&ready_queue, "ready");
	wait_queue_init(&sleep_queue, "sleep");
	idle_proc = &proc_table[0];
}

void
make_ready(struct proc *p)
{
	p->state = READY;
	list_push_back(&ready_queue.waiters, &p->queue_node);
}

uint32_t
ready_queue_length(void)
{
	return list_length(&ready_queue.waiters);
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
	struct list_node *n;

	n = list_pop_front(&ready_queue.waiters);
	next = n ? container_of(n, struct proc, queue_node) : idle_proc;
	if (prev == idle_proc && prev != next)
		prev->state = READY;
	next->state = RUNNING;
	if (next == prev)
		return;
	next->slice_used = 0;
	last_switch_reason = reason;
	context_switches++;
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

void
sched_tick(int from_user)
{
	struct list_node *n, *tmp;
	struct proc *p;

	ticks++;
	if (current != idle_proc) {
		if (from_user)
			current->user_ticks++;
		else
			current->sys_ticks++;
		current->slice_used++;
	}
	list_for_each_safe(n, tmp, &sleep_queue.waiters) {
		p = container_of(n, struct proc, queue_node);
		if ((int32_t)(ticks - p->wake_tick) >= 0)
			wake_process(p);
	}
}

int
sched_should_preempt(void)
{
	return current != idle_proc && current->slice_used >= current->quantum &&
	    !list_empty(&ready_queue.waiters);
}

int
sleep_until(uint32_t wake_tick)
{
	current->wake_tick = wake_tick;
	while ((int32_t)(ticks - wake_tick) < 0)
		if (sleep_on(&sleep_queue) < 0)
			return -EINTR;
	return 0;
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
		if (!list_empty(&ready_queue.waiters))
			schedule("idle");
		else
			__asm__ volatile("sti; hlt; cli");
	}
}
