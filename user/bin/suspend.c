/*
 * suspend: the medium-term scheduler by hand - take processes off the
 * ready queue (SUSPENDED in ps) until `resume PID`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2) {
		dprintf(2, "usage: suspend PID...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (suspend(atoi(argv[i])) < 0) {
			dprintf(2, "suspend %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
