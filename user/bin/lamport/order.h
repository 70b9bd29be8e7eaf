/*
 * The replicated account of `lamport order`, without any I/O: one
 * replica's queue of updates ordered by (timestamp, node) and the rule for
 * applying them.  main.c moves the messages; tests/unit/test_total_order.c
 * runs several replicas over simulated links.
 */
#ifndef LAMPORT_ORDER_H
#define LAMPORT_ORDER_H

#include <stdint.h>

#define ORDER_MAX_NODES		16
#define ORDER_MAX_UPDATES	512

struct update {
	uint32_t ts;
	int	 node, value;
	int	 have;		/* the update itself has arrived */
	uint32_t acked;		/* bit k: node k has acknowledged it */
};

struct replica {
	int	 me, nodes;
	struct update queue[ORDER_MAX_UPDATES];	/* sorted by (ts, node) */
	int	 queued;
	int	 applied;	/* updates applied so far */
	long	 balance;
	uint32_t order_hash;	/* of the (ts, node) applied, in order */
	/* Called after each update is applied (main.c prints it). */
	void	(*on_apply)(struct replica *, const struct update *);
};

void	replica_init(struct replica *, int me, int nodes, long balance);
long	account_apply(long balance, int node, int value);
uint32_t order_hash_step(uint32_t hash, uint32_t ts, int node);

/*
 * An update (ts, node) with its value has reached this replica.  Our own
 * updates must be given here the moment they are stamped, before they
 * are sent to anyone (see order.c).  Returns 0, or -1 if the queue is full
 * or node is not one of ours.
 */
int	replica_update(struct replica *, uint32_t ts, int node, int value);

/* Node `from` has acknowledged update (ts, node).  0, or -1 as above. */
int	replica_ack(struct replica *, uint32_t ts, int node, int from);

#endif
