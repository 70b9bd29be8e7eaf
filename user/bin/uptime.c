/*
 * uptime: how long since boot, in seconds (from the microsecond clock)
 * and in timer ticks (100 per second).  The 64-bit divisions come from
 * libgcc, which user programs link.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <brinch.h>

int
main(void)
{
	struct timeval64 tv;
	int ticks;

	ticks = uptime(&tv);
	if (ticks < 0) {
		dprintf(2, "uptime: %s\n", strerror(errno));
		return 1;
	}
	/* Microseconds: boot itself takes only a few milliseconds. */
	printf("up %llu.%06u s, %d ticks\n",
	    (unsigned long long)(tv.usec / 1000000),
	    (unsigned)(tv.usec % 1000000), ticks);
	return 0;
}
