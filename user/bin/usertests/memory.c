/*
 * memory.c: usertests topic "memory": sbrk growing and shrinking the
 * heap, malloc on top of it, meminfo, and no frame leaked by processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "user/lib/syscall.h"
#include "usertests.h"

/* ---- memory ------------------------------------------------------------- */

static int
test_sbrk(void)
{
	char *old, *p;

	old = sbrk(0);
	EXPECT(old != (void *)-1);
	p = sbrk(3 * PAGE_SIZE);
	EXPECT(p == old);
	EXPECT(sbrk(0) == old + 3 * PAGE_SIZE);
	for (int i = 0; i < 3 * PAGE_SIZE; i++)
		p[i] = (char)i;
	for (int i = 0; i < 3 * PAGE_SIZE; i++)
		EXPECT(p[i] == (char)i);
	EXPECT(sbrk(-3 * PAGE_SIZE) == old + 3 * PAGE_SIZE);
	EXPECT(sbrk(0) == old);
	/* Growing again gives usable memory once more. */
	p = sbrk(100);
	EXPECT(p == old);
	p[99] = 1;
	EXPECT(sbrk(-100) == old + 100);
	return 0;
}

static int
test_sbrk_too_much(void)
{
	char *old = sbrk(0);

	EXPECT_ERR((intptr_t)sbrk(0x40000000), ENOMEM);	/* 1 GiB */
	EXPECT_ERR((intptr_t)sbrk(0x7ffff000), ENOMEM);
	EXPECT(sbrk(0) == old);				/* unchanged */
	return 0;
}

/* After shrinking, the memory is gone: touching it faults. */
static int
touch_after_shrink(void)
{
	char *edge = heap_edge();

	sbrk(-PAGE_SIZE);
	edge[-1] = 1;
	return 0;
}

static int
test_sbrk_shrink_unmaps(void)
{
	int status = status_of(touch_after_shrink);

	if (!killed_by(status, SIGSEGV))
		return fail("wait status %#x, want signal %d", status, SIGSEGV);
	return 0;
}

static int
test_malloc(void)
{
	char *blocks[100], *big, *grown, *start_brk;
	int *zeroed;

	/* Lots of small blocks, each holding its own pattern. */
	for (int i = 0; i < 100; i++) {
		blocks[i] = malloc(1000 + i);
		EXPECT(blocks[i] != NULL);
		EXPECT(((uintptr_t)blocks[i] & 7) == 0);
		memset(blocks[i], i, 1000 + i);
	}
	for (int i = 0; i < 100; i++)
		for (int j = 0; j < 1000 + i; j++)
			EXPECT(blocks[i][j] == (char)i);
	/* Free in an awkward order; coalescing must rebuild one large
	 * block, so a big request needs no more heap. */
	for (int i = 0; i < 100; i += 2)
		free(blocks[i]);
	for (int i = 1; i < 100; i += 2)
		free(blocks[i]);
	start_brk = sbrk(0);
	big = malloc(90000);
	EXPECT(big != NULL);
	EXPECT(sbrk(0) == start_brk);
	free(big);

	zeroed = calloc(1000, sizeof(int));
	EXPECT(zeroed != NULL);
	for (int i = 0; i < 1000; i++)
		EXPECT(zeroed[i] == 0);
	grown = malloc(10);
	EXPECT(grown != NULL);
	strcpy(grown, "keep me");
	grown = realloc(grown, 5000);
	EXPECT(grown != NULL && strcmp(grown, "keep me") == 0);
	free(grown);
	free(zeroed);
	EXPECT(malloc(0x7fffffff) == NULL && errno == ENOMEM);
	return 0;
}

static int
test_meminfo(void)
{
	struct meminfo mi;

	EXPECT_OK(meminfo(&mi));
	EXPECT(mi.page_size == PAGE_SIZE);
	EXPECT(mi.total_frames >= 1024);	/* at least 4 MiB */
	EXPECT(mi.free_frames > 0 && mi.free_frames < mi.total_frames);
	EXPECT(mi.nproc >= 2 && mi.nproc <= mi.nproc_max);
	return 0;
}

static int
exit_zero(void)
{
	return 0;
}

/* One fork + exec + exit + wait cycle, and a plain fork + exit. */
static int
process_cycle(void)
{
	char *argv[] = { "true", NULL };

	if (!exited_with(status_of_exec("/bin/true", argv), 0))
		return -1;
	if (!exited_with(status_of(exit_zero), 0))
		return -1;
	return 0;
}

static int
test_no_frame_leak(void)
{
	struct meminfo before, after;

	/* Warm up first: our own stack may grow, and the kernel may keep
	 * some memory for good after the first use. */
	EXPECT(process_cycle() == 0);
	EXPECT_OK(meminfo(&before));
	for (int i = 0; i < 5; i++)
		EXPECT(process_cycle() == 0);
	EXPECT_OK(meminfo(&after));
	if (after.free_frames != before.free_frames)
		return fail("free frames %u before, %u after 5 cycles",
		    (unsigned)before.free_frames, (unsigned)after.free_frames);
	EXPECT(after.nproc == before.nproc);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test memory_tests[] = {
	{ "sbrk",			test_sbrk },
	{ "sbrk_too_much",		test_sbrk_too_much },
	{ "sbrk_shrink_unmaps",		test_sbrk_shrink_unmaps },
	{ "malloc",			test_malloc },
	{ "meminfo",			test_meminfo },
	{ "no_frame_leak",		test_no_frame_leak },
	{ NULL, NULL }
};
