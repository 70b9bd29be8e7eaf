/*
 * Signals (see signal.h).  Posting sets a bit in the target's pending
 * mask and, if the target sleeps and the signal will do something, wakes
 * it: its system call returns -EINTR.  The action happens in
 * signal_deliver(), on the target's own way back to user mode, where its
 * user registers are at hand in the trap frame.
 *
 * A handler runs on the user stack.  signal_deliver() pushes a struct
 * sigframe holding the interrupted registers and signal mask, and points
 * eip at the handler with its return address set to the restorer (libc's
 * trampoline), which calls sigreturn; signal_return() pops the frame.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "trap.h"
#include "proc.h"
#include "sched.h"
#include "mm/vm.h"
#include "signal.h"
#include "sched_admit.h"

enum default_action { TERMINATE, IGNORE, STOP, CONTINUE };

/* What a handler finds on its stack, lowest address first. */
struct sigframe {
	uint32_t ret;			/* sa_restorer: the handler returns here */
	uint32_t signo;			/* the handler's argument */
	uint32_t saved_blocked;		/* mask to restore */
	uint32_t edi, esi, ebp, ebx, edx, ecx, eax;
	uint32_t eip, eflags, esp;	/* where the process was */
};

/* Flags user code may change through sigreturn: the arithmetic ones and
 * the direction flag; never IF, IOPL or anything else privileged. */
#define USER_EFLAGS	0x0CD5

int alarms_armed;
static struct wait_queue stopped_queue;	/* SIGSTOP'd processes */
static struct wait_queue pause_queue;	/* pause(): only a signal wakes them */

void
signal_init(void)
{
	wait_queue_init(&stopped_queue, "stopped");
	wait_queue_init(&pause_queue, "pause");
}

static const char *const names[NSIG] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT",
	[SIGILL] = "ILL", [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT",
	[SIGBUS] = "BUS", [SIGFPE] = "FPE", [SIGKILL] = "KILL",
	[SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP",
};

const char *
signal_name(int sig)
{
	return signal_valid(sig) && names[sig] ? names[sig] : "?";
}

static enum default_action
default_action(int sig)
{
	switch (sig) {
	case SIGCHLD:
		return IGNORE;
	case SIGSTOP:
		return STOP;
	case SIGCONT:
		return CONTINUE;
	default:
		return TERMINATE;
	}
}

int
signal_valid(int sig)
{
	return sig > 0 && sig < NSIG;
}

/* Would delivering sig to p do anything beyond what posting did? */
static int
signal_acts(struct proc *p, int sig)
{
	uint32_t handler = p->sig_actions[sig].sa_handler;

	if (SIGBIT(sig) & SIG_UNCATCHABLE)
		return 1;
	if (handler == SIG_IGN)
		return 0;
	if (handler == SIG_DFL)
		return default_action(sig) == TERMINATE || default_action(sig) == STOP;
	return 1;
}

static uint32_t
deliverable(struct proc *p)
{
	return p->sig_pending & ~(p->sig_blocked & ~SIG_UNCATCHABLE);
}

/* Is every signal that would act on p a stop?  Then a sleeper can stop
 * where it is, instead of failing its call with EINTR (POSIX: stopping
 * and continuing is invisible to the process). */
static int
only_stops_pending(struct proc *p)
{
	uint32_t live = deliverable(p);
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		if (!(live & SIGBIT(sig)) || !signal_acts(p, sig))
			continue;
		if (sig != SIGSTOP && !(p->sig_actions[sig].sa_handler == SIG_DFL &&
		    default_action(sig) == STOP))
			return 0;
	}
	return 1;
}

static void stop_current(void);

/* Called by a sleeper that a signal woke: 1 if the signal was a stop and
 * the process has already been stopped and continued; the caller then
 * treats it as a spurious wakeup and re-checks its condition. */
int
signal_stop_sleeper(struct proc *p)
{
	if (!signal_interrupts(p) || !only_stops_pending(p))
		return 0;
	p->sig_pending &= ~SIGBIT(SIGSTOP);
	stop_current();
	return !signal_interrupts(p);
}

int
signal_interrupts(struct proc *p)
{
	uint32_t live = deliverable(p);
	int sig;

	/* Every sleep asks twice (waitq.c); nearly always nothing is
	 * pending, and a walk over all 31 signals cost ~120 instructions. */
	for (sig = 1; live && sig < NSIG; sig++)
		if ((live & SIGBIT(sig)) && signal_acts(p, sig))
			return 1;
	return 0;
}

int
signal_send(struct proc *p, int sig)
{
	if (!signal_valid(sig))
		return -EINVAL;
	if (p->state == ZOMBIE || p->state == UNUSED)
		return 0;
	if (p->state == MOVED)		/* it runs elsewhere: forward */
		return migrate_hooks ? migrate_hooks->signal_moved(p, sig) : -ESRCH;
	/* SIGCONT resumes at once, whatever its disposition; stop and
	 * continue cancel each other while pending. */
	if (sig == SIGCONT) {
		p->sig_pending &= ~SIGBIT(SIGSTOP);
		if (p->stopped) {
			p->stopped = 0;
			wake_process(p);
		}
	} else if (sig == SIGSTOP) {
		p->sig_pending &= ~SIGBIT(SIGCONT);
	}
	if (!signal_acts(p, sig))
		return 0;		/* ignored: discarded now, as in Unix */
	p->sig_pending |= SIGBIT(sig);
	if (sig == SIGKILL && (p->state == SUSPENDED || p->suspend_pending))
		proc_resume(p);		/* it must run to die */
	if (p->state == WAITING && (p->stopped ? sig == SIGKILL : signal_interrupts(p)))
		wake_process(p);
	return 0;
}

/* A fault must not be ignored or blocked: the instruction would just
 * fault again.  So, as Unix does, fall back to the default action. */
void
signal_force(struct proc *p, int sig)
{
	if (p->sig_actions[sig].sa_handler == SIG_IGN || (p->sig_blocked & SIGBIT(sig)))
		p->sig_actions[sig].sa_handler = SIG_DFL;
	p->sig_blocked &= ~SIGBIT(sig);
	signal_send(p, sig);
}

int
signal_is_fatal_default(struct proc *p, int sig)
{
	return p->sig_actions[sig].sa_handler == SIG_DFL &&
	    default_action(sig) == TERMINATE;
}

int
signal_set_action(struct proc *p, int sig, const struct sigaction *act,
    struct sigaction *old)
{
	if (!signal_valid(sig))
		return -EINVAL;
	if (old)
		*old = p->sig_actions[sig];
	if (!act)
		return 0;
	if (SIGBIT(sig) & SIG_UNCATCHABLE)
		return -EINVAL;
	if (act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN &&
	    (act->sa_handler >= USER_TOP || act->sa_restorer == 0 ||
	    act->sa_restorer >= USER_TOP))
		return -EFAULT;		/* a handler needs a way back */
	p->sig_actions[sig] = *act;
	p->sig_actions[sig].sa_mask &= ~SIG_UNCATCHABLE;
	if (!signal_acts(p, sig))
		p->sig_pending &= ~SIGBIT(sig);
	return 0;
}

void
signal_fork(struct proc *child, struct proc *parent)
{
	memcpy(child->sig_actions, parent->sig_actions, sizeof(child->sig_actions));
	child->sig_blocked = parent->sig_blocked;
	child->sig_pending = 0;		/* Unix: not inherited */
	child->alarm_tick = 0;
}

/* Unix: exec keeps "ignore" and the mask, but handlers are addresses in
 * the old program. */
void
signal_reset_on_exec(struct proc *p)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		if (p->sig_actions[sig].sa_handler != SIG_IGN) {
			memset(&p->sig_actions[sig], 0, sizeof(p->sig_actions[sig]));
		}
	}
}

void
signal_exit(struct proc *p)
{
	if (p->alarm_tick) {
		p->alarm_tick = 0;
		alarms_armed--;
	}
}

uint32_t
signal_set_alarm(struct proc *p, uint32_t seconds)
{
	uint32_t left = 0;

	if (p->alarm_tick) {
		left = ((int32_t)(p->alarm_tick - ticks) + TIMER_HZ - 1) / TIMER_HZ;
		p->alarm_tick = 0;
		alarms_armed--;
	}
	if (seconds) {
		p->alarm_tick = ticks + seconds * TIMER_HZ;
		if (p->alarm_tick == 0)	/* 0 means "none" */
			p->alarm_tick = 1;
		alarms_armed++;
	}
	return left;
}

void
signal_expire_alarms(void)
{
	struct proc *p;

	for (p = &proc_table[1]; p < &proc_table[NPROC]; p++) {
		if (p->alarm_tick && (int32_t)(ticks - p->alarm_tick) >= 0) {
			p->alarm_tick = 0;
			alarms_armed--;
			signal_send(p, SIGALRM);
		}
	}
}

/* SIGSTOP: wait, off the ready queue, until SIGCONT (or SIGKILL). */
static void
stop_current(void)
{
	struct proc *p = current;

	p->stopped = 1;
	while (p->stopped && !(p->sig_pending & SIGBIT(SIGKILL)))
		sleep_on_uninterruptible(&stopped_queue);
}

/* Build the handler's frame on the user stack and aim the trap frame at
 * the handler.  Returns 0, or -EFAULT if the stack cannot take it. */
static int
push_handler_frame(struct proc *p, struct trapframe *tf, int sig)
{
	/* LAB signals: BEGIN frame */
	struct sigaction *act = &p->sig_actions[sig];
	struct sigframe f;
	uint32_t sp;

	f.ret = act->sa_restorer;
	f.signo = sig;
	f.saved_blocked = p->sig_blocked;
	f.edi = tf->edi;
	f.esi = tf->esi;
	f.ebp = tf->ebp;
	f.ebx = tf->ebx;
	f.edx = tf->edx;
	f.ecx = tf->ecx;
	f.eax = tf->eax;
	f.eip = tf->eip;
	f.eflags = tf->eflags;
	f.esp = tf->esp;
	/* The i386 ABI wants esp + 4 16-byte aligned at function entry. */
	sp = ((tf->esp - sizeof(f)) & ~15u) - 4;
	if (copy_to_user(p->pgdir, sp, &f, sizeof(f)) < 0)
		return -EFAULT;
	tf->esp = sp;
	tf->eip = act->sa_handler;
	p->sig_blocked |= act->sa_mask;
	if (!(act->sa_flags & SA_NODEFER))
		p->sig_blocked |= SIGBIT(sig);
	p->sig_blocked &= ~SIG_UNCATCHABLE;
	if (act->sa_flags & SA_RESETHAND)
		memset(act, 0, sizeof(*act));
	return 0;
	/* LAB signals: END frame */
}

void
signal_deliver(struct trapframe *tf)
{
	struct proc *p = current;
	uint32_t live, handler;
	int sig;

	while ((live = deliverable(p))) {
		for (sig = 1; !(live & SIGBIT(sig)); sig++)
			;
		p->sig_pending &= ~SIGBIT(sig);
		handler = p->sig_actions[sig].sa_handler;
		if (sig == SIGKILL)
			proc_exit(KILLED_STATUS(SIGKILL));
		if (sig == SIGSTOP || handler == SIG_DFL) {
			switch (default_action(sig)) {
			case TERMINATE:
				proc_exit(KILLED_STATUS(sig));
			case STOP:
				stop_current();
				break;
			case IGNORE:
			case CONTINUE:
				break;
			}
			continue;
		}
		if (handler == SIG_IGN)
			continue;
		if (push_handler_frame(p, tf, sig) < 0) {
			kprintf("brinch: pid %d (%s) killed: no room on its stack "
			    "for a SIG%s handler\n", p->pid, p->name, signal_name(sig));
			proc_exit(KILLED_STATUS(SIGSEGV));
		}
		/* One handler at a time: the next pending one is delivered
		 * when this one's sigreturn comes back through trap(). */
		return;
	}
}

/* pause(): sleep until a signal does something; always -EINTR. */
int
signal_pause(void)
{
	while (sleep_on(&pause_queue) == 0)
		;
	return -EINTR;
}

/* fork_return (trapentry.asm): a process about to run for the first time
 * may already have been sent a signal. */
void
signal_deliver_first(void)
{
	signal_deliver(current->tf);
}

int
signal_return(struct trapframe *tf)
{
	/* LAB signals: BEGIN sigreturn */
	struct proc *p = current;
	struct sigframe f;

	/* The handler's `ret` popped f.ret, so esp points at f.signo. */
	if (copy_from_user(p->pgdir, &f, tf->esp - 4, sizeof(f)) < 0) {
		kprintf("brinch: pid %d (%s) killed: sigreturn with a bad stack\n",
		    p->pid, p->name);
		proc_exit(KILLED_STATUS(SIGSEGV));
	}
	tf->edi = f.edi;
	tf->esi = f.esi;
	tf->ebp = f.ebp;
	tf->ebx = f.ebx;
	tf->edx = f.edx;
	tf->ecx = f.ecx;
	tf->eip = f.eip;
	tf->esp = f.esp;
	tf->eflags = (tf->eflags & ~USER_EFLAGS) | (f.eflags & USER_EFLAGS);
	p->sig_blocked = f.saved_blocked & ~SIG_UNCATCHABLE;
	return (int)f.eax;	/* syscall() puts this back in eax */
	/* LAB signals: END sigreturn */
}
