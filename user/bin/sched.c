/*
 * sched: show or change the scheduler.
 *	sched			policy, quantum, admission limit, counters
 *	sched rr|prio|mlfq [QUANTUM]
 *	sched maxrun N		admission limit (0 = none)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>

static const char *const policy_names[] = { "rr", "prio", "mlfq" };

static int
show(void)
{
	struct sched_info info;

	if (sched_get(&info) < 0) {
		dprintf(2, "sched: %s\n", strerror(errno));
		return 1;
	}
	printf("policy: %s\n", info.policy >= 0 && info.policy <= SCHED_MLFQ ?
	    policy_names[info.policy] : "?");
	printf("quantum: %u ticks (%u ms)\n", info.quantum, info.quantum * 1000 / info.hz);
	if (info.maxrun)
		printf("maxrun: %u (%u admitted, %u on the job queue)\n",
		    info.maxrun, info.admitted, info.job_queue);
	else
		printf("maxrun: none (%u admitted)\n", info.admitted);
	printf("context switches: %u\n", info.switches);
	return 0;
}

int
main(int argc, char *argv[])
{
	int policy;

	if (argc == 1)
		return show();
	if (argc == 3 && strcmp(argv[1], "maxrun") == 0) {
		if (sched_set(-1, 0, atoi(argv[2])) < 0) {
			dprintf(2, "sched maxrun: %s\n", strerror(errno));
			return 1;
		}
		return show();
	}
	for (policy = 0; policy <= SCHED_MLFQ; policy++)
		if (strcmp(argv[1], policy_names[policy]) == 0)
			break;
	if (policy > SCHED_MLFQ || argc > 3) {
		dprintf(2, "usage: sched [rr|prio|mlfq [QUANTUM]] | sched maxrun N\n");
		return 2;
	}
	if (sched_set(policy, argc == 3 ? (unsigned)atoi(argv[2]) : 0, -1) < 0) {
		dprintf(2, "sched: %s\n", strerror(errno));
		return 1;
	}
	return show();
}
