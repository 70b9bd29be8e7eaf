/*
 * helpers.c: the checking and process helpers every usertests topic
 * uses (declared in usertests.h): failure reports, forking children and
 * waiting for them, watching a process's state through ps().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>
#include "usertests.h"

#define MAX_SPAWNED	32

const char *current_test;
volatile int caught_count, caught_signo;

/* Children spawn() started and reap() has not collected. */
static pid_t spawned[MAX_SPAWNED];

int
fail(const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	printf("usertests: %s FAILED: %s\n", current_test, reason);
	return -1;
}

void
catch(int sig)
{
	caught_signo = sig;
	caught_count++;
}

/*
 * Grow the heap to a page boundary and return it: the bytes just below
 * are mapped, the page at the returned address is not.  Buffers that
 * straddle it are "overlong": they start valid and run off the end.
 */
char *
heap_edge(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	uintptr_t edge = ((brk + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1)) +
	    PAGE_SIZE;

	if (sbrk(edge - brk) == (void *)-1)
		return NULL;
	memset((char *)edge - PAGE_SIZE, 0, PAGE_SIZE);
	return (char *)edge;
}

int
status_of(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int
status_of_exec(const char *path, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		exec(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int
contains(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack != '\0'; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return 1;
	return 0;
}

int
open_motd(void)
{
	return open("/etc/motd", O_RDONLY);
}

int
find_proc(pid_t pid, struct proc_info *info)
{
	static struct proc_info procs[128];
	int n = ps(procs, 128);

	for (int i = 0; i < n; i++) {
		if (procs[i].pid == pid) {
			*info = procs[i];
			return 0;
		}
	}
	return -1;
}

pid_t
spawn(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* A child starts with no children of its own to clean up. */
		memset(spawned, 0, sizeof(spawned));
		_exit(fn(arg) == 0 ? 0 : 1);
	}
	if (pid < 0)
		return -1;
	for (int i = 0; i < MAX_SPAWNED; i++) {
		if (spawned[i] == 0) {
			spawned[i] = pid;
			break;
		}
	}
	return pid;
}

static void
forget(pid_t pid)
{
	for (int i = 0; i < MAX_SPAWNED; i++)
		if (spawned[i] == pid)
			spawned[i] = 0;
}

int
reap(pid_t pid, unsigned timeout_ms)
{
	uint64_t start = uptime_us();
	int status;
	pid_t r;

	/* Poll rather than block: a child that hangs must fail the test,
	 * not hang the suite. */
	while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (ms_since(start) > timeout_ms) {
			fail("child %d still running after %u ms", pid,
			    timeout_ms);
			return -1;
		}
		msleep(2);
	}
	if (r != pid) {
		fail("waitpid(%d): %s", pid, strerror(errno));
		return -1;
	}
	forget(pid);
	return status;
}

void
kill_spawned(void)
{
	int status;

	for (int i = 0; i < MAX_SPAWNED; i++) {
		if (spawned[i] > 0) {
			kill(spawned[i], SIGKILL);
			waitpid(spawned[i], &status, 0);
			spawned[i] = 0;
		}
	}
}

int
wait_until_waiting(pid_t pid, const char *queue, unsigned timeout_ms)
{
	uint64_t start = uptime_us();
	size_t len = strlen(queue);
	int prefix = len > 0 && queue[len - 1] == '*';
	struct proc_info info;

	for (;;) {
		if (find_proc(pid, &info) == 0 && info.state == PSTATE_WAITING) {
			info.wait_on[WAIT_NAME_LEN - 1] = '\0';
			if (prefix ? strncmp(info.wait_on, queue, len - 1) == 0 :
			    strcmp(info.wait_on, queue) == 0)
				return 0;
		}
		if (ms_since(start) > timeout_ms)
			return -1;
		msleep(2);
	}
}

unsigned
ms_since(uint64_t start_us)
{
	return (unsigned)((uptime_us() - start_us) / 1000);
}
