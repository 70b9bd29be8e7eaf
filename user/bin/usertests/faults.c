/*
 * faults.c: usertests topic "faults": CPU exceptions in user mode become
 * signals that kill only the faulting process, unless it has a handler.
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

/* ---- faults become signals ---------------------------------------------- */

static int
fault_null(void)
{
	return *(volatile int *)0;
}

static int
fault_kernel_write(void)
{
	*(volatile int *)KERNEL_SPACE = 1;
	return 0;
}

static int
fault_privileged(void)
{
	__asm__ volatile("cli");
	return 0;
}

static int
fault_divide(void)
{
	/* Both volatile: gcc computes 1 / x without a divide. */
	volatile int numerator = 42, zero = 0;

	return numerator / zero;
}

static int
fault_undefined(void)
{
	__asm__ volatile("ud2");
	return 0;
}

static int
fault_jump_null(void)
{
	int (*volatile fn)(void) = NULL;

	return fn();
}

/* Never reached in practice; a limit the compiler cannot see keeps
 * it from warning about (or "optimising") endless recursion. */
static volatile int max_depth = 1 << 30;

static int
recurse(int depth)
{
	volatile char frame[512];

	if (depth >= max_depth)
		return 0;
	frame[0] = (char)depth;
	return recurse(depth + 1) + frame[0];	/* not a tail call */
}

static int
fault_stack(void)
{
	return recurse(0);
}

static int
test_faults(void)
{
	static const struct {
		const char	*what;
		int		(*fn)(void);
		int		 signal;
	} faults[] = {
		{ "NULL read", fault_null, SIGSEGV },
		{ "kernel write", fault_kernel_write, SIGSEGV },
		{ "cli (#GP)", fault_privileged, SIGSEGV },
		{ "divide by zero", fault_divide, SIGFPE },
		{ "ud2", fault_undefined, SIGILL },
		{ "call NULL", fault_jump_null, SIGSEGV },
	};

	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		int status = status_of(faults[i].fn);

		if (!killed_by(status, faults[i].signal))
			return fail("%s: wait status %#x, want signal %d",
			    faults[i].what, status, faults[i].signal);
	}
	return 0;
}

static int
test_stack_overflow(void)
{
	int status = status_of(fault_stack);

	if (!killed_by(status, SIGSEGV))
		return fail("wait status %#x, want signal %d", status, SIGSEGV);
	return 0;
}

/* ---- faults caught ------------------------------------------------------ */

/* Leaves with an exit status that names the signal: the fault was
 * handled, the process was not killed. */
static void
exit_from_handler(int sig)
{
	_exit(40 + sig);
}

static int
handled_null(void)
{
	signal(SIGSEGV, exit_from_handler);
	return fault_null();
}

static int
handled_divide(void)
{
	signal(SIGFPE, exit_from_handler);
	return fault_divide();
}

static int
handled_undefined(void)
{
	signal(SIGILL, exit_from_handler);
	return fault_undefined();
}

/* A fault cannot be ignored or blocked: it would only come back. */
static int
ignored_null(void)
{
	signal(SIGSEGV, SIG_IGN);
	return fault_null();
}

static int
blocked_null(void)
{
	sigset_t segv = sigmask(SIGSEGV);

	signal(SIGSEGV, exit_from_handler);
	sigprocmask(SIG_BLOCK, &segv, NULL);
	return fault_null();
}

static int
test_fault_handlers(void)
{
	int status;

	status = status_of(handled_null);
	if (!exited_with(status, 40 + SIGSEGV))
		return fail("SIGSEGV handler: wait status %#x", status);
	EXPECT(exited_with(status_of(handled_divide), 40 + SIGFPE));
	EXPECT(exited_with(status_of(handled_undefined), 40 + SIGILL));
	EXPECT(killed_by(status_of(ignored_null), SIGSEGV));
	EXPECT(killed_by(status_of(blocked_null), SIGSEGV));
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test faults_tests[] = {
	{ "faults",			test_faults },
	{ "stack_overflow",		test_stack_overflow },
	{ "fault_handlers",		test_fault_handlers },
	{ NULL, NULL }
};
