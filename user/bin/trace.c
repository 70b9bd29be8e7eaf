/*
 * trace: the kernel event trace from the shell (docs/tracing.md).
 *	trace on [CLASS...]	start recording (default: all but syscall)
 *	trace off [CLASS...]	stop (default: everything)
 *	trace clear		empty the ring
 *	trace dump		write the ring to the trace port (COM2)
 *	trace [status]		what is on, how many events, how many lost
 *	trace mark TEXT		put a mark in the trace
 *	trace pingpong N	two processes yield to each other N times each
 * CLASS: sched proc syscall irq ipc kmsg migrate user all default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <trace.h>

static const char *const class_names[] = TRACE_CLASS_NAMES;

static void
print_classes(uint32_t mask)
{
	unsigned i;

	printf("tracing:");
	if (!mask)
		printf(" off");
	for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (mask & (1u << i))
			printf(" %s", class_names[i]);
	printf("\n");
}

static int
status(void)
{
	struct trace_status st;

	if (trace_status(&st) < 0) {
		dprintf(2, "trace: %s\n", strerror(errno));
		return 1;
	}
	print_classes(st.classes);
	printf("events: %u recorded, %u held of %u, %u lost\n",
	    st.recorded, st.held, st.capacity, st.lost);
	printf("trace port: %s\n", st.port ? "COM2" : "none (boot QEMU with a second -serial)");
	return 0;
}

/* The words after the op, joined by commas, for the kernel to parse. */
static const char *
join(int argc, char *argv[], char *buf, size_t size)
{
	size_t n = 0;
	int i;

	if (argc < 3)
		return NULL;
	buf[0] = '\0';
	for (i = 2; i < argc; i++)
		n += snprintf(buf + n, n < size ? size - n : 0, "%s%s", i > 2 ? "," : "", argv[i]);
	return buf;
}

/* A workload whose switches are known: parent and child hand the CPU to
 * each other with yield(), marking the start and the end. */
static int
pingpong(int rounds)
{
	int pid, i, st;

	trace_ctl(TRACE_MARK, "pingpong");
	if ((pid = fork()) < 0) {
		dprintf(2, "trace: fork: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < rounds; i++)
		yield();
	if (pid == 0)
		exit(0);
	waitpid(pid, &st, 0);
	trace_ctl(TRACE_MARK, "pingpong end");
	printf("pingpong: parent %d child %d rounds %d\n", getpid(), pid, rounds);
	return 0;
}

int
main(int argc, char *argv[])
{
	char words[256] = "";
	const char *op = argc > 1 ? argv[1] : "status";
	int r;

	if (strcmp(op, "status") == 0)
		return status();
	if (strcmp(op, "on") == 0 || strcmp(op, "off") == 0) {
		r = trace_ctl(op[1] == 'n' ? TRACE_ON : TRACE_OFF, join(argc, argv, words, sizeof(words)));
		if (r < 0) {
			dprintf(2, "trace: %s: %s (classes: sched proc syscall irq ipc kmsg migrate user all)\n",
			    words, strerror(errno));
			return 1;
		}
		print_classes((uint32_t)r);
		return 0;
	}
	if (strcmp(op, "clear") == 0)
		return trace_ctl(TRACE_CLEAR, NULL) < 0;
	if (strcmp(op, "dump") == 0) {
		if ((r = trace_ctl(TRACE_DUMP, NULL)) < 0) {
			dprintf(2, "trace: dump: %s\n", errno == EIO ?
			    "no trace port (QEMU needs a second -serial)" : strerror(errno));
			return 1;
		}
		printf("trace: %d events dumped\n", r);
		return 0;
	}
	if (strcmp(op, "mark") == 0 && argc == 3)
		return trace_ctl(TRACE_MARK, argv[2]) < 0;
	if (strcmp(op, "pingpong") == 0 && argc == 3)
		return pingpong(atoi(argv[2]));
	dprintf(2, "usage: trace [status] | on [CLASS...] | off [CLASS...] | clear | dump | mark TEXT | pingpong N\n");
	return 2;
}
