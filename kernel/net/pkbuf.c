/*
 * The packet buffer pool (see net.h): PKB_POOL buffers of 2 KiB, two to a
 * page, taken from the frame allocator once at boot and recycled through
 * a free list.  Fixed size keeps a flood from growing the kernel heap.
 */
#include "kernel.h"
#include "mmu.h"
#include "pmm.h"
#include "net.h"

_Static_assert(sizeof(struct pkbuf) == PKB_SIZE, "a pkbuf is 2 KiB");
_Static_assert(PKB_HEADROOM + ETH_FRAME_MAX <= sizeof(((struct pkbuf *)0)->buf),
    "a full frame fits behind the headroom");

static struct list free_list;
static uint32_t total, in_use;

void
pkbuf_init(void)
{
	uint32_t pa;
	uint8_t *page;
	int i, j;

	list_init(&free_list);
	for (i = 0; i < PKB_POOL / 2; i++) {
		if (!(pa = frame_alloc()))
			break;
		page = P2V(pa);
		for (j = 0; j < 2; j++) {
			list_push_back(&free_list, &((struct pkbuf *)(page + j * PKB_SIZE))->node);
			total++;
		}
	}
}

struct pkbuf *
pkbuf_alloc(void)
{
	struct list_node *n = list_pop_front(&free_list);
	struct pkbuf *p;

	if (!n) {
		netstat.pkbuf_exhausted++;
		return NULL;
	}
	p = container_of(n, struct pkbuf, node);
	in_use++;
	p->off = PKB_HEADROOM;
	p->len = 0;
	p->src_ip = 0;
	p->src_port = 0;
	return p;
}

void
pkbuf_free(struct pkbuf *p)
{
	if (!p)
		return;
	assert(in_use > 0);
	in_use--;
	list_push_front(&free_list, &p->node);
}

uint32_t
pkbuf_in_use(void)
{
	return in_use;
}
