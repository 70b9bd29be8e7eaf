/*
 * Pre-copy's stop rules (mig_policy.c): pure, so the host can test them.
 */
#ifndef MIGRATE_MIG_POLICY_H
#define MIGRATE_MIG_POLICY_H

#include <stdint.h>

#define MIG_DIRTY_SMALL	50	/* Xen: freeze once fewer pages than this are dirty */

/* What the rules look at, kept across rounds by the caller. */
struct mig_rounds {
	uint32_t rounds;	/* rounds finished, this one included */
	uint32_t bytes_sent;	/* so far, every message */
	uint32_t image_bytes;	/* the address space at the offer */
	uint32_t last_dirty;	/* dirty pages after the round before */
	int	 not_shrinking;	/* rounds whose dirty set did not shrink */
};

/* A round has ended with dirty pages written during it: MIG_STOP_* (a
 * reason to freeze now) or MIG_STOP_NONE (go round again). */
int	mig_precopy_stop(struct mig_rounds *r, uint32_t dirty);

#endif
