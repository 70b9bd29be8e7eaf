/*
 * sigdemo: a foreground program that catches SIGINT.  Ctrl-C runs its
 * handler instead of killing it; after COUNT of them (default 1) it
 * exits normally, with status 0.  For people at the console and for
 * tests/integration/test_signals.py.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>

static volatile int interrupts;

/* Kept short: the main loop does the talking. */
static void
on_interrupt(int sig)
{
	interrupts++;
}

int
main(int argc, char *argv[])
{
	int count = argc > 1 ? atoi(argv[1]) : 1, seen = 0;

	if (argc > 2 || count <= 0) {
		dprintf(2, "usage: sigdemo [COUNT]\n");
		return 2;
	}
	if (signal(SIGINT, on_interrupt) == SIG_ERR) {
		dprintf(2, "sigdemo: signal: %s\n", strerror(errno));
		return 1;
	}
	printf("sigdemo: waiting for Ctrl-C (%d to quit)\n", count);
	while (seen < count) {
		/* Not pause(): a Ctrl-C just before it would be missed until
		 * the next one.  A signal cuts this sleep short; one that came
		 * before it is seen on the next round. */
		msleep(1000);
		while (seen < interrupts)
			printf("sigdemo: caught SIGINT %d\n", ++seen);
	}
	printf("sigdemo: done\n");
	return 0;
}
