/*
 * Host unit tests for user/lib/malloc.c, the user programs' malloc: split
 * and first fit, coalescing of neighbours whatever the order of frees,
 * reuse of holes before the heap grows, exhaustion (NULL and ENOMEM, and
 * everything usable again after), calloc's overflow check, realloc, and
 * double and bogus frees caught.  The allocator is compiled in under
 * other names, on a fake sbrk over a host array.
 */
// uses:
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"

#define ARENA	(1 << 20)

static char arena[ARENA] __attribute__((aligned(16)));
static size_t brk_off = 3;	/* the first break need not be aligned */
static size_t arena_limit = ARENA;
static jmp_buf panicked;
static int panics;

static void *
fake_sbrk(intptr_t incr)
{
	char *old = arena + brk_off;

	if (incr < 0 || brk_off + (size_t)incr > arena_limit) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk_off += (size_t)incr;
	return old;
}

/* heap_panic() ends with kill(getpid(), SIGABRT): come back instead. */
static int
fake_kill(pid_t pid, int sig)
{
	panics++;
	longjmp(panicked, 1);
}

static void
fake_exit(int status)
{
	abort();
}

#define malloc	umalloc
#define free	ufree
#define calloc	ucalloc
#define realloc	urealloc
#define sbrk	fake_sbrk
#define kill	fake_kill
#define _exit	fake_exit
#define dprintf(fd, ...)	((void)0)
#include "user/lib/malloc.c"
#undef malloc
#undef free
#undef calloc
#undef realloc

static int
aligned(void *p)
{
	return ((uintptr_t)p & (ALIGN - 1)) == 0;
}

static void
test_split_and_align(void)
{
	char *p[50];
	int ok = 1;

	for (int i = 0; i < 50; i++) {
		p[i] = umalloc((size_t)i * 7 + 1);
		CHECK(p[i] != NULL && aligned(p[i]));
		memset(p[i], i, (size_t)i * 7 + 1);
	}
	for (int i = 0; i < 50; i++)
		for (int k = 0; k < i * 7 + 1; k++)
			ok &= p[i][k] == (char)i;
	CHECK(ok);				/* no two overlap */
	for (int i = 0; i < 50; i++)
		ufree(p[i]);
}

/* Freed neighbours merge, in any order: afterwards one malloc of their
 * total fits where they were, without growing the heap. */
static void
test_coalescing(void)
{
	static const int orders[][3] = {
		{ 0, 1, 2 }, { 2, 1, 0 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 },
	};

	for (int o = 0; o < 6; o++) {
		char *b[3], *all;
		size_t brk_before;

		for (int i = 0; i < 3; i++)
			CHECK((b[i] = umalloc(1000)) != NULL);
		brk_before = brk_off;
		for (int i = 0; i < 3; i++)
			ufree(b[orders[o][i]]);
		all = umalloc(3 * 1000);
		CHECK(all == b[0]);		/* the merged block, first fit */
		CHECK_EQ_INT(brk_off, brk_before);
		ufree(all);
	}
}

/* Holes are used before the heap grows; a request bigger than every
 * hole grows it. */
static void
test_fragmentation(void)
{
	char *b[100], *big;
	size_t brk_before;

	for (int i = 0; i < 100; i++)
		CHECK((b[i] = umalloc(64)) != NULL);
	for (int i = 0; i < 100; i += 2)
		ufree(b[i]);
	brk_before = brk_off;
	for (int i = 0; i < 100; i += 2)
		CHECK((b[i] = umalloc(64)) != NULL);
	CHECK_EQ_INT(brk_off, brk_before);	/* every hole reused */
	for (int i = 0; i < 100; i += 2)
		ufree(b[i]);
	big = umalloc(MIN_GROW);		/* larger than any hole or the tail */
	CHECK(big != NULL && brk_off > brk_before);
	for (int i = 1; i < 100; i += 2)
		ufree(b[i]);
	ufree(big);
}

static void
test_exhaustion(void)
{
	static char *b[4096];
	int n = 0;

	arena_limit = brk_off + 64 * 1024;	/* 64 KiB more, at most */
	errno = 0;
	while (n < 4096 && (b[n] = umalloc(1000)) != NULL)
		n++;
	CHECK(n > 30 && n < 4096);
	CHECK_EQ_INT(errno, ENOMEM);
	for (int i = 0; i < n; i++)
		ufree(b[i]);
	for (int i = 0; i < n; i++)		/* all of it usable again */
		CHECK((b[i] = umalloc(1000)) != NULL);
	for (int i = 0; i < n; i++)
		ufree(b[i]);
	arena_limit = ARENA;

	errno = 0;
	CHECK(umalloc(SIZE_MAX / 2 + 1) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(umalloc(SIZE_MAX - 4) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(ucalloc(SIZE_MAX / 8, 16) == NULL && errno == ENOMEM);	/* overflow */
	CHECK(umalloc(0) == NULL);
}

static void
test_calloc_realloc(void)
{
	char *p, *q;

	p = umalloc(64);
	memset(p, 0x77, 64);
	ufree(p);
	CHECK((p = ucalloc(8, 8)) != NULL);
	for (int i = 0; i < 64; i++)
		CHECK(p[i] == 0);
	for (int i = 0; i < 64; i++)
		p[i] = (char)i;
	CHECK(urealloc(p, 10) == p);		/* shrinking keeps the block */
	CHECK((q = urealloc(p, 5000)) != NULL);
	for (int i = 0; i < 64; i++)
		CHECK(q[i] == (char)i);
	CHECK(urealloc(q, 0) == NULL);		/* frees */
	CHECK((p = urealloc(NULL, 10)) != NULL);
	ufree(p);
}

static void
test_bad_frees(void)
{
	static long fake[4];
	char *p = umalloc(32);

	panics = 0;
	ufree(p);
	if (setjmp(panicked) == 0)
		ufree(p);			/* twice */
	CHECK_EQ_INT(panics, 1);
	if (setjmp(panicked) == 0)
		ufree(&fake[2]);		/* never from malloc */
	CHECK_EQ_INT(panics, 2);
	ufree(NULL);				/* a no-op */
	CHECK_EQ_INT(panics, 2);
}

int
main(void)
{
	test_split_and_align();
	test_coalescing();
	test_fragmentation();
	test_exhaustion();
	test_calloc_realloc();
	test_bad_frees();
	return unit_summary("test_malloc");
}
