/*
 * ipcdemo: message passing to watch.  `ipcdemo [CAPACITY...]` times the
 * sends of a producer whose consumer takes one message every 100 ms:
 * with capacity 0 (rendezvous) every send waits for its receiver, with
 * capacity N the first N return at once.  `ipcdemo hold NAME [N]` makes
 * a mailbox NAME and blocks N processes receiving on it until killed,
 * for looking at with `mbox` and `ps` (the integration tests do).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>

#define MESSAGES	6
#define PACE_MS		100	/* the consumer's time per message */

static void
die(const char *what)
{
	dprintf(2, "ipcdemo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned
ms_since(uint64_t start)
{
	return (unsigned)((uptime_us() - start) / 1000);
}

/* One run: a slow consumer, and a producer that says when each send
 * came back. */
static void
timeline(int capacity)
{
	uint64_t start;
	int box, status;
	pid_t pid;

	if ((box = mbox_create(NULL, capacity)) < 0)
		die("mbox_create");
	if (capacity == 0)
		printf("capacity 0 (rendezvous): a send returns when its "
		    "message is taken\n");
	else
		printf("capacity %d: %d sends return at once, then each "
		    "waits for room\n", capacity, capacity);
	start = uptime_us();
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		for (int i = 1; i <= MESSAGES; i++) {
			msleep(PACE_MS);
			if (mbox_receive(box, &status, sizeof(status), NULL, 0,
			    0) < 0)
				die("mbox_receive");
		}
		exit(0);
	}
	for (int i = 1; i <= MESSAGES; i++) {
		if (mbox_send(box, &i, sizeof(i), 0, 0) < 0)
			die("mbox_send");
		printf("  send %d returned at %4u ms\n", i, ms_since(start));
	}
	waitpid(pid, &status, 0);
	mbox_destroy(box);
}

/* Block on mailbox id until it is destroyed (or we are killed). */
static void
receive_until_gone(int id)
{
	char buf[64];

	while (mbox_receive(id, buf, sizeof(buf), NULL, 0, 0) >= 0)
		;
	exit(errno == EPIPE ? 0 : 1);
}

static int
hold(const char *name, int receivers)
{
	int id;

	if (receivers < 1 || receivers > 16) {
		dprintf(2, "ipcdemo: hold: 1 to 16 receivers\n");
		return 2;
	}
	if ((id = mbox_create(name, 0)) < 0)
		die(name);
	/* The helpers' mailbox dies with us, the owner: they then get
	 * EPIPE and exit. */
	for (int i = 1; i < receivers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			receive_until_gone(id);
	}
	printf("ipcdemo: mailbox %s (id %d): %d receivers waiting\n", name, id,
	    receivers);
	receive_until_gone(id);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "hold") == 0) {
		if (argc < 3 || argc > 4) {
			dprintf(2, "usage: ipcdemo hold NAME [RECEIVERS]\n");
			return 2;
		}
		return hold(argv[2], argc > 3 ? atoi(argv[3]) : 1);
	}
	if (argc == 1) {
		timeline(0);
		timeline(3);
		return 0;
	}
	for (int i = 1; i < argc; i++)
		timeline(strcmp(argv[i], "unbounded") == 0 ? MBOX_UNBOUNDED :
		    atoi(argv[i]));
	return 0;
}
