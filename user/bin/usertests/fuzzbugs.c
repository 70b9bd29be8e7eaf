/*
 * fuzzbugs.c: usertests topic "regress", part two: kernel bugs the
 * system-call fuzzer (user/bin/fuzz, docs/testing.md) found, each
 * reproduced the way the fuzzer met it, kept now that the kernel is fixed.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <brinch.h>
#include "usertests.h"

/*
 * kernel/sys_proc.c, sys_sbrk(): the heap could grow up through the
 * shared-memory window.  Growing over an attached segment took its pages
 * as the heap's, and when the growth failed for want of frames the
 * cleanup unmapped everything in the range, the segment included: the
 * next touch of the segment killed the process.
 */
static int
test_sbrk_over_shm(void)
{
	volatile uint32_t *seg;
	uint32_t brk = (uint32_t)sbrk(0);
	int id;

	EXPECT((id = shm_create(PAGE_SIZE)) > 0);
	EXPECT((seg = shm_attach(id)) != (void *)-1);
	seg[0] = 0x5EEDF00D;
	EXPECT_ERR(sbrk(0x7FFFFFFF), ENOMEM);
	EXPECT_ERR(sbrk((intptr_t)((uint32_t)seg - brk + PAGE_SIZE)), ENOMEM);
	EXPECT(seg[0] == 0x5EEDF00D);		/* still mapped, still ours */
	EXPECT((uint32_t)sbrk(0) == brk);
	EXPECT_OK(shm_detach((void *)seg));
	EXPECT_OK(shm_destroy(id));
	return 0;
}

/* Asking for more heap than there are free frames fails at once, and
 * leaves every frame where it was. */
static int
test_sbrk_beyond_memory(void)
{
	struct meminfo before, after;

	EXPECT_OK(meminfo(&before));
	EXPECT_ERR(sbrk((intptr_t)(before.free_frames + 16) * PAGE_SIZE), ENOMEM);
	EXPECT_OK(meminfo(&after));
	EXPECT(after.free_frames == before.free_frames);
	return 0;
}

const struct test fuzzbugs_tests[] = {
	{ "sbrk_over_shm",		test_sbrk_over_shm },
	{ "sbrk_beyond_memory",		test_sbrk_beyond_memory },
	{ NULL, NULL }
};
