/*
 * kill: send a signal to processes.  `kill PID` sends SIGTERM; the
 * signal can be given as a number or a name: -9, -KILL, -SIGKILL.
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
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcmp(s, signals[i].name) == 0)
			return signals[i].number;
	return -1;
}

static void
usage(void)
{
	dprintf(2, "usage: kill [-SIGNAL] PID...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	int sig = SIGTERM, status = 0, i = 1;

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
