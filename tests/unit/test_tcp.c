/*
 * Host unit tests for TCP's pure parts (kernel/net/tcp_wire.c): sequence
 * comparison across the 2^32 wrap, header and option parsing against
 * truncated, forged and impossible segments, and the byte ring that
 * holds a connection's queues, against a plain model.
 */
// uses: kernel/net/tcp_wire.c
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "kernel/net/tcp_wire.h"

static void
test_sequence_numbers(void)
{
	CHECK(seq_lt(1, 2));
	CHECK(!seq_lt(2, 2));
	CHECK(seq_le(2, 2));
	CHECK(seq_gt(3, 2));
	/* Across the wrap: 0xFFFFFFF0 comes before 0x10. */
	CHECK(seq_lt(0xFFFFFFF0u, 0x10));
	CHECK(seq_gt(0x10, 0xFFFFFFF0u));
	CHECK(seq_ge(0x10, 0xFFFFFFF0u));
	/* Half the circle away flips the answer. */
	CHECK(seq_lt(0, 0x7FFFFFFFu));
	CHECK(seq_gt(0, 0x80000001u));
	/* Windows, including one that wraps, and the empty one. */
	CHECK(seq_in(5, 5, 10));
	CHECK(!seq_in(10, 5, 10));
	CHECK(seq_in(2, 0xFFFFFFF0u, 0x20));
	CHECK(seq_in(0xFFFFFFFFu, 0xFFFFFFF0u, 0x20));
	CHECK(!seq_in(0x20, 0xFFFFFFF0u, 0x20));
	CHECK(!seq_in(7, 7, 7));
}

/* A 20-byte header plus options and data, as it would arrive. */
static uint32_t
build(uint8_t *p, uint8_t flags, const uint8_t *opts, uint32_t optlen, uint32_t datalen)
{
	uint32_t hlen = 20 + optlen;

	memset(p, 0, hlen + datalen);
	p[0] = 0x30, p[1] = 0x39;		/* 12345 */
	p[2] = 0x00, p[3] = 0x07;
	p[4] = 0xDE, p[5] = 0xAD, p[6] = 0xBE, p[7] = 0xEF;
	p[8] = 0, p[9] = 0, p[10] = 1, p[11] = 0;
	p[12] = (uint8_t)(hlen / 4) << 4;
	p[13] = flags;
	p[14] = 0x20, p[15] = 0x00;		/* window 8192 */
	if (optlen)
		memcpy(p + 20, opts, optlen);
	return hlen + datalen;
}

static void
test_parse(void)
{
	static const uint8_t mss[] = { 1, 1, 2, 4, 0x05, 0xB4, 0, 0 };
	uint8_t p[128];
	struct tcp_seg s;
	uint32_t len, cut;

	len = build(p, TCP_SYN, mss, sizeof(mss), 10);
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_OK);
	CHECK_EQ_INT(s.sport, 12345);
	CHECK_EQ_INT(s.dport, 7);
	CHECK(s.seq == 0xDEADBEEFu);
	CHECK_EQ_INT(s.ack, 256);
	CHECK_EQ_INT(s.wnd, 8192);
	CHECK_EQ_INT(s.mss, 1460);
	CHECK_EQ_INT(s.len, 10);
	CHECK(s.data == p + 28);
	/* Every truncation of a header is refused, none read past the end. */
	for (cut = 0; cut < 28; cut++)
		CHECK_EQ_INT(tcp_parse(p, cut, &s), TCP_PARSE_SHORT);
	/* Data offsets under 5 words, or beyond the segment. */
	len = build(p, TCP_ACK, NULL, 0, 0);
	for (cut = 0; cut < 5; cut++) {
		p[12] = (uint8_t)(cut << 4);
		CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_SHORT);
	}
	p[12] = 6 << 4;
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_SHORT);
	/* Flags no TCP sends. */
	len = build(p, TCP_SYN | TCP_FIN, NULL, 0, 0);
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_BAD_FLAGS);
	p[13] = TCP_SYN | TCP_RST;
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_BAD_FLAGS);
	p[13] = 0;
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_BAD_FLAGS);
	p[13] = TCP_FIN | TCP_PSH | TCP_URG;	/* "Xmas" */
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_BAD_FLAGS);
	p[13] = TCP_RST;
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_OK);
	p[13] = 0xC0 | TCP_ACK;			/* ECN bits are ignored */
	CHECK_EQ_INT(tcp_parse(p, len, &s), TCP_PARSE_OK);
	CHECK_EQ_INT(s.flags, TCP_ACK);
}

static void
test_options(void)
{
	static const struct {
		uint8_t	 o[8];
		uint32_t len;
		int	 ok;
		uint16_t mss;
	} cases[] = {
		{ { 0 }, 0, 0, 0 },				/* none */
		{ { 2, 4, 0x02, 0x18 }, 4, 0, 536 },
		{ { 1, 1, 1, 1 }, 4, 0, 0 },			/* padding */
		{ { 0, 2, 0, 0 }, 4, 0, 0 },			/* END stops: the rest unread */
		{ { 8, 10, 0, 0, 0, 0, 0, 0 }, 8, -1, 0 },	/* runs past the end */
		{ { 2, 0, 5, 0xB4 }, 4, -1, 0 },		/* length 0: would loop */
		{ { 2, 1, 5, 0xB4 }, 4, -1, 0 },		/* length 1 */
		{ { 2, 3, 5, 0 }, 4, -1, 0 },			/* MSS not 4 long */
		{ { 1, 1, 1, 2 }, 4, -1, 0 },			/* kind with no length byte */
		{ { 4, 2, 2, 4, 0x05, 0xB4, 0, 0 }, 8, 0, 1460 },	/* SACK-permitted skipped */
	};
	uint16_t mss;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mss = 0xFFFF;
		CHECK_EQ_INT(tcp_parse_options(cases[i].o, cases[i].len, &mss), cases[i].ok);
		if (cases[i].ok == 0)
			CHECK_EQ_INT(mss, cases[i].mss);
	}
}

/* Random garbage never reads past the segment (ASan would say). */
static void
test_fuzz(void)
{
	struct tcp_seg s;
	uint8_t *p;
	uint32_t len;
	int i, j;

	srand(9293);
	for (i = 0; i < 20000; i++) {
		len = (uint32_t)(rand() % 80);
		p = malloc(len ? len : 1);
		for (j = 0; j < (int)len; j++)
			p[j] = (uint8_t)rand();
		if (tcp_parse(p, len, &s) == TCP_PARSE_OK)
			CHECK(s.data + s.len == p + len);
		free(p);
	}
}

static void
test_ring(void)
{
	static uint8_t store[64], model[1024], out[64];
	struct tcp_ring r = { store, sizeof(store), 0, 0 };
	uint32_t head = 0, tail = 0, n, i, span;
	uint8_t *p;
	int step;

	srand(7);
	for (step = 0; step < 5000; step++) {
		if (rand() % 2) {
			n = (uint32_t)rand() % (ring_free(&r) + 1);
			for (i = 0; i < n; i++)
				model[(tail + i) % sizeof(model)] = (uint8_t)rand();
			for (i = 0; i < n; i++)
				out[i] = model[(tail + i) % sizeof(model)];
			ring_put(&r, out, n);
			tail += n;
		} else {
			n = (uint32_t)rand() % (r.len + 1);
			ring_copy_out(&r, 0, out, n);
			for (i = 0; i < n; i++)
				CHECK(out[i] == model[(head + i) % sizeof(model)]);
			ring_drop(&r, n);
			head += n;
		}
		CHECK_EQ_INT(r.len, tail - head);
		/* Spans never cross the end of the storage. */
		if (r.len) {
			span = ring_span(&r, r.len - 1, &p);
			CHECK(span >= 1 && p + span <= store + sizeof(store));
			CHECK(*p == model[(tail - 1) % sizeof(model)]);
		}
		span = ring_tail_span(&r, &p);
		CHECK(span <= ring_free(&r) && p + span <= store + sizeof(store));
	}
}

int
main(void)
{
	test_sequence_numbers();
	test_parse();
	test_options();
	test_fuzz();
	test_ring();
	return unit_summary("test_tcp");
}
