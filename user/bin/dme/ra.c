/*
 * Ricart-Agrawala (1981): to enter, send REQUEST(ts, node) to the n-1
 * others and wait for all n-1 REPLYs; a request that arrives is answered
 * at once or deferred by ra_defers (rules.c), and the deferred ones are
 * answered on leaving.  2(n-1) messages per entry, entries in the total
 * order of (timestamp, node).
 */
#include <string.h>
#include "dme.h"

static enum ra_state state = RA_RELEASED;
static uint32_t deferred;	/* bit k: node k waits for our reply */
static uint32_t deferred_ts[DME_MAX_NODES];	/* ...to its request of this time */
static int replies;		/* REPLYs still missing */

static int
reply(int node, uint32_t their_ts, const char *why)
{
	struct dme_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = DME_REPLY;
	dme_trace("reply to %d (ts %u) %s", node, (unsigned)their_ts, why);
	return dme_send(node, &m);
}

static int
all_replied(void)
{
	return replies == 0;
}

static int
ra_enter(void)
{
	struct dme_msg m;
	int k;

	state = RA_WANTED;
	replies = dme_nodes - 1;
	/* One timestamp for the request, the same in every copy. */
	dme_req_ts = dme_tick();
	dme_line("request %u", (unsigned)dme_req_ts);
	for (k = 0; k < dme_nodes; k++) {
		if (k == dme_me)
			continue;
		memset(&m, 0, sizeof(m));
		m.kind = DME_REQUEST;
		m.gen = dme_req_ts;
		if (dme_send(k, &m) < 0)
			return -1;
	}
	if (dme_wait(all_replied) < 0)
		return -1;
	state = RA_HELD;
	return 0;
}

static int
ra_exit(void)
{
	/* LAB dme: BEGIN exit */
	int k;

	state = RA_RELEASED;
	for (k = 0; k < dme_nodes; k++)
		if (deferred & 1u << k) {
			deferred &= ~(1u << k);
			if (reply(k, deferred_ts[k], "deferred") < 0)
				return -1;
		}
	return 0;
	/* LAB dme: END exit */
}

static int
ra_deliver(struct dme_msg *m)
{
	switch (m->kind) {
	case DME_REQUEST:
		/* m->gen carries the request's timestamp: m->ts is the time
		 * this copy was sent, a little later for the later copies. */
		if (ra_defers(state, dme_req_ts, dme_me, m->gen, m->from)) {
			dme_trace("defer %d (ts %u)", m->from, (unsigned)m->gen);
			deferred |= 1u << m->from;
			deferred_ts[m->from] = m->gen;
			return 0;
		}
		return reply(m->from, m->gen, "at once");
	case DME_REPLY:
		if (state == RA_WANTED && replies > 0)
			replies--;
		return 0;
	}
	return 0;
}

const struct dme_alg dme_ra = {
	.name = "ra",
	.enter = ra_enter,
	.exit = ra_exit,
	.deliver = ra_deliver,
	.finished = dme_all_done,
};
