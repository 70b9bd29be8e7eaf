/*
 * Host unit tests for the decisions of `dme` (user/bin/dme/rules.c):
 * Ricart-Agrawala's three deferral rules on the textbook's example, the
 * ring's successor round dead nodes, which tokens a node keeps, the
 * probe that regenerates a lost token (and only a lost one, and only
 * once), and the coordinator's first-come, first-served queue.
 */
// uses: user/bin/dme/rules.c
#include <string.h>
#include "unit.h"
#include "user/bin/dme/rules.h"

static void
test_ricart_agrawala_rules(void)
{
	/* The textbook: P1 requests at 15, P3 at 6, P2 does not request. */
	CHECK_EQ_INT(ra_defers(RA_RELEASED, 0, 2, 15, 1), 0);	/* P2 to P1 */
	CHECK_EQ_INT(ra_defers(RA_RELEASED, 0, 2, 6, 3), 0);	/* P2 to P3 */
	CHECK_EQ_INT(ra_defers(RA_WANTED, 15, 1, 6, 3), 0);	/* P1 replies to P3 */
	CHECK_EQ_INT(ra_defers(RA_WANTED, 6, 3, 15, 1), 1);	/* P3 defers P1 */
	CHECK_EQ_INT(ra_defers(RA_HELD, 6, 3, 1, 1), 1);	/* inside: always defer */
	/* Equal timestamps: the lower node number goes first. */
	CHECK_EQ_INT(ra_defers(RA_WANTED, 7, 0, 7, 2), 1);
	CHECK_EQ_INT(ra_defers(RA_WANTED, 7, 2, 7, 0), 0);
	CHECK_EQ_INT(dme_before(3, 9, 4, 0), 1);
	CHECK_EQ_INT(dme_before(4, 0, 3, 9), 0);
}

static void
test_ring_next(void)
{
	CHECK_EQ_INT(ring_next(0, 4, 0), 1);
	CHECK_EQ_INT(ring_next(3, 4, 0), 0);
	CHECK_EQ_INT(ring_next(1, 4, 1u << 2), 3);
	CHECK_EQ_INT(ring_next(1, 4, 1u << 2 | 1u << 3), 0);
	CHECK_EQ_INT(ring_next(1, 4, 0xd), 1);			/* alone */
}

static void
test_tokens_kept_and_dropped(void)
{
	struct ring_view v = { .me = 1, .nodes = 3, .gen = 1, .pass = 4 };

	CHECK_EQ_INT(ring_accept_token(&v, 1, 5), 1);
	CHECK_EQ_INT(ring_accept_token(&v, 1, 3), 0);		/* older: a duplicate */
	CHECK_EQ_INT(ring_accept_token(&v, 2, 0), 1);		/* regenerated */
	v.gen = 2;
	v.pass = 0;
	CHECK_EQ_INT(ring_accept_token(&v, 1, 9), 0);		/* the lost one, back */
	v.holding = 1;
	CHECK_EQ_INT(ring_accept_token(&v, 2, 1), 0);		/* never two here */
}

/* Nodes 0..3, node 2 dead with the token (it had pass 2). */
static void
lost_ring(struct ring_view v[4])
{
	int k;

	for (k = 0; k < 4; k++) {
		memset(&v[k], 0, sizeof(v[k]));
		v[k].me = k;
		v[k].nodes = 4;
		v[k].gen = 1;
		v[k].dead = 1u << 2;
	}
	v[0].pass = 1;		/* it passed pass 1 to node 1 */
	v[1].pass = 2;		/* node 1 passed pass 2 to node 2, now dead */
	v[3].pass = 0;
}

/* Node k has sent its probe number serial. */
static void
probing(struct ring_view *v, int k, uint32_t serial)
{
	v[k].probing = 1;
	v[k].serial = serial;
}

/* Carry probe p from `from` round the live ring until someone acts. */
static enum probe_action
travel(struct ring_view v[4], struct ring_probe *p, int from, int *where)
{
	enum probe_action a;
	int k = from;

	for (;;) {
		k = ring_next(k, 4, v[0].dead);
		a = ring_probe(&v[k], p);
		if (a != PROBE_FORWARD) {
			*where = k;
			return a;
		}
	}
}

static void
test_lost_token_regenerated_once(void)
{
	struct ring_view v[4];
	struct ring_probe p, q;
	int at;

	lost_ring(v);
	probing(v, 0, 1);
	probing(v, 3, 1);
	/* Node 3's probe meets node 0, which probes too and comes first. */
	q = (struct ring_probe){ 3, 1, 1, 1, 0 };
	CHECK_EQ_INT(travel(v, &q, 3, &at), PROBE_DROP);
	CHECK_EQ_INT(at, 0);
	/* Node 0's goes round: node 3 stands down; round 1 finds pass 2. */
	p = (struct ring_probe){ 0, 1, 1, 1, 1 };
	CHECK_EQ_INT(travel(v, &p, 0, &at), PROBE_ROUND2);
	CHECK_EQ_INT(at, 0);
	CHECK_EQ_INT(v[3].probing, 0);
	CHECK_EQ_INT(p.pass, 2);
	CHECK_EQ_INT(travel(v, &p, 0, &at), PROBE_REGENERATE);
	CHECK_EQ_INT(at, 0);
	CHECK_EQ_INT(v[0].probing, 0);
	/* Node 3's own probe, were it still about, regenerates nothing. */
	q = (struct ring_probe){ 3, 1, 2, 1, 2 };
	CHECK_EQ_INT(ring_probe(&v[3], &q), PROBE_DROP);
}

static void
test_live_token_never_regenerated(void)
{
	struct ring_view v[4];
	struct ring_probe p;
	int at;

	/* Held: the holder drops the probe. */
	lost_ring(v);
	v[3].holding = 1;
	v[3].pass = 3;
	probing(v, 0, 5);
	p = (struct ring_probe){ 0, 5, 1, 1, 1 };
	CHECK_EQ_INT(travel(v, &p, 0, &at), PROBE_DROP);
	CHECK_EQ_INT(at, 3);
	/* Moving: between the two rounds it went on, round 2 sees it. */
	lost_ring(v);
	probing(v, 0, 6);
	p = (struct ring_probe){ 0, 6, 1, 1, 1 };
	CHECK_EQ_INT(travel(v, &p, 0, &at), PROBE_ROUND2);
	v[3].pass = 3;		/* the token reached node 3 and left again */
	CHECK_EQ_INT(travel(v, &p, 0, &at), PROBE_DROP);
	CHECK_EQ_INT(at, 3);
	/* An older probe of ours comes back: only the latest counts. */
	p = (struct ring_probe){ 0, 5, 2, 1, 2 };
	CHECK_EQ_INT(ring_probe(&v[0], &p), PROBE_DROP);
}

static void
test_queue_first_come_first_served(void)
{
	struct dme_queue q;
	int i;

	memset(&q, 0, sizeof(q));
	CHECK_EQ_INT(dme_queue_take(&q), -1);
	for (i = 0; i < DME_QUEUE_MAX; i++)
		CHECK_EQ_INT(dme_queue_put(&q, i % 7), 0);
	CHECK_EQ_INT(dme_queue_put(&q, 1), -1);
	for (i = 0; i < DME_QUEUE_MAX / 2; i++)
		CHECK_EQ_INT(dme_queue_take(&q), i % 7);
	CHECK_EQ_INT(dme_queue_put(&q, 42), 0);		/* wraps round */
	for (i = DME_QUEUE_MAX / 2; i < DME_QUEUE_MAX; i++)
		CHECK_EQ_INT(dme_queue_take(&q), i % 7);
	CHECK_EQ_INT(dme_queue_take(&q), 42);
	CHECK_EQ_INT(dme_queue_take(&q), -1);
}

int
main(void)
{
	test_ricart_agrawala_rules();
	test_ring_next();
	test_tokens_kept_and_dropped();
	test_lost_token_regenerated_once();
	test_live_token_never_regenerated();
	test_queue_first_come_first_served();
	return unit_summary("test_dme");
}
