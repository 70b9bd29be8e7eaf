/*
 * ICMP (RFC 792) as RFC 1122 3.2.2 asks of a host: answer echo requests,
 * report datagrams for closed UDP ports and unknown protocols (destination
 * unreachable, rate limited),
 * count the errors others send us, and hand echo replies to whoever sent
 * the request (a ping socket), found by the echo identifier.
 */
#include "kernel.h"
#include "sched.h"
#include "net.h"
#include "port_range.h"

#define ECHO_BINDINGS	16
#define ECHO_ID_FIRST	0x4000		/* ids handed out by icmp_echo_bind(0) */
#define ECHO_ID_LAST	0xFFFF
#define UNREACH_PER_SEC	10		/* token bucket for the errors we send */
#define UNREACH_QUOTE	8		/* bytes of the datagram quoted (RFC 792) */

static struct echo_binding {
	uint16_t	 id;		/* 0 = free */
	icmp_echo_fn	 fn;
	void		*ctx;
} bindings[ECHO_BINDINGS];

static struct port_range echo_ids = PORT_RANGE(ECHO_ID_FIRST, ECHO_ID_LAST);
static uint32_t unreach_tokens = UNREACH_PER_SEC;
static uint32_t unreach_refill_tick;

static struct echo_binding *
find_binding(uint16_t id)
{
	struct echo_binding *b;

	for (b = bindings; b < &bindings[ECHO_BINDINGS]; b++)
		if (b->id == id && id != 0)
			return b;
	return NULL;
}

static int
id_taken(uint16_t id)
{
	return find_binding(id) != NULL;
}

int
icmp_echo_bind(uint16_t id, icmp_echo_fn fn, void *ctx)
{
	struct echo_binding *b, *slot = NULL;

	if (id == 0) {
		if (!(id = port_pick(&echo_ids, id_taken)))
			return -EADDRINUSE;
	} else if (id_taken(id)) {
		return -EADDRINUSE;
	}
	for (b = bindings; b < &bindings[ECHO_BINDINGS] && !slot; b++)
		if (b->id == 0)
			slot = b;
	if (!slot)
		return -ENOSPC;
	slot->id = id;
	slot->fn = fn;
	slot->ctx = ctx;
	return id;
}

void
icmp_echo_unbind(uint16_t id)
{
	struct echo_binding *b = find_binding(id);

	if (b)
		b->id = 0;
}

/* p: the message, in one buffer or (over the MTU) a chain. */
static void
set_checksum(struct pkbuf *p)
{
	put16(pkb_data(p) + 2, 0);
	put16(pkb_data(p) + 2, csum_fold(csum_chain(p, 0)));
}

int
icmp_echo_send(uint32_t dst, uint16_t id, struct pkbuf *p)
{
	uint8_t *msg = pkb_data(p);

	if (p->len < ICMP_HLEN || msg[0] != ICMP_ECHO_REQUEST) {
		pkbuf_free(p);
		return -EINVAL;
	}
	msg[1] = 0;
	put16(msg + 4, id);
	set_checksum(p);
	netstat.icmp_out++;
	return ip_output(dst, IP_PROTO_ICMP, p);
}

/* Echo request to echo reply: the same identifier, sequence and data.
 * A request that came in fragments (reassembled) is answered in
 * fragments. */
static void
answer_echo(uint32_t src, const uint8_t *msg, uint32_t len)
{
	struct pkbuf *p;
	uint8_t *reply;

	if (!(p = ip_alloc(len, 0)))
		return;
	pkbuf_chain_write(p, msg);
	reply = pkb_data(p);
	reply[0] = ICMP_ECHO_REPLY;
	reply[1] = 0;
	set_checksum(p);
	netstat.icmp_out++;
	netstat.icmp_echo_replies_out++;
	ip_output(src, IP_PROTO_ICMP, p);
}

void
icmp_input(uint32_t src, const uint8_t *ip_pkt, uint32_t ip_len,
    const uint8_t *msg, uint32_t len)
{
	struct echo_binding *b;

	netstat.icmp_in++;
	if (len < ICMP_HLEN || csum_fold(csum_partial(msg, len, 0)) != 0) {
		netstat.icmp_bad++;
		return;
	}
	switch (msg[0]) {
	case ICMP_ECHO_REQUEST:
		netstat.icmp_echo_requests_in++;
		/* RFC 1122 3.2.2.6: a host MAY ignore broadcast echoes; we do. */
		if (!ip_is_broadcast(get32_raw(ip_pkt + 16)))
			answer_echo(src, msg, len);
		break;
	case ICMP_ECHO_REPLY:
		if ((b = find_binding(get16(msg + 4))))
			b->fn(b->ctx, src, msg, len);
		else
			netstat.icmp_no_listener++;
		break;
	case ICMP_DEST_UNREACH:
		netstat.icmp_unreach_in++;
		break;
	}
}

/* At most UNREACH_PER_SEC errors a second, so a flood of datagrams to
 * closed ports cannot turn us into a flood of replies (RFC 1812 4.3.2.8
 * recommends limiting the rate of ICMP errors). */
static int
may_send_error(void)
{
	if ((uint32_t)(ticks - unreach_refill_tick) >= TIMER_HZ) {
		unreach_refill_tick = ticks;
		unreach_tokens = UNREACH_PER_SEC;
	}
	if (unreach_tokens == 0)
		return 0;
	unreach_tokens--;
	return 1;
}

void
icmp_unreachable(const uint8_t *ip_pkt, uint32_t ip_len, uint8_t code)
{
	uint32_t hlen = (ip_pkt[0] & 0x0F) * 4u, quote;
	struct pkbuf *p;
	uint8_t *msg;

	/* RFC 1122 3.2.2: never about a datagram sent to a broadcast. */
	if (ip_is_broadcast(get32_raw(ip_pkt + 16)) || !may_send_error())
		return;
	quote = MIN(ip_len, hlen + UNREACH_QUOTE);
	if (!(p = pkbuf_alloc()))
		return;
	msg = pkb_data(p);
	msg[0] = ICMP_DEST_UNREACH;
	msg[1] = code;		/* ICMP_PORT_UNREACH or ICMP_PROTO_UNREACH */
	memset(msg + 4, 0, 4);			/* unused */
	memcpy(msg + ICMP_HLEN, ip_pkt, quote);
	p->len = (uint16_t)(ICMP_HLEN + quote);
	set_checksum(p);
	netstat.icmp_out++;
	netstat.icmp_unreach_out++;
	ip_output(get32_raw(ip_pkt + 12), IP_PROTO_ICMP, p);
}
