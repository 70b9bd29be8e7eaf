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

enum dlock_policy { POL_NONE, POL_ORDER, POL_WAIT_DIE, POL_WOUND_WAIT };

enum dlock_op {
	OP_LOCK = 1,	/* call: lock r; answered now or once granted */
	OP_UNLOCK_ALL,	/* call: give back everything txn holds here */
	OP_WOUND,	/* send, server to server: txn (attempt) is wounded */
	OP_CHECK,	/* call: has txn (attempt) been wounded? */
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
	uint32_t held;		/* bit i: resource i held (ordering's check) */
};

#define DLOCK_NRES	DL_MAX

extern const char *const dlock_policy_names[];
int	dlock_policy(const char *name);		/* -1 if unknown */
int	dlock_serve(int nodes);
int	dlock_txns(int policy, int nodes, int argc, char **argv, int hold_ms, int step_ms);

#endif
