/*
 * cow.c: usertests topic "cow": copy-on-write fork (both sides see only
 * their own writes, fork copies nothing up front, fork until memory runs
 * out and back) and demand-zero pages (the stack grows to its limit and
 * not past it, sbrk reserves and the first touch brings the page).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>
#include "usertests.h"

/* The stack's limit (kernel/mm/mmu.h: USTACK_SIZE below USTACK_TOP). */
#define STACK_TOP	0xC0000000u
#define STACK_LIMIT	(256 * PAGE_SIZE)

static char global_pages[4 * PAGE_SIZE] = { 1 };	/* .data */

static uint32_t
free_frames(void)
{
	struct meminfo mi;

	return meminfo(&mi) == 0 ? mi.free_frames : 0;
}

static int
cow_on(void)
{
	struct meminfo mi;

	return meminfo(&mi) == 0 && mi.cow;
}

/* A heap region of n pages, each page filled with its own byte. */
static char *
heap_pages(int n, char fill)
{
	char *p = sbrk(n * PAGE_SIZE);

	if (p == (char *)-1)
		return NULL;
	for (int i = 0; i < n; i++)
		memset(p + i * PAGE_SIZE, fill + i, PAGE_SIZE);
	return p;
}

/* ---- fork ---------------------------------------------------------------- */

static int
test_fork_write_both(void)
{
	char stack_page[PAGE_SIZE], *heap = heap_pages(8, 'a'), *shared;
	int status;
	pid_t pid;

	EXPECT(heap != NULL);
	memset(stack_page, 's', sizeof(stack_page));
	memset(global_pages, 'g', sizeof(global_pages));
	shared = heap + 3 * PAGE_SIZE;	/* a page only read by both */
	pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		/* The child writes everywhere, and sees its writes. */
		memset(stack_page, 'S', sizeof(stack_page));
		memset(global_pages, 'G', sizeof(global_pages));
		for (int i = 0; i < 8; i++)
			if (i != 3)
				heap[i * PAGE_SIZE + 7] = 'C';
		for (int i = 0; i < 8; i++)
			if (i != 3 && heap[i * PAGE_SIZE + 7] != 'C')
				_exit(2);
		if (stack_page[100] != 'S' || global_pages[3 * PAGE_SIZE] != 'G' ||
		    shared[0] != 'a' + 3)
			_exit(3);
		_exit(0);
	}
	/* The parent writes too, racing the child for the first copy. */
	for (int i = 0; i < 8; i++)
		if (i != 3)
			heap[i * PAGE_SIZE + 9] = 'P';
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(exited_with(status, 0));
	/* Nothing the child wrote shows here. */
	for (int i = 0; i < 8; i++) {
		EXPECT(heap[i * PAGE_SIZE + 7] == (char)('a' + i));
		EXPECT(heap[i * PAGE_SIZE + 9] == (char)(i == 3 ? 'a' + 3 : 'P'));
	}
	EXPECT(stack_page[100] == 's' && global_pages[3 * PAGE_SIZE] == 'g');
	return 0;
}

/* With copy-on-write, fork takes a few frames (page tables, kernel
 * stack) however much memory the parent has; cow=0 copies it all. */
static int
test_fork_copies_nothing(void)
{
	enum { PAGES = 200 };
	char *heap = heap_pages(PAGES, 'x');
	uint32_t before, taken;
	int status, cow = cow_on();
	pid_t pid;

	EXPECT(heap != NULL);
	before = free_frames();
	pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		/* The child judges, before it writes anything. */
		taken = before - free_frames();
		if (cow ? taken > 32 : taken < PAGES)
			_exit(1);
		_exit(heap[PAGES * PAGE_SIZE - 1] == (char)('x' + PAGES - 1) ? 0 : 2);
	}
	EXPECT(waitpid(pid, &status, 0) == pid);
	if (!exited_with(status, 0))
		return fail("child status %#x: fork %s", status, cow ?
		    "copied more than page tables and a kernel stack" :
		    "with cow=0 copied less than the heap");
	return 0;
}

/* While the child lives, fork's frames are shared (meminfo counts each
 * mapping beyond a frame's first); the parent's first write to a page
 * copies it, and the child's death gives every share back. */
static int
test_shared_until_written(void)
{
	enum { PAGES = 16 };
	char *heap = heap_pages(PAGES, 's');
	struct meminfo base, mi;
	uint32_t before;
	int status;
	pid_t pid;

	EXPECT(heap != NULL);
	EXPECT_OK(meminfo(&base));
	pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		pause();
		_exit(heap[0] == 's' ? 0 : 1);
	}
	EXPECT_OK(meminfo(&mi));
	if (mi.shared_refs < base.shared_refs + PAGES)
		return fail("%u frames shared after fork, %u before: fork shared "
		    "fewer than the %d heap pages", (unsigned)mi.shared_refs,
		    (unsigned)base.shared_refs, PAGES);
	before = mi.free_frames;
	for (int i = 0; i < PAGES; i++)
		heap[i * PAGE_SIZE] = 'W';	/* the child still maps the old */
	EXPECT_OK(meminfo(&mi));
	if (before - mi.free_frames < PAGES)
		return fail("%d writes to shared pages took %u frames, want %d copies",
		    PAGES, (unsigned)(before - mi.free_frames), PAGES);
	for (int i = 0; i < PAGES; i++)
		EXPECT(heap[i * PAGE_SIZE] == 'W' && heap[i * PAGE_SIZE + 1] == (char)('s' + i));
	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT(waitpid(pid, &status, 0) == pid && killed_by(status, SIGKILL));
	EXPECT_OK(meminfo(&mi));
	EXPECT(mi.shared_refs <= base.shared_refs);
	return 0;
}

/* A write after the other side has gone takes the frame: no copy. */
static int
test_last_reference_takes(void)
{
	char *heap = heap_pages(16, 'L');
	uint32_t before;
	int status;
	pid_t pid;

	EXPECT(heap != NULL);
	pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0)
		_exit(0);
	EXPECT(waitpid(pid, &status, 0) == pid && exited_with(status, 0));
	before = free_frames();
	for (int i = 0; i < 16; i++)
		heap[i * PAGE_SIZE] = 'T';
	EXPECT(free_frames() == before);
	EXPECT(heap[5 * PAGE_SIZE] == 'T' && heap[5 * PAGE_SIZE + 1] == (char)('L' + 5));
	return 0;
}

static int
test_fork_exec(void)
{
	char *argv[] = { "true", NULL }, *heap = heap_pages(32, 'e');
	uint32_t before;

	EXPECT(heap != NULL);
	EXPECT(exited_with(status_of_exec("/bin/true", argv), 0));	/* warm up */
	before = free_frames();
	for (int i = 0; i < 10; i++)
		EXPECT(exited_with(status_of_exec("/bin/true", argv), 0));
	EXPECT(free_frames() == before);
	EXPECT(heap[31 * PAGE_SIZE] == (char)('e' + 31));
	return 0;
}

/*
 * Fork children that each write every page of a large heap (and so copy
 * it), until memory runs out: fork fails, or a child is killed at a
 * write no frame is left for.  Then every child goes and every frame
 * comes back.
 */
static int
test_fork_until_oom(void)
{
	struct meminfo mi;
	pid_t kids[64];
	int n = 0, status, pages, out_of_memory = 0;
	uint32_t before;
	char *heap;

	EXPECT_OK(meminfo(&mi));
	pages = (int)(mi.free_frames / 24);	/* some 24 copies fill memory */
	EXPECT((heap = heap_pages(pages, 'o')) != NULL);
	/* Warm up: the stack pages find_proc's table needs arrive now. */
	EXPECT(find_proc(getpid(), &(struct proc_info){ 0 }) == 0);
	msleep(1);
	before = free_frames();
	while (n < 64 && !out_of_memory) {
		pid_t pid = fork();

		if (pid < 0) {
			EXPECT(errno == ENOMEM || errno == EAGAIN);
			out_of_memory = errno == ENOMEM;
			if (!out_of_memory)
				return fail("process table full before memory");
			break;
		}
		if (pid == 0) {
			for (int i = 0; i < pages; i++)
				heap[i * PAGE_SIZE] = 'K';
			pause();
			_exit(0);
		}
		kids[n++] = pid;
		/* Wait until the child has copied everything, or died. */
		for (;;) {
			struct proc_info info;

			if (waitpid(pid, &status, WNOHANG) == pid) {
				EXPECT(killed_by(status, SIGSEGV));
				out_of_memory = 1;
				n--;
				break;
			}
			if (find_proc(pid, &info) == 0 && info.state == PSTATE_WAITING)
				break;
			msleep(5);
		}
	}
	EXPECT(out_of_memory);
	EXPECT(n >= 8);			/* several whole copies fitted */
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		EXPECT(waitpid(kids[i], &status, 0) == kids[i]);
	if (free_frames() != before)
		return fail("free frames %u before, %u after %d children",
		    (unsigned)before, (unsigned)free_frames(), n);
	/* And memory works again: a fork that writes everything. */
	if (fork() == 0) {
		for (int i = 0; i < pages; i++)
			heap[i * PAGE_SIZE] = 'A';
		_exit(0);
	}
	EXPECT(wait(&status) > 0 && exited_with(status, 0));
	EXPECT(free_frames() == before);
	return 0;
}

/* ---- demand-zero pages ----------------------------------------------------- */

/* Each level uses a little over a page of stack. */
static int
recurse(int depth)
{
	volatile char frame[PAGE_SIZE + 64];

	frame[0] = (char)depth;
	frame[PAGE_SIZE] = (char)depth;
	if (depth == 0)
		return 0;
	return recurse(depth - 1) + frame[PAGE_SIZE] - (char)depth;
}

static int
grow_stack_near_limit(void)
{
	return recurse(200);	/* some 800 KiB of the 1 MiB */
}

static int
grow_stack_forever(void)
{
	return recurse(1 << 20);
}

static int
touch_lowest_stack_page(void)
{
	*(volatile char *)(STACK_TOP - STACK_LIMIT) = 1;
	return *(volatile char *)(STACK_TOP - STACK_LIMIT + 1);	/* zero */
}

static int
touch_guard_page(void)
{
	*(volatile char *)(STACK_TOP - STACK_LIMIT - 1) = 1;
	return 0;
}

static int
test_stack_grows(void)
{
	uint32_t before = free_frames();

	EXPECT(exited_with(status_of(grow_stack_near_limit), 0));
	EXPECT(exited_with(status_of(touch_lowest_stack_page), 0));
	EXPECT(free_frames() == before);
	return 0;
}

static int
test_stack_limit(void)
{
	uint32_t before = free_frames();

	EXPECT(killed_by(status_of(grow_stack_forever), SIGSEGV));
	EXPECT(killed_by(status_of(touch_guard_page), SIGSEGV));
	EXPECT(free_frames() == before);
	return 0;
}

/* sbrk reserves; each page arrives, zeroed, at its first touch. */
static int
test_sbrk_then_touch(void)
{
	enum { PAGES = 64 };
	uint32_t before, reserved;
	char *p;

	before = free_frames();
	p = sbrk(PAGES * PAGE_SIZE);
	EXPECT(p != (char *)-1);
	reserved = free_frames();
	EXPECT(before - reserved <= 1);		/* a page table at most */
	for (int i = 0; i < PAGES; i++)
		EXPECT(p[i * PAGE_SIZE + 5] == 0);	/* a read brings it too */
	EXPECT(reserved - free_frames() == PAGES);
	p[PAGE_SIZE] = 1;
	EXPECT(reserved - free_frames() == PAGES);
	EXPECT(sbrk(-PAGES * PAGE_SIZE) == p + PAGES * PAGE_SIZE);
	EXPECT(free_frames() == reserved);
	return 0;
}

/*
 * Regression: the kernel zeroes and copies pages with rep stos/movs,
 * which run backwards if user mode left the direction flag set; the
 * kernel must clear it on entry.  Frames just freed (holding a pattern)
 * come back through a fault taken with DF set: each page must be zero.
 */
static void
touch_with_df_set(volatile char *p)
{
	__asm__ volatile("std\n\tmovb $1, (%0)\n\tcld" : : "r"(p) : "memory", "cc");
}

static int
test_fault_with_df_set(void)
{
	enum { PAGES = 8 };
	char *p = heap_pages(PAGES, 'D');

	EXPECT(p != NULL);
	EXPECT(sbrk(-PAGES * PAGE_SIZE) != (char *)-1);	/* frames freed */
	EXPECT(sbrk(PAGES * PAGE_SIZE) == p);
	for (int i = 0; i < PAGES; i++)
		touch_with_df_set(p + i * PAGE_SIZE);
	for (int i = 0; i < PAGES * PAGE_SIZE; i++)
		if (p[i] != (i % PAGE_SIZE == 0))
			return fail("byte %d of the new pages is %#x", i, p[i] & 0xff);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test cow_tests[] = {
	{ "fork_write_both",		test_fork_write_both },
	{ "fork_copies_nothing",	test_fork_copies_nothing },
	{ "shared_until_written",	test_shared_until_written },
	{ "last_reference_takes",	test_last_reference_takes },
	{ "fork_exec",			test_fork_exec },
	{ "fork_until_oom",		test_fork_until_oom },
	{ "stack_grows",		test_stack_grows },
	{ "stack_limit",		test_stack_limit },
	{ "sbrk_then_touch",		test_sbrk_then_touch },
	{ "fault_with_df_set",		test_fault_with_df_set },
	{ NULL, NULL }
};
