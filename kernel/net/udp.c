/*
 * UDP (RFC 768): ports and checksums.  A port is a binding with a
 * callback; user sockets (socket.c) and kernel services (udp.h) bind the
 * same way, so "port in use" means the same thing for both.  Datagrams
 * for an unbound port are answered with ICMP port unreachable.
 */
#include "kernel.h"
#include "net.h"
#include "udp.h"
#include "port_range.h"

#define UDP_BINDINGS		48

static struct udp_binding {
	uint16_t	 port;		/* 0 = free */
	udp_receive_fn	 fn;
	void		*ctx;
} bindings[UDP_BINDINGS];

static struct port_range ephemeral = PORT_RANGE(EPHEMERAL_FIRST, EPHEMERAL_LAST);

static struct udp_binding *
find_binding(uint16_t port)
{
	struct udp_binding *b;

	for (b = bindings; b < &bindings[UDP_BINDINGS]; b++)
		if (b->port == port && port != 0)
			return b;
	return NULL;
}

static int
port_taken(uint16_t port)
{
	return find_binding(port) != NULL;
}

int
udp_bind_kernel(uint16_t port, udp_receive_fn fn, void *ctx)
{
	struct udp_binding *b, *slot = NULL;

	if (!fn)
		return -EINVAL;
	for (b = bindings; b < &bindings[UDP_BINDINGS] && !slot; b++)
		if (b->port == 0)
			slot = b;
	if (!slot)
		return -ENOSPC;
	if (port == 0) {
		if (!(port = port_pick(&ephemeral, port_taken)))
			return -EADDRINUSE;
	} else if (port_taken(port)) {
		return -EADDRINUSE;
	}
	slot->port = port;
	slot->fn = fn;
	slot->ctx = ctx;
	return port;
}

void
udp_unbind_kernel(uint16_t port)
{
	struct udp_binding *b = find_binding(port);

	if (b)
		b->port = 0;
}

/* sum is what the data already adds up to; the pseudo-header is added. */
static uint16_t
udp_checksum(uint32_t src, uint32_t dst, uint32_t len, uint32_t sum)
{
	return csum_fold(csum_pseudo(src, dst, IP_PROTO_UDP, len, sum));
}

void
udp_input(uint32_t src, uint32_t dst, const uint8_t *ip_pkt, uint32_t ip_len,
    const uint8_t *d, uint32_t len)
{
	struct udp_binding *b;
	uint32_t ulen;

	netstat.udp_in++;
	if (len < UDP_HLEN || (ulen = get16(d + 4)) < UDP_HLEN || ulen > len) {
		netstat.udp_bad_length++;
		return;
	}
	/* A zero checksum means the sender computed none (RFC 768). */
	if (get16(d + 6) != 0 &&
	    udp_checksum(src, dst, ulen, csum_partial(d, ulen, 0)) != 0) {
		netstat.udp_bad_checksum++;
		return;
	}
	if (!(b = find_binding(get16(d + 2)))) {
		netstat.udp_no_port++;
		icmp_unreachable(ip_pkt, ip_len, ICMP_PORT_UNREACH);
		return;
	}
	b->fn(b->ctx, src, get16(d), d + UDP_HLEN, ulen - UDP_HLEN);
}

int
udp_output(uint32_t dst, uint16_t dst_port, uint16_t src_port, struct pkbuf *p)
{
	uint32_t len = pkbuf_chain_len(p);
	uint8_t *h;
	uint16_t sum;

	if (len > UDP_MAX_PAYLOAD) {
		pkbuf_free(p);
		return -EMSGSIZE;
	}
	if (dst_port == 0) {
		pkbuf_free(p);
		return -EINVAL;
	}
	len += UDP_HLEN;
	h = pkb_push(p, UDP_HLEN);
	put16(h, src_port);
	put16(h + 2, dst_port);
	put16(h + 4, (uint16_t)len);
	put16(h + 6, 0);
	sum = udp_checksum(ip_source_for(dst), dst, len, csum_chain(p, 0));
	put16(h + 6, sum ? sum : 0xFFFF);	/* 0 would mean "none" */
	netstat.udp_out++;
	return ip_output(dst, IP_PROTO_UDP, p);
}

int
udp_send(uint32_t dst_ip, uint16_t dst_port, uint16_t src_port, const void *buf,
    uint32_t len)
{
	struct pkbuf *p;

	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!netcfg.dev)
		return -ENETDOWN;
	if (!(p = ip_alloc(len, UDP_HLEN)))
		return -ENOBUFS;
	pkbuf_chain_write(p, buf);
	return udp_output(dst_ip, dst_port, src_port, p);
}
