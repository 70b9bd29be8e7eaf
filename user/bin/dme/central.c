/*
 * Centralized mutual exclusion: node 0's host process coordinates
 * (host.c); a node asks it with REQUEST, enters on GRANT and leaves with
 * RELEASE: three messages per entry, granted first come, first served.
 */
#include <string.h>
#include "dme.h"

static int granted;

static int
is_granted(void)
{
	return granted;
}

static int
central_enter(void)
{
	struct dme_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = DME_REQUEST;
	granted = 0;
	if (dme_send_host(&m) < 0)
		return -1;
	dme_req_ts = m.ts;
	dme_line("request %u", (unsigned)m.ts);
	return dme_wait(is_granted);
}

static int
central_exit(void)
{
	struct dme_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = DME_RELEASE;
	granted = 0;
	return dme_send_host(&m);
}

static int
central_deliver(struct dme_msg *m)
{
	if (m->kind == DME_GRANT)
		granted = 1;
	return 0;
}

const struct dme_alg dme_central = {
	.name = "central",
	.enter = central_enter,
	.exit = central_exit,
	.deliver = central_deliver,
	.finished = dme_all_done,
};
