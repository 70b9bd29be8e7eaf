/*
 * spin: a CPU-bound process for scheduling experiments.  `spin MS` burns
 * MS milliseconds of its own CPU time (as the kernel counts it), then
 * reports how long that took from start to end and how much of it was
 * spent waiting on the ready queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <brinch.h>
#include <sched.h>

static volatile uint32_t sink;

int
main(int argc, char *argv[])
{
	struct proc_info me;
	uint32_t want_ticks, i;
	uint64_t start = uptime_us();
	int ms = argc > 1 ? atoi(argv[1]) : 1000;

	want_ticks = (uint32_t)(ms > 0 ? ms : 1) / 10;
	for (;;) {
		for (i = 0; i < 100000; i++)
			sink += i;
		if (procinfo(0, &me) < 0)
			return 1;
		if (me.user_ticks + me.sys_ticks >= want_ticks)
			break;
	}
	printf("spin: pid %d done: %d ms of CPU in %u ms, %u ms waiting\n",
	    getpid(), ms, (unsigned)((uptime_us() - start) / 1000),
	    me.ready_us / 1000);
	return 0;
}
