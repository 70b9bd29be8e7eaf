/*
 * mig_rules: plays rounds of pre-copy through mig_precopy_stop()
 * (kernel/migrate/mig_policy.c) on the host, for the migrate lab's
 * grader (tests/labs/test_lab_migrate.py), which builds it against the
 * tree's own mig_policy.c.
 *
 *   mig_rules IMAGE_PAGES ROUNDS SENT_PAGES DIRTY[:PAGES] ...
 *
 * The rules' state starts zeroed but for image_bytes (IMAGE_PAGES pages),
 * rounds and bytes_sent (SENT_PAGES pages): what rounds played before.
 * Each further argument is one round, as end_round() in mig_out.c plays
 * it: PAGES pages sent in it (default 0), so rounds goes up by one and
 * bytes_sent by PAGES pages, then the rules are asked with DIRTY pages
 * dirty.  A line per round:
 *
 *   round R: dirty D, bytes_sent B: REASON
 *
 * with REASON none, small, rounds, bytes, not-shrinking (or the number),
 * and, as in the kernel, no round after the first that is not "none".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "brinch/migrate.h"
#include "kernel/migrate/mig_policy.h"

#define PAGE	4096u

static const char *
reason_name(int reason)
{
	static char other[16];

	switch (reason) {
	case MIG_STOP_NONE:		return "none";
	case MIG_STOP_SMALL:		return "small";
	case MIG_STOP_ROUNDS:		return "rounds";
	case MIG_STOP_BYTES:		return "bytes";
	case MIG_STOP_NOT_SHRINKING:	return "not-shrinking";
	}
	snprintf(other, sizeof(other), "%d", reason);
	return other;
}

int
main(int argc, char **argv)
{
	struct mig_rounds r;
	uint32_t dirty, pages;
	char *colon;
	int i, reason;

	if (argc < 4) {
		fprintf(stderr, "usage: mig_rules IMAGE_PAGES ROUNDS SENT_PAGES "
		    "DIRTY[:PAGES] ...\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.image_bytes = (uint32_t)strtoul(argv[1], NULL, 0) * PAGE;
	r.rounds = (uint32_t)strtoul(argv[2], NULL, 0);
	r.bytes_sent = (uint32_t)strtoul(argv[3], NULL, 0) * PAGE;
	for (i = 4; i < argc; i++) {
		dirty = (uint32_t)strtoul(argv[i], &colon, 0);
		pages = *colon == ':' ? (uint32_t)strtoul(colon + 1, NULL, 0) : 0;
		r.rounds++;
		r.bytes_sent += pages * PAGE;
		reason = mig_precopy_stop(&r, dirty);
		printf("round %u: dirty %u, bytes_sent %u: %s\n", r.rounds, dirty,
		    r.bytes_sent, reason_name(reason));
		fflush(stdout);
		if (reason != MIG_STOP_NONE)
			break;
	}
	return 0;
}
