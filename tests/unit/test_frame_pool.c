/*
 * Host unit tests for kernel/mm/frame_pool.c, the physical frame bitmap:
 * counting, contiguous runs, wrap-around of the search hint, and refusal
 * of double frees.
 */
// uses: kernel/mm/frame_pool.c
#include "unit.h"
#include "kernel/mm/frame_pool.h"

#define NFRAMES	100

static uint32_t bitmap[(NFRAMES + 31) / 32];

static void
test_init_and_release(void)
{
	struct frame_pool pool;

	frame_pool_init(&pool, bitmap, NFRAMES);
	CHECK_EQ_INT(pool.nfree, 0);
	CHECK_EQ_INT(frame_pool_alloc(&pool, 1), -1);	/* nothing released yet */
	frame_pool_release(&pool, 10, 20);
	CHECK_EQ_INT(pool.nfree, 20);
	frame_pool_release(&pool, 25, 10);		/* overlap counts once */
	CHECK_EQ_INT(pool.nfree, 25);
	frame_pool_reserve(&pool, 10, 2);
	CHECK_EQ_INT(pool.nfree, 23);
	frame_pool_release(&pool, 95, 50);		/* clipped at the end */
	CHECK_EQ_INT(pool.nfree, 28);
	CHECK(frame_pool_is_used(&pool, 10));
	CHECK(!frame_pool_is_used(&pool, 12));
	CHECK(frame_pool_is_used(&pool, NFRAMES + 5));	/* out of range = used */
}

static void
test_alloc_free(void)
{
	struct frame_pool pool;
	int32_t a, b, c;

	frame_pool_init(&pool, bitmap, NFRAMES);
	frame_pool_release(&pool, 0, NFRAMES);
	a = frame_pool_alloc(&pool, 1);
	b = frame_pool_alloc(&pool, 1);
	CHECK(a >= 0 && b >= 0 && a != b);
	CHECK_EQ_INT(pool.nfree, NFRAMES - 2);
	CHECK_EQ_INT(frame_pool_free(&pool, a, 1), 0);
	CHECK_EQ_INT(frame_pool_free(&pool, a, 1), -1);	/* double free refused */
	CHECK_EQ_INT(pool.nfree, NFRAMES - 1);
	CHECK_EQ_INT(frame_pool_free(&pool, NFRAMES, 1), -1);
	CHECK_EQ_INT(frame_pool_free(&pool, NFRAMES - 1, 2), -1);
	c = frame_pool_alloc(&pool, 1);
	CHECK_EQ_INT(c, a);				/* the hint moves back */
	CHECK_EQ_INT(frame_pool_alloc(&pool, 0), -1);
	CHECK_EQ_INT(frame_pool_alloc(&pool, NFRAMES), -1);
}

static void
test_contiguous(void)
{
	struct frame_pool pool;
	int32_t run;
	uint32_t i;

	frame_pool_init(&pool, bitmap, NFRAMES);
	/* Free frames in a comb: only singles, then one run of 4 at 60. */
	for (i = 0; i < 50; i += 2)
		frame_pool_release(&pool, i, 1);
	frame_pool_release(&pool, 60, 4);
	run = frame_pool_alloc(&pool, 4);
	CHECK_EQ_INT(run, 60);
	CHECK_EQ_INT(frame_pool_alloc(&pool, 2), -1);	/* only singles left */
	CHECK_EQ_INT(frame_pool_free(&pool, 60, 4), 0);
	CHECK_EQ_INT(frame_pool_alloc(&pool, 3), 60);
	/* Exhaust everything, one at a time, then see -1. */
	while (frame_pool_alloc(&pool, 1) >= 0)
		;
	CHECK_EQ_INT(pool.nfree, 0);
	for (i = 0; i < NFRAMES; i++)
		CHECK(frame_pool_is_used(&pool, i));
}

static void
test_wraparound(void)
{
	struct frame_pool pool;

	frame_pool_init(&pool, bitmap, NFRAMES);
	frame_pool_release(&pool, 0, 4);
	frame_pool_release(&pool, 96, 4);
	pool.hint = 98;
	/* From 98 there are only 2 free before the end: must wrap to 0. */
	CHECK_EQ_INT(frame_pool_alloc(&pool, 3), 0);
	CHECK_EQ_INT(frame_pool_alloc(&pool, 4), 96);
}

int
main(void)
{
	test_init_and_release();
	test_alloc_free();
	test_contiguous();
	test_wraparound();
	return unit_summary("test_frame_pool");
}
