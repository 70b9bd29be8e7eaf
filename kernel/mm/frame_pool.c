/*
 * Bitmap frame allocator (see frame_pool.h).  Allocation is next-fit from
 * a moving hint, which keeps the common single-frame case close to O(1)
 * while still finding contiguous runs for kernel stacks.
 */
#include "frame_pool.h"

#define BITS	32

static inline int
test_bit(const uint32_t *map, uint32_t i)
{
	return (map[i / BITS] >> (i % BITS)) & 1;
}

static inline void
set_bit(uint32_t *map, uint32_t i)
{
	map[i / BITS] |= 1u << (i % BITS);
}

static inline void
clear_bit(uint32_t *map, uint32_t i)
{
	map[i / BITS] &= ~(1u << (i % BITS));
}

void
frame_pool_init(struct frame_pool *pool, uint32_t *bitmap, uint32_t nframes)
{
	uint32_t i;

	pool->bitmap = bitmap;
	pool->nframes = nframes;
	pool->nfree = 0;
	pool->hint = 0;
	for (i = 0; i < (nframes + BITS - 1) / BITS; i++)
		bitmap[i] = 0xFFFFFFFFu;
}

void
frame_pool_release(struct frame_pool *pool, uint32_t first, uint32_t count)
{
	uint32_t i;

	for (i = first; i < first + count && i < pool->nframes; i++) {
		if (test_bit(pool->bitmap, i)) {
			clear_bit(pool->bitmap, i);
			pool->nfree++;
		}
	}
}

void
frame_pool_reserve(struct frame_pool *pool, uint32_t first, uint32_t count)
{
	uint32_t i;

	for (i = first; i < first + count && i < pool->nframes; i++) {
		if (!test_bit(pool->bitmap, i)) {
			set_bit(pool->bitmap, i);
			pool->nfree--;
		}
	}
}

/* Length of the free run starting at i, stopping once it reaches want. */
static uint32_t
free_run(const struct frame_pool *pool, uint32_t i, uint32_t want)
{
	uint32_t n = 0;

	while (n < want && i + n < pool->nframes && !test_bit(pool->bitmap, i + n))
		n++;
	return n;
}

int32_t
frame_pool_alloc(struct frame_pool *pool, uint32_t count)
{
	uint32_t scanned, i, run;

	if (count == 0 || count > pool->nfree)
		return -1;
	i = pool->hint;
	for (scanned = 0; scanned < pool->nframes; ) {
		if (i >= pool->nframes)
			i = 0;
		/* Skip a fully used word in one step. */
		if (i % BITS == 0 && pool->bitmap[i / BITS] == 0xFFFFFFFFu) {
			i += BITS;
			scanned += BITS;
			continue;
		}
		run = free_run(pool, i, count);
		if (run == count) {
			frame_pool_reserve(pool, i, count);
			pool->hint = i + count;
			return (int32_t)i;
		}
		i += run + 1;
		scanned += run + 1;
	}
	return -1;
}

int
frame_pool_free(struct frame_pool *pool, uint32_t first, uint32_t count)
{
	uint32_t i;

	if (first >= pool->nframes || count > pool->nframes - first)
		return -1;
	for (i = first; i < first + count; i++)
		if (!test_bit(pool->bitmap, i))
			return -1;
	frame_pool_release(pool, first, count);
	if (first < pool->hint)
		pool->hint = first;
	return 0;
}

int
frame_pool_is_used(const struct frame_pool *pool, uint32_t frame)
{
	return frame >= pool->nframes || test_bit(pool->bitmap, frame);
}
