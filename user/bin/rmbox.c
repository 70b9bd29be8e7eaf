/*
 * rmbox: mailboxes across nodes, one call at a time, with timings, for
 * trying remote mailboxes by hand and for tests/integration/test_dist.py.
 *   rmbox serve NAME CAP [-d MS] [-r MS] [-c N] [-x] [-q]
 *       create NAME (CAP: 0, 1..256 or u), wait -d MS, then receive N
 *       messages (0: forever), -r MS apart, answering calls; -x destroys
 *       it after -d MS instead; -q prints nothing per message
 *   rmbox port [-c N] [-q]                   the same on our own port
 *   rmbox send NAME@NODE TEXT [-c N] [-n] [-t MS]
 *   rmbox call NAME@NODE TEXT [-c N] [-t MS]
 *   rmbox recv NAME@NODE [-c N] [-n] [-t MS]
 *   rmbox sendpid GPID TEXT [-n] [-t MS]     GPID: NODE:PID or a number
 *   rmbox callpid GPID TEXT [-t MS]
 *   rmbox bench NAME@NODE COUNT SIZE         send throughput (JSON)
 *   rmbox benchcall NAME@NODE COUNT          null call round trip (JSON)
 * -n is IPC_NOWAIT, -t a timeout.  Each result line says ok or the
 * errno's name, and how long the call took.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dist.h>

static struct {
	int		 count, flags, delay, pace, destroy, quiet;
	unsigned	 timeout;
} opt = { -1, 0, 0, 0, 0, 0, 0 };	/* count -1: not given */

static const char *
errname(int e)
{
	static char buf[16];

	switch (e) {
	case ENOENT:		return "ENOENT";
	case ESRCH:		return "ESRCH";
	case EINTR:		return "EINTR";
	case EAGAIN:		return "EAGAIN";
	case EPERM:		return "EPERM";
	case EFAULT:		return "EFAULT";
	case EINVAL:		return "EINVAL";
	case EPIPE:		return "EPIPE";
	case EMSGSIZE:		return "EMSGSIZE";
	case ENOBUFS:		return "ENOBUFS";
	case ETIMEDOUT:		return "ETIMEDOUT";
	case EHOSTUNREACH:	return "EHOSTUNREACH";
	case ENETDOWN:		return "ENETDOWN";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static unsigned
ms_since(uint64_t t0)
{
	return (unsigned)((uptime_us() - t0) / 1000);
}

/* Options after the fixed arguments. */
static int
options(int argc, char *argv[], int a)
{
	for (; a < argc; a++) {
		if (strcmp(argv[a], "-n") == 0)
			opt.flags |= IPC_NOWAIT;
		else if (strcmp(argv[a], "-x") == 0)
			opt.destroy = 1;
		else if (strcmp(argv[a], "-q") == 0)
			opt.quiet = 1;
		else if (a + 1 < argc && strcmp(argv[a], "-c") == 0)
			opt.count = atoi(argv[++a]);
		else if (a + 1 < argc && strcmp(argv[a], "-t") == 0)
			opt.timeout = (unsigned)atoi(argv[++a]);
		else if (a + 1 < argc && strcmp(argv[a], "-d") == 0)
			opt.delay = atoi(argv[++a]);
		else if (a + 1 < argc && strcmp(argv[a], "-r") == 0)
			opt.pace = atoi(argv[++a]);
		else
			return -1;
	}
	return 0;
}

static int
open_or_die(const char *name)
{
	int id = mbox_open(name);

	if (id < 0) {
		printf("rmbox: open %s: %s\n", name, errname(errno));
		exit(1);
	}
	return id;
}

/* NODE:PID, or a global pid as a number. */
static int
parse_pid(const char *s)
{
	const char *colon = strchr(s, ':');

	return colon ? DIST_PID(atoi(s), atoi(colon + 1)) : atoi(s);
}

/* A sender as rmbox prints it: NODE:PID from another node, PID from
 * this one (a plain local pid names no node). */
static const char *
sender_name(int id)
{
	static char buf[24];

	if (DIST_IS_GLOBAL(id))
		snprintf(buf, sizeof(buf), "%d:%d", DIST_NODE(id), DIST_LOCAL(id));
	else
		snprintf(buf, sizeof(buf), "%d", id);
	return buf;
}

/* Answer a call: "re: " and what it said. */
static void
answer(int caller, const char *text)
{
	char reply_buf[MSG_MAX];

	snprintf(reply_buf, sizeof(reply_buf), "re: %s", text);
	if (reply(caller, reply_buf, strlen(reply_buf)) < 0)
		printf("reply: %s\n", errname(errno));
}

static int
serve(const char *name, const char *cap)
{
	static char buf[MSG_MAX + 1];
	struct msg_info info;
	int id, n, i;

	if (!name) {
		/* Our port: direct send(pid)/call(pid) to us. */
		id = -1;
		printf("port pid %d:%d\n", dist_node(), getpid());
	} else if ((id = mbox_create(name, cap[0] == 'u' ? MBOX_UNBOUNDED : atoi(cap))) < 0) {
		printf("rmbox: create %s: %s\n", name, errname(errno));
		return 1;
	} else {
		printf("serving %s id %d on node %d\n", name, id, dist_node());
	}
	if (opt.delay)
		msleep(opt.delay);
	if (opt.destroy) {
		mbox_destroy(id);
		printf("destroyed %s\n", name);
		return 0;
	}
	for (i = 0; opt.count == 0 || i < opt.count; i++) {
		n = id < 0 ? receive(ANY, buf, MSG_MAX, &info, 0, 0) :
		    mbox_receive(id, buf, MSG_MAX, &info, 0, 0);
		if (n < 0) {
			printf("serve: %s\n", errname(errno));
			return 1;
		}
		buf[n] = '\0';
		if (!opt.quiet)
			printf("got %d from %s%s: %s\n", n, sender_name(info.sender),
			    info.flags & MSG_CALL ? " call" : "", buf);
		if (info.flags & MSG_CALL)
			answer(info.sender, buf);
		if (opt.pace)
			msleep(opt.pace);
	}
	return 0;
}

static int
sends(int id, int by_pid, const char *text)
{
	uint64_t t0;
	int i, r, failed = 0;

	for (i = 1; i <= opt.count; i++) {
		t0 = uptime_us();
		r = by_pid ? send(id, text, strlen(text), opt.flags, opt.timeout) :
		    mbox_send(id, text, strlen(text), opt.flags, opt.timeout);
		printf("send %d: %s (%u ms)\n", i, r < 0 ? errname(errno) : "ok", ms_since(t0));
		failed |= r < 0;
	}
	return failed;
}

static int
calls(int id, int by_pid, const char *text)
{
	char answer[MSG_MAX + 1];
	uint64_t t0;
	int i, n, failed = 0;

	for (i = 1; i <= opt.count; i++) {
		t0 = uptime_us();
		n = by_pid ? call(id, text, strlen(text), answer, MSG_MAX, opt.timeout) :
		    mbox_call(id, text, strlen(text), answer, MSG_MAX, opt.timeout);
		if (n < 0) {
			printf("call %d: %s (%u ms)\n", i, errname(errno), ms_since(t0));
			failed = 1;
			continue;
		}
		answer[n] = '\0';
		printf("call %d: '%s' (%u ms)\n", i, answer, ms_since(t0));
	}
	return failed;
}

static int
receives(int id)
{
	static char buf[MSG_MAX + 1];
	struct msg_info info;
	uint64_t t0;
	int i, n, failed = 0;

	for (i = 1; i <= opt.count; i++) {
		t0 = uptime_us();
		if ((n = mbox_receive(id, buf, MSG_MAX, &info, opt.flags, opt.timeout)) < 0) {
			printf("recv %d: %s (%u ms)\n", i, errname(errno), ms_since(t0));
			failed = 1;
			continue;
		}
		buf[n] = '\0';
		printf("recv %d: %d from %s%s: %s (%u ms)\n", i, n, sender_name(info.sender),
		    info.flags & MSG_CALL ? " call" : "", buf, ms_since(t0));
		if (info.flags & MSG_CALL)
			answer(info.sender, buf);
	}
	return failed;
}

/* Throughput: COUNT sends of SIZE bytes into a remote mailbox that
 * someone drains (rmbox serve NAME u). */
static int
bench(int id, int count, int size, int do_calls)
{
	static char buf[MSG_MAX], answer[MSG_MAX];
	uint64_t t0, us;
	int i;

	memset(buf, 'b', sizeof(buf));
	t0 = uptime_us();
	for (i = 0; i < count; i++) {
		if ((do_calls ? mbox_call(id, buf, size, answer, sizeof(answer), 10000) :
		    mbox_send(id, buf, size, 0, 10000)) < 0) {
			printf("rmbox: bench: %s after %d\n", errname(errno), i);
			return 1;
		}
	}
	us = uptime_us() - t0;
	if (do_calls)
		printf("{\"bench\": \"rmbox_call_rtt\", \"us\": %u, \"count\": %d, "
		    "\"bytes\": %d}\n", (unsigned)(us / count), count, size);
	else
		printf("{\"bench\": \"rmbox_send\", \"msgs_s\": %u, \"kbit_s\": %u, "
		    "\"us_per_send\": %u, \"count\": %d, \"bytes\": %d}\n",
		    (unsigned)((uint64_t)count * 1000000 / us),
		    (unsigned)((uint64_t)count * size * 8000 / us), (unsigned)(us / count),
		    count, size);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc >= 4 && strcmp(cmd, "serve") == 0 && options(argc, argv, 4) == 0) {
		opt.count = opt.count < 0 ? 0 : opt.count;	/* default: forever */
		return serve(argv[2], argv[3]);
	}
	if (argc >= 2 && strcmp(cmd, "port") == 0 && options(argc, argv, 2) == 0) {
		opt.count = opt.count < 0 ? 0 : opt.count;
		return serve(NULL, NULL);
	}
	if (options(argc, argv, strcmp(cmd, "recv") == 0 ? 3 : 4) == 0 && opt.count < 0)
		opt.count = 1;
	if (argc >= 4 && strcmp(cmd, "send") == 0 && options(argc, argv, 4) == 0)
		return sends(open_or_die(argv[2]), 0, argv[3]);
	if (argc >= 4 && strcmp(cmd, "call") == 0 && options(argc, argv, 4) == 0)
		return calls(open_or_die(argv[2]), 0, argv[3]);
	if (argc >= 3 && strcmp(cmd, "recv") == 0 && options(argc, argv, 3) == 0)
		return receives(open_or_die(argv[2]));
	if (argc >= 4 && strcmp(cmd, "sendpid") == 0 && options(argc, argv, 4) == 0)
		return sends(parse_pid(argv[2]), 1, argv[3]);
	if (argc >= 4 && strcmp(cmd, "callpid") == 0 && options(argc, argv, 4) == 0)
		return calls(parse_pid(argv[2]), 1, argv[3]);
	if (argc == 5 && strcmp(cmd, "bench") == 0)
		return bench(open_or_die(argv[2]), atoi(argv[3]), atoi(argv[4]), 0);
	if (argc == 4 && strcmp(cmd, "benchcall") == 0)
		return bench(open_or_die(argv[2]), atoi(argv[3]), 0, 1);
	dprintf(2, "usage: rmbox serve NAME CAP [-d MS] [-r MS] [-c N] [-x] [-q]\n"
	    "       rmbox port [-c N] [-q]\n"
	    "       rmbox send|call NAME@NODE TEXT [-c N] [-n] [-t MS]\n"
	    "       rmbox recv NAME@NODE [-c N] [-n] [-t MS]\n"
	    "       rmbox sendpid|callpid NODE:PID TEXT [-n] [-t MS]\n"
	    "       rmbox bench NAME@NODE COUNT SIZE | benchcall NAME@NODE COUNT\n");
	return 2;
}
