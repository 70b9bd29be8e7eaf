/*
 * mboxlab: the bounded buffer of the mbox lab (docs/labs/mbox.md) put to
 * the test: a sender blocks on a full mailbox until a receiver makes room.
 * Each mode prints lines starting "mboxlab MODE:".
 *	mboxlab block	 the third send into a capacity-2 mailbox waits
 *	mboxlab nowait	 IPC_NOWAIT on a full mailbox: EAGAIN at once
 *	mboxlab timeout	 a timeout on a full mailbox: ETIMEDOUT, on time
 *	mboxlab destroy	 a sender blocked on a destroyed mailbox: EPIPE
 *	mboxlab pc	 2 producers, 1 consumer, capacity 2: nothing lost
 * Every send that might block has a time limit, so a mailbox that never
 * wakes its senders makes a mode fail instead of hang.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <brinch.h>
#include <sched.h>

#define LIMIT_MS	3000	/* the longest any send here may block */
#define PC_ITEMS	200	/* messages per producer */

static unsigned
ms_since(uint64_t start_us)
{
	return (unsigned)((uptime_us() - start_us) / 1000);
}

static const char *
result(int r)
{
	return r < 0 ? strerror(errno) : "ok";
}

/* The row of `mbox` for one mailbox (queued messages, blocked senders). */
static int
info_of(int id, struct mbox_info *out)
{
	static struct mbox_info rows[64];
	int i, n = mbox_list(rows, 64);

	for (i = 0; i < n; i++) {
		if (rows[i].id == id) {
			*out = rows[i];
			return 0;
		}
	}
	return -1;
}

/* A capacity-2 mailbox with two messages in it. */
static int
full_mailbox(int capacity)
{
	int id = mbox_create(NULL, capacity), i;

	if (id < 0) {
		printf("mboxlab: mbox_create: %s\n", strerror(errno));
		exit(1);
	}
	for (i = 0; i < capacity; i++) {
		if (mbox_send(id, &i, sizeof(i), IPC_NOWAIT, 0) < 0) {
			printf("mboxlab: filling the mailbox: %s\n", strerror(errno));
			exit(1);
		}
	}
	return id;
}

/* ---- block ------------------------------------------------------------- */

/* The parent fills the mailbox and sends a third message; the child looks
 * at the parent while it waits, then takes the messages. */
static int
mode_block(void)
{
	struct proc_info pi;
	struct mbox_info mi;
	uint64_t start;
	int id = full_mailbox(2), parent = getpid(), child, r, three = 3, got, i, n = 0;

	if ((child = fork()) == 0) {
		msleep(300);
		if (procinfo(parent, &pi) == 0 && info_of(id, &mi) == 0)
			printf("mboxlab block: while full: sender %s on \"%s\", "
			    "%u queued, %u blocked sender(s)\n",
			    pi.state == PSTATE_WAITING ? "WAITING" : "not waiting",
			    pi.wait_on, mi.queued, mi.senders);
		for (i = 0; i < 3; i++)
			if (mbox_receive(id, &got, sizeof(got), NULL, 0, LIMIT_MS) == sizeof(got) &&
			    got == i + (i == 2))
				n++;
		printf("mboxlab block: receiver got %d of 3 in order\n", n);
		exit(0);
	}
	start = uptime_us();
	r = mbox_send(id, &three, sizeof(three), 0, LIMIT_MS);
	printf("mboxlab block: third send: %s after %u ms\n", result(r), ms_since(start));
	waitpid(child, NULL, 0);
	return 0;
}

/* ---- nowait, timeout --------------------------------------------------- */

static int
mode_nowait(void)
{
	struct mbox_info mi;
	uint64_t start;
	int id = full_mailbox(2), r, x = 7;

	start = uptime_us();
	r = mbox_send(id, &x, sizeof(x), IPC_NOWAIT, 0);
	printf("mboxlab nowait: send: %s after %u ms", result(r), ms_since(start));
	printf(", %d queued\n", info_of(id, &mi) == 0 ? (int)mi.queued : -1);
	return 0;
}

static int
mode_timeout(void)
{
	struct mbox_info mi;
	uint64_t start;
	int id = full_mailbox(2), r, x = 7;

	start = uptime_us();
	r = mbox_send(id, &x, sizeof(x), 0, 200);
	printf("mboxlab timeout: send: %s after %u ms", result(r), ms_since(start));
	printf(", %d queued, %d blocked\n",
	    info_of(id, &mi) == 0 ? (int)mi.queued : -1,
	    info_of(id, &mi) == 0 ? (int)mi.senders : -1);
	return 0;
}

/* ---- destroy ----------------------------------------------------------- */

static int
mode_destroy(void)
{
	uint64_t start;
	int id = full_mailbox(1), child, r, x = 7;

	/* Destroying a mailbox with a message in it sends the message's
	 * sender (us) a notice in its port.  Have the port made now, so
	 * that only the mailbox under test changes when it is destroyed. */
	receive(ANY, &x, sizeof(x), NULL, IPC_NOWAIT, 0);

	if ((child = fork()) == 0) {
		start = uptime_us();
		r = mbox_send(id, &x, sizeof(x), 0, LIMIT_MS);
		printf("mboxlab destroy: blocked send: %s after %u ms\n", result(r),
		    ms_since(start));
		exit(0);
	}
	msleep(200);			/* the child is blocked by now */
	mbox_destroy(id);
	waitpid(child, NULL, 0);
	return 0;
}

/* ---- pc ---------------------------------------------------------------- */

struct item {
	int32_t producer;		/* 0 or 1 */
	int32_t seq;			/* 0 .. PC_ITEMS-1, in order */
};

/* Exit status: how many sends failed (at most 255). */
static void
producer(int id, int who)
{
	struct item it = { who, 0 };
	int errors = 0;

	for (it.seq = 0; it.seq < PC_ITEMS; it.seq++)
		if (mbox_send(id, &it, sizeof(it), 0, LIMIT_MS) < 0)
			errors++;
	exit(errors > 255 ? 255 : errors);
}

static int
mode_pc(void)
{
	struct mbox_info mi;
	struct item it;
	int id = mbox_create(NULL, 2), pids[2], next[2] = { 0, 0 };
	int received = 0, disorder = 0, strange = 0, send_errors = 0;
	int max_queued = 0, full = 0, i, status;

	if (id < 0) {
		printf("mboxlab pc: mbox_create: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < 2; i++)
		if ((pids[i] = fork()) == 0)
			producer(id, i);
	/* Consume until both producers are done and nothing is left. */
	while (mbox_receive(id, &it, sizeof(it), NULL, 0, 500) == sizeof(it)) {
		received++;
		if (it.producer < 0 || it.producer > 1)
			strange++;
		else if (it.seq != next[it.producer]++)
			disorder++;
		if (received % 16)
			continue;
		/* Now and then a slow consumer: the producers fill the
		 * mailbox and must wait; it never holds more than 2. */
		msleep(10);
		if (info_of(id, &mi) == 0) {
			if ((int)mi.queued > max_queued)
				max_queued = (int)mi.queued;
			if (mi.queued == 2 && mi.senders > 0)
				full++;
		}
	}
	for (i = 0; i < 2; i++) {
		waitpid(pids[i], &status, 0);
		send_errors += WIFEXITED(status) ? WEXITSTATUS(status) : PC_ITEMS;
	}
	printf("mboxlab pc: %d sent, %d received, %d lost, %d out of order, "
	    "%d send errors, max queued %d, full with senders waiting %d times\n",
	    2 * PC_ITEMS, received,
	    received < 2 * PC_ITEMS ? 2 * PC_ITEMS - received : 0,
	    disorder + strange, send_errors, max_queued, full);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "block") == 0)
		return mode_block();
	if (strcmp(mode, "nowait") == 0)
		return mode_nowait();
	if (strcmp(mode, "timeout") == 0)
		return mode_timeout();
	if (strcmp(mode, "destroy") == 0)
		return mode_destroy();
	if (strcmp(mode, "pc") == 0)
		return mode_pc();
	dprintf(2, "usage: mboxlab block|nowait|timeout|destroy|pc\n");
	return 2;
}
