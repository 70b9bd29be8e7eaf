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
void	 frame_free(uint32_t pa);
void	 frames_free(uint32_t pa, uint32_t count);

uint32_t pmm_free_frames(void);
uint32_t pmm_total_frames(void);	/* usable RAM, in frames */
uint32_t pmm_phys_top(void);		/* end of mapped physical memory */

#endif
