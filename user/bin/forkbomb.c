/*
 * forkbomb: fork until the kernel refuses, then clean up.  Shows that a
 * full process table (or memory) makes fork fail with an error instead
 * of taking the system down, and that every child can be killed and
 * reaped afterwards.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>

#define MAX_CHILDREN	1024	/* far above any process table we expect */

int
main(void)
{
	static pid_t children[MAX_CHILDREN];
	int n = 0, fork_errno = 0;

	while (n < MAX_CHILDREN) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)		/* wait to be killed */
				msleep(1000);
		}
		if (pid < 0) {
			fork_errno = errno;
			break;
		}
		children[n++] = pid;
	}
	if (fork_errno != 0)
		printf("forkbomb: %d children, fork failed: %s\n", n,
		    strerror(fork_errno));
	else
		printf("forkbomb: %d children, fork never failed\n", n);

	for (int i = 0; i < n; i++)
		if (kill(children[i], SIGKILL) < 0)
			printf("forkbomb: kill %d: %s\n", children[i],
			    strerror(errno));
	for (int reaped = 0; reaped < n; reaped++) {
		if (wait(NULL) < 0) {
			printf("forkbomb: wait: %s after %d of %d\n",
			    strerror(errno), reaped, n);
			return 1;
		}
	}
	printf("forkbomb: all reaped\n");
	return 0;
}
