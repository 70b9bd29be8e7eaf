/*
 * Physical memory manager (see pmm.h).  One frame_pool covers RAM from 0
 * up to PHYSTOP; it starts all-used, the usable regions of the multiboot
 * memory map are released, then the kernel image, the low megabyte and the
 * boot modules are reserved again.
 */
#include "kernel.h"
#include "mmu.h"
#include "multiboot.h"
#include "frame_pool.h"
#include "pmm.h"

extern char kernel_start[], kernel_end[];	/* from kernel.ld */

static uint32_t frame_bitmap[PHYSTOP_MAX / PAGE_SIZE / 32];
static struct frame_pool pool;
/* Copy-on-write: how many address spaces map each frame besides the one
 * that allocated it.  Zero for nearly every frame, so the allocator and
 * its other users never look here; frame_free reads it. */
static uint8_t frame_sharers[PHYSTOP_MAX / PAGE_SIZE];
static uint32_t shared_frames;		/* frames with sharers > 0 */
static uint32_t shared_refs;		/* sum of sharers: frames fork saved */
static uint32_t total_frames;
static uint32_t phys_top;

void
pmm_init(struct multiboot_info *mb)
{
	struct multiboot_mmap_entry *e;
	uint32_t off;
	uint64_t start, end;

	frame_pool_init(&pool, frame_bitmap, PHYSTOP_MAX / PAGE_SIZE);
	if (!(mb->flags & MB_INFO_MEM_MAP)) {
		/* No map: trust mem_upper (KiB of RAM above 1 MiB). */
		end = 0x100000 + (uint64_t)mb->mem_upper * 1024;
		if (end > PHYSTOP_MAX)
			end = PHYSTOP_MAX;
		frame_pool_release(&pool, 0x100000 / PAGE_SIZE,
		    (uint32_t)(end - 0x100000) / PAGE_SIZE);
		phys_top = (uint32_t)end;
	} else {
		for (off = 0; off < mb->mmap_length; off += e->size + 4) {
			e = P2V(mb->mmap_addr + off);
			if (e->type != MB_MEMORY_AVAILABLE)
				continue;
			start = (e->addr + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
			end = (e->addr + e->len) & ~(uint64_t)(PAGE_SIZE - 1);
			if (end > PHYSTOP_MAX)
				end = PHYSTOP_MAX;
			if (start >= end)
				continue;
			frame_pool_release(&pool, (uint32_t)(start / PAGE_SIZE),
			    (uint32_t)((end - start) / PAGE_SIZE));
			if (end > phys_top)
				phys_top = (uint32_t)end;
		}
	}
	/* The BIOS data area, the multiboot structures and the VGA hole all
	 * live below 1 MiB; we never need that memory, so keep it out. */
	pmm_reserve(0, 0x100000);
	pmm_reserve(V2P(kernel_start), V2P(kernel_end));
	total_frames = pool.nfree;
}

void
pmm_reserve(uint32_t pa_start, uint32_t pa_end)
{
	pa_start = PAGE_ROUNDDOWN(pa_start);
	pa_end = PAGE_ROUNDUP(pa_end);
	if (pa_end > pa_start)
		frame_pool_reserve(&pool, pa_start / PAGE_SIZE,
		    (pa_end - pa_start) / PAGE_SIZE);
	total_frames = pool.nfree;
}

uint32_t
frames_alloc(uint32_t count)
{
	int32_t frame;

	frame = frame_pool_alloc(&pool, count);
	return frame < 0 ? 0 : (uint32_t)frame * PAGE_SIZE;
}

uint32_t
frame_alloc(void)
{
	return frames_alloc(1);
}

uint32_t
frame_alloc_zeroed(void)
{
	uint32_t pa = frame_alloc();

	if (pa)
		page_zero(P2V(pa));
	return pa;
}

/* A word at a time with one string instruction: fork, exec and the
 * fault path zero and copy whole pages more than anything else, and the
 * byte loops of lib/string.c cost four times the instructions (docs/
 * testing.md, "Copy-on-write beside the eager copy").  trap_common
 * clears the direction flag, whatever user mode left in it. */
void
page_zero(void *page)
{
	uint32_t words = PAGE_SIZE / 4;

	__asm__ volatile("rep stosl" : "+D"(page), "+c"(words) : "a"(0) : "memory");
}

void
page_copy(void *dst, const void *src)
{
	uint32_t words = PAGE_SIZE / 4;

	__asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
}

void
frames_free(uint32_t pa, uint32_t count)
{
	int bad;

	assert(pa % PAGE_SIZE == 0);
	/* Only single user frames are ever shared (frame_free). */
	assert(count == 1 || frame_sharers[pa / PAGE_SIZE] == 0);
	bad = frame_pool_free(&pool, pa / PAGE_SIZE, count);
	if (bad)
		panic("frames_free: %#x (+%u) is not allocated", pa, count);
}

/* LAB cow: BEGIN refcount */
/* One reference fewer; the frame goes back to the pool with the last. */
void
frame_free(uint32_t pa)
{
	uint8_t *sharers = &frame_sharers[pa / PAGE_SIZE];

	if (*sharers > 0) {
		shared_refs--;
		if (--*sharers == 0)
			shared_frames--;
		return;
	}
	frames_free(pa, 1);
}

/* One more address space maps the frame.  -1 when the count is full:
 * the caller copies instead (cannot happen with NPROC < 255, but a
 * counter must not wrap and free a frame someone still maps). */
int
frame_share(uint32_t pa)
{
	uint8_t *sharers = &frame_sharers[pa / PAGE_SIZE];

	if (*sharers == UINT8_MAX)
		return -1;
	if ((*sharers)++ == 0)
		shared_frames++;
	shared_refs++;
	return 0;
}

uint32_t
frame_refs(uint32_t pa)
{
	return frame_sharers[pa / PAGE_SIZE] + 1u;
}
/* LAB cow: END refcount */

uint32_t
pmm_shared_frames(void)
{
	return shared_frames;
}

uint32_t
pmm_shared_refs(void)
{
	return shared_refs;
}

uint32_t
pmm_free_frames(void)
{
	return pool.nfree;
}

uint32_t
pmm_total_frames(void)
{
	return total_frames;
}

uint32_t
pmm_phys_top(void)
{
	return phys_top;
}
