/*
 * halt: power the machine off.  `halt 3` makes QEMU exit with status 3,
 * which lets scripts and tests report a result from inside brinch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>

int
main(int argc, char *argv[])
{
	int status = argc > 1 ? atoi(argv[1]) : 0;

	halt(status);
	dprintf(2, "halt: %s\n", strerror(errno));	/* still running */
	return 1;
}
