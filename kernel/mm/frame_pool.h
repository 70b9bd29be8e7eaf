/*
 * A bitmap of physical page frames: one bit per 4 KiB frame, set = in use.
 * Pure bookkeeping with no hardware access, so tests/unit can exercise it
 * on the host; kernel/mm/pmm.c wraps one pool around the machine's RAM.
 */
#ifndef FRAME_POOL_H
#define FRAME_POOL_H

#include <stdint.h>

struct frame_pool {
	uint32_t *bitmap;	/* nframes bits, 1 = used */
	uint32_t  nframes;	/* frames the bitmap covers */
	uint32_t  nfree;	/* bits currently 0 */
	uint32_t  hint;		/* where the next search starts */
};

/* Start with every frame marked used; callers release what RAM exists. */
void	frame_pool_init(struct frame_pool *pool, uint32_t *bitmap, uint32_t nframes);
void	frame_pool_release(struct frame_pool *pool, uint32_t first, uint32_t count);
void	frame_pool_reserve(struct frame_pool *pool, uint32_t first, uint32_t count);

/* Find `count` contiguous free frames, mark them used, return the first;
 * returns -1 when no such run exists. */
int32_t	frame_pool_alloc(struct frame_pool *pool, uint32_t count);

/* Return frames to the pool.  Returns 0, or -1 (changing nothing) if any
 * of them is out of range or already free: a double free is a bug the
 * caller should report, not silently absorb. */
int	frame_pool_free(struct frame_pool *pool, uint32_t first, uint32_t count);

int	frame_pool_is_used(const struct frame_pool *pool, uint32_t frame);

#endif
