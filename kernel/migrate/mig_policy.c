/*
 * Pre-copy's stop rules, apart so that they can be read in one place and
 * tested on the host (tests/unit/test_mig_policy.c).  mig_out.c asks
 * after every round whether another round is worth it; the rules are
 * Xen's and QEMU's: freeze once the dirty set is small, or after too
 * many rounds, or once too many bytes went out, or when the dirty set
 * stops shrinking (the writer dirties as fast as we send).
 */
#include <stdint.h>
#include "brinch/migrate.h"
#include "mig_policy.h"

int
mig_precopy_stop(struct mig_rounds *r, uint32_t dirty)
{
	int reason = MIG_STOP_NONE;

	/* LAB migrate: BEGIN stop */
	if (dirty < MIG_DIRTY_SMALL)
		reason = MIG_STOP_SMALL;
	else if (r->rounds >= MIG_MAX_ROUNDS)
		reason = MIG_STOP_ROUNDS;
	else if ((uint64_t)r->bytes_sent > (uint64_t)MIG_MAX_SENT_FACTOR * r->image_bytes)
		reason = MIG_STOP_BYTES;
	else if (r->rounds >= 2 && dirty >= r->last_dirty && ++r->not_shrinking >= 2)
		reason = MIG_STOP_NOT_SHRINKING;
	r->last_dirty = dirty;
	/* LAB migrate: END stop */
	return reason;
}
