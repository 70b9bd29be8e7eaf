/*
 * TCP's pure parts (see tcp_wire.h): header and option parsing and the
 * byte ring.  No kernel headers, so tests/unit/test_tcp.c can feed them
 * forged and truncated segments on the host.
 */
#include "tcp_wire.h"
#include "byteorder.h"

int
tcp_parse_options(const uint8_t *opt, uint32_t len, uint16_t *mss)
{
	uint32_t i = 0, olen;

	*mss = 0;
	while (i < len) {
		if (opt[i] == TCP_OPT_END)
			break;
		if (opt[i] == TCP_OPT_NOP) {
			i++;
			continue;
		}
		/* Every other kind has a length byte that counts itself and
		 * the kind (RFC 9293 3.1): under 2 would loop for ever. */
		if (len - i < 2 || (olen = opt[i + 1]) < 2 || olen > len - i)
			return -1;
		if (opt[i] == TCP_OPT_MSS) {
			if (olen != 4)
				return -1;
			*mss = get16(opt + i + 2);
		}
		i += olen;
	}
	return 0;
}

int
tcp_parse(const uint8_t *p, uint32_t len, struct tcp_seg *s)
{
	uint32_t hlen;
	uint8_t f;

	if (len < TCP_HLEN)
		return TCP_PARSE_SHORT;
	hlen = (uint32_t)(p[12] >> 4) * 4;
	if (hlen < TCP_HLEN || hlen > len)
		return TCP_PARSE_SHORT;
	s->sport = get16(p);
	s->dport = get16(p + 2);
	s->seq = get32(p + 4);
	s->ack = get32(p + 8);
	s->flags = f = p[13] & 0x3F;
	s->wnd = get16(p + 14);
	s->data = p + hlen;
	s->len = len - hlen;
	if (tcp_parse_options(p + TCP_HLEN, hlen - TCP_HLEN, &s->mss) < 0)
		return TCP_PARSE_BAD_OPTIONS;
	/* Combinations no TCP sends (port scanners' "Xmas" and "null"
	 * probes among them): nothing to answer, nothing to learn. */
	if ((f & TCP_SYN) && (f & (TCP_FIN | TCP_RST)))
		return TCP_PARSE_BAD_FLAGS;
	if (!(f & (TCP_SYN | TCP_ACK | TCP_RST)))
		return TCP_PARSE_BAD_FLAGS;
	return TCP_PARSE_OK;
}

void
ring_put(struct tcp_ring *r, const uint8_t *src, uint32_t n)
{
	uint8_t *p;
	uint32_t chunk;

	while (n) {
		chunk = ring_tail_span(r, &p);
		if (chunk > n)
			chunk = n;
		__builtin_memcpy(p, src, chunk);
		ring_commit(r, chunk);
		src += chunk;
		n -= chunk;
	}
}

void
ring_copy_out(const struct tcp_ring *r, uint32_t off, uint8_t *dst, uint32_t n)
{
	uint8_t *p;
	uint32_t chunk;

	while (n) {
		chunk = ring_span(r, off, &p);
		if (chunk > n)
			chunk = n;
		__builtin_memcpy(dst, p, chunk);
		dst += chunk;
		off += chunk;
		n -= chunk;
	}
}

void
ring_drop(struct tcp_ring *r, uint32_t n)
{
	r->head = (r->head + n) & (r->size - 1);
	r->len -= n;
}

uint32_t
ring_span(const struct tcp_ring *r, uint32_t off, uint8_t **p)
{
	uint32_t pos = (r->head + off) & (r->size - 1);
	uint32_t left = r->len - off;

	*p = r->buf + pos;
	return left < r->size - pos ? left : r->size - pos;
}

uint32_t
ring_tail_span(const struct tcp_ring *r, uint8_t **p)
{
	uint32_t pos = (r->head + r->len) & (r->size - 1);
	uint32_t free = r->size - r->len;

	*p = r->buf + pos;
	return free < r->size - pos ? free : r->size - pos;
}

void
ring_commit(struct tcp_ring *r, uint32_t n)
{
	r->len += n;
}
