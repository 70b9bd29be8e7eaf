/*
 * Signals: posting (kill, faults, Ctrl-C, child exit, alarms) and delivery
 * on the way back to user mode, where a signal either takes its default
 * action (terminate, ignore, stop, continue) or runs a user handler on
 * the user stack.  sigreturn undoes the handler's frame.
 */
#ifndef SIGNAL_H
#define SIGNAL_H

#include <stdint.h>
#include "brinch/signal.h"

struct proc;
struct trapframe;

#define SIGBIT(sig)	(1u << (sig))
/* Signals that can be neither caught, blocked nor ignored. */
#define SIG_UNCATCHABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* Exit statuses in the Unix encoding that wait() reports. */
#define EXIT_STATUS(code)	(((code) & 0xFF) << 8)
#define KILLED_STATUS(sig)	((sig) & 0x7F)

extern int alarms_armed;		/* processes with an alarm set */

void	signal_init(void);
int	signal_valid(int sig);
int	signal_send(struct proc *p, int sig);	/* 0 or -EINVAL */
void	signal_force(struct proc *p, int sig);	/* for faults: cannot be ignored */
int	signal_set_action(struct proc *p, int sig, const struct sigaction *act,
	    struct sigaction *old);
int	signal_interrupts(struct proc *p);	/* would a pending signal act? */
int	signal_stop_sleeper(struct proc *p);	/* stop in place; 1 = resumed */
int	signal_is_fatal_default(struct proc *p, int sig);
void	signal_deliver(struct trapframe *tf);
void	signal_deliver_first(void);		/* fork_return, trapentry.asm */
int	signal_return(struct trapframe *tf);	/* sigreturn */
void	signal_fork(struct proc *child, struct proc *parent);
void	signal_reset_on_exec(struct proc *p);
void	signal_exit(struct proc *p);
uint32_t signal_set_alarm(struct proc *p, uint32_t seconds);
void	signal_expire_alarms(void);
int	signal_pause(void);
const char *signal_name(int sig);

#endif
