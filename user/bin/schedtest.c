/*
 * schedtest: the textbook's scheduling experiment.  Starts CPU-bound
 * children (pure computation) and I/O-bound children (short bursts
 * between sleeps) at the same moment and reports, for each, turnaround
 * time (fork to exit) and waiting time (time spent READY, from the
 * kernel's PCB), then averages per kind.  Compare `sched rr`, `sched prio`
 * and `sched mlfq`.  `schedtest -j [WORK]` prints JSON lines for make
 * bench; WORK, the loop iterations of a CPU-bound child, shortens the run
 * (the I/O-bound ones do a hundredth of it per burst).
 * `schedtest -a` shows the long-term scheduler instead: with room for
 * two more processes, four children are forked; two run, two wait in
 * NEW on the job queue until the first two exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <brinch.h>
#include <sched.h>

#define NCPU		3
#define NIO		2
#define CPU_WORK	200000000	/* loop iterations per CPU-bound child */
#define IO_ROUNDS	10		/* bursts per I/O-bound child */
#define IO_SLEEP_MS	20

struct child {
	int      pid;
	int      io_bound;
	uint64_t started_us;
	uint64_t turnaround_us;
	uint32_t waiting_us;
	uint32_t cpu_ticks;
};

static volatile uint32_t sink;
static uint32_t cpu_work = CPU_WORK;

static void
burn(uint32_t iterations)
{
	uint32_t i;

	for (i = 0; i < iterations; i++)
		sink += i;
}

static void
run_child(int io_bound)
{
	int round;

	if (!io_bound) {
		burn(cpu_work);
		exit(0);
	}
	for (round = 0; round < IO_ROUNDS; round++) {
		burn(cpu_work / 100);
		msleep(IO_SLEEP_MS);
	}
	exit(0);
}

static const char *
policy_name(int policy)
{
	static const char *const names[] = { "rr", "prio", "mlfq" };

	return policy >= 0 && policy <= SCHED_MLFQ ? names[policy] : "?";
}

/* Averages of one kind, in milliseconds. */
static void
report_kind(struct child *c, int n, int io_bound, int json, const char *policy)
{
	uint64_t turnaround = 0, waiting = 0;
	int i, count = 0;

	for (i = 0; i < n; i++) {
		if (c[i].io_bound != io_bound)
			continue;
		turnaround += c[i].turnaround_us;
		waiting += c[i].waiting_us;
		count++;
	}
	turnaround /= (uint64_t)count * 1000;
	waiting /= (uint64_t)count * 1000;
	if (json)
		printf("{\"bench\": \"sched_%s_%s\", \"turnaround_ms\": %u, "
		    "\"waiting_ms\": %u, \"children\": %d, \"unit\": \"ms\"}\n",
		    policy, io_bound ? "io" : "cpu", (unsigned)turnaround,
		    (unsigned)waiting, count);
	else
		printf("schedtest: %s-bound: average turnaround %u ms, "
		    "average waiting %u ms\n", io_bound ? "io" : "cpu",
		    (unsigned)turnaround, (unsigned)waiting);
}

/* How many of our children are in `state`, and (for NEW) on the job queue. */
static int
count_children(int state)
{
	static struct proc_info procs[64];
	int i, n, count = 0, me = getpid();

	n = ps(procs, 64);
	for (i = 0; i < n; i++) {
		if (procs[i].ppid != me || procs[i].state != state)
			continue;
		if (state == PSTATE_NEW && strcmp(procs[i].wait_on, "job queue") != 0)
			continue;
		count++;
	}
	return count;
}

static int
admission_demo(void)
{
	struct sched_info info;
	int i, pid, status, ok = 1, queued, running;

	if (sched_get(&info) < 0 || info.maxrun != 0) {
		dprintf(2, "schedtest: -a needs maxrun unset (sched maxrun 0)\n");
		return 1;
	}
	/* We are admitted ourselves: leave room for exactly two more. */
	if (sched_set(-1, 0, (int)info.admitted + 2) < 0)
		return 1;
	for (i = 0; i < 4; i++) {
		if ((pid = fork()) < 0)
			ok = 0;
		else if (pid == 0) {
			burn(CPU_WORK / 10);
			exit(0);
		}
	}
	queued = count_children(PSTATE_NEW);
	running = count_children(PSTATE_READY) + count_children(PSTATE_RUNNING);
	printf("schedtest: admitted %d, job queue %d\n", running, queued);
	if (queued != 2 || running != 2)
		ok = 0;
	for (i = 0; i < 4; i++)
		if (waitpid(-1, &status, 0) < 0 || status != 0)
			ok = 0;
	sched_set(-1, 0, 0);
	printf("schedtest: admission %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	struct child children[NCPU + NIO];
	struct sched_info info;
	struct proc_info pi;
	int i, n = NCPU + NIO, json = argc > 1 && strcmp(argv[1], "-j") == 0;
	int pid, status, done;

	if (argc > 1 && strcmp(argv[1], "-a") == 0)
		return admission_demo();
	if (json && argc > 2 && (cpu_work = (uint32_t)atoi(argv[2])) == 0) {
		dprintf(2, "usage: schedtest [-a | -j [WORK]]\n");
		return 2;
	}
	if (sched_get(&info) < 0)
		return 1;
	for (i = 0; i < n; i++) {
		children[i].io_bound = i >= NCPU;
		children[i].started_us = uptime_us();
		if ((pid = fork()) < 0) {
			dprintf(2, "schedtest: fork failed\n");
			return 1;
		}
		if (pid == 0)
			run_child(children[i].io_bound);
		children[i].pid = pid;
	}
	for (done = 0; done < n; done++) {
		/* WNOWAIT: the zombie's PCB still holds its statistics. */
		if ((pid = waitpid(-1, &status, WNOWAIT)) < 0)
			return 1;
		for (i = 0; i < n && children[i].pid != pid; i++)
			;
		if (i == n)
			return 1;
		children[i].turnaround_us = uptime_us() - children[i].started_us;
		if (procinfo(pid, &pi) == 0) {
			children[i].waiting_us = pi.ready_us;
			children[i].cpu_ticks = pi.user_ticks + pi.sys_ticks;
		}
		waitpid(pid, &status, 0);
	}
	if (!json) {
		printf("schedtest: policy %s, quantum %u ticks\n",
		    policy_name(info.policy), info.quantum);
		printf("  PID KIND  TURNAROUND(ms) WAITING(ms) CPU(ticks)\n");
		for (i = 0; i < n; i++)
			printf("%5d %-4s %15u %11u %10u\n", children[i].pid,
			    children[i].io_bound ? "io" : "cpu",
			    (unsigned)(children[i].turnaround_us / 1000),
			    children[i].waiting_us / 1000, children[i].cpu_ticks);
	}
	report_kind(children, n, 0, json, policy_name(info.policy));
	report_kind(children, n, 1, json, policy_name(info.policy));
	return 0;
}
