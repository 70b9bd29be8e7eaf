/*
 * The pure half of the kernel message layer (kmsg.h): the header's byte
 * layout, the checks every arriving packet must pass before anything
 * trusts it, and the sequence-number windows of each stream.  No state,
 * no kernel calls: tests/unit/test_kmsg.c runs this file on the host.
 */
#include <stdint.h>
#include "kmsg.h"
#include "net/byteorder.h"

/* The layout, byte by byte, is drawn in docs/protocol.md. */
void
kmsg_encode(const struct kmsg_hdr *h, uint8_t *out)
{
	put16(out, KMSG_MAGIC);
	out[2] = KMSG_VERSION;
	out[3] = h->type;
	out[4] = h->src_node;
	out[5] = h->dst_node;
	out[6] = KMSG_HLEN;
	out[7] = h->flags;
	put32(out + 8, h->src_boot);
	put32(out + 12, h->dst_boot);
	put32(out + 16, h->stream);
	put32(out + 20, h->ack_stream);
	put32(out + 24, h->seq);
	put32(out + 28, h->ack);
	put32(out + 32, h->sack);
	put32(out + 36, h->ts);
	put32(out + 40, h->msg_len);
	put16(out + 44, h->frag);
	put16(out + 46, h->nfrags);
	put16(out + 48, h->service);
	put16(out + 50, h->len);
}

uint32_t
kmsg_nfrags(uint32_t msg_len)
{
	return msg_len == 0 ? 1 : (msg_len + KMSG_FRAG - 1) / KMSG_FRAG;
}

/* Every fragment but the last is full. */
uint32_t
kmsg_frag_len(uint32_t msg_len, uint32_t frag)
{
	uint32_t n = kmsg_nfrags(msg_len);

	if (frag >= n)
		return 0;
	return frag + 1 < n ? KMSG_FRAG : msg_len - frag * KMSG_FRAG;
}

/*
 * Decode and check one datagram.  Everything a later step relies on is
 * checked here, so a forged length or fragment number can never index
 * past a buffer: the payload length must be exactly what the datagram
 * holds, and for DATA, exactly what the message length says fragment
 * `frag` must hold.
 */
int
kmsg_parse(const uint8_t *p, uint32_t len, struct kmsg_hdr *h)
{
	if (len < KMSG_HLEN)
		return KMSG_BAD_SHORT;
	if (get16(p) != KMSG_MAGIC)
		return KMSG_BAD_MAGIC;
	if (p[2] != KMSG_VERSION || p[6] != KMSG_HLEN)
		return KMSG_BAD_VERSION;
	h->type = p[3];
	h->src_node = p[4];
	h->dst_node = p[5];
	h->flags = p[7];
	h->src_boot = get32(p + 8);
	h->dst_boot = get32(p + 12);
	h->stream = get32(p + 16);
	h->ack_stream = get32(p + 20);
	h->seq = get32(p + 24);
	h->ack = get32(p + 28);
	h->sack = get32(p + 32);
	h->ts = get32(p + 36);
	h->msg_len = get32(p + 40);
	h->frag = get16(p + 44);
	h->nfrags = get16(p + 46);
	h->service = get16(p + 48);
	h->len = get16(p + 50);
	if (h->type < KMSG_DATA || h->type > KMSG_HELLO)
		return KMSG_BAD_TYPE;
	if (h->src_boot == 0)
		return KMSG_BAD_SEQ;		/* a boot id is never 0 */
	if (h->len != len - KMSG_HLEN || h->len > KMSG_FRAG)
		return KMSG_BAD_LENGTH;
	if (h->type != KMSG_DATA)
		return h->len == 0 ? KMSG_OK : KMSG_BAD_LENGTH;
	if (h->msg_len > KMSG_MAX_MSG)
		return KMSG_BAD_LENGTH;
	if (h->nfrags != kmsg_nfrags(h->msg_len) || h->frag >= h->nfrags)
		return KMSG_BAD_FRAG;
	if (h->len != kmsg_frag_len(h->msg_len, h->frag))
		return KMSG_BAD_LENGTH;
	if (h->seq == 0 || h->stream == 0)
		return KMSG_BAD_SEQ;		/* numbering starts at 1 */
	return KMSG_OK;
}

/* ---- receive window ---- */

int
rxwin_classify(const struct kmsg_rxwin *w, uint32_t seq)
{
	uint32_t ahead;

	if (seq_lt(seq, w->nxt))
		return RX_DUP;
	if (seq == w->nxt)
		return RX_NEXT;
	ahead = seq - w->nxt;		/* 1 .. */
	if (ahead >= KMSG_WINDOW)
		return RX_BEYOND;
	return (w->held >> (ahead - 1)) & 1 ? RX_HELD : RX_EARLY;
}

void
rxwin_hold(struct kmsg_rxwin *w, uint32_t seq)
{
	uint32_t ahead = seq - w->nxt;

	if (ahead >= 1 && ahead < KMSG_WINDOW)
		w->held |= 1u << (ahead - 1);
}

int
rxwin_advance(struct kmsg_rxwin *w)
{
	int next_held = w->held & 1;

	w->held >>= 1;
	w->nxt++;
	return next_held;
}

/* ---- send window ---- */

int
txwin_ack(struct kmsg_txwin *w, uint32_t ack, uint32_t sack)
{
	uint32_t moved, seq;
	int i;

	/* An ack for something never sent is forged or stale: ignore it. */
	if (seq_lt(w->nxt, ack) || seq_lt(ack, w->una))
		return 0;
	for (i = 0; i < 32; i++) {
		seq = ack + 1 + (uint32_t)i;
		if ((sack >> i) & 1 && seq_lt(seq, w->nxt))
			w->sacked |= 1u << (seq - w->una);
	}
	moved = ack - w->una;
	w->sacked = moved >= 32 ? 0 : w->sacked >> moved;
	w->una = ack;
	return (int)moved;
}
