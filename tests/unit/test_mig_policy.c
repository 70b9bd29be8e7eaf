/*
 * Host unit tests for pre-copy's stop rules (kernel/migrate/mig_policy.c):
 * each rule on its own, their order, and whole runs of rounds as a
 * small writer, an everything-writer and a growing writer would make them.
 */
// uses: kernel/migrate/mig_policy.c
#include <string.h>
#include "unit.h"
#include "brinch/migrate.h"
#include "kernel/migrate/mig_policy.h"

#define IMAGE	(256 * 4096)	/* a 1 MiB process */

/* Round n (from 1) ends with dirty pages dirtied; page_bytes a round. */
static int
round_ends(struct mig_rounds *r, uint32_t dirty, uint32_t sent_pages)
{
	r->rounds++;
	r->bytes_sent += sent_pages * 4096;
	return mig_precopy_stop(r, dirty);
}

static void
test_each_rule(void)
{
	struct mig_rounds r;

	/* A small dirty set freezes at once, even after the first round. */
	memset(&r, 0, sizeof(r));
	r.image_bytes = IMAGE;
	CHECK_EQ_INT(round_ends(&r, 12, 256), MIG_STOP_SMALL);
	memset(&r, 0, sizeof(r));
	r.image_bytes = IMAGE;
	CHECK_EQ_INT(round_ends(&r, MIG_DIRTY_SMALL - 1, 256), MIG_STOP_SMALL);
	memset(&r, 0, sizeof(r));
	r.image_bytes = IMAGE;
	CHECK_EQ_INT(round_ends(&r, MIG_DIRTY_SMALL, 256), MIG_STOP_NONE);

	/* The round cap, with a dirty set that keeps shrinking slowly and
	 * bytes kept under the cap by a huge image. */
	memset(&r, 0, sizeof(r));
	r.image_bytes = 4000u * 4096;
	for (int i = 1; i < MIG_MAX_ROUNDS; i++)
		CHECK_EQ_INT(round_ends(&r, 1000 - i, 100), MIG_STOP_NONE);
	CHECK_EQ_INT(round_ends(&r, 900, 100), MIG_STOP_ROUNDS);
	CHECK_EQ_INT(r.rounds, MIG_MAX_ROUNDS);

	/* More than three times the image sent. */
	memset(&r, 0, sizeof(r));
	r.image_bytes = IMAGE;
	CHECK_EQ_INT(round_ends(&r, 250, 256), MIG_STOP_NONE);
	CHECK_EQ_INT(round_ends(&r, 240, 256), MIG_STOP_NONE);
	CHECK_EQ_INT(round_ends(&r, 230, 256), MIG_STOP_NONE);
	CHECK_EQ_INT(round_ends(&r, 220, 256), MIG_STOP_BYTES);	/* 4 x 256 pages */

	/* Not shrinking twice: the writer keeps up with us. */
	memset(&r, 0, sizeof(r));
	r.image_bytes = 100000u * 4096;
	CHECK_EQ_INT(round_ends(&r, 200, 256), MIG_STOP_NONE);
	CHECK_EQ_INT(round_ends(&r, 200, 200), MIG_STOP_NONE);	/* once */
	CHECK_EQ_INT(round_ends(&r, 180, 200), MIG_STOP_NONE);	/* shrank */
	CHECK_EQ_INT(round_ends(&r, 190, 180), MIG_STOP_NOT_SHRINKING);
}

static void
test_order(void)
{
	struct mig_rounds r;

	/* Small wins over every cap: nothing left to chase. */
	memset(&r, 0, sizeof(r));
	r.image_bytes = IMAGE;
	r.rounds = MIG_MAX_ROUNDS;
	r.bytes_sent = 10 * IMAGE;
	CHECK_EQ_INT(round_ends(&r, 3, 1), MIG_STOP_SMALL);
	/* The round cap before the bytes cap. */
	memset(&r, 0, sizeof(r));
	r.image_bytes = IMAGE;
	r.rounds = MIG_MAX_ROUNDS - 1;
	r.bytes_sent = 10 * IMAGE;
	CHECK_EQ_INT(round_ends(&r, 300, 1), MIG_STOP_ROUNDS);
}

/* An everything-writer of a 1 MiB image always ends by a cap, never
 * because its dirty set looked small, and within the round cap. */
static void
test_everything_writer(void)
{
	struct mig_rounds r;
	int reason, rounds = 0;

	memset(&r, 0, sizeof(r));
	r.image_bytes = IMAGE;
	do {
		reason = round_ends(&r, 256, 256);
		rounds++;
	} while (reason == MIG_STOP_NONE);
	CHECK(reason == MIG_STOP_BYTES || reason == MIG_STOP_NOT_SHRINKING);
	CHECK(rounds >= 2 && rounds <= MIG_MAX_ROUNDS);
}

int
main(void)
{
	test_each_rule();
	test_order();
	test_everything_writer();
	return unit_summary("test_mig_policy");
}
