/*
 * usertests.h: what the files of the usertests program share: the
 * checking macros, helpers for forking and watching children, and each
 * topic's table of tests.  main.c runs them; see the comment there.
 */
#ifndef USERTESTS_H
#define USERTESTS_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <brinch.h>
#include <sys/wait.h>

#define PAGE_SIZE	4096
#define UNMAPPED	((void *)0x70000000)	/* between heap and stack */
#define KERNEL_SPACE	((void *)0xC0000000)
#define NO_SUCH_PID	99999

/* One test: returns 0 when every check held, else -1 (after fail()). */
struct test {
	const char	*name;
	int		(*run)(void);
};

/* Each topic file ends its table with { NULL, NULL }. */
extern const struct test files_tests[];
extern const struct test proc_tests[];
extern const struct test limits_tests[];	/* "proc" too */
extern const struct test signals_tests[];
extern const struct test faults_tests[];
extern const struct test memory_tests[];
extern const struct test cow_tests[];
extern const struct test mbox_tests[];
extern const struct test call_tests[];
extern const struct test direct_tests[];
extern const struct test semshm_tests[];
extern const struct test kbugs_tests[];	/* "regress": run by default too */
extern const struct test fuzzbugs_tests[];	/* "regress": found by fuzz */

/* The name of the test running, for fail()'s message. */
extern const char *current_test;

/* ---- checking ----------------------------------------------------------- */

/* Print why the current test failed; returns -1 for `return fail(...)`. */
int	fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define EXPECT(cond) do {						\
	if (!(cond))							\
		return fail("line %d: %s", __LINE__, #cond);		\
} while (0)

/* `call` must fail with -1 and errno == err. */
#define EXPECT_ERR(call, err) do {					\
	int got_;							\
	errno = 0;							\
	got_ = (int)(call);						\
	if (got_ != -1 || errno != (err))				\
		return fail("line %d: %s returned %d, errno %d (%s); "	\
		    "want -1, %s", __LINE__, #call, got_, errno,	\
		    strerror(errno), #err);				\
} while (0)

/* `call` must succeed (not -1). */
#define EXPECT_OK(call) do {						\
	errno = 0;							\
	if ((int)(call) == -1)						\
		return fail("line %d: %s failed: %s", __LINE__, #call,	\
		    strerror(errno));					\
} while (0)

/* Wait statuses.  Functions, not macros, so that an argument such as
 * status_of(fn) or reap(pid, ms) is evaluated once. */
static inline int
exited_with(int status, int code)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static inline int
killed_by(int status, int sig)
{
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/* ---- helpers (helpers.c) ------------------------------------------------ */

/* The heap grown to a page boundary: the bytes just below are mapped,
 * the page at the returned address is not (NULL on failure). */
char	*heap_edge(void);

/* Fork a child that runs fn and exits with its result; return the wait
 * status (or -1). */
int	 status_of(int (*fn)(void));

/* Fork, exec path with argv in the child; return the wait status. */
int	 status_of_exec(const char *path, char *const argv[]);

int	 contains(const char *haystack, const char *needle);
int	 open_motd(void);

/* Look up pid in the process table; 0 and fills *info if present. */
int	 find_proc(pid_t pid, struct proc_info *info);

/*
 * Children for the IPC and signal tests.  spawn() forks a child that
 * runs fn(arg) and exits 0 if it returned 0, else 1.  The runner kills
 * and reaps whatever a test spawned and did not reap, so a failed test
 * leaves no child blocked behind it.  reap() waits (at most
 * timeout_ms) and returns the wait status, or -1.
 */
pid_t	 spawn(int (*fn)(void *), void *arg);
int	 reap(pid_t pid, unsigned timeout_ms);
void	 kill_spawned(void);

/* Wait (polling ps, at most timeout_ms) until pid is WAITING on the
 * queue named `queue`, or on any queue starting with it if the name
 * ends in '*'.  0 when it is, -1 if not in time. */
int	 wait_until_waiting(pid_t pid, const char *queue, unsigned timeout_ms);

/* Milliseconds since uptime_us() returned start_us. */
unsigned ms_since(uint64_t start_us);

/* A handler that counts: caught_count, and the last caught_signo. */
extern volatile int caught_count, caught_signo;
void	 catch(int sig);

#endif
