/*
 * The decisions of the three mutual exclusion algorithms, without any
 * I/O: whether Ricart-Agrawala defers a request, what the token ring does
 * with a probe or a token, the coordinator's FIFO queue.  The algorithms
 * (central.c, ra.c, ring.c) call these; tests/unit/test_dme.c tests them.
 */
#ifndef DME_RULES_H
#define DME_RULES_H

#include <stdint.h>

/* (ts1, n1) comes before (ts2, n2): timestamps, ties by node number. */
int	dme_before(uint32_t ts1, int n1, uint32_t ts2, int n2);

/* Ricart-Agrawala: where this process stands towards the section. */
enum ra_state { RA_RELEASED, RA_WANTED, RA_HELD };

/*
 * A request (their_ts, them) arrives.  The textbook's three rules: in the
 * section, defer; not wanting it, reply at once; wanting it too, defer if
 * our own request (my_ts, me) comes first, else reply at once.
 * Returns 1 to defer, 0 to reply now.
 */
int	ra_defers(enum ra_state, uint32_t my_ts, int me, uint32_t their_ts, int them);

/* The token ring's view of the token at one node. */
struct ring_view {
	int	 me, nodes;
	uint32_t dead;		/* bit k: node k has left the ring */
	uint32_t gen, pass;	/* the newest token seen here */
	int	 holding;	/* the token is here now */
	int	 probing;	/* our own probe is out */
	uint32_t serial;	/* ...and its number */
};

/* The live node after `from` in the ring (from itself if it is alone). */
int	ring_next(int from, int nodes, uint32_t dead);

/* A token (gen, pass) arrives: keep it (1) or drop it as stale (0).  A
 * token older than one already seen here is a duplicate of it. */
int	ring_accept_token(const struct ring_view *, uint32_t gen, uint32_t pass);

/* A probe as it travels: who asks, which of its probes, which round. */
struct ring_probe {
	int	 origin;
	uint32_t serial;	/* the origin's probe count: only its latest counts */
	int	 round;		/* 1: collect the newest token seen; 2: confirm */
	uint32_t gen, pass;	/* round 1: newest seen so far; round 2: that, M */
};

enum probe_action { PROBE_DROP, PROBE_FORWARD, PROBE_ROUND2, PROBE_REGENERATE };

/*
 * A probe arrives (it may change *p and the view).  A holder drops it
 * (the token lives).  Round 1 goes round the ring collecting M, the
 * newest token any node has seen; round 2 goes round again and is dropped
 * by any node that has seen a token newer than M: the token moved, so it
 * lives.  Back at its origin after round 2, nothing moved in a whole
 * round and nobody holds it: it is lost, regenerate it.  Of two nodes
 * probing at once the lower-numbered wins (Chang and Roberts): it drops
 * the other's probe, and the other, forwarding the winner's, gives up its
 * own; so at most one probe regenerates.
 */
enum probe_action ring_probe(struct ring_view *, struct ring_probe *p);

/* The coordinator's first-come, first-served queue of nodes. */
#define DME_QUEUE_MAX	64
struct dme_queue {
	int	node[DME_QUEUE_MAX];
	int	head, count;
};

int	dme_queue_put(struct dme_queue *, int node);	/* 0, or -1 if full */
int	dme_queue_take(struct dme_queue *);		/* node, or -1 if empty */

#endif
