/*
 * IPv4 reassembly (RFC 791 section 3.2, RFC 815): fragments wait here,
 * keyed by (source, destination, identification, protocol), until their
 * datagram is whole; it then goes through ip_input again as one packet.
 * frag_map.c decides what each fragment means; this file keeps the data.
 *
 * Bounded, because anyone may send fragments that never complete: at
 * most REASM_SLOTS datagrams and REASM_BUDGET packet buffers at once
 * (the oldest datagram is evicted to make room, so a flood cannot lock
 * out the traffic after it), and each datagram is given REASM_TIMEOUT.
 * Overlapping fragments discard their whole datagram (RFC 5722's rule).
 */
#include "kernel.h"
#include "sched.h"
#include "net.h"
#include "frag_map.h"

#define REASM_SLOTS	8			/* datagrams in progress */
#define REASM_BUDGET	96			/* pkbufs held in all (192 KiB) */
#define REASM_TIMEOUT	(10 * TIMER_HZ)		/* from the first fragment */
#define REASM_DEPTH	2			/* nested deliveries (below) */
#define IP_MAX_HLEN	60

struct reasm {
	int		 used;
	uint32_t	 src, dst;		/* the key, with id and proto */
	uint16_t	 id;
	uint8_t		 proto;
	uint32_t	 started;		/* tick of the first fragment */
	uint32_t	 hlen;			/* of fragment 0's header; 0 until it came */
	uint8_t		 header[IP_MAX_HLEN];
	struct frag_map	 map;
	struct pkbuf	*data[FRAG_MAP_MAX];	/* in the order of map.r */
};

_Static_assert(FRAG_MAP_MAX < REASM_BUDGET, "one datagram always fits the budget");

static struct reasm slots[REASM_SLOTS];

/*
 * Where a whole datagram is assembled before it goes up.  Delivery may
 * send, and a send to ourselves may complete another datagram while the
 * first is still being read (an echo request to our own address, whose
 * reply is fragmented too), so there is one buffer per level of nesting.
 */
static uint8_t whole[REASM_DEPTH][IP_MAX_LEN];
static int depth;

static void
release(struct reasm *r)
{
	uint32_t i;

	for (i = 0; i < r->map.n; i++)
		pkbuf_free(r->data[i]);
	netstat.ip_reasm_bufs -= r->map.n;
	netstat.ip_reasm_pending--;
	r->used = 0;
}

static struct reasm *
oldest(const struct reasm *except)
{
	struct reasm *r, *best = NULL;

	for (r = slots; r < &slots[REASM_SLOTS]; r++)
		if (r->used && r != except &&
		    (!best || (int32_t)(r->started - best->started) < 0))
			best = r;
	return best;
}

static struct reasm *
find_or_start(uint32_t src, uint32_t dst, uint16_t id, uint8_t proto)
{
	struct reasm *r, *free_slot = NULL;

	for (r = slots; r < &slots[REASM_SLOTS]; r++) {
		if (r->used && r->src == src && r->dst == dst && r->id == id &&
		    r->proto == proto)
			return r;
		if (!r->used && !free_slot)
			free_slot = r;
	}
	if (!free_slot) {
		free_slot = oldest(NULL);
		release(free_slot);
		netstat.ip_reasm_evicted++;
	}
	r = free_slot;
	memset(&r->map, 0, sizeof(r->map));
	r->used = 1;
	r->src = src;
	r->dst = dst;
	r->id = id;
	r->proto = proto;
	r->started = ticks;
	r->hlen = 0;
	netstat.ip_reasm_pending++;
	return r;
}

/* Fragment 0's header, the data in order, and a header that now says
 * "whole": the total length, no fragment bits, a fresh checksum. */
static uint32_t
assemble(struct reasm *r, uint8_t *out)
{
	uint32_t i, len = r->hlen + r->map.total;

	memcpy(out, r->header, r->hlen);
	for (i = 0; i < r->map.n; i++)
		memcpy(out + r->hlen + r->map.r[i].start, pkb_data(r->data[i]),
		    r->data[i]->len);
	put16(out + 2, (uint16_t)len);
	put16(out + 6, 0);
	put16(out + 10, 0);
	put16(out + 10, csum_fold(csum_partial(out, r->hlen, 0)));
	return len;
}

void
ip_reasm_input(const uint8_t *pkt, uint32_t hlen, uint32_t len)
{
	uint16_t frag = get16(pkt + 6);
	uint32_t start = (frag & 0x1FFFu) * 8, dlen = len - hlen, at, i, whole_len;
	int more = (frag & 0x2000) != 0;
	struct reasm *r, *victim;
	struct pkbuf *p;

	switch (frag_check(start, dlen, more, hlen)) {
	case FRAG_BAD_SIZE:
		netstat.ip_frag_bad_size++;
		return;
	case FRAG_TOO_LONG:
		netstat.ip_frag_too_long++;
		return;
	default:
		break;
	}
	r = find_or_start(get32_raw(pkt + 12), get32_raw(pkt + 16), get16(pkt + 4),
	    pkt[9]);
	/* Room in the budget: older datagrams give way to this one. */
	while (netstat.ip_reasm_bufs >= REASM_BUDGET && (victim = oldest(r))) {
		release(victim);
		netstat.ip_reasm_evicted++;
	}
	if (!(p = pkbuf_alloc())) {
		if (r->map.n == 0)
			release(r);
		return;			/* counted as pkbuf_exhausted */
	}
	switch (frag_map_add(&r->map, start, dlen, more, &at)) {
	case FRAG_ADDED:
		break;
	case FRAG_DUPLICATE:
		netstat.ip_frag_dups++;
		pkbuf_free(p);
		return;
	case FRAG_OVERLAP:
		netstat.ip_reasm_overlaps++;
		pkbuf_free(p);
		release(r);
		return;
	default:
		netstat.ip_reasm_too_many++;
		pkbuf_free(p);
		release(r);
		return;
	}
	memcpy(pkb_data(p), pkt + hlen, dlen);
	p->len = (uint16_t)dlen;
	for (i = r->map.n - 1; i > at; i--)
		r->data[i] = r->data[i - 1];
	r->data[at] = p;
	netstat.ip_reasm_bufs++;
	if (start == 0) {
		memcpy(r->header, pkt, hlen);
		r->hlen = hlen;
	}
	if (!frag_map_complete(&r->map))
		return;
	/* Fragment 0 may have carried options the others did not. */
	if (r->hlen + r->map.total > IP_MAX_LEN) {
		netstat.ip_frag_too_long++;
		release(r);
		return;
	}
	if (depth == REASM_DEPTH) {
		netstat.ip_reasm_busy++;
		release(r);
		return;
	}
	whole_len = assemble(r, whole[depth]);
	release(r);
	netstat.ip_reassembled++;
	depth++;
	ip_input(whole[depth - 1], whole_len);
	depth--;
}

void
ip_reasm_timer(void)
{
	struct reasm *r;

	for (r = slots; r < &slots[REASM_SLOTS]; r++) {
		if (r->used && (uint32_t)(ticks - r->started) >= REASM_TIMEOUT) {
			release(r);
			netstat.ip_reasm_timeouts++;
		}
	}
}
