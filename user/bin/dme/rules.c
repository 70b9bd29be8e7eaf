/*
 * The pure decisions of the mutual exclusion algorithms (rules.h): no
 * I/O, so the host's unit test (tests/unit/test_dme.c) runs them as the
 * kernel-side programs do.
 */
#include "rules.h"

int
dme_before(uint32_t ts1, int n1, uint32_t ts2, int n2)
{
	return ts1 < ts2 || (ts1 == ts2 && n1 < n2);
}

int
ra_defers(enum ra_state state, uint32_t my_ts, int me, uint32_t their_ts, int them)
{
	/* LAB dme: BEGIN defers */
	if (state == RA_HELD)
		return 1;
	if (state == RA_RELEASED)
		return 0;
	return dme_before(my_ts, me, their_ts, them);
	/* LAB dme: END defers */
}

int
ring_next(int from, int nodes, uint32_t dead)
{
	int k, n;

	for (k = 1; k < nodes; k++) {
		n = (from + k) % nodes;
		if (!(dead & 1u << n))
			return n;
	}
	return from;
}

static int
newer(uint32_t gen1, uint32_t pass1, uint32_t gen2, uint32_t pass2)
{
	return gen1 > gen2 || (gen1 == gen2 && pass1 > pass2);
}

int
ring_accept_token(const struct ring_view *v, uint32_t gen, uint32_t pass)
{
	return !newer(v->gen, v->pass, gen, pass) && !v->holding;
}

enum probe_action
ring_probe(struct ring_view *v, struct ring_probe *p)
{
	int moved = newer(v->gen, v->pass, p->gen, p->pass);

	if (v->holding)
		return PROBE_DROP;
	if (p->origin == v->me) {
		if (!v->probing || p->serial != v->serial)
			return PROBE_DROP;	/* given up, or an older probe */
		if (p->round == 1) {
			if (moved) {
				p->gen = v->gen;
				p->pass = v->pass;
			}
			p->round = 2;
			return PROBE_ROUND2;
		}
		if (moved)
			return PROBE_DROP;
		v->probing = 0;
		return PROBE_REGENERATE;
	}
	if (p->round == 2 && moved)
		return PROBE_DROP;
	if (v->probing) {
		if (v->me < p->origin)
			return PROBE_DROP;
		v->probing = 0;		/* a better candidate: stand down */
	}
	if (p->round == 1 && moved) {
		p->gen = v->gen;
		p->pass = v->pass;
	}
	return PROBE_FORWARD;
}

int
dme_queue_put(struct dme_queue *q, int node)
{
	if (q->count == DME_QUEUE_MAX)
		return -1;
	q->node[(q->head + q->count++) % DME_QUEUE_MAX] = node;
	return 0;
}

int
dme_queue_take(struct dme_queue *q)
{
	int node;

	if (q->count == 0)
		return -1;
	node = q->node[q->head];
	q->head = (q->head + 1) % DME_QUEUE_MAX;
	q->count--;
	return node;
}
