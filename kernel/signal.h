/*
 * Signals: posting (kill, faults, Ctrl-C, child exit) and delivery on the
 * way back to user mode.  This is the teaching-sized core: default
 * actions and SIG_IGN.  User handlers are listed in docs/signals.md as the
 * next step.
 */
#ifndef SIGNAL_H
#define SIGNAL_H

#include <stdint.h>
#include "brinch/signal.h"

struct proc;
struct trapframe;

#define SIGBIT(sig)	(1u << (sig))

/* Exit statuses in the Unix encoding that wait() reports. */
#define EXIT_STATUS(code)	(((code) & 0xFF) << 8)
#define KILLED_STATUS(sig)	((sig) & 0x7F)

int	signal_valid(int sig);
int	signal_send(struct proc *p, int sig);	/* 0 or -EINVAL */
void	signal_force(struct proc *p, int sig);	/* for faults: cannot be ignored */
int	signal_set_action(struct proc *p, int sig, uint32_t action, uint32_t *old);
int	signal_interrupts(struct proc *p);	/* would a pending signal act? */
int	signal_is_fatal_default(struct proc *p, int sig);
void	signal_deliver(struct trapframe *tf);
void	signal_reset_on_exec(struct proc *p);

#endif
