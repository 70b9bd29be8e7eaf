/*
 * Host unit tests for the pure parts of the kernel message layer
 * (kernel/dist/kmsg_wire.c): header layout, the checks that refuse
 * truncated, forged and unknown packets, fragment arithmetic, and the
 * send/receive windows, run against a lossy, reordering, duplicating
 * channel.  Also the Lamport rules (kernel/dist/lamport.c) and global ids.
 */
// uses: kernel/dist/kmsg_wire.c kernel/dist/lamport.c
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "kernel/dist/kmsg.h"
#include "kernel/dist/lamport.h"
#include "brinch/dist.h"

static struct kmsg_hdr
data_hdr(uint32_t msg_len, uint16_t frag)
{
	struct kmsg_hdr h;

	memset(&h, 0, sizeof(h));
	h.type = KMSG_DATA;
	h.src_node = 1;
	h.dst_node = 2;
	h.src_boot = 0xB007;
	h.dst_boot = 0xCAFE;
	h.stream = 3;
	h.ack_stream = 4;
	h.seq = 77;
	h.ack = 5;
	h.sack = 0x80000001u;
	h.ts = 123456;
	h.msg_len = msg_len;
	h.frag = frag;
	h.nfrags = (uint16_t)kmsg_nfrags(msg_len);
	h.service = KMSG_SVC_MBOX;
	h.len = (uint16_t)kmsg_frag_len(msg_len, frag);
	return h;
}

static void
test_layout(void)
{
	uint8_t pkt[KMSG_HLEN + KMSG_FRAG];
	struct kmsg_hdr h = data_hdr(3000, 2), g;

	kmsg_encode(&h, pkt);
	CHECK(pkt[0] == 0x42 && pkt[1] == 0x4B);	/* "BK" */
	CHECK(pkt[2] == KMSG_VERSION && pkt[3] == KMSG_DATA && pkt[6] == KMSG_HLEN);
	CHECK(pkt[8] == 0 && pkt[9] == 0 && pkt[10] == 0xB0 && pkt[11] == 0x07);
	CHECK(pkt[27] == 77);				/* seq, big-endian */
	CHECK(pkt[44] == 0 && pkt[45] == 2);		/* frag */
	CHECK_EQ_INT(h.len, 200);			/* 3000 - 2 * 1400 */
	CHECK_EQ_INT(kmsg_parse(pkt, KMSG_HLEN + h.len, &g), KMSG_OK);
	CHECK(memcmp(&g, &h, sizeof(g)) == 0);
}

static void
test_refusals(void)
{
	uint8_t pkt[KMSG_HLEN + KMSG_FRAG + 8];
	struct kmsg_hdr h = data_hdr(3000, 0), g;
	uint32_t n = KMSG_HLEN + KMSG_FRAG;

	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_OK);
	CHECK_EQ_INT(kmsg_parse(pkt, 0, &g), KMSG_BAD_SHORT);
	CHECK_EQ_INT(kmsg_parse(pkt, KMSG_HLEN - 1, &g), KMSG_BAD_SHORT);
	/* Truncated, or with bytes beyond what the length field says. */
	CHECK_EQ_INT(kmsg_parse(pkt, n - 1, &g), KMSG_BAD_LENGTH);
	CHECK_EQ_INT(kmsg_parse(pkt, n + 1, &g), KMSG_BAD_LENGTH);
	pkt[0] ^= 1;
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_MAGIC);
	pkt[0] ^= 1;
	pkt[2] = 2;
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_VERSION);
	pkt[2] = KMSG_VERSION;
	pkt[6] = 40;
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_VERSION);
	pkt[6] = KMSG_HLEN;
	pkt[3] = 0;
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_TYPE);
	pkt[3] = 9;
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_TYPE);
	pkt[3] = KMSG_DATA;

	/* Forged lengths: the message, the fragment count, the index. */
	h.msg_len = KMSG_MAX_MSG + 1;
	h.nfrags = (uint16_t)kmsg_nfrags(h.msg_len);
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_LENGTH);
	h = data_hdr(3000, 0);
	h.nfrags = 2;
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_FRAG);
	h = data_hdr(3000, 0);
	h.frag = 3;
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_FRAG);
	h = data_hdr(3000, 2);		/* the last fragment holds 200 */
	h.len = KMSG_FRAG;
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_LENGTH);
	h = data_hdr(3000, 0);
	h.seq = 0;
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_SEQ);
	h = data_hdr(3000, 0);
	h.src_boot = 0;
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, n, &g), KMSG_BAD_SEQ);

	/* ACK, RST and HELLO carry no payload. */
	memset(&h, 0, sizeof(h));
	h.type = KMSG_ACK;
	h.src_boot = 1;
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, KMSG_HLEN, &g), KMSG_OK);
	h.len = 4;
	kmsg_encode(&h, pkt);
	CHECK_EQ_INT(kmsg_parse(pkt, KMSG_HLEN + 4, &g), KMSG_BAD_LENGTH);
}

/* Whatever arrives, a packet that passes never claims more than it holds. */
static void
test_fuzz(void)
{
	uint8_t pkt[KMSG_HLEN + KMSG_FRAG + 64];
	struct kmsg_hdr h, g;
	uint32_t i, j, n, ok = 0;

	srand(1);
	for (i = 0; i < 200000; i++) {
		h = data_hdr((uint32_t)rand() % (KMSG_MAX_MSG + 1), 0);
		h.frag = (uint16_t)((uint32_t)rand() % h.nfrags);
		h.len = (uint16_t)kmsg_frag_len(h.msg_len, h.frag);
		kmsg_encode(&h, pkt);
		n = KMSG_HLEN + h.len;
		for (j = (uint32_t)rand() % 4; j > 0; j--)
			pkt[(uint32_t)rand() % KMSG_HLEN] ^= (uint8_t)(1u << (rand() % 8));
		if (rand() % 4 == 0)
			n = (uint32_t)rand() % sizeof(pkt);
		if (kmsg_parse(pkt, n, &g) != KMSG_OK)
			continue;
		ok++;
		CHECK(g.len == n - KMSG_HLEN);
		if (g.type == KMSG_DATA) {
			CHECK(g.msg_len <= KMSG_MAX_MSG);
			CHECK(g.frag < g.nfrags && g.nfrags <= KMSG_MAX_FRAGS);
			CHECK((uint32_t)g.frag * KMSG_FRAG + g.len <= g.msg_len ||
			    (g.msg_len == 0 && g.len == 0));
		} else {
			CHECK(g.len == 0);
		}
	}
	CHECK(ok > 1000);	/* the mutations leave some packets valid */
}

static void
test_fragments(void)
{
	CHECK_EQ_INT(kmsg_nfrags(0), 1);
	CHECK_EQ_INT(kmsg_frag_len(0, 0), 0);
	CHECK_EQ_INT(kmsg_nfrags(KMSG_FRAG), 1);
	CHECK_EQ_INT(kmsg_nfrags(KMSG_FRAG + 1), 2);
	CHECK_EQ_INT(kmsg_frag_len(KMSG_FRAG + 1, 1), 1);
	CHECK_EQ_INT(kmsg_nfrags(65536), 47);
	CHECK_EQ_INT(kmsg_frag_len(65536, 46), 65536 - 46 * KMSG_FRAG);
	CHECK_EQ_INT(kmsg_frag_len(65536, 47), 0);
	CHECK(KMSG_HLEN + KMSG_FRAG <= 1472);	/* one UDP datagram, no IP fragments */
}

/*
 * A sender and a receiver with the two windows, over a channel that
 * loses 30%, duplicates 10% and delivers in random order.  Every packet
 * must be delivered exactly once, in order; the sender's retransmissions
 * are "everything unacked and not sacked, each round".  Sequence numbers
 * start just below 2^32 to cross the wrap.
 */
static void
test_windows(void)
{
	enum { N = 5000, CHAN = 256 };
	struct kmsg_txwin tx;
	struct kmsg_rxwin rx;
	uint32_t chan[CHAN], nchan, acks[CHAN][2], nacks;
	uint32_t start = 0xFFFFFF00u, delivered = 0, seq, i, k, rounds = 0;
	int ordered = 1, c;

	tx.una = tx.nxt = start;
	tx.sacked = 0;
	rx.nxt = start;
	rx.held = 0;
	srand(7);
	while (delivered < N && rounds++ < 100000) {
		nchan = 0;
		while (txwin_inflight(&tx) < KMSG_WINDOW && tx.nxt - start < N)
			chan[nchan++] = tx.nxt++;
		for (seq = tx.una; seq_lt(seq, tx.nxt) && nchan < CHAN - 2; seq++)
			if (!((tx.sacked >> (seq - tx.una)) & 1) && rand() % 3 == 0)
				chan[nchan++] = seq;
		for (i = 0; i + 1 < nchan; i++) {	/* shuffle, duplicate */
			k = i + (uint32_t)rand() % (nchan - i);
			seq = chan[i], chan[i] = chan[k], chan[k] = seq;
		}
		if (nchan && rand() % 10 == 0)
			chan[nchan++] = chan[0];
		nacks = 0;
		for (i = 0; i < nchan; i++) {
			if (rand() % 10 < 3)
				continue;			/* lost */
			c = rxwin_classify(&rx, chan[i]);
			if (c == RX_NEXT) {
				if (chan[i] != start + delivered)
					ordered = 0;
				delivered++;
				while (rxwin_advance(&rx))
					delivered++;	/* held ones are next */
			} else if (c == RX_EARLY) {
				rxwin_hold(&rx, chan[i]);
			}
			if (rand() % 10 >= 3 && nacks < CHAN) {
				acks[nacks][0] = rx.nxt;
				acks[nacks++][1] = rx.held;
			}
		}
		for (i = 0; i < nacks; i++)
			txwin_ack(&tx, acks[(i * 7) % nacks][0], acks[(i * 7) % nacks][1]);
		CHECK(txwin_inflight(&tx) <= KMSG_WINDOW);
	}
	CHECK_EQ_INT(delivered, N);
	CHECK(ordered);
	CHECK(rx.nxt == start + N && rx.held == 0);
	/* Acks that were never possible change nothing. */
	tx.una = tx.nxt = 100;
	CHECK_EQ_INT(txwin_ack(&tx, 105, 0), 0);
	CHECK_EQ_INT(txwin_ack(&tx, 99, 0), 0);
	CHECK(tx.una == 100);
	tx.nxt = 110;
	CHECK_EQ_INT(txwin_ack(&tx, 102, 0x5), 2);	/* 103 and 105 sacked */
	CHECK(tx.una == 102 && tx.sacked == ((1u << 1) | (1u << 3)));
	CHECK_EQ_INT(rxwin_classify(&rx, rx.nxt + KMSG_WINDOW), RX_BEYOND);
	CHECK_EQ_INT(rxwin_classify(&rx, rx.nxt - 1), RX_DUP);
}

static void
test_lamport(void)
{
	uint32_t a, b;

	a = lamport_tick();
	CHECK(lamport_now() == a);
	CHECK(lamport_tick() == a + 1);
	b = lamport_receive(a + 100);		/* behind: jump past it */
	CHECK(b == a + 101);
	CHECK(lamport_receive(3) == b + 1);	/* ahead: just tick */
}

static void
test_ids(void)
{
	/* A plain local id names no node; node 0 is a node like any other. */
	CHECK(!DIST_IS_GLOBAL(77));
	CHECK_EQ_INT(DIST_NODE(77), -1);
	CHECK(DIST_IS_GLOBAL(DIST_ID(0, 77)) && DIST_ID(0, 77) != 77);
	CHECK_EQ_INT(DIST_NODE(DIST_ID(0, 77)), 0);
	CHECK_EQ_INT(DIST_LOCAL(DIST_ID(0, 77)), 77);
	CHECK_EQ_INT(DIST_NODE(DIST_ID(2, 77)), 2);
	CHECK_EQ_INT(DIST_LOCAL(DIST_ID(2, 77)), 77);
	CHECK(DIST_ID(DIST_NODE_MAX, DIST_LOCAL_MASK) > 0);
	CHECK_EQ_INT(DIST_NODE(DIST_ID(DIST_NODE_MAX, 32767)), DIST_NODE_MAX);
	CHECK_EQ_INT(DIST_NODE(32767), -1);
	CHECK(DIST_NODE(-1) > DIST_NODE_MAX);	/* ANY is never a node's id */
}

int
main(void)
{
	test_layout();
	test_refusals();
	test_fuzz();
	test_fragments();
	test_windows();
	test_lamport();
	test_ids();
	return unit_summary("test_kmsg");
}
