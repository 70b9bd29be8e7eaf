/*
 * ARP (RFC 826) for IPv4 over Ethernet: answers requests for our address,
 * and finds the MAC address of a next hop before ip.c can send to it.
 * While a lookup is outstanding, packets for that address wait in a
 * small queue on its cache entry (RFC 1122 2.3.2.2); the request is
 * retried each second, and after ARP_TRIES unanswered requests the
 * queue is dropped and the address reported unreachable for a while.
 * Answers are trusted for netcfg.arp_ttl_ticks, then asked for again.
 */
#include "kernel.h"
#include "sched.h"
#include "net.h"

#define ARP_ENTRIES	32
#define ARP_TRIES	3
#define ARP_RETRY	TIMER_HZ		/* 1 s between requests */
#define ARP_FAILED_HOLD	(5 * TIMER_HZ)		/* unreachable for 5 s */
#define ARP_QUEUE_MAX	48	/* packets per lookup: one 64 KiB datagram's fragments */

#define ARP_PKT_LEN	28
#define ARP_HTYPE_ETHER	1
#define ARP_PTYPE_IPV4	0x0800
#define ARP_REQUEST	1
#define ARP_REPLY	2
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_IPV4	0x0800

enum arp_state { FREE, RESOLVING = ARP_STATE_RESOLVING,
	RESOLVED = ARP_STATE_RESOLVED, FAILED = ARP_STATE_FAILED };

struct arp_entry {
	enum arp_state	state;
	uint32_t	ip;
	uint8_t		mac[ETH_ALEN];
	uint32_t	stamp;		/* tick of the answer / first request / failure */
	uint32_t	next_retry;	/* RESOLVING: tick of the next request */
	int		tries;		/* requests sent so far */
	struct list	queue;		/* struct pkbuf waiting for the answer */
	int		queued;
};

static struct arp_entry cache[ARP_ENTRIES];

void
arp_init(void)
{
	struct arp_entry *e;

	for (e = cache; e < &cache[ARP_ENTRIES]; e++) {
		e->state = FREE;
		list_init(&e->queue);
	}
}

static struct arp_entry *
lookup(uint32_t ip)
{
	struct arp_entry *e;

	for (e = cache; e < &cache[ARP_ENTRIES]; e++)
		if (e->state != FREE && e->ip == ip)
			return e;
	return NULL;
}

static void
drop_queue(struct arp_entry *e)
{
	struct list_node *n;

	while ((n = list_pop_front(&e->queue))) {
		pkbuf_free(container_of(n, struct pkbuf, node));
		netstat.arp_unresolved++;
	}
	e->queued = 0;
}

/* A free entry, else the one least recently confirmed. */
static struct arp_entry *
evict(void)
{
	struct arp_entry *e, *oldest = &cache[0];

	for (e = cache; e < &cache[ARP_ENTRIES]; e++) {
		if (e->state == FREE)
			return e;
		if ((int32_t)(e->stamp - oldest->stamp) < 0)
			oldest = e;
	}
	drop_queue(oldest);
	oldest->state = FREE;
	return oldest;
}

static void
send_arp(uint16_t op, const uint8_t *dst_mac, const uint8_t *target_mac,
    uint32_t sender_ip, uint32_t target_ip)
{
	struct pkbuf *p = pkbuf_alloc();
	uint8_t *a;

	if (!p)
		return;
	a = pkb_data(p);
	p->len = ARP_PKT_LEN;
	put16(a, ARP_HTYPE_ETHER);
	put16(a + 2, ARP_PTYPE_IPV4);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, netcfg.dev->mac, ETH_ALEN);
	put32_raw(a + 14, sender_ip);
	memcpy(a + 18, target_mac, ETH_ALEN);
	put32_raw(a + 24, target_ip);
	if (op == ARP_REQUEST)
		netstat.arp_requests_out++;
	else
		netstat.arp_replies_out++;
	ether_output(dst_mac, ETHERTYPE_ARP, p);
}

static void
send_request(struct arp_entry *e)
{
	static const uint8_t unknown[ETH_ALEN];

	e->tries++;
	e->next_retry = ticks + ARP_RETRY;
	send_arp(ARP_REQUEST, eth_broadcast, unknown, netcfg.ip, e->ip);
}

/* RFC 5227 section 3: an announcement is a request for our own address
 * with sender and target both ours, so neighbours refresh their caches. */
void
arp_announce(void)
{
	static const uint8_t unknown[ETH_ALEN];

	send_arp(ARP_REQUEST, eth_broadcast, unknown, netcfg.ip, netcfg.ip);
}

/* Record ip -> mac and send everything that was waiting for it. */
static void
resolved(struct arp_entry *e, const uint8_t *mac)
{
	struct list_node *n;

	memcpy(e->mac, mac, ETH_ALEN);
	e->state = RESOLVED;
	e->stamp = ticks;
	e->tries = 0;
	while ((n = list_pop_front(&e->queue))) {
		e->queued--;
		ether_output(e->mac, ETHERTYPE_IPV4, container_of(n, struct pkbuf, node));
	}
}

/* RFC 826's "packet reception" algorithm, with every field checked. */
void
arp_input(const uint8_t *a, uint32_t len)
{
	const uint8_t *sha = a + 8;
	uint32_t spa, tpa;
	uint16_t op;
	struct arp_entry *e;
	int merged = 0;

	netstat.arp_in++;
	if (len < ARP_PKT_LEN || get16(a) != ARP_HTYPE_ETHER ||
	    get16(a + 2) != ARP_PTYPE_IPV4 || a[4] != ETH_ALEN || a[5] != 4) {
		netstat.arp_bad++;
		return;
	}
	op = get16(a + 6);
	spa = get32_raw(a + 14);
	tpa = get32_raw(a + 24);
	if ((op != ARP_REQUEST && op != ARP_REPLY) || (sha[0] & 1) ||
	    ip_is_broadcast(spa) || (spa != 0 && spa == netcfg.ip)) {
		netstat.arp_bad++;	/* group MAC, or someone claims our address */
		return;
	}
	if (op == ARP_REQUEST)
		netstat.arp_requests_in++;
	else
		netstat.arp_replies_in++;
	if (!netcfg.ip)
		return;
	/* An ARP probe (sender 0.0.0.0) teaches nothing. */
	if (spa != 0 && (e = lookup(spa))) {
		resolved(e, sha);
		merged = 1;
	}
	if (tpa != netcfg.ip)
		return;
	if (spa != 0 && !merged) {
		e = evict();
		e->ip = spa;
		resolved(e, sha);
	}
	if (op == ARP_REQUEST)
		send_arp(ARP_REPLY, sha, sha, netcfg.ip, spa);
}

int
arp_output(uint32_t next_hop, struct pkbuf *p)
{
	struct arp_entry *e = lookup(next_hop);

	if (e && e->state == RESOLVED) {
		if ((uint32_t)(ticks - e->stamp) < netcfg.arp_ttl_ticks)
			return ether_output(e->mac, ETHERTYPE_IPV4, p);
		e->state = FREE;	/* stale: ask again */
		e = NULL;
	}
	if (e && e->state == FAILED) {
		pkbuf_free(p);
		return -EHOSTUNREACH;
	}
	if (!e) {
		e = evict();
		e->ip = next_hop;
		e->state = RESOLVING;
		e->stamp = ticks;
		e->tries = 0;
		send_request(e);
	}
	if (e->queued == ARP_QUEUE_MAX) {
		/* Keep the newest (RFC 1122 2.3.2.2 "SHOULD save ... the latest"). */
		pkbuf_free(container_of(list_pop_front(&e->queue), struct pkbuf, node));
		e->queued--;
		netstat.arp_queue_drops++;
	}
	list_push_back(&e->queue, &p->node);
	e->queued++;
	netstat.arp_queued++;
	return 0;
}

void
arp_timer(void)
{
	struct arp_entry *e;

	for (e = cache; e < &cache[ARP_ENTRIES]; e++) {
		switch (e->state) {
		case RESOLVING:
			if ((int32_t)(ticks - e->next_retry) < 0)
				break;
			if (e->tries < ARP_TRIES) {
				send_request(e);
				break;
			}
			drop_queue(e);
			e->state = FAILED;
			e->stamp = ticks;
			break;
		case RESOLVED:
			if ((uint32_t)(ticks - e->stamp) >= netcfg.arp_ttl_ticks)
				e->state = FREE;
			break;
		case FAILED:
			if ((uint32_t)(ticks - e->stamp) >= ARP_FAILED_HOLD)
				e->state = FREE;
			break;
		case FREE:
			break;
		}
	}
}

int
arp_list(struct arp_info *out, int max)
{
	struct arp_entry *e;
	int n = 0;

	for (e = cache; e < &cache[ARP_ENTRIES] && n < max; e++) {
		if (e->state == FREE)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].ip = e->ip;
		if (e->state == RESOLVED)
			memcpy(out[n].mac, e->mac, ETH_ALEN);
		out[n].state = (uint16_t)e->state;
		out[n].age_ms = (ticks - e->stamp) * (1000 / TIMER_HZ);
		out[n].queued = (uint32_t)e->queued;
		n++;
	}
	return n;
}
