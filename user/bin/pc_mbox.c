/*
 * pc_mbox: the bounded buffer again, with a mailbox of capacity SLOTS
 * doing what pc_shm's ring and three semaphores do: the kernel counts,
 * and blocks the producer when it is full and the consumer when it is
 * empty.  `pc_mbox [ITEMS [SLOTS]]`; the consumer checks it got 0..N-1
 * once each, in order, and prints "pc_mbox: N items, in order, ok".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>

#define DEFAULT_ITEMS	1000
#define DEFAULT_SLOTS	8

static int box;		/* the mailbox id, inherited by fork */

static void
die(const char *what)
{
	printf("pc_mbox: FAILED: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
producer(int items)
{
	for (int32_t i = 0; i < items; i++)
		if (mbox_send(box, &i, sizeof(i), 0, 0) < 0)
			die("producer: mbox_send");
	exit(0);
}

static void
consumer(int items)
{
	int32_t got;

	for (int i = 0; i < items; i++) {
		if (mbox_receive(box, &got, sizeof(got), NULL, 0, 0) !=
		    sizeof(got))
			die("consumer: mbox_receive");
		if (got != i) {
			printf("pc_mbox: FAILED: item %d is %d\n", i, (int)got);
			exit(1);
		}
	}
	/* Exactly N: nothing more may be queued. */
	if (mbox_receive(box, &got, sizeof(got), NULL, IPC_NOWAIT, 0) >= 0) {
		printf("pc_mbox: FAILED: more than %d items\n", items);
		exit(1);
	}
	printf("pc_mbox: %d items, in order, ok\n", items);
	exit(0);
}

static pid_t
start(void (*fn)(int), int items)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		fn(items);
	return pid;
}

int
main(int argc, char *argv[])
{
	int items = argc > 1 ? atoi(argv[1]) : DEFAULT_ITEMS;
	int slots = argc > 2 ? atoi(argv[2]) : DEFAULT_SLOTS;
	int status, failed = 0;
	uint64_t begin = uptime_us();
	pid_t pids[2], pid;

	if (argc > 3 || items <= 0 || slots <= 0 || slots > MBOX_MAX_CAPACITY) {
		dprintf(2, "usage: pc_mbox [ITEMS [SLOTS]] (SLOTS 1..%d)\n",
		    MBOX_MAX_CAPACITY);
		return 2;
	}
	if ((box = mbox_create(NULL, slots)) < 0)
		die("mbox_create");
	pids[0] = start(producer, items);
	pids[1] = start(consumer, items);
	for (int n = 0; n < 2; n++) {
		if ((pid = wait(&status)) < 0)
			die("wait");
		if (status != 0) {
			failed = 1;
			kill(pid == pids[0] ? pids[1] : pids[0], SIGKILL);
		}
	}
	printf("pc_mbox: %d items through a mailbox of capacity %d in %llu ms\n",
	    items, slots, (unsigned long long)((uptime_us() - begin) / 1000));
	mbox_destroy(box);
	return failed;
}
