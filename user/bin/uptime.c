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
	uint64_t centiseconds;
	int ticks;

	ticks = uptime(&tv);
	if (ticks < 0) {
		dprintf(2, "uptime: %s\n", strerror(errno));
		return 1;
	}
	centiseconds = tv.usec / 10000;
	printf("up %llu.%02u s, %d ticks\n",
	    (unsigned long long)(centiseconds / 100),
	    (unsigned)(centiseconds % 100), ticks);
	return 0;
}
