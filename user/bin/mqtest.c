/*
 * mqtest: messages to a process that migrates arrive exactly once and in
 * order per sender (docs/migration.md, "Messages during a move"; driven by
 * tests/integration/test_migrate_mbox.py).
 *   mqtest recv NAME COUNT SENDERS [CAP]   make mailbox NAME (capacity CAP,
 *       default 4: senders block while it is full), print its id, then
 *       take COUNT messages from each of SENDERS senders and check them;
 *       NAME "-" takes them from this process's own port instead
 *   mqtest send TARGET TAG COUNT [MS]      send "TAG 1" ... "TAG COUNT",
 *       MS ms apart; TARGET: NAME, NAME@NODE, or pid:NODE:PID (its port)
 *   mqtest call TARGET TAG COUNT [MS]      the same as calls: each reply
 *       must be "ok TAG N"
 * The receiver ends with one verdict line: every sender's messages 1..COUNT,
 * each once, in order; or the first one out of place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dist.h>

#define MAXSENDERS	8

static struct {
	char	 tag[16];
	int	 last;		/* the last number taken from it */
} senders[MAXSENDERS];
static int nsenders;

/* One message "TAG N": 0 if it is the next one of its sender. */
static int
check(const char *text)
{
	const char *space = strchr(text, ' ');
	char tag[16];
	int i, n;

	if (!space || space == text || space - text >= (int)sizeof(tag) ||
	    space[1] < '0' || space[1] > '9') {
		printf("mqtest: FAIL: a message reads \"%s\"\n", text);
		return -1;
	}
	memcpy(tag, text, (size_t)(space - text));
	tag[space - text] = '\0';
	n = atoi(space + 1);
	for (i = 0; i < nsenders && strcmp(senders[i].tag, tag) != 0; i++)
		;
	if (i == nsenders) {
		if (nsenders == MAXSENDERS) {
			printf("mqtest: FAIL: more than %d senders\n", MAXSENDERS);
			return -1;
		}
		strcpy(senders[nsenders++].tag, tag);
	}
	if (n != senders[i].last + 1) {
		printf("mqtest: FAIL: %s %d after %s %d (%s)\n", tag, n, tag, senders[i].last,
		    n <= senders[i].last ? "a repeat, or out of order" : "one lost");
		return -1;
	}
	senders[i].last = n;
	return 0;
}

static int
do_recv(const char *name, int count, int nsend, int cap)
{
	struct msg_info info;
	char buf[64];
	int id = 0, got, len;

	if (strcmp(name, "-") != 0 && (id = mbox_create(name, cap)) < 0) {
		printf("mqtest: mbox_create %s: %s\n", name, strerror(errno));
		return 1;
	}
	printf("mqtest: ready pid %d mbox %d\n", getpid(), id);
	for (got = 0; got < count * nsend; got++) {
		len = id ? mbox_receive(id, buf, sizeof(buf) - 1, &info, 0, 0) :
		    receive(ANY, buf, sizeof(buf) - 1, &info, 0, 0);
		if (len < 0) {
			printf("mqtest: FAIL: receive: %s after %d\n", strerror(errno), got);
			return 1;
		}
		buf[len] = '\0';
		if (check(buf) < 0)
			return 1;
		if (info.flags & MSG_CALL) {
			char ok[72];

			snprintf(ok, sizeof(ok), "ok %s", buf);
			reply(info.sender, ok, strlen(ok));
		}
	}
	printf("mqtest: %d messages from %d senders, each in order, none lost or repeated\n",
	    got, nsenders);
	return 0;
}

static int
do_send(const char *target, const char *tag, int count, int pace, int calls)
{
	char buf[32], answer[64], want[40];
	int id = 0, pid = 0, i, len, r;

	if (strncmp(target, "pid:", 4) == 0)
		pid = strchr(target + 4, ':') ?
		    DIST_PID(atoi(target + 4), atoi(strchr(target + 4, ':') + 1)) : atoi(target + 4);
	else if ((id = mbox_open(target)) < 0) {
		printf("mqtest: %s: open %s: %s\n", tag, target, strerror(errno));
		return 1;
	}
	for (i = 1; i <= count; i++) {
		len = snprintf(buf, sizeof(buf), "%s %d", tag, i);
		if (calls)
			r = pid ? call(pid, buf, (size_t)len, answer, sizeof(answer) - 1, 0) :
			    mbox_call(id, buf, (size_t)len, answer, sizeof(answer) - 1, 0);
		else
			r = pid ? send(pid, buf, (size_t)len, 0, 0) :
			    mbox_send(id, buf, (size_t)len, 0, 0);
		if (r < 0) {
			printf("mqtest: %s: %s %d: %s\n", tag, calls ? "call" : "send", i,
			    strerror(errno));
			return 1;
		}
		snprintf(want, sizeof(want), "ok %s", buf);
		if (calls && (r != (int)strlen(want) || memcmp(answer, want, (size_t)r) != 0)) {
			answer[r] = '\0';
			printf("mqtest: %s: call %d: answer \"%s\"\n", tag, i, answer);
			return 1;
		}
		if (pace)
			msleep((unsigned)pace);
	}
	printf("mqtest: %s %s %d\n", tag, calls ? "called" : "sent", count);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "recv") == 0)
		return do_recv(argv[2], atoi(argv[3]), atoi(argv[4]),
		    argc > 5 ? atoi(argv[5]) : 4);
	if (argc >= 5 && (strcmp(argv[1], "send") == 0 || strcmp(argv[1], "call") == 0))
		return do_send(argv[2], argv[3], atoi(argv[4]), argc > 5 ? atoi(argv[5]) : 0,
		    argv[1][0] == 'c');
	printf("usage: mqtest recv NAME|- COUNT SENDERS [CAP]\n"
	    "       mqtest send|call NAME|NAME@NODE|pid:NODE:PID TAG COUNT [MS]\n");
	return 2;
}
