/*
 * IPv4 fragmentation on output (RFC 791 section 3.2): a datagram larger
 * than the MTU leaves as fragments, each a multiple of 8 bytes but the
 * last, sharing one identification.  The cutting happens when the
 * datagram is built: ip_alloc makes a chain of packet buffers, one per
 * fragment, so sending a fragment is only prepending its own header.
 */
#include "kernel.h"
#include "net.h"

/* Payload bytes per fragment: what the MTU leaves, rounded down to 8. */
static uint32_t
frag_payload(void)
{
	return (netcfg.dev->mtu - IP_HLEN) & ~7u;
}

struct pkbuf *
ip_alloc(uint32_t len, uint32_t reserve)
{
	uint32_t piece;

	if (!netcfg.dev || len + reserve + IP_HLEN <= netcfg.dev->mtu)
		return pkbuf_alloc_chain(len, PKB_DATA_MAX, PKB_DATA_MAX);
	piece = frag_payload();
	return pkbuf_alloc_chain(len, piece - reserve, piece);
}

uint32_t
csum_chain(const struct pkbuf *p, uint32_t sum)
{
	for (; p; p = p->next)
		sum = csum_partial(p->buf + p->off, p->len, sum);
	return sum;
}

int
ip_output_fragments(uint32_t dst, uint8_t proto, struct pkbuf *p, uint16_t id)
{
	uint32_t total = pkbuf_chain_len(p), offset = 0, mtu = netcfg.dev->mtu;
	struct pkbuf *q, *next;
	int r;

	/* Only a chain from ip_alloc: every link fits a frame, and all but
	 * the last end on an 8-byte boundary. */
	for (q = p; q; q = q->next) {
		if ((uint32_t)q->len + IP_HLEN > mtu || (q->next && q->len % 8 != 0) ||
		    total + IP_HLEN > IP_MAX_LEN) {
			pkbuf_free(p);
			return -EMSGSIZE;
		}
	}
	for (q = p; q; q = next) {
		next = q->next;
		q->next = NULL;
		ip_put_header(q, dst, proto, id,
		    (uint16_t)((next ? 0x2000 : 0) | offset / 8));
		offset += q->len - IP_HLEN;
		netstat.ip_frags_out++;
		if ((r = ip_route(dst, q)) < 0) {
			pkbuf_free(next);
			return r;
		}
	}
	return 0;
}
