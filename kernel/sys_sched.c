/*
 * Scheduling system calls: choose the policy and quantum, the admission
 * limit, a process's nice value; suspend and resume; read one PCB.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "sched.h"
#include "sched_policy.h"
#include "sched_admit.h"
#include "syscall.h"

extern uint32_t context_switches;

/* policy -1 / quantum 0 / maxrun -1 keep the current setting. */
int
sys_sched_set(uint32_t policy, uint32_t quantum, uint32_t maxrun)
{
	int err;

	if ((int)policy != -1 && ((int)policy < 0 || (int)policy > SCHED_MLFQ))
		return -EINVAL;
	if ((int)maxrun != -1 && (err = admit_set_maxrun(maxrun)) < 0)
		return err;
	return policy_set((int)policy == -1 ? sched_policy : (int)policy, quantum);
}

int
sys_sched_get(uint32_t uinfo)
{
	struct sched_info info;

	memset(&info, 0, sizeof(info));
	info.policy = sched_policy;
	info.quantum = sched_quantum;
	info.maxrun = admit_maxrun;
	info.hz = TIMER_HZ;
	info.admitted = admitted;
	info.job_queue = admit_waiting();
	info.switches = context_switches;
	return copy_to_user(current->pgdir, uinfo, &info, sizeof(info));
}

static struct proc *
target(uint32_t pid)
{
	struct proc *p = pid == 0 ? current : proc_find((int)pid);

	return p && p->state != ZOMBIE ? p : NULL;
}

int
sys_nice(uint32_t pid, uint32_t value)
{
	struct proc *p = target(pid);
	int old;

	if (!p)
		return -ESRCH;
	if ((int)value < -20 || (int)value > 19)
		return -EINVAL;
	old = p->nice;
	p->nice = (int)value;
	return old;
}

int
sys_suspend(uint32_t pid)
{
	struct proc *p = target(pid);

	return p ? proc_suspend(p) : -ESRCH;
}

int
sys_resume(uint32_t pid)
{
	struct proc *p = target(pid);

	return p ? proc_resume(p) : -ESRCH;
}

int
sys_procinfo(uint32_t pid, uint32_t uinfo)
{
	struct proc_info info;
	struct proc *p = pid == 0 ? current : proc_find((int)pid);

	if (!p)
		return -ESRCH;
	proc_snapshot(p, &info);
	return copy_to_user(current->pgdir, uinfo, &info, sizeof(info));
}
