/*
 * direct.c: usertests topic "ipc", direct transfer: a message handed
 * straight from the sender's memory to a receiver already waiting, and a
 * reply straight into its caller's buffer (kernel/ipc/direct.c, docs/ipc.md
 * "Direct transfer").  Each test checks which way a message went (the
 * mailbox's `direct` count) and that both ways deliver the same thing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include "usertests.h"

#define PATIENCE_MS	5000

static int sem;

/* Messages handed over directly into pid's port so far (-1: no port). */
static int
port_direct(pid_t pid)
{
	static struct mbox_info rows[64];
	int n = mbox_list(rows, 64);

	for (int i = 0; i < n; i++)
		if (rows[i].is_port && rows[i].owner == pid && !rows[i].moved_to)
			return (int)rows[i].direct;
	return -1;
}

/* ---- a call to a waiting server, and its reply --------------------------- */

/* Receives one call, checks it, answers it, then waits to be told to go
 * (so that its port, and the count in it, outlive the call). */
static int
echo_once(void *unused)
{
	struct msg_info info;
	char buf[32];
	int n;

	memset(&info, 0xff, sizeof(info));
	EXPECT((n = receive(ANY, buf, sizeof(buf), &info, 0, 0)) == 6);
	EXPECT(memcmp(buf, "hello", 6) == 0);
	EXPECT(info.sender == getppid() && info.length == 6);
	EXPECT(info.flags == MSG_CALL);
	EXPECT(port_direct(getpid()) == 1);
	EXPECT(reply(info.sender, "HELLO!", 7) == 0);
	EXPECT_OK(sem_wait(sem));
	return 0;
}

static int
test_direct_call(void)
{
	char out[16];
	pid_t pid;

	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((pid = spawn(echo_once, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	EXPECT(port_direct(pid) == 0);
	memset(out, 'x', sizeof(out));
	EXPECT(call(pid, "hello", 6, out, sizeof(out), 0) == 7);
	EXPECT(strcmp(out, "HELLO!") == 0 && out[7] == 'x');
	EXPECT(port_direct(pid) == 1);
	EXPECT_OK(sem_post(sem));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	sem_destroy(sem);
	return 0;
}

/* ---- what direct transfer leaves to the queue ---------------------------- */

/* Waits with a 4-byte buffer: a longer message must stay queued and
 * come out whole with a bigger one. */
static int
small_buffer(void *unused)
{
	struct msg_info info;
	char buf[64];

	EXPECT_ERR(receive(ANY, buf, 4, &info, 0, 0), EMSGSIZE);
	EXPECT(info.length == 10 && info.sender == getppid());
	EXPECT(receive(ANY, buf, sizeof(buf), &info, 0, 0) == 10);
	EXPECT(memcmp(buf, "0123456789", 10) == 0);
	EXPECT(port_direct(getpid()) == 0);
	return 0;
}

/* Waits for the parent only: a sibling's message is queued, not handed
 * over, and the parent's then finds a queue that is not empty. */
static int
parent_only(void *unused)
{
	struct msg_info info;
	char buf[16];

	EXPECT(receive(getppid(), buf, sizeof(buf), &info, 0, 0) == 7);
	EXPECT(strcmp(buf, "parent") == 0 && info.sender == getppid());
	EXPECT(receive(ANY, buf, sizeof(buf), &info, IPC_NOWAIT, 0) == 8);
	EXPECT(strcmp(buf, "sibling") == 0);
	EXPECT(port_direct(getpid()) == 0);
	return 0;
}

static int
sibling_sends(void *target)
{
	EXPECT(send((pid_t)(intptr_t)target, "sibling", 8, 0, 0) == 0);
	return 0;
}

static int
test_direct_fallbacks(void)
{
	pid_t pid, sib;

	EXPECT((pid = spawn(small_buffer, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	EXPECT(send(pid, "0123456789", 10, 0, 0) == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));

	EXPECT((pid = spawn(parent_only, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	EXPECT((sib = spawn(sibling_sends, (void *)(intptr_t)pid)) > 0);
	EXPECT(exited_with(reap(sib, PATIENCE_MS), 0));
	EXPECT(send(pid, "parent", 7, 0, 0) == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	return 0;
}

/* ---- copy-on-write: a message lands in the receiver's page only ---------- */

static char cow_buf[64] = "the parent's";

/* cow_buf is shared with the parent until written: the message must
 * land in this process's copy, not in the frame they share. */
static int
receive_into_shared_page(void *unused)
{
	EXPECT(receive(ANY, cow_buf, sizeof(cow_buf), NULL, 0, 0) == 8);
	EXPECT(strcmp(cow_buf, "child's") == 0);
	EXPECT(port_direct(getpid()) == 1);
	return 0;
}

/* Serves one call, answering into the caller's cow_buf. */
static int
answer_once(void *unused)
{
	struct msg_info info;
	char buf[16];

	EXPECT(receive(ANY, buf, sizeof(buf), &info, 0, 0) > 0);
	EXPECT(reply(info.sender, "answer", 7) == 0);
	return 0;
}

/* Sees cow_buf as it was at fork, whatever the parent receives. */
static int
still_the_parents(void *unused)
{
	EXPECT_OK(sem_wait(sem));
	EXPECT(strcmp(cow_buf, "the parent's") == 0);
	return 0;
}

static int
test_direct_cow(void)
{
	pid_t pid, keeper, server;

	EXPECT((pid = spawn(receive_into_shared_page, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	EXPECT(send(pid, "child's", 8, 0, 0) == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT(strcmp(cow_buf, "the parent's") == 0);

	/* A reply into a page another process still shares with us. */
	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((keeper = spawn(still_the_parents, NULL)) > 0);
	EXPECT((server = spawn(answer_once, NULL)) > 0);
	EXPECT(wait_until_waiting(server, "mbox *", PATIENCE_MS) == 0);
	EXPECT(call(server, "q", 2, cow_buf, sizeof(cow_buf), 0) == 7);
	EXPECT(strcmp(cow_buf, "answer") == 0);
	EXPECT_OK(sem_post(sem));
	EXPECT(exited_with(reap(keeper, PATIENCE_MS), 0));
	EXPECT(exited_with(reap(server, PATIENCE_MS), 0));
	strcpy(cow_buf, "the parent's");
	sem_destroy(sem);
	return 0;
}

/* ---- the largest message, across pages on both sides ---------------------- */

static unsigned char pattern(int i) { return (unsigned char)(i * 7 + 3); }

/* Receives MSG_MAX bytes into fresh heap pages (reserved, not yet
 * touched: the receive brings them in before it waits), at an offset
 * that makes the message cross three pages. */
static int
receive_big(void *unused)
{
	unsigned char *heap = sbrk(4 * PAGE_SIZE);
	unsigned char *buf = heap + 100;

	EXPECT(heap != (void *)-1);
	EXPECT(receive(ANY, buf, MSG_MAX, NULL, 0, 0) == MSG_MAX);
	for (int i = 0; i < MSG_MAX; i++)
		if (buf[i] != pattern(i))
			return fail("byte %d is %d, want %d", i, buf[i], pattern(i));
	EXPECT(heap[99] == 0 && buf[MSG_MAX] == 0);
	EXPECT(port_direct(getpid()) == 1);
	return 0;
}

static int
test_direct_big(void)
{
	static unsigned char msg[MSG_MAX + PAGE_SIZE];
	unsigned char *m = msg + 3000;
	pid_t pid;

	for (int i = 0; i < MSG_MAX; i++)
		m[i] = pattern(i);
	EXPECT((pid = spawn(receive_big, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	EXPECT(send(pid, m, MSG_MAX, 0, 0) == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	return 0;
}

/* ---- a rendezvous mailbox with its receiver there ------------------------ */

static int box;

static int
take_one(void *unused)
{
	char buf[8];

	EXPECT(mbox_receive(box, buf, sizeof(buf), NULL, 0, 0) == 3);
	EXPECT(strcmp(buf, "rv") == 0);
	return 0;
}

static int
test_direct_rendezvous(void)
{
	struct mbox_info rows[64];
	pid_t pid;
	int n, direct = -1;

	EXPECT((box = mbox_create(NULL, 0)) > 0);
	EXPECT((pid = spawn(take_one, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	/* A receiver is there: even IPC_NOWAIT is taken at once. */
	EXPECT(mbox_send(box, "rv", 3, IPC_NOWAIT, 0) == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	n = mbox_list(rows, 64);
	for (int i = 0; i < n; i++)
		if (rows[i].id == box)
			direct = (int)rows[i].direct;
	EXPECT(direct == 1);
	EXPECT_OK(mbox_destroy(box));
	return 0;
}

/* ---- reply_receive -------------------------------------------------------- */

/* Serves three calls in a reply_receive loop; a reply to a pid that is
 * not calling fails with ESRCH and receives nothing. */
static int
loop_server(void *unused)
{
	struct msg_info info;
	char buf[16];
	int n;

	EXPECT((n = receive(ANY, buf, sizeof(buf), &info, 0, 0)) > 0);
	for (int i = 0; i < 2; i++) {
		buf[0] = (char)('A' + i);
		EXPECT((n = reply_receive(info.sender, buf, n, buf, sizeof(buf), &info)) > 0);
		EXPECT(info.sender == getppid() && info.flags == MSG_CALL);
	}
	EXPECT_ERR(reply_receive(getppid() + 1000, "x", 1, buf, sizeof(buf), &info), ESRCH);
	/* The third call is still ours to answer. */
	EXPECT(reply(info.sender, "done", 5) == 0);
	EXPECT_ERR(reply_receive(info.sender, "x", 1, buf, sizeof(buf), &info), ESRCH);
	EXPECT(port_direct(getpid()) == 3);
	return 0;
}

/* Answers, then offers a bad buffer for the next message: the answer
 * has gone, the receive is EFAULT. */
static int
bad_buffer_server(void *unused)
{
	struct msg_info info;
	char buf[16];

	EXPECT(receive(ANY, buf, sizeof(buf), &info, 0, 0) > 0);
	EXPECT_ERR(reply_receive(info.sender, "ok", 3, KERNEL_SPACE, 16, &info), EFAULT);
	return 0;
}

static int
test_reply_receive(void)
{
	char out[16];
	pid_t pid;

	EXPECT((pid = spawn(loop_server, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, "mbox *", PATIENCE_MS) == 0);
	EXPECT(call(pid, "x1", 3, out, sizeof(out), 0) == 3 && strcmp(out, "A1") == 0);
	EXPECT(call(pid, "x2", 3, out, sizeof(out), 0) == 3 && strcmp(out, "B2") == 0);
	EXPECT(call(pid, "x3", 3, out, sizeof(out), 0) == 5 && strcmp(out, "done") == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));

	EXPECT((pid = spawn(bad_buffer_server, NULL)) > 0);
	EXPECT(call(pid, "q", 2, out, sizeof(out), 0) == 3 && strcmp(out, "ok") == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test direct_tests[] = {
	{ "direct_call",		test_direct_call },
	{ "direct_fallbacks",		test_direct_fallbacks },
	{ "direct_cow",			test_direct_cow },
	{ "direct_big",			test_direct_big },
	{ "direct_rendezvous",		test_direct_rendezvous },
	{ "reply_receive",		test_reply_receive },
	{ NULL, NULL }
};
