/*
 * Signals for user programs.  The numbers are the ABI's; SIG_DFL and
 * SIG_IGN are redefined as handler pointers, as in Unix, so that real
 * handler functions can be passed to signal() once the kernel has them.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>
#include <brinch/signal.h>

typedef void (*sighandler_t)(int);

#undef SIG_DFL
#undef SIG_IGN
#define SIG_DFL		((sighandler_t)0)
#define SIG_IGN		((sighandler_t)1)
#define SIG_ERR		((sighandler_t)-1)

/* A set of signals: bit n (sigmask(n)) stands for signal n. */
typedef uint32_t sigset_t;

/*
 * Set what happens when sig arrives; returns the previous setting, or
 * SIG_ERR.  Settings survive fork; exec keeps SIG_IGN but resets
 * handlers to SIG_DFL (their addresses mean nothing in a new program).
 */
sighandler_t	signal(int sig, sighandler_t handler);
int		kill(pid_t pid, int sig);

/* The full interface.  sa_handler holds SIG_DFL, SIG_IGN or a function
 * cast to uint32_t; libc fills in sa_restorer. */
int	sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int	sigprocmask(int how, const sigset_t *set, sigset_t *old);
int	sigpending(sigset_t *set);	/* blocked signals waiting */

#endif
