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

#endif
