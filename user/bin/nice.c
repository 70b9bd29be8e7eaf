/*
 * nice: run a command with a static priority (the prio scheduler runs
 * lower values first: -20 .. 19), or change a running process's.
 *	nice N COMMAND [ARGS...]
 *	nice -p PID N
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>

int
main(int argc, char *argv[])
{
	char path[128];

	if (argc == 4 && strcmp(argv[1], "-p") == 0) {
		if (nice(atoi(argv[2]), atoi(argv[3])) < 0) {
			dprintf(2, "nice: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc < 3) {
		dprintf(2, "usage: nice N COMMAND [ARGS...] | nice -p PID N\n");
		return 2;
	}
	if (nice(0, atoi(argv[1])) < 0) {
		dprintf(2, "nice: %s\n", strerror(errno));
		return 1;
	}
	if (strchr(argv[2], '/'))
		snprintf(path, sizeof(path), "%s", argv[2]);
	else
		snprintf(path, sizeof(path), "/bin/%s", argv[2]);
	exec(path, &argv[2]);
	dprintf(2, "nice: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
