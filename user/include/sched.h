/*
 * Scheduling calls for user programs (kernel/sys_sched.c): choose the
 * short-term policy, the admission limit, nice values; suspend and resume
 * processes; read one process's PCB snapshot.  -1 and errno on failure.
 */
#ifndef _SCHED_H
#define _SCHED_H

#include <sys/types.h>
#include <brinch/types.h>

/* policy: SCHED_RR, SCHED_PRIO, SCHED_MLFQ or -1 to keep it; quantum in
 * ticks or 0 to keep it; maxrun 0 = no limit, -1 to keep it. */
int	sched_set(int policy, unsigned int quantum, int maxrun);
int	sched_get(struct sched_info *info);
int	nice(pid_t pid, int value);	/* pid 0 = self; returns the old value */
int	suspend(pid_t pid);
int	resume(pid_t pid);
int	procinfo(pid_t pid, struct proc_info *info);	/* pid 0 = self */

#endif
