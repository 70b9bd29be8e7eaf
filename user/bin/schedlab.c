/*
 * schedlab: experiments that tell the scheduling policies apart, for the
 * sched lab's grader (docs/labs/sched.md).  Each prints result lines that
 * start with "schedlab MODE:".
 *	schedlab prio	 under prio: a nice -10 child started after a nice 10
 *			 one finishes first, having hardly waited
 *	schedlab demote	 under mlfq: the levels two CPU-bound children pass
 *	schedlab slices	 under mlfq: longest uninterrupted run of a CPU-bound
 *			 child (level 2 gets four quanta)
 *	schedlab aging	 under mlfq: CPU a level-2 child still gets next to
 *			 two interactive children that never leave level 0
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <brinch.h>
#include <sched.h>

/* A pause longer than a tick in a spin loop: another process ran.  (The
 * host can stall QEMU for a few milliseconds: shorter ones are noise.) */
#define GAP_US		10000

static volatile uint32_t sink;

/* CPU ticks (10 ms each) a process has used, or -1 if it is gone. */
static int
cpu_ticks(int pid)
{
	struct proc_info pi;

	if (procinfo(pid, &pi) < 0)
		return -1;
	return (int)(pi.user_ticks + pi.sys_ticks);
}

static int
level_of(int pid)
{
	struct proc_info pi;

	return procinfo(pid, &pi) < 0 ? -1 : pi.level;
}

/* Compute until this process has used `ms` more of CPU time, as the
 * kernel counts it (time spent READY does not count). */
static void
burn_cpu(int ms)
{
	int until = cpu_ticks(0) + ms / 10;
	uint32_t i;

	while (cpu_ticks(0) < until)
		for (i = 0; i < 20000; i++)
			sink += i;
}

/* Compute for `ms` of wall-clock time. */
static void
burn_wall(int ms)
{
	uint64_t until = uptime_us() + (uint64_t)ms * 1000;

	while (uptime_us() < until)
		sink++;
}

static int
spawn(void (*body)(int), int arg)
{
	int pid = fork();

	if (pid < 0) {
		printf("schedlab: fork failed\n");
		exit(1);
	}
	if (pid == 0) {
		body(arg);
		exit(0);
	}
	return pid;
}

static void
kill_and_reap(int pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* ---- prio -------------------------------------------------------------- */

static void
prio_child(int value)
{
	nice(0, value);
	burn_cpu(300);
}

/* The low-priority child runs alone for a while; then a high-priority one
 * with as much work arrives.  Under prio it takes the CPU at once and
 * keeps it, so it finishes first; round robin would share the CPU and
 * the low one, with its head start, would finish first. */
static int
mode_prio(void)
{
	struct proc_info pi;
	int low, high, pid, waited_high = -1, waited_low = -1;
	const char *first = NULL;

	low = spawn(prio_child, 10);
	msleep(50);			/* low is running now */
	high = spawn(prio_child, -10);
	while ((pid = waitpid(-1, NULL, WNOWAIT)) > 0) {
		/* WNOWAIT: the zombie's PCB still has its waiting time. */
		if (procinfo(pid, &pi) == 0) {
			if (pid == high)
				waited_high = (int)(pi.ready_us / 1000);
			else if (pid == low)
				waited_low = (int)(pi.ready_us / 1000);
		}
		if (!first)
			first = pid == high ? "high" : "low";
		waitpid(pid, NULL, 0);
	}
	printf("schedlab prio: first to finish: %s\n", first ? first : "?");
	printf("schedlab prio: high waited %d ms, low waited %d ms\n",
	    waited_high, waited_low);
	return 0;
}

/* ---- demote ------------------------------------------------------------ */

static void
cpu_child(int ms)
{
	burn_cpu(ms);
}

/* Two CPU-bound children use up slice after slice; sample their levels. */
static int
mode_demote(void)
{
	int pids[2], seen[MLFQ_LEVELS] = { 0 }, i, lv, max = 0, round;

	for (i = 0; i < 2; i++)
		pids[i] = spawn(cpu_child, 1200);
	/* Sample seldom: each time we wake up we take the CPU from them
	 * (level 0 beats their level), and a slice cut short is no reason
	 * to demote. */
	for (round = 0; round < 12; round++) {
		msleep(250);
		for (i = 0; i < 2; i++) {
			if ((lv = level_of(pids[i])) >= 0 && lv < MLFQ_LEVELS) {
				seen[lv] = 1;
				if (lv > max)
					max = lv;
			}
		}
		if (max == MLFQ_LEVELS - 1)
			break;
	}
	for (i = 0; i < 2; i++)
		kill_and_reap(pids[i]);
	printf("schedlab demote: levels seen:");
	for (i = 0; i < MLFQ_LEVELS; i++)
		if (seen[i])
			printf(" %d", i);
	printf("\nschedlab demote: max level %d\n", max);
	return 0;
}

/* ---- slices ------------------------------------------------------------ */

/* Spin for `ms` of CPU, timing each stretch without a pause: a pause
 * longer than GAP_US means another process had the CPU.  Only the first
 * two thirds count: by then the other child still has work, so a long
 * stretch is a long slice, not the CPU left to the last one. */
static void
slice_child(int ms)
{
	int until = cpu_ticks(0) + ms / 10, measure_until = cpu_ticks(0) + ms * 2 / 30;
	uint64_t now, last = uptime_us(), run_start = last, longest = 0;

	while (cpu_ticks(0) < until) {
		sink++;
		now = uptime_us();
		if (now - last > GAP_US)	/* we were off the CPU */
			run_start = now;
		else if (now - run_start > longest && cpu_ticks(0) < measure_until)
			longest = now - run_start;
		last = now;
	}
	printf("schedlab slices: pid %d longest run %u ms\n", getpid(),
	    (unsigned)(longest / 1000));
}

static int
mode_slices(void)
{
	int i;

	for (i = 0; i < 2; i++)
		spawn(slice_child, 1200);
	while (waitpid(-1, NULL, 0) > 0)
		;
	printf("schedlab slices: done\n");
	return 0;
}

/* ---- aging ------------------------------------------------------------- */

static void
forever_cpu(int unused)
{
	for (;;)
		sink++;
}

/* Interactive: short bursts, well under a quantum, between short sleeps;
 * two of these keep level 0 busy all the time. */
static void
interactive_child(int unused)
{
	for (;;) {
		burn_wall(25);
		msleep(10);
	}
}

static int
mode_aging(void)
{
	int hog, a, b, t0, t1, round, level = -1;

	/* First let the hog sink to the bottom level: we wake up every
	 * 150 ms, longer than a level-0 or level-1 slice, so each time the
	 * hog has used a whole slice when it makes way, and is demoted. */
	hog = spawn(forever_cpu, 0);
	for (round = 0; round < 20 && level != MLFQ_LEVELS - 1; round++) {
		msleep(150);
		level = level_of(hog);
	}
	if (level != MLFQ_LEVELS - 1) {
		kill_and_reap(hog);
		printf("schedlab aging: the CPU-bound child never reached level %d\n",
		    MLFQ_LEVELS - 1);
		return 1;
	}
	/* Now two interactive processes keep level 0 busy; without aging
	 * the hog never runs again. */
	a = spawn(interactive_child, 0);
	b = spawn(interactive_child, 0);
	t0 = cpu_ticks(hog);
	msleep(2500);
	t1 = cpu_ticks(hog);
	kill_and_reap(a);
	kill_and_reap(b);
	kill_and_reap(hog);
	printf("schedlab aging: level-%d child got %d ticks of CPU in 2500 ms\n",
	    MLFQ_LEVELS - 1, t1 - t0);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "prio") == 0)
		return mode_prio();
	if (strcmp(mode, "demote") == 0)
		return mode_demote();
	if (strcmp(mode, "slices") == 0)
		return mode_slices();
	if (strcmp(mode, "aging") == 0)
		return mode_aging();
	dprintf(2, "usage: schedlab prio|demote|slices|aging\n");
	return 2;
}
