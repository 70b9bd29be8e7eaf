/*
 * The kernel message layer: reliable, ordered messages of up to 64 KiB
 * between kernels, over UDP port KMSG_PORT.  kmsg.c runs the protocol;
 * kmsg_wire.c holds its pure parts (header format, checks, sequence
 * windows), which tests/unit/test_kmsg.c runs on the host.  The packet
 * formats are in docs/protocol.md.
 *
 * Above it sit kernel services (remote mailboxes in kernel/dist/rmbox.c, the
 * echo service in kmsg.c), each registered under a service number; a
 * service is reached only through the callbacks it registered.
 */
#ifndef NET_KMSG_H
#define NET_KMSG_H

#include <stdint.h>
#include "brinch/dist.h"

#define KMSG_PORT	4700		/* UDP, both ends */

/* ---- the wire (kmsg_wire.c) ---- */

#define KMSG_MAGIC	0x424B		/* "BK" */
#define KMSG_VERSION	1
#define KMSG_HLEN	52		/* header bytes before the payload */
#define KMSG_FRAG	1400		/* payload bytes per packet, at most */
#define KMSG_MAX_MSG	(KMSG_MAX + 256)	/* room for a service's header */
#define KMSG_MAX_FRAGS	((KMSG_MAX_MSG + KMSG_FRAG - 1) / KMSG_FRAG)
#define KMSG_WINDOW	32		/* packets in flight per peer */

enum { KMSG_DATA = 1, KMSG_ACK = 2, KMSG_RST = 3, KMSG_HELLO = 4 };
#define KMSG_BROADCAST	0xFF		/* dst_node of a HELLO */

/* Services: what a message is for. */
enum {
	KMSG_SVC_NOP = 0,		/* keepalive: carries nothing */
	KMSG_SVC_ECHO = 1,		/* echo request: sent back as ... */
	KMSG_SVC_ECHO_REPLY = 2,	/* ... this */
	KMSG_SVC_MBOX = 3,		/* remote mailboxes (rmbox.c) */
	KMSG_SVC_MIGRATE = 4,		/* process migration (kernel/migrate/) */
	KMSG_NSERVICES = 8
};

/* A header, decoded to host order. */
struct kmsg_hdr {
	uint8_t  type;		/* KMSG_DATA, _ACK, _RST, _HELLO */
	uint8_t  flags;		/* none defined yet: sent 0, ignored */
	uint8_t  src_node, dst_node;
	uint32_t src_boot;	/* the sender's boot id (random at boot) */
	uint32_t dst_boot;	/* the receiver's, as the sender knows it; 0 = not yet */
	uint32_t stream;	/* the sender's stream to this receiver (1, 2...) */
	uint32_t ack_stream;	/* the receiver's stream being acknowledged; 0 = none;
				 * RST: the stream refused */
	uint32_t seq;		/* DATA: packet number in stream, from 1 */
	uint32_t ack;		/* next seq expected in ack_stream */
	uint32_t sack;		/* bit i: ack + 1 + i arrived and is held */
	uint32_t ts;		/* the sender's Lamport time */
	uint32_t msg_len;	/* DATA: bytes in the whole message */
	uint16_t frag, nfrags;	/* DATA: fragment index and count */
	uint16_t service;	/* DATA: KMSG_SVC_* */
	uint16_t len;		/* payload bytes in this packet */
};

/* Why kmsg_parse refused a packet (each one a counter in kmsg.c). */
enum {
	KMSG_OK = 0, KMSG_BAD_SHORT, KMSG_BAD_MAGIC, KMSG_BAD_VERSION,
	KMSG_BAD_TYPE, KMSG_BAD_LENGTH, KMSG_BAD_FRAG, KMSG_BAD_SEQ
};

void	kmsg_encode(const struct kmsg_hdr *h, uint8_t *out);
int	kmsg_parse(const uint8_t *pkt, uint32_t len, struct kmsg_hdr *h);
uint32_t kmsg_nfrags(uint32_t msg_len);
uint32_t kmsg_frag_len(uint32_t msg_len, uint32_t frag);

/* Sequence numbers wrap: compare by signed difference. */
static inline int
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/*
 * The receiver's view of one stream: nxt is the next seq to deliver;
 * bit i of held says nxt + 1 + i has arrived early and is kept.
 */
struct kmsg_rxwin {
	uint32_t nxt;
	uint32_t held;
};

enum { RX_DUP, RX_NEXT, RX_EARLY, RX_HELD, RX_BEYOND };
int	rxwin_classify(const struct kmsg_rxwin *w, uint32_t seq);
void	rxwin_hold(struct kmsg_rxwin *w, uint32_t seq);
/* Deliver nxt: move on by one; 1 if the new nxt was held (deliver it
 * next), else 0. */
int	rxwin_advance(struct kmsg_rxwin *w);

/*
 * The sender's view: una is the oldest seq not yet acknowledged, nxt
 * the next to send; bit i of sacked says una + i was acknowledged out
 * of order.  txwin_ack applies an ACK's (ack, sack) and returns how many
 * packets the cumulative ack newly covers (una has moved by that much).
 */
struct kmsg_txwin {
	uint32_t una, nxt;
	uint32_t sacked;
};

int	txwin_ack(struct kmsg_txwin *w, uint32_t ack, uint32_t sack);
static inline uint32_t
txwin_inflight(const struct kmsg_txwin *w)
{
	return w->nxt - w->una;
}

/* ---- the service interface (kmsg.c) ---- */

/*
 * A complete message arrived from node: called in interrupt context, in
 * order per sending node, at most once per message.  data is valid only
 * during the call.  The Lamport receive rule has already been applied.
 */
typedef void (*kmsg_deliver_fn)(int node, uint32_t ts, const uint8_t *data,
    uint32_t len);
/*
 * Something happened to node that voids what was pending with it:
 *  KMSG_EVENT_DOWN   our retries ran out: it is unreachable;
 *  KMSG_EVENT_RESET  it gave up on us and started a new stream (so its
 *                    messages to us may have been lost);
 *  KMSG_EVENT_REBOOT it rebooted (a new boot id): a RESET, and besides,
 *                    nothing that lived there is there any more.
 * Either way nothing pending with it will be answered.
 */
enum { KMSG_EVENT_DOWN = 1, KMSG_EVENT_RESET = 2, KMSG_EVENT_REBOOT = 3 };
typedef void (*kmsg_event_fn)(int node, int event);
/* A message sent with kmsg_send: every byte acknowledged (err 0), or
 * never going to be (err < 0: -ETIMEDOUT, -EHOSTUNREACH, -EPIPE). */
typedef void (*kmsg_done_fn)(uint32_t cookie, int err);

void	kmsg_init(void);		/* kmain, after net_init */
int	kmsg_register(int service, kmsg_deliver_fn deliver, kmsg_event_fn event);
/* A service's own timer (expiring what waits too long), called from
 * kmsg_timer once a second, in interrupt context. */
int	kmsg_register_tick(int service, void (*tick)(void));
/*
 * Queue a copy of data (len <= KMSG_MAX_MSG) for node.  Never sleeps;
 * may be called in interrupt context.  0: the layer will deliver it
 * exactly once, or call done(cookie, -err) (if done is given) and raise
 * an event.  Errors: -EINVAL (bad node, or ourselves), -EMSGSIZE,
 * -ENETDOWN, -ENOBUFS (queue limits), -EHOSTUNREACH (the node failed
 * moments ago and has not been heard from since).
 */
int	kmsg_send(int node, int service, const void *data, uint32_t len,
	    kmsg_done_fn done, uint32_t cookie);
/* Operations waiting on node: while holds > 0 the layer probes it, so
 * a node that dies while we wait for its answer is noticed. */
void	kmsg_hold(int node);
void	kmsg_release(int node);
int	kmsg_node(void);		/* this node's number; -1 = no network */
void	kmsg_timer(void);		/* every tick, in interrupt context */

struct kmsg_stats;
struct kmsg_peer_info;
void	kmsg_stats_fill(struct kmsg_stats *out);
int	kmsg_peers_fill(struct kmsg_peer_info *out, int max);

#endif
