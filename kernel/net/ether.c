/*
 * Ethernet II framing (IEEE 802.3 with an EtherType, RFC 894): check the
 * destination, hand the payload to ARP, IPv4 or a bound listener, and
 * prepend headers on the way out.  Frames whose type field is a length
 * (802.3/LLC, < 0x600) are not spoken here and are counted as unknown.
 */
#include "kernel.h"
#include "net.h"

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_MIN	0x0600	/* below: an 802.3 length, not a type */
#define ETHER_BINDINGS	4

const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct ether_binding {
	uint16_t	 type;		/* 0 = free */
	ether_receive_fn fn;
	void		*ctx;
} bindings[ETHER_BINDINGS];

int
ether_bind(uint16_t type, ether_receive_fn fn, void *ctx)
{
	struct ether_binding *b, *slot = NULL;

	if (type < ETHERTYPE_MIN || type == ETHERTYPE_IPV4 || type == ETHERTYPE_ARP)
		return -EINVAL;		/* the stack's own types are not for loan */
	for (b = bindings; b < &bindings[ETHER_BINDINGS]; b++) {
		if (b->type == type)
			return -EADDRINUSE;
		if (!b->type && !slot)
			slot = b;
	}
	if (!slot)
		return -ENOSPC;
	slot->type = type;
	slot->fn = fn;
	slot->ctx = ctx;
	return 0;
}

void
ether_unbind(uint16_t type)
{
	struct ether_binding *b;

	for (b = bindings; b < &bindings[ETHER_BINDINGS]; b++)
		if (b->type == type)
			b->type = 0;
}

void
ether_input(struct netdev *dev, const uint8_t *frame, uint32_t len)
{
	const uint8_t *payload = frame + ETH_HLEN;
	uint32_t plen;
	uint16_t type;
	struct ether_binding *b;

	netstat.eth_in++;
	if (len < ETH_HLEN) {
		netstat.eth_runt++;
		return;
	}
	plen = len - ETH_HLEN;
	if (memcmp(frame, dev->mac, ETH_ALEN) != 0 &&
	    memcmp(frame, eth_broadcast, ETH_ALEN) != 0) {
		netstat.eth_not_for_us++;	/* another station's, or multicast */
		return;
	}
	type = get16(frame + 12);
	switch (type) {
	case ETHERTYPE_ARP:
		arp_input(payload, plen);
		return;
	case ETHERTYPE_IPV4:
		ip_input(payload, plen);
		return;
	}
	for (b = bindings; b < &bindings[ETHER_BINDINGS]; b++) {
		if (b->type && b->type == type) {
			netstat.raw_in++;
			b->fn(b->ctx, frame + ETH_ALEN, payload, plen);
			return;
		}
	}
	netstat.eth_unknown_type++;
}

int
ether_output(const uint8_t dst[ETH_ALEN], uint16_t type, struct pkbuf *p)
{
	struct netdev *dev = netcfg.dev;
	uint8_t *h;
	int r;

	if (!dev) {
		pkbuf_free(p);
		return -ENETDOWN;
	}
	h = pkb_push(p, ETH_HLEN);
	memcpy(h, dst, ETH_ALEN);
	memcpy(h + ETH_ALEN, dev->mac, ETH_ALEN);
	put16(h + 12, type);
	r = dev->transmit(dev, h, p->len, net_may_sleep());
	pkbuf_free(p);
	if (r < 0)
		netstat.eth_tx_failed++;
	else
		netstat.eth_out++;
	return r;
}
