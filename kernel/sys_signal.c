/*
 * Signal system calls: the user-facing side of signal.c.  Each copies its
 * arguments in, checks them, and leaves the mechanism to signal.c.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "signal.h"
#include "syscall.h"
#include "brinch/dist.h"

int
sys_kill(uint32_t pid, uint32_t sig)
{
	struct proc *p;

	if (sig != 0 && !signal_valid((int)sig))
		return -EINVAL;
	if ((int)pid <= 0)
		return -ESRCH;
	/*
	 * A global pid names its node, and a process away from home names
	 * processes in its home's pid space: the migration layer finds such
	 * a process, here or elsewhere (a signal for another node is sent
	 * there, so kill cannot tell whether that process exists).
	 */
	if (migrate_hooks && (DIST_IS_GLOBAL(pid) || current->home >= 0)) {
		if (!DIST_IS_GLOBAL(pid))
			return migrate_hooks->kill(current->home, (int)pid, (int)sig);
		if (DIST_NODE(pid) > DIST_NODE_MAX)
			return -ESRCH;
		return migrate_hooks->kill(DIST_NODE(pid), DIST_LOCAL(pid), (int)sig);
	}
	p = proc_find((int)pid);
	if (!p || p->state == ZOMBIE)
		return -ESRCH;
	if (sig == 0)
		return 0;		/* only asks whether pid exists */
	if (p == init_proc)
		return -EPERM;		/* init must outlive everything */
	return signal_send(p, (int)sig);
}

/* The classic call: only SIG_DFL and SIG_IGN (a handler needs libc's
 * trampoline, so libc's signal() goes through sigaction instead). */
int
sys_signal(uint32_t sig, uint32_t action)
{
	struct sigaction act, old;
	int err;

	if (action != SIG_DFL && action != SIG_IGN)
		return -EINVAL;
	memset(&act, 0, sizeof(act));
	act.sa_handler = action;
	if ((err = signal_set_action(current, (int)sig, &act, &old)) < 0)
		return err;
	return (int)old.sa_handler;
}

int
sys_sigaction(uint32_t sig, uint32_t uact, uint32_t uold)
{
	struct sigaction act, old;
	int err;

	if (uact && copy_from_user(current->pgdir, &act, uact, sizeof(act)) < 0)
		return -EFAULT;
	if (uold && !user_range_ok(current->pgdir, uold, sizeof(old), 1))
		return -EFAULT;
	if ((err = signal_set_action(current, (int)sig, uact ? &act : NULL, &old)) < 0)
		return err;
	if (uold)
		copy_to_user(current->pgdir, uold, &old, sizeof(old));
	return 0;
}

int
sys_sigprocmask(uint32_t how, uint32_t uset, uint32_t uold)
{
	uint32_t set, old = current->sig_blocked;

	if (uold && copy_to_user(current->pgdir, uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (!uset)
		return 0;
	if (copy_from_user(current->pgdir, &set, uset, sizeof(set)) < 0)
		return -EFAULT;
	switch (how) {
	case SIG_BLOCK:
		current->sig_blocked |= set;
		break;
	case SIG_UNBLOCK:
		current->sig_blocked &= ~set;
		break;
	case SIG_SETMASK:
		current->sig_blocked = set;
		break;
	default:
		return -EINVAL;
	}
	current->sig_blocked &= ~(SIG_UNCATCHABLE | 1u);	/* bit 0 is no signal */
	return 0;
}

int
sys_sigreturn(void)
{
	return signal_return(current->tf);
}

int
sys_alarm(uint32_t seconds)
{
	if (seconds > 86400 * 365)
		return -EINVAL;
	return (int)signal_set_alarm(current, seconds);
}

int
sys_pause(void)
{
	return signal_pause();
}

int
sys_sigpending(uint32_t uset)
{
	return copy_to_user(current->pgdir, uset, &current->sig_pending,
	    sizeof(current->sig_pending));
}
