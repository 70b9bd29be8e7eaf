/*
 * TCP's pure parts (kernel/net/tcp_wire.c): sequence-number arithmetic,
 * header and option parsing, and the byte ring that holds a connection's
 * send and receive data.  Only <stdint.h>, so tests/unit/test_tcp.c runs
 * them on the host; the state machine (tcp.c, tcp_input.c) builds on them.
 */
#ifndef NET_TCP_WIRE_H
#define NET_TCP_WIRE_H

#include <stdint.h>

#define TCP_HLEN	20		/* header without options */

/* Flags, byte 13 of the header. */
#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_URG		0x20

#define TCP_OPT_END	0
#define TCP_OPT_NOP	1
#define TCP_OPT_MSS	2

/*
 * Sequence numbers live on a circle of 2^32 (RFC 9293 3.4): a is "before"
 * b when the signed distance from b to a is negative.  This works while
 * the numbers compared are within 2^31 of each other, which a window of
 * a few KiB guarantees.
 */
static inline int seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline int seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline int seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline int seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

/* lo <= a < hi on the circle (an empty range if lo == hi). */
static inline int
seq_in(uint32_t a, uint32_t lo, uint32_t hi)
{
	return a - lo < hi - lo;
}

/* A parsed segment: fields in host order, data pointing into the packet. */
struct tcp_seg {
	uint16_t	 sport, dport;
	uint32_t	 seq, ack;
	uint8_t		 flags;
	uint16_t	 wnd;
	uint16_t	 mss;		/* 0: no MSS option */
	const uint8_t	*data;
	uint32_t	 len;		/* data bytes */
};

/* Why tcp_parse refused a segment; each is one netstat counter. */
#define TCP_PARSE_OK		0
#define TCP_PARSE_SHORT		1	/* under 20 bytes, or data offset beyond it */
#define TCP_PARSE_BAD_OPTIONS	2	/* an option runs past the header */
#define TCP_PARSE_BAD_FLAGS	3	/* SYN+FIN, SYN+RST, or none of SYN/ACK/RST */

/* Check the header of the len-byte segment at p (its checksum is the
 * caller's: it needs the IP addresses) and fill *s.  TCP_PARSE_*. */
int	tcp_parse(const uint8_t *p, uint32_t len, struct tcp_seg *s);

/* The options area (after the 20-byte header): the MSS in *mss (0 if
 * absent).  -1 when an option's length is impossible. */
int	tcp_parse_options(const uint8_t *opt, uint32_t len, uint16_t *mss);

/*
 * A ring of bytes: a connection's send queue (from snd_una) or receive
 * queue (from what the user reads next).  `size` is a power of two.
 */
struct tcp_ring {
	uint8_t		*buf;
	uint32_t	 size, head, len;	/* len bytes from buf[head], wrapping */
};

static inline uint32_t
ring_free(const struct tcp_ring *r)
{
	return r->size - r->len;
}

/* Append n <= ring_free bytes. */
void	ring_put(struct tcp_ring *r, const uint8_t *src, uint32_t n);
/* Copy n bytes starting `off` bytes in (off + n <= len) to dst. */
void	ring_copy_out(const struct tcp_ring *r, uint32_t off, uint8_t *dst, uint32_t n);
/* Forget the first n <= len bytes. */
void	ring_drop(struct tcp_ring *r, uint32_t n);
/* Where the bytes `off` in start, and how many follow contiguously. */
uint32_t ring_span(const struct tcp_ring *r, uint32_t off, uint8_t **p);
/* The contiguous free space after the data, for copying in place;
 * ring_commit(n) then appends what was written there. */
uint32_t ring_tail_span(const struct tcp_ring *r, uint8_t **p);
void	ring_commit(struct tcp_ring *r, uint32_t n);

#endif
