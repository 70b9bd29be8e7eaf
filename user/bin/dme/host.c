/*
 * Node 0's host process for `dme`, forked by dme_open: it owns the
 * section's shared state (mailbox DMECS, capacity 1, holding one
 * struct dme_counter that each entrant takes and puts back) and, for the
 * centralized algorithm, is the coordinator: requests are granted first
 * come, first served, one holder at a time; it prints each request's
 * arrival and each grant, for tools/dmecheck.py.  It ends on node 0's STOP.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include "dme.h"

static int worker[DME_MAX_NODES];	/* DME@k, opened when first needed */
static int holder = -1;			/* node in the section, or -1 */
static struct dme_queue waiting;
static unsigned grants;

static int
grant(int node)
{
	struct dme_msg m;

	if (worker[node] < 0 && (worker[node] = dme_open_wait("DME", node)) < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.kind = DME_GRANT;
	holder = node;
	grants++;
	dme_line("grant %d", node);
	if (dme_send_id(worker[node], &m) < 0) {
		printf("dme host: grant to %d: %s\n", node, strerror(errno));
		return -1;
	}
	return 0;
}

/* The coordinator's two rules: grant if free, else queue; on release,
 * grant to the first in the queue. */
static int
coordinate(struct dme_msg *m)
{
	int next;

	switch (m->kind) {
	case DME_REQUEST:
		dme_line("arrive %d", m->from);
		if (holder < 0)
			return grant(m->from);
		return dme_queue_put(&waiting, m->from);
	case DME_RELEASE:
		if (m->from != holder) {
			printf("dme host: release from %d, holder is %d\n", m->from, holder);
			return -1;
		}
		holder = -1;
		if ((next = dme_queue_take(&waiting)) >= 0)
			return grant(next);
		return 0;
	}
	return 0;
}

int
dme_host_main(int nodes, int central, int verbose)
{
	struct dme_counter counter = { 0, -1 };
	struct dme_msg m;
	int box, cs, k;

	dme_pid = getpid();
	for (k = 0; k < DME_MAX_NODES; k++)
		worker[k] = -1;
	if ((cs = mbox_create("DMECS", 1)) < 0 ||
	    mbox_send(cs, &counter, sizeof(counter), 0, 0) < 0 ||
	    (box = mbox_create("DMEH", MBOX_UNBOUNDED)) < 0) {
		printf("dme host: create: %s\n", strerror(errno));
		return 1;
	}
	for (;;) {
		if (mbox_receive(box, &m, sizeof(m), NULL, 0, 0) != sizeof(m)) {
			printf("dme host: receive: %s\n", strerror(errno));
			return 1;
		}
		if (m.ts > dme_clock)
			dme_clock = m.ts;
		dme_tick();
		if (m.kind == DME_STOP)
			break;
		if (central && m.from >= 0 && m.from < nodes && coordinate(&m) < 0)
			return 1;
	}
	if (mbox_receive(cs, &counter, sizeof(counter), NULL, IPC_NOWAIT, 0) < 0)
		printf("dme host: the counter is missing: %s\n", strerror(errno));
	printf("dme host: %u grants, %u messages, counter %u\n", grants, dme_sent,
	    (unsigned)counter.entries);
	(void)verbose;
	return 0;
}
