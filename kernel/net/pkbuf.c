/*
 * The packet buffer pool (see net.h): PKB_POOL buffers of 2 KiB, two to a
 * page, taken from the frame allocator once at boot and recycled through
 * a free list.  Fixed size keeps a flood from growing the kernel heap.
 * A datagram larger than one buffer is a chain of them (pkbuf_alloc_chain).
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "mm/pmm.h"
#include "net.h"

_Static_assert(sizeof(struct pkbuf) == PKB_SIZE, "a pkbuf is 2 KiB");
_Static_assert(PKB_HEADROOM + ETH_FRAME_MAX <= sizeof(((struct pkbuf *)0)->buf),
    "a full frame fits behind the headroom");
_Static_assert(PKB_HEADROOM + PKB_DATA_MAX == sizeof(((struct pkbuf *)0)->buf),
    "PKB_DATA_MAX is what follows the headroom");

static struct list free_list;
static uint32_t total;

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
	netstat.pkbuf_in_use++;
	p->next = NULL;
	p->off = PKB_HEADROOM;
	p->len = 0;
	p->src_ip = 0;
	p->src_port = 0;
	return p;
}

void
pkbuf_free(struct pkbuf *p)
{
	struct pkbuf *next;

	for (; p; p = next) {
		next = p->next;
		assert(netstat.pkbuf_in_use > 0);
		netstat.pkbuf_in_use--;
		list_push_front(&free_list, &p->node);
	}
}

uint32_t
pkbuf_in_use(void)
{
	return netstat.pkbuf_in_use;
}

struct pkbuf *
pkbuf_alloc_chain(uint32_t len, uint32_t first, uint32_t rest)
{
	struct pkbuf *head = NULL, **link = &head, *p;
	uint32_t room = first;

	assert(first > 0 && rest > 0 && first <= PKB_DATA_MAX && rest <= PKB_DATA_MAX);
	do {
		if (!(p = pkbuf_alloc())) {
			pkbuf_free(head);
			return NULL;
		}
		p->len = (uint16_t)MIN(len, room);
		len -= p->len;
		*link = p;
		link = &p->next;
		room = rest;
	} while (len > 0);
	return head;
}

uint32_t
pkbuf_chain_len(const struct pkbuf *p)
{
	uint32_t n = 0;

	for (; p; p = p->next)
		n += p->len;
	return n;
}

void
pkbuf_chain_write(struct pkbuf *p, const uint8_t *src)
{
	for (; p; src += p->len, p = p->next)
		memcpy(pkb_data(p), src, p->len);
}
