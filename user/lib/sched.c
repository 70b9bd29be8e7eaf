/*
 * Wrappers for the scheduling system calls (user/include/sched.h); the
 * kernel side is kernel/sys_sched.c.
 */
#include <sched.h>
#include "user/lib/syscall.h"

int
sched_set(int policy, unsigned int quantum, int maxrun)
{
	return unix_result(syscall5(SYS_sched_set, policy, (int)quantum, maxrun, 0, 0));
}

int
sched_get(struct sched_info *info)
{
	return unix_result(syscall5(SYS_sched_get, (int)info, 0, 0, 0, 0));
}

int
nice(pid_t pid, int value)
{
	return unix_result(syscall5(SYS_nice, pid, value, 0, 0, 0));
}

int
suspend(pid_t pid)
{
	return unix_result(syscall5(SYS_suspend, pid, 0, 0, 0, 0));
}

int
resume(pid_t pid)
{
	return unix_result(syscall5(SYS_resume, pid, 0, 0, 0, 0));
}

int
procinfo(pid_t pid, struct proc_info *info)
{
	return unix_result(syscall5(SYS_procinfo, pid, (int)info, 0, 0, 0));
}
