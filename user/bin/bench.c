/*
 * bench: micro-benchmarks of system calls, process operations, message
 * passing and signals, run by tools/bench.py.  `bench [NAME
 * [ITERATIONS]]`; prints one JSON object per benchmark, timed with the
 * microsecond uptime clock.  `bench -q` runs each a hundredth as long:
 * a smoke run for the tests (tests/integration/test_bench.py).
 */
#include <errno.h>
#include <signal.h>
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
	const char	*rate;		/* if set, also print ops/s as this */
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

/* ---- message passing and signals ---------------------------------------- */

/*
 * A child that answers `iterations` calls on its port, then exits: the
 * way a server is written, each answer and the wait for the next call in
 * one system call (reply_receive), or (split) as receive, then reply.
 */
static pid_t
start_echo_server(int iterations, int split)
{
	struct msg_info info;
	char buf[64];
	pid_t pid = fork();
	int n;

	if (pid != 0)
		return pid;
	if ((n = receive(ANY, buf, sizeof(buf), &info, 0, 0)) < 0)
		_exit(1);
	for (int i = 1; i < iterations; i++) {
		if (split)
			n = reply(info.sender, buf, n) < 0 ? -1 :
			    receive(ANY, buf, sizeof(buf), &info, 0, 0);
		else
			n = reply_receive(info.sender, buf, n, buf, sizeof(buf), &info);
		if (n < 0)
			_exit(1);
	}
	_exit(reply(info.sender, buf, n) < 0);
}

/*
 * call/reply between two processes: one round trip is two messages and
 * two context switches (and two system calls, or three when split).  Both
 * messages go straight from one process's memory to the other's
 * (docs/ipc.md, "Direct transfer").  The counterpart of xv6's pipe
 * ping-pong.
 */
static int
mbox_roundtrip(int iterations, int split)
{
	char out[4] = "png", in[4];
	int status;
	pid_t pid;

	if ((pid = start_echo_server(iterations, split)) < 0)
		return -1;
	for (int i = 0; i < iterations; i++) {
		if (call(pid, out, sizeof(out), in, sizeof(in), 0) != sizeof(in)) {
			dprintf(2, "bench: call: %s\n", strerror(errno));
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
	}
	return waitpid(pid, &status, 0) == pid && status == 0 ? 0 : -1;
}

static int
bench_mbox_roundtrip(int iterations)
{
	return mbox_roundtrip(iterations, 0);
}

static int
bench_mbox_roundtrip_split(int iterations)
{
	return mbox_roundtrip(iterations, 1);
}

/*
 * One way: a producer sends `iterations` messages of `size` bytes into
 * a mailbox of capacity 64, a consumer takes them.  Timed until the
 * consumer has the last one.
 */
static int
mbox_one_way(int iterations, size_t size)
{
	static char msg[4096];
	int box, status, result;
	pid_t pid;

	if ((box = mbox_create(NULL, 64)) < 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		for (int i = 0; i < iterations; i++)
			if (mbox_receive(box, msg, sizeof(msg), NULL, 0, 0) !=
			    (int)size)
				_exit(1);
		_exit(0);
	}
	for (int i = 0; i < iterations; i++) {
		if (mbox_send(box, msg, size, 0, 0) < 0) {
			dprintf(2, "bench: mbox_send: %s\n", strerror(errno));
			kill(pid, SIGKILL);
			break;
		}
	}
	result = waitpid(pid, &status, 0) == pid && status == 0 ? 0 : -1;
	mbox_destroy(box);	/* not before: messages may still be queued */
	return result;
}

static int
bench_mbox_throughput_64(int iterations)
{
	return mbox_one_way(iterations, 64);
}

static int
bench_mbox_throughput_4096(int iterations)
{
	return mbox_one_way(iterations, 4096);
}

static volatile int signals_caught;

static void
count_signal(int sig)
{
	signals_caught++;
}

/* kill(self) + handler + sigreturn: delivery and return, no switch. */
static int
bench_signal_roundtrip(int iterations)
{
	signals_caught = 0;
	if (signal(SIGUSR1, count_signal) == SIG_ERR)
		return -1;
	for (int i = 0; i < iterations; i++)
		kill(getpid(), SIGUSR1);
	signal(SIGUSR1, SIG_DFL);
	return signals_caught == iterations ? 0 : -1;
}

static const struct benchmark benchmarks[] = {
	{ "getpid",		bench_getpid,		300000,	NULL },
	{ "fork_wait",		bench_fork_wait,	1000,	NULL },
	{ "fork_exec_wait",	bench_fork_exec_wait,	500,	NULL },
	{ "yield_pingpong",	bench_yield_pingpong,	50000,	NULL },
	{ "mbox_roundtrip",	bench_mbox_roundtrip,	10000,	NULL },
	{ "mbox_roundtrip_split", bench_mbox_roundtrip_split, 10000, NULL },
	{ "mbox_throughput_64",	bench_mbox_throughput_64, 20000, "msgs_per_s" },
	{ "mbox_throughput_4096", bench_mbox_throughput_4096, 5000, "msgs_per_s" },
	{ "signal_roundtrip",	bench_signal_roundtrip,	20000,	NULL },
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
	if (total_us == 0)
		total_us = 1;
	per_op_ns = (total_us * 1000 + iterations / 2) / iterations;
	printf("{\"bench\": \"%s\", \"iterations\": %d, \"total_us\": %llu, "
	    "\"per_op_us\": %llu.%03llu", b->name, iterations,
	    (unsigned long long)total_us,
	    (unsigned long long)(per_op_ns / 1000),
	    (unsigned long long)(per_op_ns % 1000));
	if (b->rate)
		printf(", \"%s\": %llu", b->rate,
		    (unsigned long long)iterations * 1000000 / total_us);
	printf("}\n");
	return 0;
}

static void
usage(void)
{
	dprintf(2, "usage: bench [-q | NAME [ITERATIONS]]\nbenchmarks:");
	for (size_t i = 0; i < NBENCH; i++)
		dprintf(2, " %s", benchmarks[i].name);
	dprintf(2, "\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	int status = 0, iterations = 0, quick = 0;

	if (argc == 2 && strcmp(argv[1], "-q") == 0) {
		quick = 1;
		argc = 1;
	}
	if (argc > 3)
		usage();
	if (argc == 3 && (iterations = atoi(argv[2])) <= 0)
		usage();
	for (size_t i = 0; i < NBENCH; i++) {
		const struct benchmark *b = &benchmarks[i];

		if (argc >= 2 && strcmp(argv[1], b->name) != 0)
			continue;
		if (quick)
			iterations = b->iterations / 100;
		if (run(b, iterations > 0 ? iterations : b->iterations) < 0)
			status = 1;
		if (argc >= 2)
			return status;
	}
	if (argc >= 2)
		usage();		/* no benchmark has that name */
	return status;
}
