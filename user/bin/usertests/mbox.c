/*
 * mbox.c: usertests topic "ipc", mailboxes: the three buffering choices
 * (rendezvous, bounded, unbounded), IPC_NOWAIT and timeouts, message
 * sizes, bad arguments, and what happens to waiters and queued messages
 * when a mailbox dies.  See docs/ipc.md for the rules checked here.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>
#include "usertests.h"

#define SHORT_MS	100	/* a timeout we expect to run out */
#define SLACK_MS	1000	/* how late a timeout may be under TCG */
#define PATIENCE_MS	5000	/* for a child to block or finish */

/* Shared with the children each test forks (they get a copy). */
static int box, box2, sem, sem2;

/* The "mbox 3" or "mbox 3 send" queue a process blocks on. */
static const char *
queue_of(int id, int sending)
{
	static char name[WAIT_NAME_LEN];

	snprintf(name, sizeof(name), sending ? "mbox %d send" : "mbox %d", id);
	return name;
}

/* Our mailbox's row from mbox_list(); 0 if found. */
static int
mbox_row(int id, struct mbox_info *row)
{
	static struct mbox_info rows[64];
	int n = mbox_list(rows, 64);

	for (int i = 0; i < n; i++) {
		if (rows[i].id == id) {
			*row = rows[i];
			return 0;
		}
	}
	return -1;
}

/* A timeout ran for roughly `ms` (ticks are 10 ms). */
static int
took_about(uint64_t start, unsigned ms)
{
	unsigned took = ms_since(start);

	if (took + 10 < ms || took > ms + SLACK_MS)
		return fail("a %u ms timeout took %u ms", ms, took);
	return 0;
}

/* ---- arguments ------------------------------------------------------------ */

static int
destroy_not_owner(void *unused)
{
	EXPECT_ERR(mbox_destroy(box), EPERM);
	EXPECT_OK(mbox_close(box));		/* just "done with it" */
	return 0;
}

static int
test_mbox_errors(void)
{
	char name[MBOX_NAME_LEN + 8], buf[16], *edge, *big;
	struct msg_info info;
	struct mbox_info row;
	int stale;

	/* malloc first: it may grow the heap past the edge. */
	EXPECT((big = malloc(MSG_MAX + 1)) != NULL);
	EXPECT((edge = heap_edge()) != NULL);
	EXPECT_ERR(mbox_create("ut-cap", -2), EINVAL);
	EXPECT_ERR(mbox_create("ut-cap", MBOX_MAX_CAPACITY + 1), EINVAL);
	EXPECT((box = mbox_create("ut-errors", 2)) > 0);
	EXPECT_ERR(mbox_create("ut-errors", 0), EEXIST);
	EXPECT(mbox_open("ut-errors") == box);
	EXPECT_ERR(mbox_open("ut-no-such-box"), ENOENT);
	EXPECT_ERR(mbox_open(""), ENOENT);
	EXPECT_ERR(mbox_open(NULL), EFAULT);
	EXPECT_ERR(mbox_open(KERNEL_SPACE), EFAULT);
	EXPECT_ERR(mbox_create(KERNEL_SPACE, 1), EFAULT);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	EXPECT_ERR(mbox_create(name, 1), ENAMETOOLONG);

	/* A destroyed mailbox's id stays dead, even once its slot is
	 * reused. */
	EXPECT((stale = mbox_create(NULL, 1)) > 0);
	EXPECT_OK(mbox_destroy(stale));
	EXPECT((box2 = mbox_create(NULL, 1)) > 0 && box2 != stale);
	/* (Negative ids: see kbugs.c.) */
	for (int i = 0; i < 2; i++) {
		int id = i == 0 ? stale : 0;

		EXPECT_ERR(mbox_send(id, "x", 1, 0, 0), ENOENT);
		EXPECT_ERR(mbox_receive(id, buf, sizeof(buf), &info, 0, 0),
		    ENOENT);
		EXPECT_ERR(mbox_call(id, "x", 1, buf, sizeof(buf), 0), ENOENT);
		EXPECT_ERR(mbox_destroy(id), ENOENT);
		EXPECT_ERR(mbox_close(id), ENOENT);
	}

	EXPECT_ERR(mbox_send(box, big, MSG_MAX + 1, 0, 0), EMSGSIZE);
	EXPECT_ERR(mbox_send(box, NULL, 4, 0, 0), EFAULT);
	EXPECT_ERR(mbox_send(box, KERNEL_SPACE, 4, 0, 0), EFAULT);
	EXPECT_ERR(mbox_send(box, edge - 2, 4, 0, 0), EFAULT);	/* overlong */
	EXPECT(mbox_send(box, "abc", 4, 0, 0) == 0);
	EXPECT_ERR(mbox_receive(box, KERNEL_SPACE, 16, &info, 0, 0), EFAULT);
	EXPECT_ERR(mbox_receive(box, edge - 2, 16, &info, 0, 0), EFAULT);
	EXPECT_ERR(mbox_receive(box, buf, 16, KERNEL_SPACE, 0, 0), EFAULT);
	EXPECT_ERR(mbox_list(KERNEL_SPACE, 4), EFAULT);
	/* None of that lost the message. */
	EXPECT(mbox_receive(box, buf, sizeof(buf), NULL, 0, 0) == 4);
	EXPECT(strcmp(buf, "abc") == 0);

	/* Only the owner may destroy; another's close leaves it be. */
	EXPECT(exited_with(reap(spawn(destroy_not_owner, NULL), PATIENCE_MS), 0));
	EXPECT(mbox_row(box, &row) == 0);
	EXPECT_OK(mbox_close(box));		/* the owner's close destroys */
	EXPECT(mbox_row(box, &row) == -1);
	EXPECT_ERR(mbox_destroy(box), ENOENT);
	EXPECT_ERR(mbox_open("ut-errors"), ENOENT);
	EXPECT_OK(mbox_destroy(box2));
	free(big);
	return 0;
}

/* ---- rendezvous ------------------------------------------------------------ */

static int
rendezvous_sender(void *unused)
{
	EXPECT(mbox_send(box, "hello", 6, 0, 0) == 0);
	EXPECT_OK(sem_post(sem));		/* only now: it was taken */
	return 0;
}

static int
rendezvous_receiver(void *unused)
{
	struct msg_info info;
	char buf[8];

	EXPECT(mbox_receive(box, buf, sizeof(buf), &info, 0, 0) == 3);
	EXPECT(strcmp(buf, "hi") == 0 && info.sender == getppid());
	return 0;
}

static int
test_mbox_rendezvous(void)
{
	struct mbox_info row;
	struct msg_info info;
	uint64_t start;
	char buf[8];
	pid_t pid;

	EXPECT((box = mbox_create(NULL, 0)) > 0);
	EXPECT((sem = sem_create(0)) > 0);
	/* Nobody receiving: IPC_NOWAIT fails at once, a timeout runs out,
	 * and the message is taken back either way. */
	EXPECT_ERR(mbox_send(box, "x", 1, IPC_NOWAIT, 0), EAGAIN);
	start = uptime_us();
	EXPECT_ERR(mbox_send(box, "x", 1, 0, SHORT_MS), ETIMEDOUT);
	if (took_about(start, SHORT_MS) < 0)
		return -1;
	EXPECT(mbox_row(box, &row) == 0 && row.queued == 0 && row.sent == 0);

	/* A sender blocks until its very message is received. */
	EXPECT((pid = spawn(rendezvous_sender, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, queue_of(box, 1), PATIENCE_MS) == 0);
	msleep(30);
	EXPECT_ERR(sem_trywait(sem), EAGAIN);	/* still inside send */
	EXPECT(mbox_row(box, &row) == 0 && row.queued == 1 && row.senders == 1);
	EXPECT(mbox_receive(box, buf, sizeof(buf), &info, 0, 0) == 6);
	EXPECT(strcmp(buf, "hello") == 0 && info.sender == pid);
	EXPECT(info.mbox == box && info.flags == 0);
	EXPECT_OK(sem_timedwait(sem, PATIENCE_MS));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));

	/* With a receiver already waiting, IPC_NOWAIT succeeds. */
	EXPECT((pid = spawn(rendezvous_receiver, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, queue_of(box, 0), PATIENCE_MS) == 0);
	EXPECT(mbox_send(box, "hi", 3, IPC_NOWAIT, 0) == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT(mbox_row(box, &row) == 0 && row.sent == 2 && row.received == 2);
	EXPECT_OK(mbox_destroy(box));
	EXPECT_OK(sem_destroy(sem));
	return 0;
}

/* ---- bounded and unbounded ------------------------------------------------ */

static int
blocked_sender(void *unused)
{
	int n = 99;

	EXPECT(mbox_send(box, &n, sizeof(n), 0, 0) == 0);
	return 0;
}

/* Capacity n: n sends need no receiver, the next one waits. */
static int
check_bounded(int n)
{
	uint64_t start;
	int value;
	pid_t pid;

	EXPECT((box = mbox_create(NULL, n)) > 0);
	for (int i = 0; i < n; i++)
		EXPECT(mbox_send(box, &i, sizeof(i), IPC_NOWAIT, 0) == 0);
	EXPECT_ERR(mbox_send(box, &n, sizeof(n), IPC_NOWAIT, 0), EAGAIN);
	start = uptime_us();
	EXPECT_ERR(mbox_send(box, &n, sizeof(n), 0, SHORT_MS), ETIMEDOUT);
	if (took_about(start, SHORT_MS) < 0)
		return -1;

	/* A blocked sender goes on as soon as a receive makes room. */
	EXPECT((pid = spawn(blocked_sender, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, queue_of(box, 1), PATIENCE_MS) == 0);
	for (int i = 0; i < n; i++) {
		EXPECT(mbox_receive(box, &value, sizeof(value), NULL, 0, 0) == 4);
		EXPECT(value == i);		/* first in, first out */
		if (i == 0)
			EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	}
	EXPECT(mbox_receive(box, &value, sizeof(value), NULL, 0, 0) == 4);
	EXPECT(value == 99);

	EXPECT_ERR(mbox_receive(box, &value, sizeof(value), NULL, IPC_NOWAIT,
	    0), EAGAIN);
	start = uptime_us();
	EXPECT_ERR(mbox_receive(box, &value, sizeof(value), NULL, 0,
	    SHORT_MS), ETIMEDOUT);
	if (took_about(start, SHORT_MS) < 0)
		return -1;
	/* IPC_NOWAIT wins over a timeout. */
	start = uptime_us();
	EXPECT_ERR(mbox_receive(box, &value, sizeof(value), NULL, IPC_NOWAIT,
	    5000), EAGAIN);
	EXPECT(ms_since(start) < SLACK_MS);
	EXPECT_OK(mbox_destroy(box));
	return 0;
}

static int
test_mbox_bounded(void)
{
	if (check_bounded(1) < 0 || check_bounded(4) < 0)
		return -1;
	return check_bounded(MBOX_MAX_CAPACITY);
}

static int
test_mbox_unbounded(void)
{
	struct mbox_info row;
	int value;

	EXPECT((box = mbox_create(NULL, MBOX_UNBOUNDED)) > 0);
	for (int i = 0; i < MBOX_UNBOUNDED_LIMIT; i++)
		EXPECT(mbox_send(box, &i, sizeof(i), IPC_NOWAIT, 0) == 0);
	EXPECT(mbox_row(box, &row) == 0);
	EXPECT(row.capacity == MBOX_UNBOUNDED);
	EXPECT(row.queued == MBOX_UNBOUNDED_LIMIT);
	/* "Unbounded" is bounded by the limit after all. */
	EXPECT_ERR(mbox_send(box, &value, sizeof(value), IPC_NOWAIT, 0), EAGAIN);
	for (int i = 0; i < MBOX_UNBOUNDED_LIMIT; i++) {
		EXPECT(mbox_receive(box, &value, sizeof(value), NULL, 0, 0) == 4);
		EXPECT(value == i);
	}
	EXPECT_OK(mbox_destroy(box));
	return 0;
}

/* EMSGSIZE leaves the message queued for a retry with a bigger buffer. */
static int
test_mbox_sizes(void)
{
	char *big = malloc(MSG_MAX), *got = malloc(MSG_MAX), small[16];
	struct msg_info info;

	EXPECT(big != NULL && got != NULL);
	for (int i = 0; i < MSG_MAX; i++)
		big[i] = (char)(i * 7);
	EXPECT((box = mbox_create(NULL, 4)) > 0);
	EXPECT(mbox_send(box, big, MSG_MAX, 0, 0) == 0);
	EXPECT(mbox_send(box, NULL, 0, 0, 0) == 0);	/* empty is fine */
	for (int i = 0; i < 2; i++) {
		memset(&info, 0, sizeof(info));
		EXPECT_ERR(mbox_receive(box, small, sizeof(small), &info, 0, 0),
		    EMSGSIZE);
		EXPECT(info.length == MSG_MAX && info.sender == getpid());
	}
	EXPECT(mbox_receive(box, got, MSG_MAX, &info, 0, 0) == MSG_MAX);
	EXPECT(memcmp(big, got, MSG_MAX) == 0);
	EXPECT(mbox_receive(box, small, sizeof(small), &info, 0, 0) == 0);
	EXPECT(info.length == 0);
	EXPECT_OK(mbox_destroy(box));
	free(big);
	free(got);
	return 0;
}

/* ---- death and destruction ------------------------------------------------ */

/* Owns two mailboxes until the test says go, then exits. */
static int
mailbox_owner(void *unused)
{
	int full;

	EXPECT(mbox_create("ut-owner-r", 0) > 0);
	EXPECT((full = mbox_create("ut-owner-s", 1)) > 0);
	EXPECT(mbox_send(full, "x", 1, 0, 0) == 0);
	EXPECT_OK(sem_post(sem));
	EXPECT_OK(sem_wait(sem2));
	return 0;
}

static int
expect_receive_epipe(void *unused)
{
	char buf[4];

	EXPECT_ERR(mbox_receive(box, buf, sizeof(buf), NULL, 0, 0), EPIPE);
	return 0;
}

static int
expect_send_epipe(void *unused)
{
	EXPECT_ERR(mbox_send(box2, "y", 1, 0, 0), EPIPE);
	return 0;
}

static int
test_mbox_owner_exit(void)
{
	pid_t owner, receiver, sender;

	EXPECT((sem = sem_create(0)) > 0);		/* "ready" */
	EXPECT((sem2 = sem_create(0)) > 0);		/* "go" */
	EXPECT((owner = spawn(mailbox_owner, NULL)) > 0);
	EXPECT_OK(sem_timedwait(sem, PATIENCE_MS));
	EXPECT((box = mbox_open("ut-owner-r")) > 0);
	EXPECT((box2 = mbox_open("ut-owner-s")) > 0);
	EXPECT((receiver = spawn(expect_receive_epipe, NULL)) > 0);
	EXPECT((sender = spawn(expect_send_epipe, NULL)) > 0);
	EXPECT(wait_until_waiting(receiver, queue_of(box, 0), PATIENCE_MS) == 0);
	EXPECT(wait_until_waiting(sender, queue_of(box2, 1), PATIENCE_MS) == 0);

	EXPECT_OK(sem_post(sem2));			/* owner: exit now */
	EXPECT(exited_with(reap(owner, PATIENCE_MS), 0));
	EXPECT(exited_with(reap(receiver, PATIENCE_MS), 0));
	EXPECT(exited_with(reap(sender, PATIENCE_MS), 0));
	EXPECT_ERR(mbox_open("ut-owner-r"), ENOENT);
	EXPECT_ERR(mbox_open("ut-owner-s"), ENOENT);
	sem_destroy(sem);
	sem_destroy(sem2);
	return 0;
}

/* Sends two messages, then waits in its port for the notices of their
 * loss. */
static int
notice_sender(void *unused)
{
	static const size_t lengths[] = { 4, 6 };
	struct mbox_notice notice;
	struct msg_info info;

	/* Make sure we have a port before the notices come (kbugs.c). */
	EXPECT_ERR(receive(ANY, &notice, sizeof(notice), &info, IPC_NOWAIT,
	    0), EAGAIN);
	EXPECT(mbox_send(box, "one", 4, 0, 0) == 0);
	EXPECT(mbox_send(box, "three", 6, 0, 0) == 0);
	EXPECT_OK(sem_post(sem));
	for (int i = 0; i < 2; i++) {
		EXPECT(receive(ANY, &notice, sizeof(notice), &info, 0,
		    PATIENCE_MS) == sizeof(notice));
		EXPECT(info.sender == 0 && (info.flags & MSG_NOTICE));
		EXPECT(notice.what == NOTICE_UNDELIVERED);
		EXPECT(notice.mbox == box && notice.length == lengths[i]);
	}
	return 0;
}

static int
test_mbox_destroy_notice(void)
{
	pid_t pid;

	EXPECT((box = mbox_create(NULL, 4)) > 0);
	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((pid = spawn(notice_sender, NULL)) > 0);
	EXPECT_OK(sem_timedwait(sem, PATIENCE_MS));
	EXPECT_OK(mbox_destroy(box));		/* two messages still in it */
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	sem_destroy(sem);
	return 0;
}

static int
test_mbox_destroy_rendezvous(void)
{
	pid_t pid;

	EXPECT((box2 = mbox_create(NULL, 0)) > 0);
	EXPECT((pid = spawn(expect_send_epipe, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, queue_of(box2, 1), PATIENCE_MS) == 0);
	EXPECT_OK(mbox_destroy(box2));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	return 0;
}

/* ---- interrupted waits ------------------------------------------------------ */

static int
interrupted_sender(void *unused)
{
	caught_count = 0;
	EXPECT_ERR(mbox_send(box, "z", 1, 0, 0), EINTR);
	EXPECT(caught_count == 1 && caught_signo == SIGUSR1);
	return 0;
}

static int
test_mbox_eintr(void)
{
	struct mbox_info row;
	uint64_t start;
	char buf[4];
	pid_t pid;

	/* A receive blocked with a time limit, cut short by SIGALRM. */
	caught_count = 0;
	EXPECT(signal(SIGALRM, catch) != SIG_ERR);
	EXPECT((box = mbox_create(NULL, 1)) > 0);
	start = uptime_us();
	alarm(1);
	EXPECT_ERR(mbox_receive(box, buf, sizeof(buf), NULL, 0, 10000), EINTR);
	EXPECT(caught_count == 1 && caught_signo == SIGALRM);
	EXPECT(ms_since(start) < 1000 + SLACK_MS);
	EXPECT_OK(mbox_destroy(box));

	/* A rendezvous sender interrupted takes its message back. */
	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);
	EXPECT((box = mbox_create(NULL, 0)) > 0);
	EXPECT((pid = spawn(interrupted_sender, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, queue_of(box, 1), PATIENCE_MS) == 0);
	EXPECT_OK(kill(pid, SIGUSR1));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT(mbox_row(box, &row) == 0 && row.queued == 0 && row.senders == 0);
	EXPECT_OK(mbox_destroy(box));
	return 0;
}

/* ---- the listing ------------------------------------------------------------ */

static int
test_mbox_list(void)
{
	struct mbox_info rows[4], row;
	struct msg_info info;
	char buf[4];

	EXPECT((box = mbox_create("ut-list", 3)) > 0);
	EXPECT(mbox_send(box, "a", 2, 0, 0) == 0);
	EXPECT(mbox_send(box, "b", 2, 0, 0) == 0);
	EXPECT(mbox_receive(box, buf, sizeof(buf), NULL, 0, 0) == 2);
	EXPECT(mbox_row(box, &row) == 0);
	EXPECT(strcmp(row.name, "ut-list") == 0 && row.owner == getpid());
	EXPECT(row.capacity == 3 && row.queued == 1 && !row.is_port);
	EXPECT(row.sent == 2 && row.received == 1);
	EXPECT(row.senders == 0 && row.receivers == 0);

	/* Receiving from our port creates it; it is listed too. */
	EXPECT_ERR(receive(ANY, buf, sizeof(buf), &info, IPC_NOWAIT, 0), EAGAIN);
	EXPECT(send(getpid(), "p", 2, 0, 0) == 0);
	EXPECT(receive(ANY, buf, sizeof(buf), &info, 0, 0) == 2);
	EXPECT(mbox_row(info.mbox, &row) == 0);
	EXPECT(row.is_port && row.owner == getpid());
	EXPECT(row.capacity == PORT_CAPACITY);

	EXPECT(mbox_list(rows, 0) == 0);
	EXPECT(mbox_list(rows, 1) == 1);
	EXPECT(mbox_list(rows, 4) >= 2);
	EXPECT_OK(mbox_destroy(box));
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test mbox_tests[] = {
	{ "mbox_errors",		test_mbox_errors },
	{ "mbox_rendezvous",		test_mbox_rendezvous },
	{ "mbox_bounded",		test_mbox_bounded },
	{ "mbox_unbounded",		test_mbox_unbounded },
	{ "mbox_sizes",			test_mbox_sizes },
	{ "mbox_owner_exit",		test_mbox_owner_exit },
	{ "mbox_destroy_notice",	test_mbox_destroy_notice },
	{ "mbox_destroy_rendezvous",	test_mbox_destroy_rendezvous },
	{ "mbox_eintr",			test_mbox_eintr },
	{ "mbox_list",			test_mbox_list },
	{ NULL, NULL }
};
