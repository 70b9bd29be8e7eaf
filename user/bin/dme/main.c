/*
 * dme: distributed mutual exclusion across nodes (docs/dme.md).
 *   dme ALG COUNT [-n NODES] [-t TIME] [-h MS] [-p MS] [-v]
 * Run on each of nodes 0..NODES-1 (3 by default): enter the critical
 * section COUNT times with algorithm ALG (central, ra, ring).  Inside,
 * the section takes the one shared counter from node 0's mailbox DMECS
 * and puts it back incremented, so an overlap is seen, not only inferred.
 * Prints one line per request, entry and exit with node, pid and Lamport
 * time (tools/dmecheck.py reads them), then `dme: COUNT entries, M
 * messages, T ms` (T: from the first request to the last exit).  -t TIME: the first event is stamped TIME (the textbook's
 * example); -h MS: stay in the section MS; -p MS: (ring) keep the token MS
 * before passing it; -v: every reply, deferral, grant and probe.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include "dme.h"

static int cs;			/* node 0's DMECS */
static int overlaps;

/* The section's body: take the counter, stay, put it back one higher. */
static int
critical_section(int hold_ms)
{
	struct dme_counter c;
	uint32_t t = dme_tick();

	if (mbox_receive(cs, &c, sizeof(c), NULL, IPC_NOWAIT, 0) != sizeof(c)) {
		dme_line("OVERLAP: the shared counter is taken (%s)", strerror(errno));
		overlaps++;
		return -1;
	}
	dme_line("enter %u req %u cs %u%s%s", (unsigned)t, (unsigned)dme_req_ts,
	    (unsigned)c.entries, dme_note[0] ? " " : "", dme_note);
	if (hold_ms)
		msleep(hold_ms);
	c.entries++;
	c.node = dme_me;
	if (mbox_send(cs, &c, sizeof(c), IPC_NOWAIT, 0) < 0) {
		dme_line("OVERLAP: the counter's mailbox is full (%s)", strerror(errno));
		overlaps++;
		return -1;
	}
	dme_line("exit %u", (unsigned)dme_tick());
	return 0;
}

static int
usage(void)
{
	dprintf(2, "usage: dme central|ra|ring COUNT [-n NODES] [-t TIME] "
	    "[-h MS] [-p MS] [-v]\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	int nodes = 3, count, hold_ms = 0, verbose = 0, i;
	uint32_t start = 0;
	uint64_t began;

	if (argc < 3)
		return usage();
	count = atoi(argv[2]);
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (i + 1 < argc && strcmp(argv[i], "-n") == 0)
			nodes = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "-t") == 0)
			start = (uint32_t)atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "-h") == 0)
			hold_ms = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "-p") == 0)
			dme_hold_ms = atoi(argv[++i]);
		else
			return usage();
	}
	if (count < 0)
		return usage();
	if (dme_open(argv[1], nodes, start, verbose) < 0)
		return 1;
	if ((cs = dme_open_wait("DMECS", 0)) < 0)
		return 1;
	began = uptime_us();
	for (i = 0; i < count; i++) {
		if (dme_enter() < 0)
			return printf("dme: enter: %s\n", strerror(errno)), 1;
		critical_section(hold_ms);
		if (dme_exit() < 0)
			return printf("dme: exit: %s\n", strerror(errno)), 1;
	}
	began = uptime_us() - began;
	if (dme_close() < 0)
		return 1;
	printf("dme: %d entries, %u messages, %u ms%s\n", count, dme_sent,
	    (unsigned)(began / 1000), overlaps ? ", OVERLAPS" : "");
	return overlaps ? 1 : 0;
}
