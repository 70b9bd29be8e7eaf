/*
 * init: the first user process.  Starts the shell, restarts it whenever
 * it exits, and reaps every other child, because the kernel gives init
 * the orphans of processes that exit before their children.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>

/* The RPC daemons (docs/rpc.md), on a machine with a network card: the
 * portmapper first, since rpcd registers its programs with it. */
static void
start_daemons(void)
{
	static char *daemons[] = { "portmap", "rpcd" };
	struct net_info ni;
	char path[32], *argv[2];
	unsigned i;

	if (net_info(&ni) < 0 || !ni.present)
		return;
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		snprintf(path, sizeof(path), "/bin/%s", daemons[i]);
		argv[0] = daemons[i];
		argv[1] = NULL;
		if (fork() == 0) {
			exec(path, argv);
			printf("init: exec %s: %s\n", path, strerror(errno));
			_exit(127);
		}
	}
}

static pid_t
start_shell(void)
{
	char *argv[] = { "sh", NULL };
	pid_t pid;

	printf("init: starting /bin/sh\n");
	pid = fork();
	if (pid == 0) {
		exec("/bin/sh", argv);
		printf("init: exec /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		printf("init: fork: %s\n", strerror(errno));
	return pid;
}

int
main(void)
{
	pid_t shell;

	start_daemons();
	shell = start_shell();

	for (;;) {
		int status;
		pid_t pid;

		if (shell < 0) {
			/* No shell and nothing to reap: wait and try again
			 * rather than spin. */
			sleep(1);
			shell = start_shell();
			continue;
		}
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			/* ECHILD would mean the shell vanished without being
			 * reaped by us: a kernel bug; do not spin on it. */
			printf("init: waitpid: %s\n", strerror(errno));
			sleep(1);
			continue;
		}
		if (pid != shell)
			continue;	/* an orphan: reaping it was the point */
		if (WIFEXITED(status))
			printf("init: sh exited with status %d, restarting\n",
			    WEXITSTATUS(status));
		else
			printf("init: sh killed by signal %d, restarting\n",
			    WTERMSIG(status));
		shell = start_shell();
	}
}
