/*
 * init: the first user process.  Starts the daemons and the shell,
 * restarts the shell whenever it exits, and reaps every other child,
 * because the kernel gives init the orphans of processes that exit
 * before their children.  Its arguments are the words of the kernel
 * command line (kernel/proc.c): `loadbal` or `loadbal=N` starts the
 * load balancer, with its master on node 0 or N (docs/loadbal.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>

/* Fork and exec /bin/argv[0]; init reaps it like any other child. */
static void
start(char *const argv[])
{
	char path[32];

	snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	if (fork() == 0) {
		exec(path, argv);
		printf("init: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
}

/* The RPC daemons (docs/rpc.md), on a machine with a network card: the
 * portmapper first, since rpcd registers its programs with it.  Then
 * the load balancer's daemon if the command line asks for it; its
 * argument is the master's node. */
static void
start_daemons(int argc, char **argv)
{
	static char *portmap[] = { "portmap", NULL }, *rpcd[] = { "rpcd", NULL };
	char *loadbald[] = { "loadbald", "0", NULL };
	struct net_info ni;
	int i;

	if (net_info(&ni) < 0 || !ni.present)
		return;
	start(portmap);
	start(rpcd);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "loadbal") == 0) {
			start(loadbald);
			break;
		}
		if (strncmp(argv[i], "loadbal=", 8) == 0) {
			loadbald[1] = argv[i] + 8;
			start(loadbald);
			break;
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
main(int argc, char **argv)
{
	pid_t shell;

	start_daemons(argc, argv);
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
