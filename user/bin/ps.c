/*
 * ps: one line per process from the ps() system call: ids, scheduling
 * state, CPU ticks used, memory, pending and blocked signals (masks in
 * hex, bit n for signal n), and what a waiting process waits on.
 * Migration (docs/migration.md) shows in the last column: "moved to
 * node N" for a process that left (its deputy here), "from H:P" for one
 * that arrived as process P of node H.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <brinch.h>

#define MAX_SHOWN	128

static const char *
state_name(int32_t state)
{
	switch (state) {
	case PSTATE_NEW:	return "NEW";
	case PSTATE_READY:	return "READY";
	case PSTATE_RUNNING:	return "RUNNING";
	case PSTATE_WAITING:	return "WAITING";
	case PSTATE_ZOMBIE:	return "ZOMBIE";
	case PSTATE_SUSPENDED:	return "SUSPENDED";
	case PSTATE_MOVED:	return "MOVED";
	default:		return "?";
	}
}

int
main(void)
{
	static struct proc_info procs[MAX_SHOWN];
	int n;

	n = ps(procs, MAX_SHOWN);
	if (n < 0) {
		dprintf(2, "ps: %s\n", strerror(errno));
		return 1;
	}
	printf("%5s %5s %-9s %4s %7s %7s %8s %8s %-16s %s\n",
	    "PID", "PPID", "STATE", "PRI", "TICKS", "MEM", "PEND", "BLOCK",
	    "NAME", "WAIT");
	for (int i = 0; i < n; i++) {
		struct proc_info *p = &procs[i];

		/* The kernel fills the strings; make sure they end. */
		p->name[PROC_NAME_LEN - 1] = '\0';
		p->wait_on[WAIT_NAME_LEN - 1] = '\0';
		printf("%5d %5d %-9s %4d %7u %6uK %08x %08x ",
		    (int)p->pid, (int)p->ppid, state_name(p->state),
		    (int)p->priority, (unsigned)(p->user_ticks + p->sys_ticks),
		    (unsigned)(p->mem_bytes / 1024),
		    (unsigned)p->sig_pending, (unsigned)p->sig_blocked);
		/* Waiting, on the job queue, or suspended while blocked. */
		if (p->state == PSTATE_MOVED)
			printf("%-16s moved to node %d\n", p->name, (int)p->node);
		else if (p->home >= 0)
			printf("%-16s %s%sfrom %d:%d\n", p->name, p->wait_on,
			    p->wait_on[0] ? " " : "", (int)p->home, (int)p->home_pid);
		else if (p->wait_on[0])
			printf("%-16s %s\n", p->name, p->wait_on);
		else
			printf("%s\n", p->name);
	}
	return 0;
}
