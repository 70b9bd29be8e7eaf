/*
 * callcount: how many times a system call has been made since boot, from
 * the callcount() system call of the syscall lab (docs/labs/syscall.md).
 *	callcount NAME|NUMBER		e.g. `callcount getpid`, `callcount 9`
 *	callcount -d K NAME		make K calls of NAME, print the rise
 *	callcount -a			every call made at least once
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <lab.h>
#include <brinch/syscall.h>

/* Names for the numbers: the part of <brinch/syscall.h> every tree has.
 * Any other call can still be given by number. */
#define CALL(name)	{ #name, SYS_##name }
static const struct {
	const char *name;
	int	    num;
} calls[] = {
	CALL(exit), CALL(fork), CALL(read), CALL(write), CALL(open),
	CALL(close), CALL(waitpid), CALL(exec), CALL(getpid), CALL(getppid),
	CALL(yield), CALL(sleep), CALL(sbrk), CALL(lseek), CALL(uptime),
	CALL(kill), CALL(ps), CALL(meminfo), CALL(readdir), CALL(fstat),
	CALL(signal), CALL(setfg), CALL(halt), CALL(dup), CALL(sigaction),
	CALL(sigprocmask), CALL(sigreturn), CALL(alarm), CALL(pause),
	CALL(sigpending), CALL(mbox_create), CALL(mbox_open),
	CALL(mbox_close), CALL(mbox_destroy), CALL(mbox_send),
	CALL(mbox_receive), CALL(send), CALL(receive), CALL(call),
	CALL(mbox_call), CALL(reply), CALL(reply_receive), CALL(mbox_list), CALL(sem_create),
	CALL(sem_wait), CALL(sem_post), CALL(sem_destroy), CALL(shm_create),
	CALL(shm_attach), CALL(shm_detach), CALL(shm_destroy),
	CALL(sched_set), CALL(sched_get), CALL(nice), CALL(suspend),
	CALL(resume), CALL(procinfo), CALL(callcount),
};

#define NCALLS	((int)(sizeof(calls) / sizeof(calls[0])))

static const char *
name_of(int num)
{
	int i;

	for (i = 0; i < NCALLS; i++)
		if (calls[i].num == num)
			return calls[i].name;
	return "?";
}

/* A name or a decimal number (possibly negative, to try bad ones). */
static int
parse_call(const char *s, int *num)
{
	char *end;
	int i;

	for (i = 0; i < NCALLS; i++) {
		if (strcmp(s, calls[i].name) == 0) {
			*num = calls[i].num;
			return 0;
		}
	}
	*num = (int)strtol(s, &end, 10);
	return *s && !*end ? 0 : -1;
}

/* -d repeats only calls that are harmless to repeat. */
static int
repeatable(int num)
{
	return num == SYS_getpid || num == SYS_getppid || num == SYS_yield ||
	    num == SYS_uptime || num == SYS_callcount;
}

static void
make_call(int num)
{
	switch (num) {
	case SYS_getpid:
		getpid();
		break;
	case SYS_getppid:
		getppid();
		break;
	case SYS_yield:
		yield();
		break;
	case SYS_uptime:
		uptime(NULL);
		break;
	case SYS_callcount:
		callcount(SYS_getpid);
		break;
	}
}

static int
show(int num)
{
	int n = callcount(num);

	if (n < 0) {
		dprintf(2, "callcount: %d: %s\n", num, strerror(errno));
		return 1;
	}
	printf("%s (%d): %d\n", name_of(num), num, n);
	return 0;
}

/* Make k calls and report how far the counter moved.  For callcount
 * itself the rise is k + 1: the first reading is counted too. */
static int
delta(int k, int num)
{
	int before, after, i;

	if (!repeatable(num)) {
		dprintf(2, "callcount -d: only getpid, getppid, yield, uptime, callcount\n");
		return 2;
	}
	if ((before = callcount(num)) < 0) {
		dprintf(2, "callcount: %d: %s\n", num, strerror(errno));
		return 1;
	}
	for (i = 0; i < k; i++)
		make_call(num);
	after = callcount(num);
	printf("%s (%d): %d calls made, count rose by %d\n", name_of(num), num,
	    k, after - before);
	return 0;
}

/* Every number the kernel accepts, up to the first EINVAL. */
static int
show_all(void)
{
	int num, n;

	for (num = 0; (n = callcount(num)) >= 0; num++)
		if (n > 0)
			printf("%-14s %3d %8d\n", name_of(num), num, n);
	if (errno != EINVAL) {
		dprintf(2, "callcount: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int num;

	if (argc == 2 && strcmp(argv[1], "-a") == 0)
		return show_all();
	if (argc == 2 && parse_call(argv[1], &num) == 0)
		return show(num);
	if (argc == 4 && strcmp(argv[1], "-d") == 0 && parse_call(argv[3], &num) == 0)
		return delta(atoi(argv[2]), num);
	dprintf(2, "usage: callcount NAME|NUMBER | callcount -d K NAME | callcount -a\n");
	return 2;
}
