/*
 * The receiving half of the kernel message layer (kmsg.c sends): checks
 * each datagram, tells boots and streams apart, keeps packets that
 * arrive early, delivers in order exactly once, and puts fragments back
 * together.  All of it runs in the UDP callback, in interrupt context.
 */
#include "kernel.h"
#include "mm/kheap.h"
#include "sched.h"
#include "net/net.h"
#include "net/udp.h"
#include "kmsg_impl.h"
#include "lamport.h"
#include "trace.h"

static void
drop_reasm(struct peer *p)
{
	if (p->reasm) {
		kst.reassembly_bytes -= p->first.msg_len;
		kfree(p->reasm);
		p->reasm = NULL;
	}
}

/* Forget its stream to us (it starts another). */
void
rx_clear(struct peer *p)
{
	int i;

	for (i = 0; i < KMSG_WINDOW; i++) {
		if (p->held[i]) {
			kfree(p->held[i]);
			p->held[i] = NULL;
			kmsg_held--;
		}
	}
	drop_reasm(p);
	p->rx_stream = 0;
	p->rx.nxt = p->acked_nxt = 1;
	p->rx.held = 0;
	p->unacked = 0;
}

/* It rebooted: nothing of its earlier life is pending any more. */
static void
peer_rebooted(struct peer *p, uint32_t boot)
{
	kst.resets++;
	p->boot = boot;
	rx_clear(p);
	restart_stream(p, -EPIPE);
	raise_event(p->node, KMSG_EVENT_REBOOT);
}

static void
deliver(struct peer *p, const struct kmsg_hdr *h, const uint8_t *data, uint32_t len)
{
	kst.msgs_in++;
	kst.bytes_in += len;
	p->delivered = 1;
	lamport_receive(h->ts);
	TRACE_MORE(TRACE_KMSG, TEV_KMSG_RECV, TRACE_CUR, p->node | h->service << 8, h->ts, lamport_now());
	if (h->service == KMSG_SVC_NOP)
		return;
	if (h->service == KMSG_SVC_ECHO) {
		/* Answered from the interrupt: a lost answer is the asker's
		 * timeout, never a hang. */
		kmsg_send(p->node, KMSG_SVC_ECHO_REPLY, data, len, NULL, 0);
		return;
	}
	if (h->service >= KMSG_NSERVICES || !kmsg_services[h->service].deliver) {
		kst.bad_service++;
		return;
	}
	kmsg_services[h->service].deliver(p->node, h->ts, data, len);
}

/*
 * The in-order packet: start, continue or finish a message.  -1 refuses
 * it for now (no memory to reassemble into); the packet stays unacked
 * and comes again.  Fragments that do not follow on are dropped, and
 * with them the message they claim to belong to.
 */
static int
consume(struct peer *p, const struct kmsg_hdr *h, const uint8_t *data)
{
	uint8_t *buf;
	uint32_t len;

	if (h->frag == 0) {
		if (p->reasm) {
			kst.bad_frag++;
			drop_reasm(p);
		}
		if (h->nfrags == 1) {
			deliver(p, h, data, h->len);
			return 0;
		}
		if (kst.reassembly_bytes + h->msg_len > REASM_LIMIT ||
		    !(p->reasm = kmalloc(h->msg_len)))
			return -1;
		kst.reassembly_bytes += h->msg_len;
		p->first = *h;
		p->next_frag = 1;
		memcpy(p->reasm, data, h->len);
		return 0;
	}
	if (!p->reasm || h->frag != p->next_frag || h->msg_len != p->first.msg_len ||
	    h->service != p->first.service || h->ts != p->first.ts ||
	    h->seq != p->first.seq + h->frag) {
		kst.bad_frag++;
		drop_reasm(p);
		return 0;
	}
	/* kmsg_parse checked h->len against msg_len and frag: it fits. */
	memcpy(p->reasm + (uint32_t)h->frag * KMSG_FRAG, data, h->len);
	if (++p->next_frag < p->first.nfrags)
		return 0;
	buf = p->reasm;
	len = p->first.msg_len;
	p->reasm = NULL;
	kst.reassembly_bytes -= len;
	deliver(p, &p->first, buf, len);
	kfree(buf);
	return 0;
}

/* Deliver the held packets that are now next in line. */
void
rx_drain(struct peer *p)
{
	struct held *hp;
	uint32_t i;

	while (p->rx_stream && (hp = p->held[i = p->rx.nxt % KMSG_WINDOW])) {
		if (consume(p, &hp->h, hp->data) < 0)
			return;			/* kept: tried again at the tick */
		p->held[i] = NULL;
		kmsg_held--;
		kfree(hp);
		rxwin_advance(&p->rx);
		p->unacked++;
	}
}

static void
rx_data(struct peer *p, const struct kmsg_hdr *h, const uint8_t *data)
{
	struct held *hp;

	switch (rxwin_classify(&p->rx, h->seq)) {
	case RX_DUP:
	case RX_HELD:
		kst.dups++;
		send_ack(p);			/* our ack was lost: repeat it */
		return;
	case RX_BEYOND:
		kst.drop_window++;
		send_ack(p);
		return;
	case RX_EARLY:
		kst.out_of_order++;
		if (kmsg_held >= HELD_LIMIT || !(hp = kmalloc(sizeof(*hp) + h->len))) {
			kst.drop_memory++;
			return;
		}
		hp->h = *h;
		memcpy(hp->data, data, h->len);
		p->held[h->seq % KMSG_WINDOW] = hp;
		kmsg_held++;
		rxwin_hold(&p->rx, h->seq);
		send_ack(p);			/* the sack shows the gap */
		return;
	case RX_NEXT:
		if (p->held[h->seq % KMSG_WINDOW])
			break;			/* kept already, waiting for memory */
		if (consume(p, h, data) < 0) {
			kst.drop_memory++;
			return;
		}
		rxwin_advance(&p->rx);
		p->unacked++;
		break;
	}
	rx_drain(p);
	if (p->acked_nxt != p->rx.nxt &&
	    (p->unacked >= ACK_EVERY || p->delivered || p->rx.held))
		send_ack(p);
	p->delivered = 0;
}

/* Is this packet of its stream to us one we can take? */
static int
rx_stream_ok(struct peer *p, const struct kmsg_hdr *h)
{
	if (h->stream == p->rx_stream)
		return 1;
	/* A new stream starts at seq 1; allow for its first packets
	 * arriving out of order. */
	if (h->type == KMSG_DATA && (h->seq == 0 || h->seq >= KMSG_WINDOW))
		return 0;
	if (p->rx_stream) {
		/* It gave up on us and began again: what it was sending
		 * may be lost, and it has forgotten what we asked. */
		kst.resets++;
		rx_clear(p);
		raise_event(p->node, KMSG_EVENT_RESET);
	}
	p->rx_stream = h->stream;
	return 1;
}

static void
count_bad(int why)
{
	switch (why) {
	case KMSG_BAD_SHORT:	kst.bad_short++; break;
	case KMSG_BAD_MAGIC:	kst.bad_magic++; break;
	case KMSG_BAD_VERSION:	kst.bad_version++; break;
	case KMSG_BAD_TYPE:	kst.bad_type++; break;
	case KMSG_BAD_FRAG:	kst.bad_frag++; break;
	case KMSG_BAD_SEQ:	kst.bad_sequence++; break;
	default:		kst.bad_length++; break;
	}
}

/* The UDP callback: every datagram to KMSG_PORT, in interrupt context. */
void
kmsg_input(void *ctx, uint32_t src_ip, uint16_t src_port, const uint8_t *data,
    uint32_t len)
{
	struct kmsg_hdr h;
	struct peer *p;
	int r, me = kmsg_node();

	if (me < 0)
		return;
	if ((r = kmsg_parse(data, len, &h)) != KMSG_OK) {
		count_bad(r);
		return;
	}
	/* The sender must be who it says, at the address its node has. */
	if (h.src_node > DIST_NODE_MAX || h.src_node == me ||
	    src_ip != node_ip(h.src_node) ||
	    (h.dst_node != me && !(h.type == KMSG_HELLO && h.dst_node == KMSG_BROADCAST))) {
		kst.bad_addr++;
		return;
	}
	switch (h.type) {
	case KMSG_DATA:	kst.data_in++; break;
	case KMSG_ACK:	kst.acks_in++; break;
	case KMSG_RST:	kst.rsts_in++; break;
	default:	kst.hellos_in++; break;
	}
	if (h.type == KMSG_HELLO) {
		/* A node announcing a (re)boot: only news if we knew it. */
		if ((p = peer_find(h.src_node)) && p->boot && p->boot != h.src_boot)
			peer_rebooted(p, h.src_boot);
		return;
	}
	if (h.dst_boot && h.dst_boot != kmsg_boot) {
		kst.bad_stream++;		/* meant for our previous life */
		send_rst(&h);
		return;
	}
	if (!(p = peer_get(h.src_node))) {
		kst.drop_peers++;
		return;
	}
	/* A service may send while we deliver, and sending may take a
	 * free entry: keep this one from being taken meanwhile. */
	p->busy++;
	if (p->boot && p->boot != h.src_boot)
		peer_rebooted(p, h.src_boot);
	p->boot = h.src_boot;
	p->heard_us = uptime_us();
	p->state = KMSG_PEER_UP;
	if (h.type == KMSG_RST) {
		if (h.ack_stream == p->tx_stream) {
			/* It lost track of our stream: start again. */
			kst.resets++;
			restart_stream(p, -EPIPE);
			raise_event(p->node, KMSG_EVENT_RESET);
		}
	} else if (!rx_stream_ok(p, &h)) {
		kst.bad_stream++;
		send_rst(&h);
	} else {
		if (h.ack_stream && h.ack_stream == p->tx_stream)
			tx_acked(p, h.ack, h.sack);
		if (h.type == KMSG_DATA)
			rx_data(p, &h, data + KMSG_HLEN);
	}
	p->busy--;
}

