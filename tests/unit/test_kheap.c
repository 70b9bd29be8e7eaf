/*
 * Host unit tests for kernel/mm/kheap.c, the kernel heap: every size
 * class, alignment and overlap, accounting, pages going back to the frame
 * pool when their last block is freed, reuse of freed blocks in
 * fragmented pages, large (multi-frame) objects, and exhaustion of a
 * small pool, after which everything must come back.  The heap is
 * compiled in here with a fake frame allocator over a host array.
 */
// uses: lib/string.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "kernel/mm/mmu.h"

#define NPOOL	256		/* frames in the fake pool */

static uint8_t *pool;		/* NPOOL page-aligned frames */
static int used[NPOOL];
static int frames_in_use;
static int kept;		/* kheap_init's page per size class, kept for good */

/* "Physical" address n * PAGE_SIZE is pool frame n - 1: 0 stays "none". */
#undef P2V
#undef V2P
#define P2V(pa)	((void *)(pool + (uintptr_t)(pa) - PAGE_SIZE))
#define V2P(va)	((uint32_t)((uint8_t *)(va) - pool) + PAGE_SIZE)

uint32_t
frames_alloc(uint32_t count)
{
	for (uint32_t i = 0; i + count <= NPOOL; i++) {
		uint32_t n = 0;

		while (n < count && !used[i + n])
			n++;
		if (n < count)
			continue;
		for (n = 0; n < count; n++)
			used[i + n] = 1;
		frames_in_use += count;
		memset(pool + i * PAGE_SIZE, 0xA5, count * PAGE_SIZE);	/* not zeroed */
		return (i + 1) * PAGE_SIZE;
	}
	return 0;
}

uint32_t
frame_alloc(void)
{
	return frames_alloc(1);
}

void
frames_free(uint32_t pa, uint32_t count)
{
	for (uint32_t i = pa / PAGE_SIZE - 1; count--; i++) {
		CHECK(used[i]);			/* never a double free */
		used[i] = 0;
		frames_in_use--;
	}
}

void
frame_free(uint32_t pa)
{
	frames_free(pa, 1);
}

#include "kernel/mm/kheap.c"

/* kheap_init's way out when no frame is left for a size class: a test
 * that gets here has failed. */
void
panic(const char *fmt, ...)
{
	fprintf(stderr, "panic: %s\n", fmt);
	abort();
}

static const size_t sizes[] = { 1, 8, 16, 17, 32, 60, 64, 100, 128, 250, 512, 1000, 2000 };
#define NSIZES	(sizeof(sizes) / sizeof(sizes[0]))
#define PER	40

/* Fill with a pattern of its own, and check it later: no two overlap. */
static void
stamp(uint8_t *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(tag * 31 + i);
}

static int
stamped(const uint8_t *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)(tag * 31 + i))
			return 0;
	return 1;
}

static void
test_classes(void)
{
	static void *blocks[NSIZES][PER];
	size_t bytes = 0;
	int ok = 1;

	for (size_t s = 0; s < NSIZES; s++) {
		for (int i = 0; i < PER; i++) {
			uint8_t *p = kmalloc(sizes[s]);

			CHECK(p != NULL);
			CHECK(((uintptr_t)p & 7) == 0);
			CHECK(p >= pool && p + sizes[s] <= pool + NPOOL * PAGE_SIZE);
			blocks[s][i] = p;
			if (p)
				stamp(p, sizes[s], (unsigned)(s * PER + i));
		}
		bytes += PER * ((size_t)1 << (class_of(sizes[s]) + MIN_CLASS_SHIFT));
	}
	CHECK_EQ_INT(kheap_bytes_in_use(), bytes);
	for (size_t s = 0; s < NSIZES; s++)
		for (int i = 0; i < PER; i++)
			ok &= stamped(blocks[s][i], sizes[s], (unsigned)(s * PER + i));
	CHECK(ok);
	/* Free in an order unlike allocation: every other, then the rest. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < NSIZES; s++)
			for (int i = pass; i < PER; i += 2)
				kfree(blocks[s][i]);
	CHECK_EQ_INT(kheap_bytes_in_use(), 0);
	CHECK_EQ_INT(frames_in_use, kept);		/* every page went back */
}

/* Holes left by frees are reused before any new page is taken. */
static void
test_fragmented_reuse(void)
{
	void *b[120];
	int frames;

	for (int i = 0; i < 120; i++)
		CHECK((b[i] = kmalloc(100)) != NULL);	/* 128-byte class */
	frames = frames_in_use;
	for (int i = 0; i < 120; i += 2)
		kfree(b[i]);
	CHECK_EQ_INT(frames_in_use, frames);	/* pages still half used */
	for (int i = 0; i < 120; i += 2)
		CHECK((b[i] = kmalloc(128)) != NULL);
	CHECK_EQ_INT(frames_in_use, frames);	/* the holes were enough */
	for (int i = 0; i < 120; i++)
		kfree(b[i]);
	CHECK_EQ_INT(frames_in_use, kept);
	CHECK_EQ_INT(kheap_bytes_in_use(), 0);
}

static void
test_large(void)
{
	uint8_t *a, *b;

	CHECK((a = kmalloc(3000)) != NULL);		/* one whole frame */
	CHECK_EQ_INT(frames_in_use, kept + 1);
	CHECK((b = kmalloc(3 * PAGE_SIZE)) != NULL);	/* four, contiguous */
	CHECK_EQ_INT(frames_in_use, kept + 5);
	memset(b, 0x5A, 3 * PAGE_SIZE);
	CHECK_EQ_INT(kheap_bytes_in_use(), 5 * PAGE_SIZE);
	kfree(a);
	kfree(b);
	CHECK_EQ_INT(frames_in_use, kept);
	CHECK_EQ_INT(kheap_bytes_in_use(), 0);
	CHECK(kmalloc((NPOOL + 1) * PAGE_SIZE) == NULL);	/* never fits */
	CHECK_EQ_INT(frames_in_use, kept);
	kfree(NULL);					/* a no-op */
	CHECK((a = kmalloc(0)) != NULL);		/* a real, freeable block */
	kfree(a);
	CHECK_EQ_INT(frames_in_use, kept);
}

/* Run the pool dry with small and large objects: NULL, never a crash;
 * after freeing, all is back and the heap works again. */
static void
test_exhaustion(void)
{
	static void *b[NPOOL * 64];
	int n = 0, large_failed;
	void *big;

	while (n < (int)(sizeof(b) / sizeof(b[0])) && (b[n] = kmalloc(200)) != NULL)
		n++;
	CHECK(n > 0 && n < (int)(sizeof(b) / sizeof(b[0])));
	CHECK_EQ_INT(frames_in_use, NPOOL);
	/* Another class: its kept page (kheap_init) serves one block, the
	 * next needs a page of its own, and none is left. */
	big = kmalloc(2000);
	CHECK(big != NULL);
	CHECK(kmalloc(2000) == NULL);
	kfree(big);
	large_failed = kmalloc(2 * PAGE_SIZE) == NULL;
	CHECK(large_failed);
	/* Free every other page's worth: free frames, but none contiguous. */
	for (int i = 0; i < n; i++)
		if ((i / 16) % 2 == 0)		/* runs of 16: about a page each */
			kfree(b[i]), b[i] = NULL;
	CHECK(frames_in_use < NPOOL);
	big = kmalloc(3 * PAGE_SIZE);		/* may or may not find a run */
	if (big)
		kfree(big);
	for (int i = 0; i < n; i++)
		kfree(b[i]);
	CHECK_EQ_INT(frames_in_use, kept);
	CHECK_EQ_INT(kheap_bytes_in_use(), 0);
	CHECK((big = kmalloc(8 * PAGE_SIZE)) != NULL);
	kfree(big);
	CHECK_EQ_INT(frames_in_use, kept);
}

int
main(void)
{
	pool = aligned_alloc(PAGE_SIZE, NPOOL * PAGE_SIZE);
	kheap_init();
	kept = frames_in_use;
	test_classes();
	test_fragmented_reuse();
	test_large();
	test_exhaustion();
	free(pool);
	return unit_summary("test_kheap");
}
