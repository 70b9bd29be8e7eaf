/*
 * dlock: a lock manager with resources spread over nodes (docs/deadlock.md).
 * Resource r lives on node r % NODES, whose `dlock serve` (server.c)
 * grants it; transactions (txn.c) lock across nodes by mbox_call to
 * LOCK@node and are rolled back and restarted, keeping their timestamp,
 * as the policy says (deadlock.c decides).
 */
#ifndef DLOCK_H
#define DLOCK_H

#include <stdint.h>
#include "deadlock.h"

enum dlock_policy { POL_NONE, POL_ORDER, POL_WAIT_DIE, POL_WOUND_WAIT,
	POL_DETECT,	/* wait; node 0's coordinator finds cycles */
	POL_CMH,	/* wait; Chandy-Misra-Haas probes find cycles */
	POL_BANKER,	/* ask node 0's banker first (banker.c) */
};
#define NPOLICIES	7

enum dlock_op {
	OP_LOCK = 1,	/* call: lock r; answered now or once granted */
	OP_UNLOCK_ALL,	/* call: give back everything txn holds here */
	OP_WOUND,	/* send, server to server: txn (attempt) is wounded */
	OP_CHECK,	/* call: has txn (attempt) been wounded? */
	OP_GRAPH,	/* call: this node's wait-for edges (struct dlock_graph) */
	OP_PROBE,	/* send: edge chasing, for txn (ts, attempt) */
	OP_STAT,	/* call: this server's counters (struct dlock_stat) */
	OP_BANK_REQ,	/* call, to node 0: may txn (claim in held) lock r? */
	OP_BANK_RELEASE,/* call, to node 0: txn has given back everything */
};

enum dlock_answer {
	ANS_GRANTED = 1,
	ANS_DIE,	/* wait-die: roll back */
	ANS_WOUNDED,	/* wound-wait: an older one wants what you hold */
	ANS_EDEADLK,	/* ordering: out of order */
	ANS_DONE,	/* unlocked */
	ANS_ERROR,
};

struct dlock_req {
	int32_t	 op;
	int32_t	 policy;
	uint32_t ts;		/* the transaction's stamp: also its name */
	uint32_t attempt;	/* restarts so far: a wound names one attempt */
	int32_t	 r;
	uint32_t held;		/* bit i: resource i held (ordering's check);
				 * OP_BANK_REQ: bit i, i is in the claim */
	/* OP_PROBE: who started it, and the youngest met on the way;
	 * ts and attempt name the transaction the probe is for. */
	uint32_t init_ts, init_attempt, young_ts, young_attempt;
	uint32_t probe_id;	/* OP_PROBE: node << 24 | its count of probes */
};

/* One wait-for edge: waiter waits for holder (both ts, attempt). */
struct dlock_edge {
	uint32_t wts, watt, hts, hatt;
};

#define DLOCK_MAX_EDGES	32
struct dlock_graph {
	int32_t	n;
	struct dlock_edge e[DLOCK_MAX_EDGES];
};

struct dlock_stat {
	uint32_t central_cycles;	/* node 0: cycles confirmed, youngest aborted */
	uint32_t phantoms;		/* node 0: cycles gone when asked again */
	uint32_t cmh_cycles;		/* probes back at their initiator */
	uint32_t probes;		/* probes sent */
	uint32_t banker_waits;		/* node 0: requests the banker held back */
};

/* server.c, for detect.c */
extern int dlock_nodes, dlock_me;
extern struct dlock_stat dlock_stats;
int	server_edges(struct dlock_edge *out, int max, int policy);
int	server_waits_for(uint32_t ts, uint32_t attempt, struct dlock_edge *out, int max);
void	server_wound(uint32_t ts, uint32_t attempt);
void	server_send_all(struct dlock_req *);	/* to every other server */
int	server_call(int node, struct dlock_req *, void *reply, int max);

/* banker.c */
void	banker_call(int caller, const struct dlock_req *);

/* detect.c */
void	detect_central(void);			/* node 0, now and then */
void	detect_start_probes(void);		/* for waiters waiting long */
void	detect_probe(const struct dlock_req *);	/* a probe arrived */
void	detect_first_probe(const struct dlock_req *waiter);

#define DLOCK_NRES	DL_MAX

extern const char *const dlock_policy_names[];
int	dlock_policy(const char *name);		/* -1 if unknown */
int	dlock_serve(int nodes, int coordinator);
int	dlock_stat(void);
int	dlock_txns(int policy, int nodes, int argc, char **argv, int hold_ms, int step_ms);

#endif
