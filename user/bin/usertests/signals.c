/*
 * signals.c: usertests topic "signals": kill and default actions, SIG_IGN
 * across fork and exec, handlers, sigaction, masks, alarm and pause,
 * interrupted calls, and stop/continue of children.
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

static int
test_kill_errors(void)
{
	EXPECT_ERR(kill(NO_SUCH_PID, SIGTERM), ESRCH);
	EXPECT_ERR(kill(getpid(), NSIG), EINVAL);
	EXPECT_ERR(kill(getpid(), 99), EINVAL);
	EXPECT_ERR(kill(getpid(), -1), EINVAL);
	return 0;
}

static int
test_kill_child(void)
{
	int sigs[] = { SIGKILL, SIGTERM, SIGINT };
	int status;

	/* Whoever started us may have ignored some; we test the default. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)
				msleep(1000);
		}
		EXPECT(pid > 0);
		msleep(20);			/* let it get to sleep */
		EXPECT_OK(kill(pid, sigs[i]));
		EXPECT(waitpid(pid, &status, 0) == pid);
		if (!killed_by(status, sigs[i]))
			return fail("signal %d: wait status %#x", sigs[i],
			    status);
	}
	return 0;
}

/* A process that kills itself dies of that signal. */
static int
test_kill_self(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(0);
	}
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(killed_by(status, SIGTERM));
	return 0;
}

static int
test_signal_ignore(void)
{
	char *argv[] = { "usertests", "--check-sigint-ignored", NULL };
	int status;
	pid_t pid;

	EXPECT(signal(SIGTERM, SIG_IGN) == SIG_DFL);
	EXPECT(signal(SIGTERM, SIG_IGN) == SIG_IGN);
	EXPECT(signal(SIGKILL, SIG_IGN) == SIG_ERR && errno == EINVAL);
	EXPECT(signal(0, SIG_IGN) == SIG_ERR && errno == EINVAL);
	EXPECT(signal(NSIG, SIG_IGN) == SIG_ERR && errno == EINVAL);

	/* The child inherits SIG_IGN: SIGTERM does nothing, SIGKILL works. */
	pid = fork();
	if (pid == 0) {
		for (;;)
			msleep(1000);
	}
	EXPECT(pid > 0);
	EXPECT_OK(kill(pid, SIGTERM));
	msleep(50);
	EXPECT(waitpid(pid, &status, WNOHANG) == 0);
	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(killed_by(status, SIGKILL));

	/* An ignored signal stays ignored across exec, as in Unix. */
	EXPECT(signal(SIGINT, SIG_IGN) != SIG_ERR);
	EXPECT(exited_with(status_of_exec("/bin/usertests", argv), 0));
	EXPECT(signal(SIGTERM, SIG_DFL) == SIG_IGN);
	return 0;
}

/* ---- signal handlers ---------------------------------------------------- */

static int
test_handler_runs(void)
{
	caught_count = 0;
	EXPECT(signal(SIGUSR1, catch) == SIG_DFL);
	/* Delivered on the way back from kill, whose result (eax) must
	 * survive the handler. */
	EXPECT(kill(getpid(), SIGUSR1) == 0);
	EXPECT(caught_count == 1 && caught_signo == SIGUSR1);
	EXPECT(kill(getpid(), SIGUSR1) == 0);	/* still installed */
	EXPECT(caught_count == 2);
	EXPECT(signal(SIGUSR1, SIG_DFL) == catch);
	return 0;
}

static int
test_sigaction(void)
{
	struct sigaction act = { 0 }, old;

	caught_count = 0;
	act.sa_handler = (uintptr_t)catch;
	act.sa_flags = SA_RESETHAND;
	EXPECT_OK(sigaction(SIGUSR2, &act, NULL));
	EXPECT_OK(sigaction(SIGUSR2, NULL, &old));
	EXPECT(old.sa_handler == (uintptr_t)catch);
	EXPECT(old.sa_flags == SA_RESETHAND);
	EXPECT(kill(getpid(), SIGUSR2) == 0);
	EXPECT(caught_count == 1);
	EXPECT_OK(sigaction(SIGUSR2, NULL, &old));	/* one-shot: reset */
	EXPECT(old.sa_handler == (uintptr_t)SIG_DFL);

	EXPECT_ERR(sigaction(SIGKILL, &act, NULL), EINVAL);
	EXPECT_ERR(sigaction(SIGSTOP, &act, NULL), EINVAL);
	EXPECT_ERR(sigaction(0, &act, NULL), EINVAL);
	EXPECT_ERR(sigaction(NSIG, &act, NULL), EINVAL);
	act.sa_handler = (uintptr_t)KERNEL_SPACE;	/* not a user function */
	EXPECT_ERR(sigaction(SIGUSR1, &act, NULL), EFAULT);
	EXPECT_ERR(sigaction(SIGUSR1, NULL, KERNEL_SPACE), EFAULT);
	/* The raw call, since libc would read a bad act itself. */
	EXPECT(syscall5(SYS_sigaction, SIGUSR1, (int)(uintptr_t)UNMAPPED, 0,
	    0, 0) == -EFAULT);
	return 0;
}

static int
test_sigprocmask(void)
{
	sigset_t usr1 = sigmask(SIGUSR1), all = ~(sigset_t)0, old, pending;

	caught_count = 0;
	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);
	EXPECT_OK(sigprocmask(SIG_BLOCK, &usr1, &old));
	EXPECT((old & usr1) == 0);
	EXPECT(kill(getpid(), SIGUSR1) == 0);
	EXPECT(caught_count == 0);			/* held back */
	EXPECT_OK(sigpending(&pending));
	EXPECT(pending & usr1);
	EXPECT_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
	EXPECT(caught_count == 1);			/* ran on unblock */
	EXPECT_OK(sigpending(&pending));
	EXPECT((pending & usr1) == 0);

	/* SIGKILL and SIGSTOP cannot be blocked: asking is not an error,
	 * but the mask leaves them out. */
	EXPECT_OK(sigprocmask(SIG_SETMASK, &all, NULL));
	EXPECT_OK(sigprocmask(SIG_SETMASK, NULL, &old));
	EXPECT((old & (sigmask(SIGKILL) | sigmask(SIGSTOP))) == 0);
	EXPECT(old & usr1);
	old = 0;
	EXPECT_OK(sigprocmask(SIG_SETMASK, &old, NULL));

	EXPECT_ERR(sigprocmask(99, &usr1, NULL), EINVAL);
	EXPECT_ERR(sigprocmask(SIG_BLOCK, KERNEL_SPACE, NULL), EFAULT);
	EXPECT_ERR(sigprocmask(SIG_BLOCK, NULL, KERNEL_SPACE), EFAULT);
	EXPECT_ERR(sigpending(KERNEL_SPACE), EFAULT);
	return 0;
}

static int
test_alarm_pause(void)
{
	uint64_t start, elapsed;
	unsigned left;

	caught_count = 0;
	EXPECT(signal(SIGALRM, catch) != SIG_ERR);
	start = uptime_us();
	EXPECT(alarm(1) == 0);
	EXPECT_ERR(pause(), EINTR);
	elapsed = uptime_us() - start;
	EXPECT(caught_count == 1 && caught_signo == SIGALRM);
	if (elapsed < 900000 || elapsed > 3000000)
		return fail("alarm(1) fired after %llu us",
		    (unsigned long long)elapsed);
	EXPECT(alarm(10) == 0);
	left = alarm(0);			/* cancel: returns what was left */
	EXPECT(left >= 9 && left <= 10);
	return 0;
}

/* A handled signal cuts a sleep short: the call fails with EINTR. */
static int
test_eintr(void)
{
	uint64_t start = uptime_us();
	int status;
	pid_t pid;

	caught_count = 0;
	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);	/* inherited */
	pid = fork();
	if (pid == 0) {
		int r = msleep(20000);

		_exit(r == -1 && errno == EINTR && caught_count == 1 ? 0 : 1);
	}
	EXPECT(pid > 0);
	msleep(50);
	EXPECT_OK(kill(pid, SIGUSR1));
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(exited_with(status, 0));
	EXPECT(uptime_us() - start < 10000000);
	return 0;
}

/* exec keeps SIG_IGN but resets handlers: their code is gone. */
static int
test_exec_resets_handlers(void)
{
	char *argv[] = { "usertests", "--check-exec-signals", NULL };

	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);
	EXPECT(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
	EXPECT(exited_with(status_of_exec("/bin/usertests", argv), 0));
	return 0;
}

/* ---- stop and continue -------------------------------------------------- */

#define PATIENCE_MS	5000

static volatile uint32_t *counter;	/* in shared memory */

/* Counts forever, to show when it runs and when it does not. */
static int
count_forever(void *unused)
{
	for (;;) {
		(*counter)++;
		msleep(5);	/* a stop cuts this short (EINTR): go on */
	}
	/* NOTREACHED */
	return 0;
}

/* Wait until *counter passes `above`; 0, or -1 if not in time. */
static int
wait_for_count(uint32_t above)
{
	uint64_t start = uptime_us();

	while (*counter <= above)
		if (ms_since(start) > PATIENCE_MS || msleep(5) < 0)
			return -1;
	return 0;
}

/* A stopped process waits on the "stopped" queue: ps says so. */
static int
is_stopped(pid_t pid)
{
	struct proc_info info;

	return find_proc(pid, &info) == 0 && info.state == PSTATE_WAITING &&
	    strcmp(info.wait_on, "stopped") == 0;
}

static int
test_stop_cont(void)
{
	uint32_t frozen;
	pid_t pid;
	int id;

	EXPECT((id = shm_create(PAGE_SIZE)) > 0);
	EXPECT((counter = shm_attach(id)) != (void *)-1);
	EXPECT((pid = spawn(count_forever, NULL)) > 0);
	EXPECT(wait_for_count(2) == 0);

	EXPECT_OK(kill(pid, SIGSTOP));
	EXPECT(wait_until_waiting(pid, "stopped", PATIENCE_MS) == 0);
	frozen = *counter;
	msleep(100);
	EXPECT(*counter == frozen && is_stopped(pid));

	EXPECT_OK(kill(pid, SIGCONT));
	EXPECT(wait_for_count(frozen + 2) == 0);
	EXPECT(!is_stopped(pid));
	EXPECT_OK(kill(pid, SIGCONT));		/* not stopped: no effect */
	EXPECT(wait_for_count(*counter + 2) == 0);

	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT(killed_by(reap(pid, PATIENCE_MS), SIGKILL));
	EXPECT_OK(shm_detach((void *)counter));
	EXPECT_OK(shm_destroy(id));
	return 0;
}

static int
sleep_forever(void *unused)
{
	for (;;)
		msleep(1000);
	/* NOTREACHED */
	return 0;
}

static int
test_kill_stopped(void)
{
	struct proc_info info;
	pid_t pid;

	signal(SIGTERM, SIG_DFL);

	/* SIGKILL ends a stopped process at once. */
	EXPECT((pid = spawn(sleep_forever, NULL)) > 0);
	EXPECT_OK(kill(pid, SIGSTOP));
	EXPECT(wait_until_waiting(pid, "stopped", PATIENCE_MS) == 0);
	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT(killed_by(reap(pid, PATIENCE_MS), SIGKILL));

	/* Any other signal waits, pending, for the continue. */
	EXPECT((pid = spawn(sleep_forever, NULL)) > 0);
	EXPECT_OK(kill(pid, SIGSTOP));
	EXPECT(wait_until_waiting(pid, "stopped", PATIENCE_MS) == 0);
	EXPECT_OK(kill(pid, SIGTERM));
	msleep(50);
	EXPECT(is_stopped(pid));
	EXPECT(find_proc(pid, &info) == 0);
	EXPECT(info.sig_pending & sigmask(SIGTERM));
	EXPECT_OK(kill(pid, SIGCONT));
	EXPECT(killed_by(reap(pid, PATIENCE_MS), SIGTERM));
	return 0;
}

/* ---- more handlers -------------------------------------------------------- */

static int
test_sigchld_handler(void)
{
	uint64_t start;
	int status;
	pid_t pid;

	caught_count = 0;
	EXPECT(signal(SIGCHLD, catch) == SIG_DFL);
	pid = fork();
	if (pid == 0)
		_exit(3);
	EXPECT(pid > 0);
	start = uptime_us();
	while (caught_count == 0 && ms_since(start) < PATIENCE_MS)
		msleep(10);			/* the signal cuts it short */
	EXPECT(caught_count == 1 && caught_signo == SIGCHLD);
	EXPECT(waitpid(pid, &status, 0) == pid && exited_with(status, 3));

	/* By default SIGCHLD is ignored: a child's exit does not hurt. */
	EXPECT(signal(SIGCHLD, SIG_DFL) == catch);
	pid = fork();
	if (pid == 0)
		_exit(4);
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, &status, 0) == pid && exited_with(status, 4));
	return 0;
}

/* Probed with kill(pid, 0) while it sleeps: the sleep goes on. */
static int
sleep_undisturbed(void *unused)
{
	EXPECT(msleep(500) == 0);
	return 0;
}

static int
exit_at_once(void *unused)
{
	return 0;
}

static int
test_kill_zero(void)
{
	struct proc_info info;
	uint64_t start;
	pid_t pid;

	EXPECT(kill(getpid(), 0) == 0);
	EXPECT_ERR(kill(NO_SUCH_PID, 0), ESRCH);
	EXPECT((pid = spawn(sleep_undisturbed, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "sleep", PATIENCE_MS) == 0);
	EXPECT(kill(pid, 0) == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT_ERR(kill(pid, 0), ESRCH);

	/* A zombie is no longer there to signal. */
	EXPECT((pid = spawn(exit_at_once, NULL)) > 0);
	start = uptime_us();
	while (find_proc(pid, &info) == 0 && info.state != PSTATE_ZOMBIE &&
	    ms_since(start) < PATIENCE_MS)
		msleep(2);
	EXPECT(info.state == PSTATE_ZOMBIE);
	EXPECT_ERR(kill(pid, 0), ESRCH);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	return 0;
}

/* What sigaction and signal refuse. */
static int
test_handler_errors(void)
{
	struct sigaction act = { 0 }, old;

	errno = 0;
	EXPECT(signal(SIGKILL, catch) == SIG_ERR && errno == EINVAL);
	errno = 0;
	EXPECT(signal(SIGSTOP, catch) == SIG_ERR && errno == EINVAL);
	act.sa_handler = (uintptr_t)SIG_IGN;
	EXPECT_ERR(sigaction(SIGKILL, &act, NULL), EINVAL);
	EXPECT_ERR(sigaction(SIGSTOP, &act, NULL), EINVAL);
	EXPECT_OK(sigaction(SIGKILL, NULL, &old));	/* reading is fine */
	EXPECT(old.sa_handler == (uintptr_t)SIG_DFL);

	/* A handler or its way back in kernel space. */
	act.sa_handler = (uintptr_t)KERNEL_SPACE;
	EXPECT_ERR(sigaction(SIGUSR1, &act, NULL), EFAULT);
	act.sa_handler = 0xFFFFFFF0;
	EXPECT_ERR(sigaction(SIGUSR1, &act, NULL), EFAULT);
	act.sa_handler = (uintptr_t)catch;
	act.sa_restorer = (uintptr_t)KERNEL_SPACE;
	EXPECT_ERR(sigaction(SIGUSR1, &act, NULL), EFAULT);
	EXPECT_OK(sigaction(SIGUSR1, NULL, &old));	/* unchanged */
	EXPECT(old.sa_handler == (uintptr_t)SIG_DFL);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test signals_tests[] = {
	{ "kill_errors",		test_kill_errors },
	{ "kill_child",			test_kill_child },
	{ "kill_self",			test_kill_self },
	{ "signal_ignore",		test_signal_ignore },
	{ "handler_runs",		test_handler_runs },
	{ "sigaction",			test_sigaction },
	{ "sigprocmask",		test_sigprocmask },
	{ "alarm_pause",		test_alarm_pause },
	{ "eintr",			test_eintr },
	{ "exec_resets_handlers",	test_exec_resets_handlers },
	{ "stop_cont",			test_stop_cont },
	{ "kill_stopped",		test_kill_stopped },
	{ "sigchld_handler",		test_sigchld_handler },
	{ "kill_zero",			test_kill_zero },
	{ "handler_errors",		test_handler_errors },
	{ NULL, NULL }
};
