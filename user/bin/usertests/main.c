/*
 * usertests: the system call test suite, run from the shell and by the
 * integration tests.  `usertests [TOPIC|NAME...]` runs every test, or
 * those of the named topics (files, proc, signals, faults, memory, cow,
 * ipc, regress) and the named tests, each in its own child so one crash cannot
 * take down the rest, and ends with "usertests: N passed, M failed".
 * regress is the regression tests for kernel bugs fixed (kbugs.c): part
 * of every plain `usertests`, and `usertests regress` runs them alone.
 * The tests live in one file per topic; usertests.h is what they share.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>
#include "usertests.h"

#define TEST_TIMEOUT_US	60000000ULL

/*
 * A test child exits with PASSED when every check held.  Not 0: if an
 * exec that should fail wrongly succeeds, the child turns into another
 * program, and /bin/true's 0 must not look like a pass.
 */
#define PASSED		100
#define FAILED		1

/* In the order they run.  Several groups may share a topic. */
static const struct group {
	const char		*topic;
	const struct test	*tests;
	int			 by_default;	/* run when none is named */
} groups[] = {
	{ "files",	files_tests,	1 },
	{ "proc",	proc_tests,	1 },
	{ "proc",	limits_tests,	1 },	/* fork, wait, exec at their edges */
	{ "signals",	signals_tests,	1 },
	{ "faults",	faults_tests,	1 },
	{ "memory",	memory_tests,	1 },
	{ "cow",	cow_tests,	1 },
	{ "ipc",	mbox_tests,	1 },
	{ "ipc",	call_tests,	1 },
	{ "ipc",	direct_tests,	1 },
	{ "ipc",	semshm_tests,	1 },
	{ "regress",	kbugs_tests,	1 },	/* kernel bugs found and fixed */
	{ "regress",	fuzzbugs_tests,	1 },	/* ... by the fuzzer (fuzzbugs.c) */
};

#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))

/*
 * Run one test in a child and return 1 if it passed.  The child prints
 * its own failure reason; we report what it cannot: crashes, hangs and
 * exits that bypassed the test (an exec that should have failed).
 */
static int
run_test(const struct test *t)
{
	uint64_t deadline = uptime_us() + TEST_TIMEOUT_US;
	int status = 0, result;
	pid_t pid, r;

	current_test = t->name;
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		result = t->run();
		kill_spawned();		/* nothing left blocked behind us */
		_exit(result == 0 ? PASSED : FAILED);
	}

	/* Poll, so a hung test costs a minute instead of the whole run. */
	while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (uptime_us() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail("timed out after %llu s",
			    TEST_TIMEOUT_US / 1000000);
			return 0;
		}
		msleep(5);
	}
	if (r < 0) {
		fail("waitpid: %s", strerror(errno));
		return 0;
	}
	if (exited_with(status, PASSED)) {
		printf("usertests: %s ok\n", t->name);
		return 1;
	}
	if (WIFSIGNALED(status))
		fail("killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) != FAILED)
		fail("exited with status %d", WEXITSTATUS(status));
	return 0;
}

/* Helper modes: usertests execs itself to see what exec passed on. */
static int
helper_mode(int argc, char *argv[])
{
	if (strcmp(argv[1], "--check-args") == 0)
		return !(argc == 5 && strcmp(argv[0], "usertests") == 0 &&
		    strcmp(argv[2], "one") == 0 &&
		    strcmp(argv[3], "two words") == 0 &&
		    strcmp(argv[4], "") == 0 && argv[5] == NULL);
	if (strcmp(argv[1], "--check-argc") == 0)
		return !(argc == MAXARG && argv[MAXARG] == NULL &&
		    strcmp(argv[MAXARG - 1], "arg") == 0);
	if (strcmp(argv[1], "--check-sigint-ignored") == 0)
		return signal(SIGINT, SIG_DFL) == SIG_IGN ? 0 : 1;
	if (strcmp(argv[1], "--check-exec-signals") == 0) {
		struct sigaction usr1, usr2;

		if (sigaction(SIGUSR1, NULL, &usr1) < 0 ||
		    sigaction(SIGUSR2, NULL, &usr2) < 0)
			return 1;
		return !(usr1.sa_handler == (uintptr_t)SIG_DFL &&
		    usr2.sa_handler == (uintptr_t)SIG_IGN);
	}
	return -1;
}

/* Is word a topic, or the name of one test? */
static int
known_word(const char *word)
{
	for (size_t g = 0; g < NGROUPS; g++) {
		if (strcmp(word, groups[g].topic) == 0)
			return 1;
		for (const struct test *t = groups[g].tests; t->name; t++)
			if (strcmp(word, t->name) == 0)
				return 1;
	}
	return 0;
}

static void
list_tests(void)
{
	const char *last_topic = "";

	dprintf(2, "usage: usertests [TOPIC|NAME...]\n");
	for (size_t g = 0; g < NGROUPS; g++) {
		if (strcmp(groups[g].topic, last_topic) != 0)
			dprintf(2, "%s%s:", g ? "\n" : "", groups[g].topic);
		last_topic = groups[g].topic;
		for (const struct test *t = groups[g].tests; t->name; t++)
			dprintf(2, " %s", t->name);
	}
	dprintf(2, "\n");
}

/* With no words the groups marked by_default run (today all of them);
 * else the tests whose topic or name is one of the words. */
static int
selected(const struct group *g, const struct test *t, int argc,
    char *argv[])
{
	if (argc == 1)
		return g->by_default;
	for (int a = 1; a < argc; a++)
		if (strcmp(argv[a], g->topic) == 0 ||
		    strcmp(argv[a], t->name) == 0)
			return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	int passed = 0, failed = 0;

	if (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		int r = helper_mode(argc, argv);

		if (r >= 0)
			return r;
		dprintf(2, "usertests: unknown option %s\n", argv[1]);
		return 2;
	}
	for (int a = 1; a < argc; a++) {
		if (!known_word(argv[a])) {
			dprintf(2, "usertests: no topic or test named %s\n",
			    argv[a]);
			list_tests();
			return 2;
		}
	}
	for (size_t g = 0; g < NGROUPS; g++) {
		for (const struct test *t = groups[g].tests; t->name; t++) {
			if (!selected(&groups[g], t, argc, argv))
				continue;
			if (run_test(t))
				passed++;
			else
				failed++;
		}
	}
	printf("usertests: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
