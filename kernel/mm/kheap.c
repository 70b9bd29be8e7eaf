/*
 * Kernel heap (see kheap.h).  Every heap page starts with a heap_page
 * header: the size class of its blocks, how many are in use, and its own
 * free list.  A class keeps a list of pages that still have free blocks;
 * kfree finds the header by rounding the pointer down to its page.
 * Each class keeps one page from boot on (kheap_init), so a block taken
 * and given back over and over (a message per system call) costs a few
 * pointer moves, not a frame taken, threaded and freed each time.
 */
#include "kernel.h"
#include "mmu.h"
#include "list.h"
#include "pmm.h"
#include "kheap.h"

#define MIN_CLASS_SHIFT	4		/* 16-byte blocks */
#define NCLASSES	8		/* 16 .. 2048 bytes */
#define LARGE		0xFFFFFFFFu

struct free_block {
	struct free_block *next;
};

struct heap_page {
	struct list_node   partial_node;	/* on its class's partial list */
	uint32_t           block_size;	/* or LARGE */
	uint32_t           in_use;	/* blocks handed out, or frames if LARGE */
	struct free_block *free;
	uint32_t           kept;	/* the class's boot page: never freed
					 * (also keeps blocks 8-byte aligned) */
};

static struct list partial[NCLASSES];	/* pages with at least one free block */
static size_t bytes_in_use;

/* The smallest class whose blocks hold size bytes: log2 rounded up,
 * from the highest bit set (one instruction, not a loop per class). */
static int
class_of(size_t size)
{
	if (size <= (1u << MIN_CLASS_SHIFT))
		return 0;
	return 32 - __builtin_clz((uint32_t)size - 1) - MIN_CLASS_SHIFT;
}

static struct heap_page *
new_page(int class)
{
	uint32_t pa = frame_alloc(), size = 1u << (class + MIN_CLASS_SHIFT);
	struct heap_page *page;
	char *b;

	if (!pa)
		return NULL;
	page = P2V(pa);
	page->block_size = size;
	page->in_use = 0;
	page->free = NULL;
	page->kept = 0;
	/* Thread every block after the header onto the page's free list. */
	for (b = (char *)page + PAGE_SIZE - size; b >= (char *)(page + 1); b -= size) {
		((struct free_block *)b)->next = page->free;
		page->free = (struct free_block *)b;
	}
	list_push_back(&partial[class], &page->partial_node);
	return page;
}

/*
 * Before the first kmalloc: one page for each class, kept for good.  An
 * emptied page otherwise goes back at once (kfree), and with a single
 * block in use at a time, as a mailbox round trip has, every kmalloc
 * took a frame and threaded its blocks: 2,200 of the round trip's 10,800
 * instructions (docs/profiling.md, "Fast paths").  These 8 frames are
 * taken at boot, before anyone counts free frames, so `free` still comes
 * back to its baseline after any workload (the tests' leak check).
 */
void
kheap_init(void)
{
	struct heap_page *page;
	int class;

	for (class = 0; class < NCLASSES; class++)
		list_init(&partial[class]);
	for (class = 0; class < NCLASSES; class++) {
		if (!(page = new_page(class)))
			panic("kheap: no frame for the size classes");
		page->kept = 1;
	}
}

void *
kmalloc(size_t size)
{
	struct heap_page *page;
	struct free_block *b;
	uint32_t nframes, pa;
	int class;

	if (size == 0)
		size = 1;
	if (size > (PAGE_SIZE - sizeof(struct heap_page)) / 2) {
		nframes = (size + sizeof(struct heap_page) + PAGE_SIZE - 1) / PAGE_SIZE;
		if (!(pa = frames_alloc(nframes)))
			return NULL;
		page = P2V(pa);
		page->block_size = LARGE;
		page->in_use = nframes;
		bytes_in_use += nframes * PAGE_SIZE;
		return page + 1;
	}
	class = class_of(size);
	if (list_empty(&partial[class]) && !new_page(class))
		return NULL;
	page = container_of(list_front(&partial[class]), struct heap_page, partial_node);
	b = page->free;
	page->free = b->next;
	page->in_use++;
	if (!page->free)
		list_remove(&page->partial_node);
	bytes_in_use += page->block_size;
	return b;
}

void
kfree(void *ptr)
{
	struct heap_page *page;
	struct free_block *b = ptr;

	if (!ptr)
		return;
	page = (struct heap_page *)PAGE_ROUNDDOWN(ptr);
	if (page->block_size == LARGE) {
		bytes_in_use -= page->in_use * PAGE_SIZE;
		frames_free(V2P(page), page->in_use);
		return;
	}
	if (!page->free)	/* was full: it has room again */
		list_push_back(&partial[class_of(page->block_size)], &page->partial_node);
	b->next = page->free;
	page->free = b;
	page->in_use--;
	bytes_in_use -= page->block_size;
	if (page->in_use == 0 && !page->kept) {
		list_remove(&page->partial_node);
		frame_free(V2P(page));
	}
}

size_t
kheap_bytes_in_use(void)
{
	return bytes_in_use;
}
