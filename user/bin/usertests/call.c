/*
 * call.c: usertests topic "ipc", direct naming and remote calls: send
 * and receive through process ports (symmetric and asymmetric naming),
 * call/receive/reply, and who may reply, and what a caller sees when
 * its server dies or is too slow.  See docs/ipc.md.
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

#define SHORT_MS	100
#define PATIENCE_MS	5000

/* Shared with the children each test forks (they get a copy). */
static int sem, sem2, box;
static pid_t parent, server;

/* ---- send and receive ------------------------------------------------------ */

static int
send_to_parent(void *text)
{
	EXPECT(send(getppid(), text, strlen(text) + 1, 0, 0) == 0);
	return 0;
}

/* Blocks in receive() naming the parent: symmetric. */
static int
receive_from_parent(void *unused)
{
	struct msg_info info;
	char buf[16];

	EXPECT(receive(getppid(), buf, sizeof(buf), &info, 0, 0) == 5);
	EXPECT(strcmp(buf, "ping") == 0 && info.sender == getppid());
	return 0;
}

/* Never receives: its port fills up. */
static int
deaf(void *unused)
{
	EXPECT_OK(sem_wait(sem));
	return 0;
}

static int
test_direct(void)
{
	struct msg_info info;
	struct mbox_info rows[64];
	char buf[16];
	pid_t a, b, c;
	int n, found = 0;

	/* a's message is queued before b's. */
	EXPECT((a = spawn(send_to_parent, "from a")) > 0);
	EXPECT(exited_with(reap(a, PATIENCE_MS), 0));
	EXPECT((b = spawn(send_to_parent, "from b")) > 0);
	EXPECT(exited_with(reap(b, PATIENCE_MS), 0));

	/* Symmetric: naming b skips a's message ... */
	EXPECT(receive(b, buf, sizeof(buf), &info, 0, 0) == 7);
	EXPECT(strcmp(buf, "from b") == 0 && info.sender == b);
	EXPECT_ERR(receive(b, buf, sizeof(buf), &info, IPC_NOWAIT, 0), EAGAIN);
	/* ... asymmetric: ANY takes the first, and says whose it is. */
	EXPECT(receive(ANY, buf, sizeof(buf), &info, 0, 0) == 7);
	EXPECT(strcmp(buf, "from a") == 0 && info.sender == a);
	EXPECT_ERR(receive(ANY, buf, sizeof(buf), &info, IPC_NOWAIT, 0), EAGAIN);

	/* info.mbox is our port, listed as one of ours. */
	n = mbox_list(rows, 64);
	for (int i = 0; i < n; i++)
		if (rows[i].id == info.mbox)
			found = rows[i].is_port && rows[i].owner == getpid();
	EXPECT(found);

	/* To ourselves, and to a receiver already waiting for us. */
	EXPECT(send(getpid(), "self", 5, 0, 0) == 0);
	EXPECT(receive(getpid(), buf, sizeof(buf), &info, 0, 0) == 5);
	EXPECT(info.sender == getpid());
	EXPECT((c = spawn(receive_from_parent, NULL)) > 0);
	EXPECT(wait_until_waiting(c, "mbox *", PATIENCE_MS) == 0);
	EXPECT(send(c, "ping", 5, 0, 0) == 0);
	EXPECT(exited_with(reap(c, PATIENCE_MS), 0));

	EXPECT_ERR(send(NO_SUCH_PID, "x", 1, 0, 0), ESRCH);
	EXPECT_ERR(send(0, "x", 1, 0, 0), ESRCH);
	EXPECT_ERR(send(-3, "x", 1, 0, 0), ESRCH);
	EXPECT_ERR(receive(-5, buf, sizeof(buf), &info, 0, 0), EINVAL);
	EXPECT_ERR(send(getpid(), KERNEL_SPACE, 4, 0, 0), EFAULT);
	EXPECT_ERR(receive(ANY, KERNEL_SPACE, 4, &info, IPC_NOWAIT, 0), EFAULT);

	/* A port holds PORT_CAPACITY messages. */
	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((c = spawn(deaf, NULL)) > 0);
	for (int i = 0; i < PORT_CAPACITY; i++)
		EXPECT(send(c, &i, sizeof(i), IPC_NOWAIT, 0) == 0);
	EXPECT_ERR(send(c, buf, 1, IPC_NOWAIT, 0), EAGAIN);
	EXPECT_ERR(send(c, buf, 1, 0, SHORT_MS), ETIMEDOUT);
	EXPECT_OK(sem_post(sem));
	EXPECT(exited_with(reap(c, PATIENCE_MS), 0));
	sem_destroy(sem);
	return 0;
}

/* ---- call and reply -------------------------------------------------------- */

/* Serves `count` calls on its port (or on mailbox `box` if set): the
 * reply is the request in capitals. */
static int
upcase_server(void *count)
{
	struct msg_info info;
	char buf[64];
	int n;

	for (int i = 0; i < (int)(intptr_t)count; i++) {
		n = box ? mbox_receive(box, buf, sizeof(buf), &info, 0, 0) :
		    receive(ANY, buf, sizeof(buf), &info, 0, 0);
		EXPECT(n > 0);
		EXPECT(info.flags & MSG_CALL);
		EXPECT(info.sender == getppid());
		for (int j = 0; j < n; j++)
			if (buf[j] >= 'a' && buf[j] <= 'z')
				buf[j] -= 'a' - 'A';
		EXPECT(reply(info.sender, buf, n) == 0);
		/* One answer per call. */
		EXPECT_ERR(reply(info.sender, buf, n), ESRCH);
	}
	return 0;
}

static int
test_call_reply(void)
{
	char out[64];
	pid_t pid;

	box = 0;
	EXPECT((pid = spawn(upcase_server, (void *)3)) > 0);
	EXPECT(call(pid, "abc", 4, out, sizeof(out), 0) == 4);
	EXPECT(strcmp(out, "ABC") == 0);
	/* A reply too big for our buffer is EMSGSIZE; the next call is
	 * not confused by it. */
	EXPECT_ERR(call(pid, "too long", 9, out, 2, 0), EMSGSIZE);
	EXPECT(call(pid, "x y", 4, out, sizeof(out), 0) == 4);
	EXPECT(strcmp(out, "X Y") == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));

	/* The same through a named mailbox. */
	EXPECT((box = mbox_create("ut-rpc", 4)) > 0);
	EXPECT((pid = spawn(upcase_server, (void *)1)) > 0);
	EXPECT(mbox_call(mbox_open("ut-rpc"), "mbox", 5, out, sizeof(out),
	    0) == 5);
	EXPECT(strcmp(out, "MBOX") == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT_OK(mbox_destroy(box));
	box = 0;

	EXPECT_ERR(call(getpid(), "x", 1, out, sizeof(out), 0), EINVAL);
	EXPECT_ERR(call(NO_SUCH_PID, "x", 1, out, sizeof(out), 0), ESRCH);
	EXPECT_ERR(call(getppid(), "x", 1, KERNEL_SPACE, 16, 0), EFAULT);
	EXPECT_ERR(reply(getppid(), "x", 1), ESRCH);	/* nobody calls us */
	EXPECT_ERR(reply(NO_SUCH_PID, "x", 1), ESRCH);
	return 0;
}

/* Takes the parent's call, lets the impostor try, then answers. */
static int
slow_server(void *unused)
{
	struct msg_info info;
	char buf[16];

	EXPECT(receive(ANY, buf, sizeof(buf), &info, 0, 0) > 0);
	EXPECT_OK(sem_post(sem));
	EXPECT_OK(sem_wait(sem2));
	EXPECT(reply(info.sender, "real", 5) == 0);
	return 0;
}

/* Only the process that took a call may answer it. */
static int
impostor(void *unused)
{
	EXPECT_OK(sem_wait(sem));
	EXPECT_ERR(reply(parent, "forged", 7), ESRCH);
	EXPECT_OK(sem_post(sem2));
	return 0;
}

static int
test_reply_forged(void)
{
	pid_t imp;
	char out[16];

	parent = getpid();
	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((sem2 = sem_create(0)) > 0);
	EXPECT((server = spawn(slow_server, NULL)) > 0);
	EXPECT((imp = spawn(impostor, NULL)) > 0);
	EXPECT(call(server, "q", 2, out, sizeof(out), PATIENCE_MS) == 5);
	EXPECT(strcmp(out, "real") == 0);
	EXPECT(exited_with(reap(imp, PATIENCE_MS), 0));
	EXPECT(exited_with(reap(server, PATIENCE_MS), 0));
	sem_destroy(sem);
	sem_destroy(sem2);
	return 0;
}

/* Takes the call and exits without answering. */
static int
dying_server(void *unused)
{
	char buf[16];

	EXPECT(receive(ANY, buf, sizeof(buf), NULL, 0, 0) > 0);
	return 0;
}

/* Exits with the parent's call still queued in its port, untaken. */
static int
never_receives(void *unused)
{
	EXPECT_OK(sem_wait(sem));
	return 0;
}

/* Once the parent waits for its reply, lets `server` exit. */
static int
release_server(void *unused)
{
	EXPECT(wait_until_waiting(parent, "reply", PATIENCE_MS) == 0);
	EXPECT_OK(sem_post(sem));
	return 0;
}

static int
test_call_server_dies(void)
{
	char out[16];
	pid_t helper;

	EXPECT((server = spawn(dying_server, NULL)) > 0);
	EXPECT_ERR(call(server, "q", 2, out, sizeof(out), 0), EPIPE);
	EXPECT(exited_with(reap(server, PATIENCE_MS), 0));

	parent = getpid();
	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((server = spawn(never_receives, NULL)) > 0);
	EXPECT((helper = spawn(release_server, NULL)) > 0);
	EXPECT_ERR(call(server, "q", 2, out, sizeof(out), 0), EPIPE);
	EXPECT(exited_with(reap(server, PATIENCE_MS), 0));
	EXPECT(exited_with(reap(helper, PATIENCE_MS), 0));
	sem_destroy(sem);
	return 0;
}

/* Takes the call, answers too late: the caller has given up. */
static int
late_server(void *unused)
{
	struct msg_info info;
	char buf[16];

	EXPECT(receive(ANY, buf, sizeof(buf), &info, 0, 0) > 0);
	msleep(3 * SHORT_MS);
	EXPECT_ERR(reply(info.sender, "late", 5), ESRCH);
	return 0;
}

/* Checks its port holds nothing: a withdrawn call leaves no trace. */
static int
port_is_empty(void *unused)
{
	char buf[16];

	EXPECT_OK(sem_wait(sem));
	EXPECT_ERR(receive(ANY, buf, sizeof(buf), NULL, IPC_NOWAIT, 0), EAGAIN);
	return 0;
}

static int
test_call_timeout(void)
{
	uint64_t start;
	char out[16];
	pid_t pid;

	/* Taken but not answered in time. */
	EXPECT((pid = spawn(late_server, NULL)) > 0);
	start = uptime_us();
	EXPECT_ERR(call(pid, "q", 2, out, sizeof(out), SHORT_MS), ETIMEDOUT);
	EXPECT(ms_since(start) + 10 >= SHORT_MS);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));

	/* Never taken: the request is withdrawn from the port. */
	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((pid = spawn(port_is_empty, NULL)) > 0);
	EXPECT_ERR(call(pid, "q", 2, out, sizeof(out), SHORT_MS), ETIMEDOUT);
	EXPECT_OK(sem_post(sem));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	sem_destroy(sem);

	/* And the next call works as if nothing had happened. */
	box = 0;
	EXPECT((pid = spawn(upcase_server, (void *)1)) > 0);
	EXPECT(call(pid, "ok", 3, out, sizeof(out), PATIENCE_MS) == 3);
	EXPECT(strcmp(out, "OK") == 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test call_tests[] = {
	{ "direct",			test_direct },
	{ "call_reply",			test_call_reply },
	{ "reply_forged",		test_reply_forged },
	{ "call_server_dies",		test_call_server_dies },
	{ "call_timeout",		test_call_timeout },
	{ NULL, NULL }
};
