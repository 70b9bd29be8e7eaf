/*
 * The bookkeeping of IPv4 reassembly (see frag_map.h): which byte ranges
 * of a datagram are held.  Pure logic on a small sorted array; the
 * buffers and timers are ip_reasm.c's.
 */
#include "frag_map.h"

enum frag_verdict
frag_check(uint32_t start, uint32_t len, int more, uint32_t hlen)
{
	/* Every fragment but the last carries a multiple of 8 bytes, so
	 * that the next one's offset (in 8-byte units) can say where it
	 * starts (RFC 791). */
	if (len == 0 || (more && len % 8 != 0))
		return FRAG_BAD_SIZE;
	/* The "ping of death": offsets reach 65528, so a fragment can claim
	 * to end beyond what any total length field could describe. */
	if (start + len + hlen > 65535)
		return FRAG_TOO_LONG;
	return FRAG_ADDED;
}

enum frag_verdict
frag_map_add(struct frag_map *m, uint32_t start, uint32_t len, int more,
    uint32_t *index)
{
	uint32_t end = start + len, i, j;

	/* i: the first range that ends after our start. */
	for (i = 0; i < m->n && m->r[i].end <= start; i++)
		;
	if (i < m->n && m->r[i].start == start && m->r[i].end == end) {
		/* Networks duplicate packets; an exact copy is no attack
		 * (RFC 8200 4.5 allows dropping just the copy). */
		if (!more && m->total != end)
			return FRAG_OVERLAP;
		return FRAG_DUPLICATE;
	}
	if (i < m->n && m->r[i].start < end)
		return FRAG_OVERLAP;
	/* The end of the datagram is known once, and nothing lies past it. */
	if (m->total && end > m->total)
		return FRAG_OVERLAP;
	if (!more) {
		if (m->total || (m->n && m->r[m->n - 1].end > end))
			return FRAG_OVERLAP;
	}
	if (m->n == FRAG_MAP_MAX)
		return FRAG_TOO_MANY;
	for (j = m->n; j > i; j--)
		m->r[j] = m->r[j - 1];
	m->r[i].start = start;
	m->r[i].end = end;
	m->n++;
	m->have += len;
	if (!more)
		m->total = end;
	*index = i;
	return FRAG_ADDED;
}

int
frag_map_complete(const struct frag_map *m)
{
	return m->total != 0 && m->have == m->total;
}
