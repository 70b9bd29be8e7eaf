/*
 * resume: put suspended processes back on the ready queue (or, if they
 * were suspended while waiting, let them become READY when the wait ends).
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
		dprintf(2, "usage: resume PID...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (resume(atoi(argv[i])) < 0) {
			dprintf(2, "resume %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
