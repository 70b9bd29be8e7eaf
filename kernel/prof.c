/*
 * The profiler (docs/profiling.md): at each timer tick, note where the
 * CPU was.  In user mode or in the idle loop that is the interrupted eip.
 * The kernel runs with interrupts off, so a tick that falls during a
 * system call or a page fault waits until the return to user mode; there
 * trap() calls prof_trap_exit(), which sees the tick pending at the PIC
 * and charges it to the kernel function that handled the trap.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "trap.h"
#include "proc.h"
#include "syscall.h"
#include "prof.h"
#include "pic.h"
#include "brinch/prof.h"

#define BUFFER_PAGES	((PROF_MAX_SAMPLES * sizeof(struct prof_sample) + PAGE_SIZE - 1) / PAGE_SIZE)

int prof_running;
static struct prof_sample *samples;	/* BUFFER_PAGES frames, or NULL */
static uint32_t nsamples, dropped;
static int tick_taken;			/* prof_trap_exit counted the pending tick */

static void
record(uint32_t eip, int where)
{
	struct prof_sample *s;

	if (nsamples == PROF_MAX_SAMPLES) {
		dropped++;
		return;
	}
	s = &samples[nsamples++];
	s->eip = eip;
	s->pid = (int16_t)current->pid;
	s->where = (uint8_t)where;
	strlcpy(s->name, current->name, sizeof(s->name));
}

/* The timer's interrupt (trap.c): user code or the idle loop. */
void
prof_tick(struct trapframe *tf, int from_user)
{
	if (tick_taken) {		/* already charged to the kernel */
		tick_taken = 0;
		return;
	}
	if (from_user)
		record(tf->eip, PROF_USER);
	else if (current == &proc_table[0])
		record(tf->eip, PROF_IDLE);
	else
		record(tf->eip, PROF_KERNEL);	/* interrupts on in the kernel */
}

/* Leaving a trap for user mode: was a tick raised while we worked? */
void
prof_trap_exit(struct trapframe *tf, uint32_t sysnum)
{
	uint32_t handler;

	if (tick_taken || !pic_irq_pending(IRQ_TIMER))
		return;
	if (tf->trapno == T_SYSCALL)
		handler = syscall_handler(sysnum);
	else if (tf->trapno == T_PGFLT)
		handler = (uint32_t)vm_fault;
	else
		handler = (uint32_t)trap;
	record(handler ? handler : (uint32_t)syscall, PROF_KERNEL);
	tick_taken = 1;
}

static int
prof_start(void)
{
	uint32_t pa;

	if (!samples) {
		if (!(pa = frames_alloc(BUFFER_PAGES)))
			return -ENOMEM;
		samples = P2V(pa);
	}
	nsamples = dropped = 0;
	tick_taken = 0;
	prof_running = 1;
	return 0;
}

static int
prof_clear(void)
{
	prof_running = 0;
	if (samples)
		frames_free(V2P(samples), BUFFER_PAGES);
	samples = NULL;
	nsamples = dropped = 0;
	return 0;
}

static int
prof_ksym(uint32_t eip, uint32_t ubuf)
{
	uint32_t off = 0;
	const char *name = symbol_for(eip, &off);
	char buf[PROF_SYM_LEN];

	if (strcmp(name, "?") == 0)
		return -ENOENT;
	strlcpy(buf, name, sizeof(buf));
	if (copy_to_user(current->pgdir, ubuf, buf, strlen(buf) + 1) < 0)
		return -EFAULT;
	return (int)off;
}

int
sys_prof(uint32_t op, uint32_t a, uint32_t b)
{
	uint32_t n;

	switch (op) {
	case PROF_START:
		return prof_start();
	case PROF_STOP:
		prof_running = 0;
		return 0;
	case PROF_READ:
		n = MIN(b, nsamples);
		if (n && copy_to_user(current->pgdir, a, samples, n * sizeof(*samples)) < 0)
			return -EFAULT;
		return (int)n;
	case PROF_CLEAR:
		return prof_clear();
	case PROF_KSYM:
		return prof_ksym(a, b);
	case PROF_DROPPED:
		return (int)dropped;
	default:
		return -EINVAL;
	}
}
