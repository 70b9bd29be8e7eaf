/*
 * The long-term and medium-term schedulers.  Long-term: an admission
 * limit on the degree of multiprogramming (`maxrun=`); processes over the
 * limit wait in NEW on the job queue.  Medium-term: suspend/resume takes
 * a process off the ready queue (SUSPENDED) and puts it back.
 */
#ifndef SCHED_ADMIT_H
#define SCHED_ADMIT_H

#include <stdint.h>

struct proc;

extern uint32_t admit_maxrun;		/* 0 = no limit */
extern uint32_t admitted;		/* processes past admission */

void	admit_init(void);
void	admit(struct proc *p);		/* a new process: ready or job queue */
void	admit_leave(struct proc *p);	/* p exited: admit the next */
int	admit_set_maxrun(uint32_t maxrun);
uint32_t admit_waiting(void);		/* on the job queue */

int	proc_suspend(struct proc *p);
int	proc_resume(struct proc *p);

#endif
