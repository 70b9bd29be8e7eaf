/*
 * Physical memory manager: hands out 4 KiB frames of RAM by physical
 * address.  Built on frame_pool.c; initialised from the multiboot map.
 */
#ifndef PMM_H
#define PMM_H

#include <stdint.h>

struct multiboot_info;

void	 pmm_init(struct multiboot_info *mb);
void	 pmm_reserve(uint32_t pa_start, uint32_t pa_end);

/* Frame allocation returns a physical address, or 0 when memory is out.
 * Frames come back uninitialised; frame_alloc_zeroed clears one. */
uint32_t frame_alloc(void);
uint32_t frame_alloc_zeroed(void);
uint32_t frames_alloc(uint32_t count);	/* physically contiguous */
void	 page_zero(void *page);			/* one 4 KiB page, fast */
void	 page_copy(void *dst, const void *src);
void	 frame_free(uint32_t pa);	/* drops one reference (frame_share) */
void	 frames_free(uint32_t pa, uint32_t count);

/* Copy-on-write: a frame mapped by several address spaces is freed when
 * the last lets go.  frame_share adds a reference (-1: count full). */
int	 frame_share(uint32_t pa);
uint32_t frame_refs(uint32_t pa);	/* 1 for a frame nobody shares */
uint32_t pmm_shared_frames(void);	/* frames with more than one reference */
uint32_t pmm_shared_refs(void);		/* references beyond the first: frames saved */

uint32_t pmm_free_frames(void);
uint32_t pmm_total_frames(void);	/* usable RAM, in frames */
uint32_t pmm_phys_top(void);		/* end of mapped physical memory */

#endif
