/*
 * The decisions of distributed deadlock handling, without any I/O: the
 * chapter's prevention (global resource ordering; wait-die, wound-wait),
 * avoidance (the banker's algorithm) and detection (a coordinator's
 * global wait-for graph, with the check that tells a phantom deadlock
 * from a real one; Chandy-Misra-Haas edge chasing), and which transaction
 * a detected cycle sacrifices.  tests/unit/test_deadlock.c runs them over
 * simulated nodes.  Transactions are numbered 0..DL_MAX-1, resources too.
 */
#ifndef DLOCK_DEADLOCK_H
#define DLOCK_DEADLOCK_H

#include <stdint.h>

#define DL_MAX		16

enum dl_verdict {
	DL_GRANT,	/* free: take it */
	DL_WAIT,	/* wait for the holder */
	DL_DIE,		/* wait-die: the requester rolls back */
	DL_WOUND,	/* wound-wait: the holder rolls back; the requester waits */
	DL_REFUSE,	/* ordering: EDEADLK, the request is out of order */
};

/* Global ordering: holding the resources in `held` (bit i = resource i),
 * may one ask for r?  Only if every one held is numbered below r. */
enum dl_verdict dl_ordered(uint32_t held, int r);

/*
 * A request by a transaction stamped req_ts for a resource held by one
 * stamped holder_ts (smaller = older; a transaction that rolls back
 * restarts with its old stamp, so it grows older until it wins).
 * wait-die: the older waits, the younger dies.  wound-wait: the older
 * wounds the holder, the younger waits.
 */
enum dl_verdict dl_wait_die(uint32_t req_ts, uint32_t holder_ts);
enum dl_verdict dl_wound_wait(uint32_t req_ts, uint32_t holder_ts);

/* The banker's algorithm over nres kinds of resource (units may sit on
 * any node: the banker sees the totals). */
struct banker {
	int	ntxn, nres;
	int	avail[DL_MAX];
	int	max[DL_MAX][DL_MAX];	/* declared claim of each transaction */
	int	alloc[DL_MAX][DL_MAX];
};

int	banker_safe(const struct banker *);
/* 0: granted; DL_WAIT: granting would be unsafe (or is not there yet);
 * -1: beyond the transaction's declared claim. */
int	banker_request(struct banker *, int txn, const int req[]);
void	banker_release(struct banker *, int txn);

/* A wait-for graph: bit j of waits[i] = transaction i waits for j. */
struct wfg {
	uint32_t waits[DL_MAX];
	uint32_t ts[DL_MAX];	/* each transaction's stamp: the youngest dies */
};

/* A cycle through the graph: 1 and its members (bits), or 0. */
int	wfg_cycle(const struct wfg *, uint32_t *members);
/* The youngest member (largest stamp; ties: the highest number). */
int	wfg_victim(const struct wfg *, uint32_t members);

/*
 * The central coordinator: the global graph is the union of the nodes'
 * local graphs as last reported.  Reports travel at different speeds, so
 * a cycle may be made of edges that never existed at the same time (a
 * phantom deadlock).  wfg_confirm asks the nodes again: 1 if every edge
 * of the cycle is still in the nodes' current graphs.
 */
void	wfg_union(struct wfg *global, const struct wfg *local, int nlocal);
int	wfg_confirm(uint32_t members, const struct wfg *global,
	    const struct wfg *now, int nnow);

/*
 * Chandy-Misra-Haas (AND model): a blocked transaction i that suspects
 * deadlock sends probe (i, i, j) to each j it waits for; a blocked j that
 * receives (i, k, j) forwards (i, j, m) to each m it waits for, once per
 * initiator; the initiator receiving its own probe has found a cycle.
 * cmh_receive handles one probe at its receiver: it fills out[] with the
 * probes to send (at most DL_MAX) and returns 1 if deadlock is declared.
 */
struct cmh_probe {
	int	initiator, from, to;
};
int	cmh_receive(const struct wfg *, const struct cmh_probe *,
	    uint32_t sent[DL_MAX], struct cmh_probe out[], int *nout);
/* The probes a blocked transaction starts with. */
int	cmh_start(const struct wfg *, int initiator, uint32_t sent[DL_MAX],
	    struct cmh_probe out[]);

#endif
