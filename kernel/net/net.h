/*
 * Inside brinch's IPv4 stack (kernel/net/): packet buffers, byte order,
 * checksums, counters, the interface's addresses, and the entry points
 * each layer offers the one above.  The layers, bottom up:
 *
 *   netdev.h   the driver boundary (frames in through one callback)
 *   ether.c    Ethernet II: demultiplex by EtherType, prepend headers
 *   arp.c      IPv4 address -> MAC, with a cache and a queue per lookup
 *   ip.c       IPv4 header checks, routing on one subnet, loopback
 *   ip_frag.c  fragments out: a datagram over the MTU, cut as it is built
 *   ip_reasm.c fragments in, until whole (frag_map.c: which bytes came)
 *   icmp.c     echo reply, port/protocol unreachable, echo listeners (ping)
 *   udp.c      ports: a table of bindings, each with a callback
 *   tcp*.c     connections (tcp.h): table, input, output, socket calls
 *   socket.c   user sockets, built on the bindings above
 *
 * Inside the stack the protocol modules call each other directly, as
 * the packet's headers say.  What lies above the stack (sockets, kernel
 * services) is reached only through tables of callbacks registered from
 * above, at each demultiplexing point: EtherType, UDP port, ICMP echo
 * identifier.  The driver below reaches the stack through one callback.  Addresses are uint32_t in network byte order
 * (as they sit in a packet); ports are host order inside the kernel.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <stdint.h>
#include "list.h"
#include "netdev.h"
#include "brinch/net.h"
#include "byteorder.h"

/* ---- byte order (the wire is big-endian, x86 little-endian) ---- */


/* ---- packet buffers (pkbuf.c) ---- */

/*
 * One packet, in a fixed pool allocated at boot: nothing on the network
 * path calls kmalloc, and a flood can exhaust the pool (drops, counted)
 * but never the kernel heap.  Data lives in buf[off, off + len); headers
 * are prepended by moving off down into the headroom.
 *
 * A datagram larger than one buffer is a chain through `next`: on the
 * way out each link is one IP fragment's worth (ip_alloc), in a socket's
 * queue each holds up to PKB_DATA_MAX bytes.  pkbuf_free frees a chain.
 */
#define PKB_SIZE	2048
#define PKB_HEADROOM	64		/* Ethernet + IPv4 + UDP/ICMP, rounded up */
#define PKB_POOL	256

struct pkbuf {
	struct list_node node;		/* on an ARP queue or a socket's queue */
	struct pkbuf *next;		/* the rest of the datagram, or NULL */
	uint16_t off, len;
	/* where it came from, for a socket's queue */
	uint32_t src_ip;
	uint16_t src_port;
	uint8_t  src_mac[ETH_ALEN];
	uint8_t  buf[PKB_SIZE - 28];
};

#define PKB_DATA_MAX	(PKB_SIZE - 28 - PKB_HEADROOM)	/* data behind the headroom */

void	 pkbuf_init(void);
struct pkbuf *pkbuf_alloc(void);	/* NULL (and counted) when exhausted */
void	 pkbuf_free(struct pkbuf *p);	/* the whole chain */
/* len bytes in a chain: at most `first` in the first link, `rest` in
 * each other (both <= PKB_DATA_MAX); every link's len is set.  NULL
 * (nothing kept) when the pool runs out. */
struct pkbuf *pkbuf_alloc_chain(uint32_t len, uint32_t first, uint32_t rest);
uint32_t pkbuf_chain_len(const struct pkbuf *p);
void	 pkbuf_chain_write(struct pkbuf *p, const uint8_t *src);	/* fills it */

static inline uint8_t *
pkb_data(struct pkbuf *p)
{
	return p->buf + p->off;
}

/* Make room for an n-byte header in front of the data. */
static inline uint8_t *
pkb_push(struct pkbuf *p, uint16_t n)
{
	p->off -= n;
	p->len += n;
	return p->buf + p->off;
}

/* ---- checksums (ip.c): RFC 1071's 16-bit one's complement sum ---- */

uint32_t csum_partial(const void *data, uint32_t len, uint32_t sum);
uint16_t csum_fold(uint32_t sum);	/* final complemented checksum */
/* The sum over a chain's data (ip_frag.c): every link but the last holds
 * an even number of bytes, as ip_alloc makes them. */
uint32_t csum_chain(const struct pkbuf *p, uint32_t sum);
/* sum plus UDP's and TCP's pseudo-header: addresses, protocol, length. */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len,
    uint32_t sum);

/* ---- counters (netif.c) ---- */

/* Every counter the `net` command shows, by name.  Malformed input is
 * always counted where it is dropped. */
#define NET_COUNTERS(X) \
	X(eth_in) X(eth_runt) X(eth_not_for_us) X(eth_unknown_type) \
	X(eth_out) X(eth_tx_failed) \
	X(arp_in) X(arp_bad) X(arp_requests_in) X(arp_replies_in) \
	X(arp_requests_out) X(arp_replies_out) X(arp_queued) \
	X(arp_queue_drops) X(arp_unresolved) \
	X(ip_in) X(ip_out) X(ip_bad_header) X(ip_bad_checksum) \
	X(ip_bad_length) X(ip_fragments) X(ip_not_for_us) \
	X(ip_unknown_proto) X(ip_no_route) X(ip_loopback) \
	X(icmp_in) X(icmp_out) X(icmp_bad) X(icmp_echo_requests_in) \
	X(icmp_echo_replies_out) X(icmp_unreach_in) X(icmp_unreach_out) \
	X(icmp_no_listener) \
	X(udp_in) X(udp_out) X(udp_bad_length) X(udp_bad_checksum) \
	X(udp_no_port) X(udp_queue_drops) \
	X(raw_in) X(raw_out) X(raw_queue_drops) X(pkbuf_exhausted) \
	IP_FRAG_COUNTERS(X) \
	TCP_COUNTERS(X)

/* Fragmentation and reassembly (ip_frag.c, ip_reasm.c).  The last three
 * are levels, not counts: what is held now. */
#define IP_FRAG_COUNTERS(X) \
	X(ip_frags_out) X(ip_reassembled) X(ip_frag_bad_size) \
	X(ip_frag_too_long) X(ip_frag_dups) X(ip_reasm_overlaps) \
	X(ip_reasm_too_many) X(ip_reasm_evicted) X(ip_reasm_timeouts) \
	X(ip_reasm_busy) X(ip_reasm_pending) X(ip_reasm_bufs) X(pkbuf_in_use)

/* TCP's (tcp*.c, docs/network.md): every dropped segment under one
 * reason, then events; tcp_conns is a gauge (connection blocks in use). */
#define TCP_COUNTERS(X) \
	X(tcp_in) X(tcp_out) X(tcp_bad_header) X(tcp_bad_checksum) \
	X(tcp_bad_flags) X(tcp_not_unicast) X(tcp_no_listener) \
	X(tcp_backlog_drops) X(tcp_bad_ack) X(tcp_out_of_window) \
	X(tcp_out_of_order) X(tcp_rst_in) X(tcp_rst_out) \
	X(tcp_retransmits) X(tcp_window_probes) X(tcp_timeouts) \
	X(tcp_active_opens) X(tcp_passive_opens) X(tcp_conns)

struct net_stats {
#define NET_COUNTER_FIELD(name) uint32_t name;
	NET_COUNTERS(NET_COUNTER_FIELD)
#undef NET_COUNTER_FIELD
};

extern struct net_stats netstat;

/* ---- the interface and its addresses (netif.c) ---- */

struct net_config {
	struct netdev *dev;		/* NULL: no network */
	int      node;
	uint32_t ip, netmask, gateway;	/* network order; gateway 0 = none */
	uint32_t arp_ttl_ticks;		/* how long an ARP answer is trusted */
};

extern struct net_config netcfg;

void	net_init(void);			/* kmain */
void	net_timer(void);		/* every timer tick (kmain registers it) */
/* fn runs every tick from net_timer, as interrupt work (must not sleep):
 * the hook a service above the stack is given (kmsg.c).  One hook. */
void	net_tick_hook(void (*fn)(void));
/* fn(arg) as interrupt work: its sends never sleep (kmsg.c). */
void	net_atomic(void (*fn)(void *), void *arg);
int	net_may_sleep(void);		/* 0 in interrupt context */
void	net_info_fill(struct net_info *out);
int	net_counters_fill(struct net_counter *out, int max);
int	ip_is_mine(uint32_t ip);	/* our address, or 127.0.0.0/8 */
int	ip_is_broadcast(uint32_t ip);	/* 255.255.255.255 or the subnet's */

/* ---- Ethernet (ether.c) ---- */

extern const uint8_t eth_broadcast[ETH_ALEN];

void	ether_input(struct netdev *dev, const uint8_t *frame, uint32_t len);
/* Prepend an Ethernet header to p and transmit it.  Consumes p. */
int	ether_output(const uint8_t dst[ETH_ALEN], uint16_t type, struct pkbuf *p);

/* Frames of an EtherType other than IPv4/ARP go to at most one listener
 * (an AF_PACKET socket).  The callback must not sleep. */
typedef void (*ether_receive_fn)(void *ctx, const uint8_t src[ETH_ALEN],
    const uint8_t *payload, uint32_t len);
int	ether_bind(uint16_t type, ether_receive_fn fn, void *ctx);
void	ether_unbind(uint16_t type);

/* ---- ARP (arp.c) ---- */

void	arp_init(void);
void	arp_input(const uint8_t *pkt, uint32_t len);
/* Send the IPv4 packet in p to next_hop on the local link: at once if
 * its MAC is known, else after an ARP request is answered.  Consumes p.
 * -EHOSTUNREACH if next_hop did not answer recently. */
int	arp_output(uint32_t next_hop, struct pkbuf *p);
void	arp_timer(void);		/* retries and expiry, every 100 ms */
void	arp_announce(void);		/* gratuitous ARP (RFC 5227 2.3) */
int	arp_list(struct arp_info *out, int max);

/* ---- IPv4 (ip.c) ---- */

#define IP_HLEN		20
#define IP_PROTO_ICMP	1
#define IP_PROTO_TCP	6
#define IP_PROTO_UDP	17
#define IP_DEFAULT_TTL	64

#define IP_MAX_LEN	65535		/* the total length field's limit */

void	ip_input(const uint8_t *pkt, uint32_t len);
/* Prepend an IPv4 header (src = our address) to the payload in p and
 * route it; a chain, or a payload over the MTU, goes as fragments.
 * Consumes p. */
int	ip_output(uint32_t dst, uint8_t proto, struct pkbuf *p);
uint32_t ip_source_for(uint32_t dst);	/* ours, or dst itself for 127/8 */
/* ip.c, for ip_frag.c: write the header in front of p's data; send p
 * (one packet) to dst: loopback, broadcast, ARP or the gateway. */
void	ip_put_header(struct pkbuf *p, uint32_t dst, uint8_t proto, uint16_t id,
	    uint16_t frag);
int	ip_route(uint32_t dst, struct pkbuf *p);

/* ---- fragments (ip_frag.c out, ip_reasm.c in) ---- */

/* A buffer for a payload of len bytes plus a `reserve`-byte transport
 * header the caller will push: one pkbuf if it fits a frame, else a
 * chain cut where the fragments will be.  NULL if the pool is empty. */
struct pkbuf *ip_alloc(uint32_t len, uint32_t reserve);
int	ip_output_fragments(uint32_t dst, uint8_t proto, struct pkbuf *p,
	    uint16_t id);
/* A fragment that passed ip_input's checks: kept until its datagram is
 * whole, then the datagram goes through ip_input again. */
void	ip_reasm_input(const uint8_t *pkt, uint32_t hlen, uint32_t len);
void	ip_reasm_timer(void);		/* expiry, every 100 ms */

/* ---- ICMP (icmp.c) ---- */

#define ICMP_HLEN		8
#define ICMP_ECHO_REPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_ECHO_REQUEST	8
#define ICMP_PROTO_UNREACH	2	/* codes, with ICMP_DEST_UNREACH */
#define ICMP_PORT_UNREACH	3

void	icmp_input(uint32_t src, const uint8_t *ip_pkt, uint32_t ip_len,
	    const uint8_t *msg, uint32_t len);
/* Tell src its datagram (ip_pkt) reached no one: port or protocol
 * unreachable (code), rate limited. */
void	icmp_unreachable(const uint8_t *ip_pkt, uint32_t ip_len, uint8_t code);

/* Echo replies carrying identifier `id` go to one listener.  id 0 picks
 * a free one; returns the id or a negative errno. */
typedef void (*icmp_echo_fn)(void *ctx, uint32_t src, const uint8_t *msg,
    uint32_t len);
int	icmp_echo_bind(uint16_t id, icmp_echo_fn fn, void *ctx);
void	icmp_echo_unbind(uint16_t id);
/* Send the echo request in p (ICMP header + data): sets the id and the
 * checksum.  Consumes p. */
int	icmp_echo_send(uint32_t dst, uint16_t id, struct pkbuf *p);

/* ---- UDP (udp.c; the in-kernel API is in udp.h) ---- */

#define UDP_HLEN	8

void	udp_input(uint32_t src, uint32_t dst, const uint8_t *ip_pkt,
	    uint32_t ip_len, const uint8_t *dgram, uint32_t len);
/* Prepend a UDP header to the payload in p and send it.  Consumes p. */
int	udp_output(uint32_t dst, uint16_t dst_port, uint16_t src_port,
	    struct pkbuf *p);

/* ---- TCP (tcp*.c; the connection block is in tcp.h) ---- */

void	tcp_input(uint32_t src, uint32_t dst, const uint8_t *seg, uint32_t len);
void	tcp_timer(void);		/* every tick */

#endif
