/*
 * Private to the kernel message layer: kmsg.c (peers, sending, the
 * tick) and kmsg_in.c (receiving) share the peer table and counters
 * through this header.  Everyone else uses kmsg.h.
 */
#ifndef NET_KMSG_IMPL_H
#define NET_KMSG_IMPL_H

#include "list.h"
#include "kmsg.h"
#include "brinch/dist.h"

#define NPEERS		64
#define MAX_TRIES	12		/* transmissions of one packet */
#define RTO_INIT_US	100000
#define RTO_MIN_US	30000
#define RTO_MAX_US	800000
#define KEEPALIVE_US	1000000		/* probe a peer we wait on this often */
#define DOWN_TICKS	(3 * TIMER_HZ)	/* refuse a failed peer this long */
#define QUEUE_LIMIT	(2u << 20)	/* bytes queued to all peers */
#define HELD_LIMIT	256		/* early packets kept, all peers */
#define REASM_LIMIT	(512u << 10)	/* bytes being reassembled, all peers */
#define RST_PER_TICK	8
#define RETX_PER_TICK	8		/* per peer */
#define ACK_EVERY	2		/* in-order packets per ack */
#define RX_IDLE_US	10000000	/* a half-received message expires */

/* A message on its way out: kept whole until its last fragment is acked. */
struct outmsg {
	struct list_node node;		/* on peer->out */
	kmsg_done_fn	 done;
	uint32_t	 cookie;
	uint16_t	 service;
	uint32_t	 len, ts;
	uint32_t	 nfrags, sent, acked;	/* fragments */
	uint8_t		 data[];
};

/* One packet in flight: which fragment of which message. */
struct txslot {
	struct outmsg	*m;		/* NULL: free */
	uint16_t	 frag;
	uint8_t		 tries;
	uint8_t		 seen;		/* acked or sacked: RTT sampled */
	uint64_t	 sent_us;
};

/* A packet that arrived before its turn. */
struct held {
	struct kmsg_hdr	 h;
	uint8_t		 data[];
};

struct peer {
	int		 in_use;	/* 0: a free entry */
	int		 node;
	int		 state;		/* KMSG_PEER_* */
	uint32_t	 boot;		/* its boot id; 0 = not heard from */
	/* our stream to it */
	uint32_t	 tx_stream;
	struct kmsg_txwin tx;
	struct txslot	 slot[KMSG_WINDOW];	/* by seq % KMSG_WINDOW */
	struct list	 out;		/* struct outmsg, oldest first */
	uint32_t	 queued;
	/* its stream to us */
	uint32_t	 rx_stream;	/* 0: none yet */
	struct kmsg_rxwin rx;
	struct held	*held[KMSG_WINDOW];	/* by seq % KMSG_WINDOW */
	uint32_t	 unacked;	/* in-order packets since our last ack */
	uint32_t	 acked_nxt;	/* rx.nxt as last told to it */
	int		 delivered;	/* a message completed: ack at once */
	int		 busy;		/* in kmsg_input: not to be reused */
	/* the message being reassembled */
	uint8_t		*reasm;
	struct kmsg_hdr	 first;
	uint32_t	 next_frag;
	/* liveness and timing */
	uint64_t	 heard_us;	/* last valid packet from it */
	uint32_t	 down_until;	/* ticks */
	uint32_t	 holds;
	uint32_t	 srtt_us, rttvar_us, rto_us;
	uint32_t	 retransmits;
	int		 last_err;	/* of the last udp_send */
};

struct kmsg_service {
	kmsg_deliver_fn	 deliver;
	kmsg_event_fn	 event;
};

extern struct peer kmsg_peers[NPEERS];
extern struct kmsg_service kmsg_services[KMSG_NSERVICES];
extern struct kmsg_stats kst;
extern uint32_t kmsg_boot;
extern uint32_t kmsg_held;

/* kmsg.c */
struct peer *peer_find(int node);
struct peer *peer_get(int node);
void	raise_event(int node, int event);
void	send_ack(struct peer *p);
void	send_rst(const struct kmsg_hdr *bad);
void	tx_acked(struct peer *p, uint32_t ack, uint32_t sack);
void	restart_stream(struct peer *p, int err);

/* kmsg_in.c */
void	kmsg_input(void *ctx, uint32_t src_ip, uint16_t src_port,
	    const uint8_t *data, uint32_t len);
void	rx_drain(struct peer *p);
void	rx_clear(struct peer *p);

#endif
