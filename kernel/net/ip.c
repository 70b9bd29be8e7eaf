/*
 * IPv4 (RFC 791) for one interface on one subnet: check every header
 * field of what arrives before trusting it, deliver to ICMP, UDP or TCP, and
 * send with a fresh header, routed to the destination on our subnet or
 * to the gateway.  Packets to ourselves (our address, 127.0.0.0/8) loop
 * back without touching the wire.  A packet that fits the MTU goes
 * whole with Don't Fragment set; a larger one goes as fragments
 * (ip_frag.c), and arriving fragments wait in ip_reasm.c for the rest.
 */
#include "kernel.h"
#include "net.h"

#define IP_VERSION	4
#define IP_FLAG_DF	0x4000
#define IP_FLAG_MF	0x2000
#define IP_OFFSET_MASK	0x1FFF

static uint16_t next_id = 1;

/* RFC 1071: add 16-bit big-endian words with end-around carry; the
 * caller folds and complements.  An odd last byte is padded with zero. */
uint32_t
csum_partial(const void *data, uint32_t len, uint32_t sum)
{
	const uint8_t *p = data;

	for (; len > 1; len -= 2, p += 2) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		if (sum & 0x80000000u)
			sum = (sum & 0xFFFF) + (sum >> 16);
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* UDP and TCP checksum a pseudo-header of addresses, protocol and length
 * too (RFC 768, RFC 9293 3.1), so a segment delivered to the wrong host
 * or protocol fails it. */
uint32_t
csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len, uint32_t sum)
{
	uint8_t pseudo[12];

	put32_raw(pseudo, src);
	put32_raw(pseudo + 4, dst);
	pseudo[8] = 0;
	pseudo[9] = proto;
	put16(pseudo + 10, (uint16_t)len);
	return csum_partial(pseudo, sizeof(pseudo), sum);
}

uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Multicast (224/4) and class E are neither ours nor a valid source. */
static int
is_group_or_reserved(uint32_t ip)
{
	return (ntohl(ip) >> 28) >= 0xE;
}

void
ip_input(const uint8_t *pkt, uint32_t len)
{
	uint32_t hlen, total, src, dst;
	uint16_t frag;

	netstat.ip_in++;
	if (len < IP_HLEN || pkt[0] >> 4 != IP_VERSION) {
		netstat.ip_bad_header++;
		return;
	}
	hlen = (pkt[0] & 0x0F) * 4u;
	if (hlen < IP_HLEN || hlen > len) {
		netstat.ip_bad_header++;
		return;
	}
	if (csum_fold(csum_partial(pkt, hlen, 0)) != 0) {
		netstat.ip_bad_checksum++;
		return;
	}
	total = get16(pkt + 2);
	if (total < hlen || total > len) {
		netstat.ip_bad_length++;	/* truncated, or lying about it */
		return;
	}
	len = total;				/* drop any Ethernet padding */
	src = get32_raw(pkt + 12);
	dst = get32_raw(pkt + 16);
	if (ip_is_broadcast(src) || is_group_or_reserved(src)) {
		netstat.ip_bad_header++;	/* RFC 1122 3.2.1.3: not a source */
		return;
	}
	if (!ip_is_mine(dst) && !ip_is_broadcast(dst)) {
		netstat.ip_not_for_us++;
		return;
	}
	frag = get16(pkt + 6);
	if (frag & (IP_FLAG_MF | IP_OFFSET_MASK)) {
		netstat.ip_fragments++;
		ip_reasm_input(pkt, hlen, len);	/* back here once whole */
		return;
	}
	switch (pkt[9]) {
	case IP_PROTO_ICMP:
		icmp_input(src, pkt, len, pkt + hlen, len - hlen);
		break;
	case IP_PROTO_UDP:
		udp_input(src, dst, pkt, len, pkt + hlen, len - hlen);
		break;
	case IP_PROTO_TCP:
		tcp_input(src, dst, pkt + hlen, len - hlen);
		break;
	default:
		/* RFC 1122 3.2.2.1: say so, so that (say) a TCP client
		 * gives up at once instead of retrying for minutes. */
		netstat.ip_unknown_proto++;
		if (!ip_is_broadcast(dst))
			icmp_unreachable(pkt, len, ICMP_PROTO_UNREACH);
		break;
	}
}

/* The source address a packet to dst carries (UDP's checksum needs it
 * before ip_output writes it). */
uint32_t
ip_source_for(uint32_t dst)
{
	return (ntohl(dst) >> 24) == 127 ? dst : netcfg.ip;
}

void
ip_put_header(struct pkbuf *p, uint32_t dst, uint8_t proto, uint16_t id,
    uint16_t frag)
{
	uint8_t *h = pkb_push(p, IP_HLEN);

	h[0] = IP_VERSION << 4 | IP_HLEN / 4;
	h[1] = 0;				/* type of service */
	put16(h + 2, p->len);
	put16(h + 4, id);
	put16(h + 6, frag);
	h[8] = IP_DEFAULT_TTL;
	h[9] = proto;
	put16(h + 10, 0);
	put32_raw(h + 12, ip_source_for(dst));
	put32_raw(h + 16, dst);
	put16(h + 10, csum_fold(csum_partial(h, IP_HLEN, 0)));
}

int
ip_route(uint32_t dst, struct pkbuf *p)
{
	if (ip_is_mine(dst)) {
		netstat.ip_loopback++;
		ip_input(pkb_data(p), p->len);
		pkbuf_free(p);
		return 0;
	}
	if (ip_is_broadcast(dst))
		return ether_output(eth_broadcast, 0x0800, p);
	if (((dst ^ netcfg.ip) & netcfg.netmask) == 0)
		return arp_output(dst, p);
	if (netcfg.gateway)
		return arp_output(netcfg.gateway, p);
	netstat.ip_no_route++;
	pkbuf_free(p);
	return -ENETUNREACH;
}

int
ip_output(uint32_t dst, uint8_t proto, struct pkbuf *p)
{
	if (!netcfg.dev || !netcfg.ip) {
		pkbuf_free(p);
		return -ENETDOWN;
	}
	netstat.ip_out++;
	if (p->next || p->len + IP_HLEN > netcfg.dev->mtu)
		return ip_output_fragments(dst, proto, p, next_id++);
	ip_put_header(p, dst, proto, next_id++, IP_FLAG_DF);
	return ip_route(dst, p);
}
