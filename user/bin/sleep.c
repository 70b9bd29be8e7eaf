/*
 * sleep: pause for a number of seconds, which may have a fraction
 * ("sleep 0.5").  Parsed by hand into milliseconds: no floating point.
 * Stopped and continued (kill -STOP, kill -CONT), it sleeps on for the
 * time that is left, as Unix sleep does.
 */
#include <errno.h>
#include <stdio.h>
#include <brinch.h>

/* Keeps the milliseconds within a 32-bit long (about 23 days). */
#define MAX_SECONDS	2000000L

/* Seconds as "S", "S.F" or ".F" to milliseconds; -1 if malformed.
 * Digits past the third decimal place are ignored. */
static long
parse_ms(const char *s)
{
	long seconds = 0, ms;
	int any = 0, place = 100;	/* ms per unit of the next decimal */

	for (; *s >= '0' && *s <= '9'; s++, any = 1) {
		seconds = seconds * 10 + (*s - '0');
		if (seconds > MAX_SECONDS)
			return -1;
	}
	ms = seconds * 1000;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, any = 1) {
			ms += (*s - '0') * place;
			place /= 10;
		}
	}
	return any && *s == '\0' ? ms : -1;
}

int
main(int argc, char *argv[])
{
	uint64_t deadline, now;
	long ms;

	if (argc != 2 || (ms = parse_ms(argv[1])) < 0) {
		dprintf(2, "usage: sleep SECONDS\n");
		return 2;
	}
	/* A stop interrupts the kernel's sleep (EINTR) even though no
	 * handler runs; after the continue, sleep for the rest. */
	deadline = uptime_us() + (uint64_t)ms * 1000;
	while (msleep(ms) < 0 && errno == EINTR &&
	    (now = uptime_us()) < deadline)
		ms = (long)((deadline - now + 999) / 1000);
	return 0;
}
