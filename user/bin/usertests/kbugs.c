/*
 * kbugs.c: usertests topic "regress": reproductions of kernel bugs found
 * while writing the IPC tests, kept as regression tests now that the
 * kernel is fixed (negative mailbox ids, a lost sem_post, a mailbox slot
 * reused mid-destroy, stop/continue visible as EINTR).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include "usertests.h"

#define PATIENCE_MS	5000

static int sem;

/*
 * kernel/ipc/sys_ipc.c, send_to() and receive_from(): a negative mailbox
 * id is taken for an error code from port_of() and returned as is, so
 * mbox_send(-7, ...) fails with errno 7 (E2BIG) instead of ENOENT.
 */
static int
test_negative_mbox_id(void)
{
	char buf[4];

	EXPECT_ERR(mbox_send(-7, "x", 1, 0, 0), ENOENT);
	EXPECT_ERR(mbox_send(-1, "x", 1, 0, 0), ENOENT);
	EXPECT_ERR(mbox_receive(-7, buf, sizeof(buf), NULL, 0, 0), ENOENT);
	EXPECT_ERR(mbox_receive(-14, buf, sizeof(buf), NULL, 0, 0), ENOENT);
	return 0;
}

static int
sem_waiter(void *unused)
{
	return sem_wait(sem) == 0 ? 0 : -1;
}

/*
 * kernel/ipc/sem.c, sem_post() and sem_wait(): sem_post wakes one waiter;
 * if that waiter then returns EINTR (a signal came before it ran) it
 * leaves without the unit and without passing the wakeup on, so the
 * next waiter sleeps on while the value is 1.
 */
static int
test_sem_lost_wakeup(void)
{
	pid_t first, second;
	int lost = 0;

	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);	/* inherited */
	for (int round = 0; round < 5; round++) {
		EXPECT((sem = sem_create(0)) > 0);
		EXPECT((first = spawn(sem_waiter, NULL)) > 0);
		EXPECT(wait_until_waiting(first, "sem *", PATIENCE_MS) == 0);
		EXPECT((second = spawn(sem_waiter, NULL)) > 0);
		EXPECT(wait_until_waiting(second, "sem *", PATIENCE_MS) == 0);
		/* Back to back: first is woken, then interrupted before
		 * it runs. */
		sem_post(sem);
		kill(first, SIGUSR1);
		msleep(200);
		/* One of the two must hold the unit by now. */
		if (wait_until_waiting(second, "sem *", 0) == 0 &&
		    exited_with(reap(first, PATIENCE_MS), 1))
			lost++;
		kill_spawned();
		sem_destroy(sem);
	}
	if (lost)
		return fail("a sem_post was lost in %d of 5 rounds", lost);
	return 0;
}

/*
 * kernel/ipc/mbox.c, destroy(): the slot is freed (id = 0) before the queued
 * messages are drained.  When a message's sender has no port yet,
 * notify_undelivered() creates one, mbox_create() takes that very slot
 * and clears it: the rest of the messages are never freed (kernel heap
 * leak) and no notice arrives.  (With waiters on the mailbox, their
 * wait-queue links would be cleared under them too.)
 */
static int box;

static int
blocked_sender(void *unused)
{
	EXPECT_ERR(mbox_send(box, "b", 2, 0, 0), EPIPE);
	return 0;
}

static int
test_destroy_notice_new_port(void)
{
	struct meminfo before, after;
	char buf[64];
	int notices = 0, status;
	pid_t pid;

	EXPECT_OK(meminfo(&before));
	EXPECT((box = mbox_create(NULL, 3)) > 0);
	for (int i = 0; i < 3; i++)
		EXPECT(mbox_send(box, "lost", 5, 0, 0) == 0);
	/* Full: a fourth sender blocks, and must get EPIPE. */
	EXPECT((pid = spawn(blocked_sender, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	EXPECT_OK(mbox_destroy(box));		/* we have no port yet */
	while (receive(0, buf, sizeof(buf), NULL, IPC_NOWAIT, 0) > 0)
		notices++;
	status = reap(pid, 1000);		/* -1: still blocked */
	EXPECT_OK(meminfo(&after));
	if (notices != 3 || after.heap_bytes != before.heap_bytes ||
	    !exited_with(status, 0))
		return fail("%d notices of 3; kernel heap %u bytes before, "
		    "%u after; blocked sender %s", notices,
		    (unsigned)before.heap_bytes, (unsigned)after.heap_bytes,
		    status == -1 ? "never woke" : "woke");
	return 0;
}

const struct test kbugs_tests[] = {
	{ "negative_mbox_id",		test_negative_mbox_id },
	{ "sem_lost_wakeup",		test_sem_lost_wakeup },
	{ "destroy_notice_new_port",	test_destroy_notice_new_port },
	{ NULL, NULL }
};
