/*
 * kill: send a signal to processes.  `kill PID` sends SIGTERM; the
 * signal can be given as a number or a name: -9, -KILL, -SIGKILL,
 * -STOP, -CONT...  `kill -l` lists the signals, `kill -l N` names one.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char	*name;
	int		 number;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
};

#define NSIGNALS	(sizeof(signals) / sizeof(signals[0]))

/* "9", "KILL" or "SIGKILL" to a number; -1 if not a signal we know.
 * Out-of-range numbers pass through: the kernel's EINVAL says why. */
static int
parse_signal(const char *s)
{
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (end != s && *end == '\0')
		return (int)n;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < NSIGNALS; i++)
		if (strcmp(s, signals[i].name) == 0)
			return signals[i].number;
	return -1;
}

static const char *
signal_name(int number)
{
	for (size_t i = 0; i < NSIGNALS; i++)
		if (signals[i].number == number)
			return signals[i].name;
	return NULL;
}

/* `kill -l`: every signal, numbered, six to a line as bash does;
 * `kill -l N`: the name of signal N alone. */
static int
list_signals(int argc, char *argv[])
{
	const char *name;

	if (argc > 2) {
		if (!(name = signal_name(atoi(argv[2])))) {
			dprintf(2, "kill: %s: unknown signal\n", argv[2]);
			return 1;
		}
		printf("%s\n", name);
		return 0;
	}
	for (size_t i = 0; i < NSIGNALS; i++) {
		if (i % 6 == 5 || i == NSIGNALS - 1)	/* last on its line */
			printf("%2d) SIG%s\n", signals[i].number,
			    signals[i].name);
		else
			printf("%2d) SIG%-6s ", signals[i].number,
			    signals[i].name);
	}
	return 0;
}

static void
usage(void)
{
	dprintf(2, "usage: kill [-SIGNAL] PID...\n       kill -l [N]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	int sig = SIGTERM, status = 0, i = 1;

	if (argc > 1 && strcmp(argv[1], "-l") == 0)
		return list_signals(argc, argv);
	if (argc > 1 && argv[1][0] == '-') {
		sig = parse_signal(argv[1] + 1);
		if (sig < 0) {
			dprintf(2, "kill: %s: unknown signal\n", argv[1] + 1);
			return 2;
		}
		i++;
	}
	if (i >= argc)
		usage();
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (end == argv[i] || *end != '\0') {
			dprintf(2, "kill: %s: not a process id\n", argv[i]);
			status = 1;
			continue;
		}
		if (kill((pid_t)pid, sig) < 0) {
			dprintf(2, "kill: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
