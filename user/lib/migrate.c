/*
 * Wrappers for the migration system calls 90-92 (kernel/migrate/
 * sys_migrate.c), declared in <migrate.h>, and the names the commands
 * print.  Each call returns -1 and sets errno on failure.
 */
#include <errno.h>
#include <migrate.h>
#include "user/lib/syscall.h"

int
migrate(int pid, int node, int how, struct mig_record *rec)
{
	return unix_result(syscall5(SYS_migrate, pid, node, how, ARG(rec), 0));
}

int
migstat(struct mig_record *out, int max)
{
	return unix_result(syscall5(SYS_migstat, ARG(out), max, 0, 0, 0));
}

int
migctl(int op, void *arg)
{
	return unix_result(syscall5(SYS_migctl, op, ARG(arg), 0, 0, 0));
}

int
migctl_int(int op, int value)
{
	return unix_result(syscall5(SYS_migctl, op, value, 0, 0, 0));
}

const char *
mig_how_name(int how)
{
	static const char *const names[] = { "stop", "precopy", "lazy" };

	return how >= 0 && how <= MIG_LAZY ? names[how] : "?";
}

const char *
mig_why_name(int why)
{
	static const char *const names[] = {
		"", "a socket", "an open file that cannot travel",
		"attached shared memory", "a mailbox it owns", "children here",
		"inside call() or serving one", "stopped or suspended",
		"a system process", "already moving", "a semaphore it created",
		"it reads the console",
	};

	return why >= 0 && why <= MIG_WHY_CONSOLE ? names[why] : "?";
}

const char *
mig_stop_name(int reason)
{
	static const char *const names[] = {
		"-", "dirty set small", "round cap", "bytes cap",
		"dirty set not shrinking", "stop-and-copy", "lazy: no page sent",
	};

	return reason >= 0 && reason <= MIG_STOP_LAZY ? names[reason] : "?";
}
