/*
 * Signals (see signal.h).  Posting sets a bit in the target's pending
 * mask and, if the target is asleep and the signal will do something,
 * wakes it so its system call returns -EINTR.  The action happens later,
 * in signal_deliver(), just before the target returns to user mode.
 */
#include "kernel.h"
#include "proc.h"
#include "trap.h"
#include "signal.h"

enum default_action { TERMINATE, IGNORE, STOP, CONTINUE };

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

/* Would signal sig, if delivered to p now, have any effect? */
static int
signal_acts(struct proc *p, int sig)
{
	uint32_t action = p->sig_action[sig];

	if (sig == SIGKILL)
		return 1;
	if (action == SIG_IGN)
		return 0;
	if (action == SIG_DFL)
		return default_action(sig) == TERMINATE;
	return 1;
}

int
signal_interrupts(struct proc *p)
{
	uint32_t live = p->sig_pending & (~p->sig_blocked | SIGBIT(SIGKILL));
	int sig;

	for (sig = 1; sig < NSIG; sig++)
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
	if (!signal_acts(p, sig))
		return 0;		/* ignored signals are discarded at once */
	p->sig_pending |= SIGBIT(sig);
	if (p->state == WAITING && signal_interrupts(p))
		wake_process(p);
	return 0;
}

void
signal_force(struct proc *p, int sig)
{
	p->sig_action[sig] = SIG_DFL;
	p->sig_blocked &= ~SIGBIT(sig);
	signal_send(p, sig);
}

int
signal_is_fatal_default(struct proc *p, int sig)
{
	return (p->sig_action[sig] == SIG_DFL || p->sig_action[sig] == SIG_IGN) &&
	    default_action(sig) == TERMINATE;
}

int
signal_set_action(struct proc *p, int sig, uint32_t action, uint32_t *old)
{
	if (!signal_valid(sig) || sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	if (action != SIG_DFL && action != SIG_IGN)
		return -EINVAL;		/* user handlers: not yet */
	if (old)
		*old = p->sig_action[sig];
	p->sig_action[sig] = action;
	if (!signal_acts(p, sig))
		p->sig_pending &= ~SIGBIT(sig);
	return 0;
}

/* Unix: exec keeps "ignore" but handlers make no sense in a new image. */
void
signal_reset_on_exec(struct proc *p)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (p->sig_action[sig] != SIG_IGN)
			p->sig_action[sig] = SIG_DFL;
}

void
signal_deliver(struct trapframe *tf)
{
	struct proc *p = current;
	uint32_t live;
	int sig;

	while ((live = p->sig_pending & (~p->sig_blocked | SIGBIT(SIGKILL)))) {
		for (sig = 1; !(live & SIGBIT(sig)); sig++)
			;
		p->sig_pending &= ~SIGBIT(sig);
		if (signal_acts(p, sig) && default_action(sig) == TERMINATE)
			proc_exit(KILLED_STATUS(sig));
		/* STOP and CONTINUE need the stopped state: not yet. */
	}
}
