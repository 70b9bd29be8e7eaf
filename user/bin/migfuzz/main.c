/*
 * migfuzz: hostile migration messages for this kernel's migration service
 * (kernel/migrate/), handed in through migctl(MIGCTL_INJECT) as if node
 * NODE had sent them.
 *   migfuzz [-v] NODE COUNT [SEED]
 * First a valid exchange shows that the door leads somewhere: an OFFER
 * from NODE is accepted, a whole image is built, and an ABORT throws it
 * away (if any of that does not happen, it says FAILED and stops).  Then
 * COUNT messages, built as NODE would send them and made wrong from SEED:
 * bits flipped, fields set to edge values, cut short, lengthened, given
 * another op, version or migration id; exchanges out of order (PAGES
 * before OFFER, STATE twice, GO before BUILT, ...); and whole exchanges
 * whose STATE alone is wrong, so that the deep checks of an image run.
 * It ends with how each of the service's counters moved.  The same SEED
 * gives the same messages; -v prints each one before it goes in, so after
 * a crash the last line names the culprit.
 *
 * Nothing it sends may run, or reach a real process: it never sends GO
 * for an image the kernel has built, every staging it opened is thrown
 * away with an ABORT before the next round, the processes its signals
 * name do not exist, and console output for this node is always empty.
 * The kernel's answers go to NODE over the network, where the migration
 * service drops them (it knows none of these ids).
 * tests/integration/test_migrate_fuzz.py runs it.
 *
 * This file reads the arguments, checks the door with one valid exchange,
 * runs rounds (rounds.c) until COUNT messages are in, and reports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "migfuzz.h"

/* In struct mig_counters' order: the report walks both side by side. */
const char *const counter_names[NCOUNTERS] = {
#define NAME(x) #x,
	MIG_COUNTERS(NAME)
#undef NAME
};

const char *const op_names[MIG_OP_MAX + 1] = {
	"other", "OFFER", "ACCEPT", "REFUSE", "PAGES", "STATE", "BUILT", "GO",
	"ABORT", "SIGNAL", "EXIT", "LOCATION", "CONSOLE",
};

static int
expect_moved(const char *step, uint32_t was, uint32_t is)
{
	if (is == was + 1)
		return 0;
	printf("migfuzz: FAILED: %s (counter went from %u to %u)\n", step, was, is);
	return -1;
}

/* OFFER, PAGES, STATE and ABORT as a real source sends them. */
static int
valid_exchange(void)
{
	struct mig_counters before = counters;
	struct image im;
	int err;

	new_image(&im, IMG_PAGES);
	offer_msg(&im, MIG_STOP);
	if ((err = inject()) < 0) {
		printf("migfuzz: FAILED: migctl inject: %s\n", strerror(errno));
		return -1;
	}
	read_counters(&counters);
	if (expect_moved("a valid OFFER was not accepted", before.accepted, counters.accepted) < 0)
		return -1;
	pages_msg(&im, 0, im.n < MIG_BATCH ? im.n : MIG_BATCH);
	inject();
	state_msg(&im);
	inject();
	read_counters(&counters);
	if (expect_moved("a valid image was not built", before.images_in, counters.images_in) < 0)
		return -1;
	msg_len = hdr(MIG_OP_ABORT, im.id);
	inject();
	read_counters(&counters);
	if (expect_moved("ABORT did not throw the image away", before.aborted_in,
	    counters.aborted_in) < 0)
		return -1;
	if (counters.bad_msgs != before.bad_msgs || counters.bad_images != before.bad_images ||
	    counters.refused != before.refused) {
		printf("migfuzz: FAILED: the valid exchange was counted as bad\n");
		return -1;
	}
	printf("migfuzz: inject path ok: OFFER accepted, %u-page image built, ABORT took it\n",
	    im.n);
	return 0;
}

/* How many of each op went in, and how each counter moved since start. */
static void
report(uint32_t seed, const struct mig_counters *start)
{
	const uint32_t *a = (const uint32_t *)start, *b = (const uint32_t *)&counters;
	uint32_t i;

	printf("migfuzz: %u messages, seed %u (%u clean-up ABORTs besides, "
	    "%u refused by migctl)\n", sent, seed, cleanups, refused_calls);
	printf("migfuzz: sent");
	for (i = 0; i <= MIG_OP_MAX; i++)
		if (by_op[i])
			printf(" %s %u", op_names[i], by_op[i]);
	printf("\n");
	for (i = 0; i < NCOUNTERS; i++)
		printf("%s +%u\n", counter_names[i], b[i] - a[i]);
}

static void
usage(void)
{
	dprintf(2, "usage: migfuzz [-v] NODE COUNT [SEED]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct mig_counters start;
	uint32_t seed = 1;
	int arg = 1, flooded = 0, pressed = 0;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		arg++;
	}
	if (argc - arg < 2 || argc - arg > 3)
		usage();
	peer_node = atoi(argv[arg]);
	count = (uint32_t)atoi(argv[arg + 1]);
	if (argc - arg == 3)
		seed = (uint32_t)strtol(argv[arg + 2], NULL, 0);
	rng = seed ? seed : 0x9E3779B9u;
	if ((this_node = dist_node()) < 0 || peer_node == this_node || peer_node < 0 ||
	    peer_node > DIST_NODE_MAX) {
		dprintf(2, "migfuzz: NODE must be another node of the cluster (this is %d)\n", this_node);
		return 2;
	}
	find_file();
	read_counters(&counters);
	start = counters;
	if (valid_exchange() < 0)
		return 1;
	while (sent < count && !failed) {
		if (!flooded && count >= 2000 && sent >= count / 2) {
			flooded = 1;
			round_flood();
		}
		if (!pressed && count >= 2000 && sent >= count / 4 * 3) {
			pressed = 1;
			round_pressure();
		}
		switch (below(4)) {
		case 0:
			round_exchange();
			break;
		case 1:
			round_disorder();
			break;
		default:
			round_burst();
			break;
		}
	}
	cleanup();
	report(seed, &start);
	return failed;
}
