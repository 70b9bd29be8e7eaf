/*
 * burn: CPU-bound jobs for the load balancer (docs/loadbal.md).
 *   burn MS           burn MS ms of CPU time, then exit, saying which
 *                     nodes it ran on (its exit status: how many moves)
 *   burn -n N MS      start N such jobs at once and wait for them all:
 *                     each one's turnaround and the mean and longest
 * The launcher measures turnaround, start to exit, on its own clock: a
 * job that moved has read other nodes' clocks, which started at other
 * times, and its exit comes back here (the job's home) anyway.
 * tests/integration/test_loadbal.py runs it with and without loadbald.
 *
 * A job's size is CPU time as the kernel counts it (ticks), like spin's,
 * not a number of loop iterations: under QEMU an iteration's cost
 * depends on how busy the host is, and three emulated nodes share the
 * host's cores, so a count of iterations would measure the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dist.h>
#include <sched.h>
#include <sys/wait.h>

#define MAXJOBS		32
#define MAXHOPS		8

static volatile uint32_t sink;

static void
usage(void)
{
	dprintf(2, "usage: burn MS\n       burn -n N MS\n");
	exit(2);
}

/* One job: returns (as its exit status) how many times it moved. */
static int
job(int ms)
{
	struct proc_info me;
	uint32_t want = (uint32_t)(ms > 0 ? ms : 1) / 10, i;
	int path[MAXHOPS], hops = 0, here = dist_node(), n, k;
	char line[80];

	path[hops++] = here;
	for (;;) {
		for (i = 0; i < 100000; i++)
			sink += i;
		if (procinfo(0, &me) < 0)
			return 255;
		/* The node's number changes under us when we are moved. */
		if ((n = dist_node()) != here) {
			here = n;
			if (hops < MAXHOPS)
				path[hops++] = n;
		}
		if (me.user_ticks + me.sys_ticks >= want)
			break;
	}
	n = snprintf(line, sizeof(line), "burn: pid %d: %d ms of CPU, ran on node", getpid(), ms);
	for (k = 0; k < hops && n < (int)sizeof(line); k++)
		n += snprintf(line + n, sizeof(line) - n, "%s%d", k ? " then " : " ", path[k]);
	printf("%s\n", line);
	return hops - 1;
}

/* N jobs at once; their turnarounds on our clock. */
static int
launch(int njobs, int ms)
{
	pid_t pids[MAXJOBS];
	uint64_t start[MAXJOBS], total = 0, longest = 0, t;
	int i, done, status, moves = 0;
	pid_t pid;

	for (i = 0; i < njobs; i++) {
		start[i] = uptime_us();
		if ((pids[i] = fork()) == 0)
			exit(job(ms));
		if (pids[i] < 0) {
			printf("burn: fork: %s\n", strerror(errno));
			njobs = i;
			break;
		}
	}
	for (done = 0; done < njobs; done++) {
		if ((pid = waitpid(-1, &status, 0)) < 0) {
			printf("burn: waitpid: %s\n", strerror(errno));
			return 1;
		}
		for (i = 0; i < njobs && pids[i] != pid; i++)
			;
		if (i == njobs)
			continue;
		t = uptime_us() - start[i];
		total += t;
		if (t > longest)
			longest = t;
		moves += WIFEXITED(status) ? WEXITSTATUS(status) : 0;
		printf("burn: job %d (pid %d) done: turnaround %u ms, moved %d time%s\n",
		    i + 1, pid, (unsigned)(t / 1000),
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		    WIFEXITED(status) && WEXITSTATUS(status) == 1 ? "" : "s");
	}
	printf("burn: %d jobs of %d ms: mean turnaround %u ms, longest %u ms, %d moves\n",
	    njobs, ms, njobs ? (unsigned)(total / njobs / 1000) : 0,
	    (unsigned)(longest / 1000), moves);
	return 0;
}

int
main(int argc, char **argv)
{
	int njobs;

	if (argc == 2)
		return job(atoi(argv[1]));
	if (argc != 4 || strcmp(argv[1], "-n") != 0)
		usage();
	njobs = atoi(argv[2]);
	if (njobs < 1 || njobs > MAXJOBS)
		usage();
	return launch(njobs, atoi(argv[3]));
}
