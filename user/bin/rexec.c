/*
 * rexec: computation migration (docs/migration.md).  Run a program on
 * another node, with its output on this console and its exit status
 * back to this shell:
 *   rexec NODE PROGRAM [ARGS...]
 * A child moves itself to NODE (migrate(0, ...), stop-and-copy: it is
 * small) and there execs PROGRAM from that node's initrd; the child's
 * deputy here is what this process waits for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <migrate.h>

int
main(int argc, char **argv)
{
	char path[64];
	int node, status;
	pid_t pid;

	if (argc < 3) {
		dprintf(2, "usage: rexec NODE PROGRAM [ARGS...]\n");
		return 2;
	}
	node = atoi(argv[1]);
	if ((pid = fork()) < 0) {
		dprintf(2, "rexec: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		if (migrate(0, node, MIG_STOP, NULL) < 0) {
			dprintf(2, "rexec: cannot move to node %d: %s\n", node, strerror(errno));
			exit(126);
		}
		snprintf(path, sizeof(path), "%s%s", strchr(argv[2], '/') ? "" : "/bin/",
		    argv[2]);
		exec(path, argv + 2);
		dprintf(2, "rexec: %s on node %d: %s\n", argv[2], node, strerror(errno));
		exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		dprintf(2, "rexec: waitpid: %s\n", strerror(errno));
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
