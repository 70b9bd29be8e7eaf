/*
 * proc.c: usertests topic "proc": fork, exit and wait with their status
 * encoding, orphans, exec and its arguments, and the information calls
 * (uptime, sleep, yield, ps, setfg).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "user/lib/syscall.h"
#include "usertests.h"

/* ---- processes ---------------------------------------------------------- */

static int
test_fork_wait_status(void)
{
	int codes[] = { 0, 1, 42, 255, 256 + 7 };	/* only 8 bits survive */
	int status;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(codes[i]);
		EXPECT(pid > 0);
		EXPECT(waitpid(pid, &status, 0) == pid);
		EXPECT(WIFEXITED(status));
		EXPECT(WEXITSTATUS(status) == (codes[i] & 0xff));
	}
	return 0;
}

static int
test_wait_any(void)
{
	pid_t pids[3];
	int status, seen = 0;

	for (int i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(10 + i);
		EXPECT(pids[i] > 0);
	}
	for (int n = 0; n < 3; n++) {
		pid_t pid = wait(&status);

		EXPECT(pid > 0);
		for (int i = 0; i < 3; i++)
			if (pid == pids[i]) {
				EXPECT(WIFEXITED(status) &&
				    WEXITSTATUS(status) == 10 + i);
				seen |= 1 << i;
			}
	}
	EXPECT(seen == 7);
	EXPECT_ERR(wait(&status), ECHILD);
	return 0;
}

static int
test_waitpid_echild(void)
{
	int status;

	EXPECT_ERR(waitpid(-1, &status, 0), ECHILD);
	EXPECT_ERR(waitpid(-1, &status, WNOHANG), ECHILD);
	EXPECT_ERR(waitpid(1, &status, 0), ECHILD);	/* init: not ours */
	EXPECT_ERR(waitpid(getpid(), &status, 0), ECHILD);
	EXPECT_ERR(waitpid(NO_SUCH_PID, NULL, 0), ECHILD);
	return 0;
}

static int
test_wnohang(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		msleep(300);
		_exit(5);
	}
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, &status, WNOHANG) == 0);
	EXPECT(waitpid(-1, &status, WNOHANG) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	return 0;
}

static int
test_getpid_getppid(void)
{
	pid_t me = getpid(), pid;
	int status;

	EXPECT(me > 1);
	EXPECT(getpid() == me);
	EXPECT(getppid() > 0 && getppid() != me);
	pid = fork();
	if (pid == 0) {
		/* Report back in the exit status: 0 for right answers. */
		if (getppid() != me)
			_exit(1);
		if (getpid() == me)
			_exit(2);
		_exit(0);
	}
	EXPECT(pid > 0 && pid != me);
	EXPECT(waitpid(pid, &status, 0) == pid);
	if (!exited_with(status, 0))
		return fail(WEXITSTATUS(status) == 1 ?
		    "child's getppid() is not the parent's pid" :
		    "child's getpid() equals the parent's");
	return 0;
}

/* fork returns the child's pid: the child's getpid agrees. */
static int
test_fork_returns_child_pid(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(getpid() & 0xff);
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(exited_with(status, pid & 0xff));
	return 0;
}

/*
 * A child forks a grandchild and exits at once.  The grandchild must be
 * handed to init (getppid() == 1), and init must reap it when it exits.
 * The grandchild only exits after seeing getppid() == 1, so its
 * disappearing from ps proves both.
 */
static int
test_orphan_reparent(void)
{
	struct proc_info info;
	int status;
	pid_t child, grandchild;

	child = fork();
	if (child == 0) {
		pid_t pid = fork();

		if (pid == 0) {
			while (getppid() != 1)
				msleep(10);
			_exit(0);
		}
		/* Tell the test the grandchild's pid (a small offset). */
		_exit(pid > getpid() && pid - getpid() < 256 ?
		    pid - getpid() : 0);
	}
	EXPECT(child > 0);
	EXPECT(waitpid(child, &status, 0) == child);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	grandchild = child + WEXITSTATUS(status);

	for (int waited = 0; find_proc(grandchild, &info) == 0; waited += 20) {
		if (waited > 5000) {
			kill(grandchild, SIGKILL);
			return fail("orphan %d still there after 5 s: ppid %d, "
			    "state %d", grandchild, (int)info.ppid,
			    (int)info.state);
		}
		msleep(20);
	}
	return 0;
}

static int
test_exec_errors(void)
{
	char *argv[] = { "x", NULL };

	EXPECT_ERR(exec("/bin/nonexistent", argv), ENOENT);
	EXPECT_ERR(exec("/etc/motd", argv), ENOEXEC);	/* not ELF */
	EXPECT_ERR(exec("", argv), ENOENT);
	return 0;			/* still running after all that */
}

static int
test_exec_args(void)
{
	char *argv[] = { "usertests", "--check-args", "one", "two words", "",
	    NULL };
	char *many[MAXARG + 2];
	static char big[3000];
	char *huge[] = { "true", big, big, NULL };
	int status;

	status = status_of_exec("/bin/usertests", argv);
	EXPECT(exited_with(status, 0));

	/* Exactly MAXARG arguments is allowed ... */
	many[0] = "usertests";
	many[1] = "--check-argc";
	for (int i = 2; i < MAXARG; i++)
		many[i] = "arg";
	many[MAXARG] = NULL;
	status = status_of_exec("/bin/usertests", many);
	EXPECT(exited_with(status, 0));

	/* ... one more is not, nor more than MAXARGLEN bytes of strings. */
	many[MAXARG] = "arg";
	many[MAXARG + 1] = NULL;
	EXPECT_ERR(exec("/bin/true", many), E2BIG);
	memset(big, 'b', sizeof(big) - 1);
	EXPECT_ERR(exec("/bin/true", huge), E2BIG);
	return 0;
}

static int
test_exec_status(void)
{
	char *true_argv[] = { "true", NULL };
	char *false_argv[] = { "false", NULL };

	EXPECT(exited_with(status_of_exec("/bin/true", true_argv), 0));
	EXPECT(exited_with(status_of_exec("/bin/false", false_argv), 1));
	return 0;
}


/* ---- time, scheduling, information -------------------------------------- */

static int
test_uptime(void)
{
	struct timeval64 a, b;
	int ticks_a, ticks_b;

	ticks_a = uptime(&a);
	ticks_b = uptime(&b);
	EXPECT(ticks_a >= 0 && ticks_b >= ticks_a);
	EXPECT(b.usec >= a.usec);
	/* Ticks are 100 Hz: they agree with the microseconds to a tick
	 * or two. */
	EXPECT((uint64_t)ticks_b * 10000 <= b.usec + 20000);
	EXPECT((uint64_t)ticks_b * 10000 + 20000 >= b.usec);
	return 0;
}

static int
test_sleep(void)
{
	uint64_t start, elapsed;

	start = uptime_us();
	EXPECT_OK(msleep(200));
	elapsed = uptime_us() - start;
	if (elapsed < 190000 || elapsed > 2000000)
		return fail("msleep(200) took %llu us",
		    (unsigned long long)elapsed);
	start = uptime_us();
	EXPECT_OK(msleep(0));
	EXPECT(uptime_us() - start < 100000);
	return 0;
}

static int
test_yield(void)
{
	for (int i = 0; i < 100; i++)
		EXPECT(yield() == 0);
	return 0;
}

static int
test_ps(void)
{
	struct proc_info procs[64], me, parent;
	int n;

	n = ps(procs, 64);
	EXPECT(n >= 2);
	EXPECT(find_proc(getpid(), &me) == 0);
	EXPECT(me.state == PSTATE_RUNNING);
	EXPECT(me.ppid == getppid());
	EXPECT(strnlen(me.name, PROC_NAME_LEN) < PROC_NAME_LEN);
	EXPECT(contains(me.name, "usertests"));	/* maybe a full path */
	EXPECT(me.mem_bytes > 0);
	EXPECT(find_proc(1, &parent) == 0);		/* init is always there */
	EXPECT(ps(procs, 1) == 1);
	EXPECT(ps(procs, 0) == 0);
	return 0;
}

static int
test_setfg(void)
{
	/* Our parent, the suite's main process, is already in the
	 * foreground: setting it again changes nothing. */
	EXPECT_OK(setfg(getppid()));
	errno = 0;
	EXPECT(setfg(NO_SUCH_PID) == -1);
	EXPECT(errno == ESRCH || errno == EINVAL);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test proc_tests[] = {
	{ "fork_wait_status",		test_fork_wait_status },
	{ "fork_returns_child_pid",	test_fork_returns_child_pid },
	{ "wait_any",			test_wait_any },
	{ "waitpid_echild",		test_waitpid_echild },
	{ "wnohang",			test_wnohang },
	{ "getpid_getppid",		test_getpid_getppid },
	{ "orphan_reparent",		test_orphan_reparent },
	{ "exec_errors",		test_exec_errors },
	{ "exec_args",			test_exec_args },
	{ "exec_status",		test_exec_status },
	{ "uptime",			test_uptime },
	{ "sleep",			test_sleep },
	{ "yield",			test_yield },
	{ "ps",				test_ps },
	{ "setfg",			test_setfg },
	{ NULL, NULL }
};
