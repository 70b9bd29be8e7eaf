/*
 * Which bytes of one IPv4 datagram have arrived as fragments: the pure
 * bookkeeping of reassembly (RFC 791, RFC 815), without buffers, so the
 * host unit tests (tests/unit/test_frag_map.c) can drive it.  ip_reasm.c
 * keeps one map per datagram in progress and the data beside it.
 */
#ifndef NET_FRAG_MAP_H
#define NET_FRAG_MAP_H

#include <stdint.h>

#define FRAG_MAP_MAX	64	/* fragments per datagram (45 at MTU 1500) */

/*
 * The fragments held, sorted by offset, none overlapping: the holes of
 * RFC 815 are the gaps between them, and since overlaps are refused
 * (RFC 5722's rule, applied to IPv4) the datagram is whole exactly when
 * the last fragment has come and the bytes held add up to its end.
 */
struct frag_map {
	uint32_t n;			/* fragments held */
	uint32_t total;			/* data length, once the last came; else 0 */
	uint32_t have;			/* bytes held */
	struct frag_range {
		uint32_t start, end;	/* [start, end) of the data */
	} r[FRAG_MAP_MAX];
};

enum frag_verdict {
	FRAG_ADDED,		/* new: keep it at the index returned */
	FRAG_DUPLICATE,		/* the same bytes as one held: drop it alone */
	FRAG_BAD_SIZE,		/* empty, or not a multiple of 8 with more to come */
	FRAG_TOO_LONG,		/* would end past 65535 with the header */
	FRAG_OVERLAP,		/* overlaps, or disagrees about the end: drop all */
	FRAG_TOO_MANY,		/* more than FRAG_MAP_MAX fragments: drop all */
};

/* A fragment on its own, before any map is looked at: start and len are
 * in bytes, more is the MF flag, hlen the header's length. */
enum frag_verdict frag_check(uint32_t start, uint32_t len, int more, uint32_t hlen);
/* Enter [start, start + len) in m.  FRAG_ADDED sets *index to where it
 * now sits in m->r (the caller keeps its data in the same order). */
enum frag_verdict frag_map_add(struct frag_map *m, uint32_t start, uint32_t len,
    int more, uint32_t *index);
int	frag_map_complete(const struct frag_map *m);

#endif
