/*
 * malloc, free, calloc and realloc for user programs.  The heap grows
 * with sbrk(); freed blocks go on a free list kept in address order, so
 * that neighbours can be merged back into larger blocks (coalescing).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Every block, free or in use, starts with this header; the caller's
 * memory follows it.  A block in use has `next` set to IN_USE, which
 * lets free() catch pointers that malloc never returned, and double frees.
 */
struct block {
	size_t		 size;	/* bytes, header included; multiple of ALIGN */
	struct block	*next;	/* next free block (higher address) */
};

#define ALIGN		8	/* enough for any C type on i686 */
#define IN_USE		((struct block *)0xa110c8ed)
#define MIN_GROW	16384	/* ask sbrk for at least this much at once */

static struct block *free_list;		/* lowest address first */

static size_t
round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

/* Report heap corruption loudly: carrying on would only spread it. */
static void
heap_panic(const char *why, void *ptr)
{
	dprintf(2, "malloc: %s: %p\n", why, ptr);
	kill(getpid(), SIGABRT);
	_exit(134);			/* 128 + SIGABRT, should the kill fail */
}

/*
 * Put blk on the free list in address order, merging it with the block
 * just before and just after it when they touch.
 */
static void
insert_free(struct block *blk)
{
	struct block *prev = NULL, *cur = free_list;

	while (cur != NULL && cur < blk) {
		prev = cur;
		cur = cur->next;
	}
	if (cur == blk || (prev != NULL &&
	    (char *)prev + prev->size > (char *)blk))
		heap_panic("free list corrupt (overlapping blocks)", blk + 1);

	blk->next = cur;
	if (cur != NULL && (char *)blk + blk->size == (char *)cur) {
		blk->size += cur->size;
		blk->next = cur->next;
	}
	if (prev == NULL)
		free_list = blk;
	else if ((char *)prev + prev->size == (char *)blk) {
		prev->size += blk->size;
		prev->next = blk->next;
	} else
		prev->next = blk;
}

/* Get at least `need` more bytes from the kernel onto the free list. */
static int
grow_heap(size_t need)
{
	size_t amount = round_up(need < MIN_GROW ? MIN_GROW : need, 4096);
	uintptr_t brk = (uintptr_t)sbrk(0);
	size_t pad;
	char *start;
	struct block *blk;

	/* The first break, just past .bss, need not be aligned. */
	pad = round_up(brk, ALIGN) - brk;

	if (amount > INTPTR_MAX - pad)
		return -1;
	start = sbrk(amount + pad);
	if (start == (void *)-1)
		return -1;
	blk = (struct block *)(start + pad);
	blk->size = amount;
	insert_free(blk);
	return 0;
}

void *
malloc(size_t size)
{
	struct block **link, *blk;
	size_t need;

	if (size == 0 || size > SIZE_MAX / 2) {
		if (size != 0)
			errno = ENOMEM;
		return NULL;
	}
	need = round_up(size + sizeof(struct block), ALIGN);

	for (int tries = 0; tries < 2; tries++) {
		/* First fit: the first free block that is big enough. */
		for (link = &free_list; (blk = *link) != NULL; link = &blk->next) {
			if (blk->size < need)
				continue;
			if (blk->size - need >= sizeof(struct block) + ALIGN) {
				/* Split: keep the tail free, hand out the head. */
				struct block *rest = (struct block *)((char *)blk + need);

				rest->size = blk->size - need;
				rest->next = blk->next;
				*link = rest;
				blk->size = need;
			} else
				*link = blk->next;
			blk->next = IN_USE;
			return blk + 1;
		}
		if (grow_heap(need) < 0)
			break;
	}
	errno = ENOMEM;
	return NULL;
}

void
free(void *ptr)
{
	struct block *blk;

	if (ptr == NULL)
		return;
	blk = (struct block *)ptr - 1;
	if (blk->next != IN_USE)
		heap_panic("free of a pointer not from malloc, or freed twice",
		    ptr);
	insert_free(blk);
}

void *
calloc(size_t count, size_t size)
{
	void *ptr;

	if (size != 0 && count > SIZE_MAX / size) {	/* overflow */
		errno = ENOMEM;
		return NULL;
	}
	ptr = malloc(count * size);
	if (ptr != NULL)
		memset(ptr, 0, count * size);
	return ptr;
}

void *
realloc(void *ptr, size_t size)
{
	struct block *blk;
	size_t have;
	void *bigger;

	if (ptr == NULL)
		return malloc(size);
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	blk = (struct block *)ptr - 1;
	if (blk->next != IN_USE)
		heap_panic("realloc of a pointer not from malloc", ptr);
	have = blk->size - sizeof(struct block);
	if (size <= have)		/* shrinking: keep the block as is */
		return ptr;
	bigger = malloc(size);
	if (bigger == NULL)
		return NULL;
	memcpy(bigger, ptr, have);
	free(ptr);
	return bigger;
}
