/*
 * bench: micro-benchmarks of system calls and process operations, run
 * by tools/bench.py.  `bench [NAME [ITERATIONS]]`; prints one JSON
 * object per benchmark, timed with the microsecond uptime clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>

/* Each benchmark runs its operation `iterations` times; 0 on success. */
struct benchmark {
	const char	*name;
	int		(*run)(int iterations);
	int		 iterations;	/* default: well under a second, TCG */
};

static int
bench_getpid(int iterations)
{
	for (int i = 0; i < iterations; i++)
		getpid();
	return 0;
}

/* Fork a child that execs exec_argv (or, if NULL, just exits) and
 * wait for it to finish. */
static int
fork_and_wait(char *const exec_argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		dprintf(2, "bench: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (exec_argv != NULL) {
			exec(exec_argv[0], exec_argv);
			dprintf(2, "bench: exec %s: %s\n", exec_argv[0],
			    strerror(errno));
			_exit(127);
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || status != 0) {
		dprintf(2, "bench: child %d failed (status %#x)\n", pid, status);
		return -1;
	}
	return 0;
}

static int
bench_fork_wait(int iterations)
{
	for (int i = 0; i < iterations; i++)
		if (fork_and_wait(NULL) < 0)
			return -1;
	return 0;
}

static int
bench_fork_exec_wait(int iterations)
{
	char *argv[] = { "/bin/true", NULL };

	for (int i = 0; i < iterations; i++)
		if (fork_and_wait(argv) < 0)
			return -1;
	return 0;
}

/*
 * Parent and child both yield `iterations` times.  With only these two
 * runnable, each parent yield switches to the child and the child's
 * yield switches back: one round trip (two switches) per iteration.
 * The one fork is included in the time; it is small next to the loop.
 */
static int
bench_yield_pingpong(int iterations)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		dprintf(2, "bench: fork: %s\n", strerror(errno));
		return -1;
	}
	for (int i = 0; i < iterations; i++)
		yield();
	if (pid == 0)
		_exit(0);
	return waitpid(pid, &status, 0) == pid && status == 0 ? 0 : -1;
}

static const struct benchmark benchmarks[] = {
	{ "getpid",		bench_getpid,		300000 },
	{ "fork_wait",		bench_fork_wait,	1000 },
	{ "fork_exec_wait",	bench_fork_exec_wait,	500 },
	{ "yield_pingpong",	bench_yield_pingpong,	50000 },
};

#define NBENCH	(sizeof(benchmarks) / sizeof(benchmarks[0]))

/* Run one benchmark and print its line.  Floating point is off limits
 * (-mno-80387), so per_op_us is printed from integer nanoseconds. */
static int
run(const struct benchmark *b, int iterations)
{
	uint64_t start, total_us, per_op_ns;

	start = uptime_us();
	if (b->run(iterations) < 0) {
		dprintf(2, "bench: %s failed\n", b->name);
		return -1;
	}
	total_us = uptime_us() - start;
	per_op_ns = (total_us * 1000 + iterations / 2) / iterations;
	printf("{\"bench\": \"%s\", \"iterations\": %d, \"total_us\": %llu, "
	    "\"per_op_us\": %llu.%03llu}\n", b->name, iterations,
	    (unsigned long long)total_us,
	    (unsigned long long)(per_op_ns / 1000),
	    (unsigned long long)(per_op_ns % 1000));
	return 0;
}

static void
usage(void)
{
	dprintf(2, "usage: bench [NAME [ITERATIONS]]\nbenchmarks:");
	for (size_t i = 0; i < NBENCH; i++)
		dprintf(2, " %s", benchmarks[i].name);
	dprintf(2, "\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	int status = 0, iterations = 0;

	if (argc > 3)
		usage();
	if (argc == 3 && (iterations = atoi(argv[2])) <= 0)
		usage();
	for (size_t i = 0; i < NBENCH; i++) {
		const struct benchmark *b = &benchmarks[i];

		if (argc >= 2 && strcmp(argv[1], b->name) != 0)
			continue;
		if (run(b, iterations > 0 ? iterations : b->iterations) < 0)
			status = 1;
		if (argc >= 2)
			return status;
	}
	if (argc >= 2)
		usage();		/* no benchmark has that name */
	return status;
}
