/*
 * Signal numbers (Linux/i386 values) and dispositions.  The kernel side
 * lives in kernel/signal.c; user programs include this via <signal.h>.
 */
#ifndef BRINCH_SIGNAL_H
#define BRINCH_SIGNAL_H

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define NSIG		32	/* valid numbers are 1..NSIG-1 */

/* Dispositions for signal(); a handler address is any other value. */
#define SIG_DFL		0
#define SIG_IGN		1

#include <stdint.h>

/* sigaction(): what to do with a signal.  sa_restorer is filled in by
 * libc with its sigreturn trampoline (user/lib/sigtramp.asm): a handler
 * returns there, and the trampoline asks the kernel to restore the
 * registers the signal interrupted. */
struct sigaction {
	uint32_t sa_handler;	/* SIG_DFL, SIG_IGN or a function address */
	uint32_t sa_mask;	/* extra signals blocked while it runs */
	uint32_t sa_flags;	/* SA_* below */
	uint32_t sa_restorer;	/* where the handler returns to */
};

#define SA_NODEFER	0x40000000	/* don't block the signal in its handler */
#define SA_RESETHAND	0x80000000	/* back to SIG_DFL once delivered */

/* sigprocmask() how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define sigmask(sig)	(1u << (sig))

#endif
