/*
 * limits.c: usertests topic "proc", part two: the edges of fork, wait and
 * exec in the running kernel.  The process table runs full (EAGAIN) and
 * memory runs out (ENOMEM) under fork; wait() is interrupted by a signal
 * (EINTR); exec refuses each corrupt ELF in /badelf (made at build time
 * by tools/mkbadelf.py from /bin/true) and memory comes back every time.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include "usertests.h"

#define MAX_CHILDREN	128	/* more than the process table holds */

static int
frames_now(void)
{
	struct meminfo mi;

	return meminfo(&mi) < 0 ? -1 : (int)mi.free_frames;
}

/* Reap with polling: a child that will not die fails the test. */
static int
reap_all(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		if (reap(pids[i], 5000) == -1)
			return -1;
	}
	return 0;
}

/* Fork until the table is full: the failure is EAGAIN.  In a child of
 * its own (test_fork_table_full), whose copy-on-write copies and page
 * tables go with it, so that the frames counted before and after are the
 * test's alone. */
static int
fork_to_full_table(void)
{
	static pid_t pids[MAX_CHILDREN];
	int n = 0, err = 0;
	pid_t pid;

	while (n < MAX_CHILDREN) {
		errno = 0;
		if ((pid = fork()) == 0) {
			for (;;)
				pause();
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		pids[n++] = pid;
	}
	if (reap_all(pids, n) < 0)
		return -1;
	if (n == MAX_CHILDREN || err != EAGAIN)
		return fail("%d forks, then errno %d (%s); want EAGAIN", n,
		    err, strerror(err));
	return 0;
}

/* ... and every frame comes back once they are all gone. */
static int
test_fork_table_full(void)
{
	int before = frames_now();

	EXPECT(exited_with(status_of(fork_to_full_table), 0));
	if (frames_now() != before)
		return fail("%d frames free before the forks, %d after", before, frames_now());
	return 0;
}

/*
 * Take nearly every free frame into the heap, then fork: what the child
 * needs cannot be had, and fork says ENOMEM (not EAGAIN, not a crash).
 * With copy-on-write a fork needs no copies, only a page directory, page
 * tables and a kernel stack, and sbrk only reserves: so the heap's pages
 * are touched, in halving steps (each step's page tables come out of
 * what is left too) until FEW frames are free, fewer than the heap's own
 * page tables that a child needs.  In a child of its own, so that its
 * page tables are gone too when the frames are counted.
 */
#define FEW	8

static int
fork_without_memory(void)
{
	intptr_t grab = 0, step;
	char *base, *p;
	int err, left;
	pid_t pid;

	while ((left = frames_now()) > FEW) {
		step = (intptr_t)((left - FEW) / 2 + 1) * PAGE_SIZE;
		if ((base = sbrk(step)) == (void *)-1)
			break;
		for (p = base; p < base + step; p += PAGE_SIZE)
			*(volatile char *)p = 1;
		grab += step;
	}
	EXPECT(grab > 0 && frames_now() <= FEW);
	errno = 0;
	pid = fork();
	err = errno;
	if (pid == 0)
		_exit(0);
	sbrk(-grab);
	if (pid > 0) {
		reap(pid, 5000);
		return fail("fork succeeded with %d frames free", left);
	}
	if (err != ENOMEM)
		return fail("fork: errno %d (%s); want ENOMEM", err,
		    strerror(err));
	return 0;
}

static int
test_fork_out_of_memory(void)
{
	int before = frames_now();

	EXPECT(exited_with(status_of(fork_without_memory), 0));
	EXPECT(frames_now() == before);
	return 0;
}

static int
sleeper(void *unused)
{
	msleep(10000);
	return 0;
}

/* A signal with a handler ends a blocked waitpid with EINTR; the child
 * is still there to be reaped afterwards. */
static int
test_wait_eintr(void)
{
	pid_t pid;
	int status, r;

	EXPECT(signal(SIGALRM, catch) != SIG_ERR);
	EXPECT((pid = spawn(sleeper, NULL)) > 0);
	caught_count = 0;
	alarm(1);
	errno = 0;
	r = waitpid(pid, &status, 0);
	if (r != -1 || errno != EINTR || caught_count != 1)
		return fail("waitpid returned %d, errno %d, %d signals caught; "
		    "want -1, EINTR, 1", r, errno, caught_count);
	EXPECT(kill(pid, SIGKILL) == 0);
	EXPECT(killed_by(reap(pid, 5000), SIGKILL));
	return 0;
}

/*
 * exec of each corrupt ELF in the running kernel: the ones that must be
 * refused are refused with the documented errno and the caller runs on;
 * the two the kernel may load (an overlap, an empty segment) run or are
 * killed, but exec does not fail.  Frames are back after each.
 */
static int
test_exec_corrupt_elf(void)
{
	static const struct {
		const char *name;
		int         err;	/* 0: may load */
	} cases[] = {
		{ "truncated-header",	ENOEXEC },
		{ "truncated-phdrs",	ENOEXEC },
		{ "phoff-past-end",	ENOEXEC },
		{ "phnum-huge",		ENOEXEC },
		{ "segment-past-end",	ENOEXEC },
		{ "filesz-over-memsz",	ENOEXEC },
		{ "vaddr-kernel-half",	ENOEXEC },
		{ "memsz-into-kernel",	ENOEXEC },
		{ "entry-outside",	ENOEXEC },
		{ "all-segments-empty",	ENOEXEC },
		{ "segment-1gib",	ENOMEM },
		{ "segments-overlap",	0 },
		{ "extra-empty-segment", 0 },
	};
	char path[64];
	int before = frames_now();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[] = { path, NULL };
		int status;
		pid_t pid;

		snprintf(path, sizeof(path), "/badelf/%s", cases[i].name);
		if ((pid = fork()) == 0) {
			exec(path, argv);
			_exit(errno == cases[i].err ? 100 : 101 + errno);
		}
		EXPECT(pid > 0);
		status = reap(pid, 10000);
		if (cases[i].err && !exited_with(status, 100))
			return fail("%s: status %#x; want exec to fail with "
			    "errno %d", cases[i].name, status, cases[i].err);
		if (!cases[i].err && WIFEXITED(status) && WEXITSTATUS(status) > 100)
			return fail("%s: exec failed with errno %d", cases[i].name,
			    WEXITSTATUS(status) - 101);
		if (frames_now() != before)
			return fail("%s: %d frames free before, %d after",
			    cases[i].name, before, frames_now());
	}
	return 0;
}

const struct test limits_tests[] = {
	{ "fork_table_full",		test_fork_table_full },
	{ "fork_out_of_memory",		test_fork_out_of_memory },
	{ "wait_eintr",			test_wait_eintr },
	{ "exec_corrupt_elf",		test_exec_corrupt_elf },
	{ NULL, NULL }
};
