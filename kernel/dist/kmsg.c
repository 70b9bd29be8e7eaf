/*
 * The kernel message layer (kmsg.h, docs/protocol.md): to each peer node
 * a stream of numbered packets, with cumulative and selective acks,
 * retransmission with exponential backoff and a retry limit, a window of
 * KMSG_WINDOW packets, in-order delivery without duplicates, messages cut
 * into fragments and put back together, and boot ids so that a peer's
 * reboot voids what was pending with it instead of confusing the streams.
 *
 * It runs from the UDP callback and the tick (interrupt context) and from
 * system calls, and never sleeps: sends from a system call run as
 * interrupt work too (net_atomic), so a full transmit ring drops the
 * packet and the retransmission timer sends it later.
 */
#include "kernel.h"
#include "mm/kheap.h"
#include "sched.h"
#include "x86.h"
#include "net/net.h"
#include "net/udp.h"
#include "kmsg_impl.h"
#include "lamport.h"
#include "trace.h"

struct peer kmsg_peers[NPEERS];
struct kmsg_service kmsg_services[KMSG_NSERVICES];
struct kmsg_stats kst;
uint32_t kmsg_boot;
static uint32_t next_stream = 1;	/* unique per boot, across peers */
uint32_t kmsg_held;
static uint32_t rsts_this_tick;
static uint8_t txbuf[KMSG_HLEN + KMSG_FRAG];	/* udp_send copies it at once */

int
kmsg_node(void)
{
	if (!netcfg.dev || !netcfg.ip || netcfg.node < 0 || netcfg.node > DIST_NODE_MAX)
		return -1;
	return netcfg.node;
}

/* ---- peers ---- */

struct peer *
peer_find(int node)
{
	struct peer *p;

	for (p = kmsg_peers; p < &kmsg_peers[NPEERS]; p++)
		if (p->in_use && p->node == node)
			return p;
	return NULL;
}

static int
peer_idle(struct peer *p)
{
	int i;

	if (!list_empty(&p->out) || p->holds || p->reasm || p->busy)
		return 0;
	for (i = 0; i < KMSG_WINDOW; i++)
		if (p->held[i])
			return 0;
	return 1;
}

/* The entry for node, made if need be (reusing an idle one); NULL when
 * every entry is busy. */
struct peer *
peer_get(int node)
{
	struct peer *p, *victim = NULL;

	if ((p = peer_find(node)))
		return p;
	for (p = kmsg_peers; p < &kmsg_peers[NPEERS]; p++) {
		if (!p->in_use) {
			victim = p;
			break;
		}
		if (!victim && peer_idle(p))
			victim = p;
	}
	if (!(p = victim))
		return NULL;
	memset(p, 0, sizeof(*p));
	p->in_use = 1;
	p->node = node;
	p->tx_stream = next_stream++;
	p->tx.una = p->tx.nxt = 1;
	p->rx.nxt = p->acked_nxt = 1;
	p->rto_us = RTO_INIT_US;
	list_init(&p->out);
	return p;
}

void
raise_event(int node, int event)
{
	int i;

	for (i = 0; i < KMSG_NSERVICES; i++)
		if (kmsg_services[i].event)
			kmsg_services[i].event(node, event);
}

/* Services' own timers (kmsg_register_tick), once a second. */
static void (*service_ticks[KMSG_NSERVICES])(void);

/* ---- sending ---- */

/* Fill in the addressing and the piggybacked ack, and send. */
static void
xmit(struct peer *p, struct kmsg_hdr *h, const uint8_t *payload)
{
	int r;

	h->src_node = (uint8_t)kmsg_node();
	h->dst_node = (uint8_t)p->node;
	h->src_boot = kmsg_boot;
	h->dst_boot = p->boot;
	h->stream = p->tx_stream;
	if (p->rx_stream) {
		h->ack_stream = p->rx_stream;
		h->ack = p->rx.nxt;
		h->sack = p->rx.held;
		p->acked_nxt = p->rx.nxt;
		p->unacked = 0;
	}
	kmsg_encode(h, txbuf);
	if (h->len)
		memcpy(txbuf + KMSG_HLEN, payload, h->len);
	r = udp_send(node_ip(p->node), KMSG_PORT, KMSG_PORT, txbuf, KMSG_HLEN + h->len);
	if (r < 0)
		kst.send_errors++;
	p->last_err = r;		/* EHOSTUNREACH: ARP had no answer */
}

void
send_ack(struct peer *p)
{
	struct kmsg_hdr h;

	memset(&h, 0, sizeof(h));
	h.type = KMSG_ACK;
	h.ts = lamport_now();
	kst.acks_out++;
	xmit(p, &h, NULL);
}

/* Refuse a packet for a stream (or a boot of ours) we do not know, so
 * its sender starts afresh instead of retrying into the void. */
void
send_rst(const struct kmsg_hdr *bad)
{
	struct kmsg_hdr h;

	if (bad->type == KMSG_RST || rsts_this_tick >= RST_PER_TICK)
		return;
	rsts_this_tick++;
	memset(&h, 0, sizeof(h));
	h.type = KMSG_RST;
	h.src_node = (uint8_t)kmsg_node();
	h.dst_node = bad->src_node;
	h.src_boot = kmsg_boot;
	h.dst_boot = bad->src_boot;
	h.ack_stream = bad->stream;
	h.ts = lamport_now();
	kmsg_encode(&h, txbuf);
	kst.rsts_out++;
	if (udp_send(node_ip(bad->src_node), KMSG_PORT, KMSG_PORT, txbuf, KMSG_HLEN) < 0)
		kst.send_errors++;
}

static void
send_data(struct peer *p, uint32_t seq)
{
	struct txslot *s = &p->slot[seq % KMSG_WINDOW];
	struct outmsg *m = s->m;
	struct kmsg_hdr h;

	memset(&h, 0, sizeof(h));
	h.type = KMSG_DATA;
	h.seq = seq;
	h.ts = m->ts;
	h.msg_len = m->len;
	h.frag = s->frag;
	h.nfrags = (uint16_t)m->nfrags;
	h.service = m->service;
	h.len = (uint16_t)kmsg_frag_len(m->len, s->frag);
	s->tries++;
	s->sent_us = uptime_us();
	kst.data_out++;
	xmit(p, &h, m->data + (uint32_t)s->frag * KMSG_FRAG);
}

static struct outmsg *
next_unsent(struct peer *p)
{
	struct list_node *n;
	struct outmsg *m;

	list_for_each(n, &p->out) {
		m = container_of(n, struct outmsg, node);
		if (m->sent < m->nfrags)
			return m;
	}
	return NULL;
}

/* Put fragments in flight while the window has room. */
static void
tx_fill(struct peer *p)
{
	int node = p->node;
	struct txslot *s;
	struct outmsg *m;
	uint32_t seq;

	while (p->node == node && txwin_inflight(&p->tx) < KMSG_WINDOW &&
	    (m = next_unsent(p))) {
		seq = p->tx.nxt++;
		s = &p->slot[seq % KMSG_WINDOW];
		s->m = m;
		s->frag = (uint16_t)m->sent++;
		s->tries = 0;
		s->seen = 0;
		send_data(p, seq);
	}
}

static void
tx_fill_atomic(void *p)
{
	tx_fill(p);
}

/* Start a new stream to p: every message queued or in flight fails with
 * err (collected first: a done callback may queue new messages). */
void
restart_stream(struct peer *p, int err)
{
	struct list failed;
	struct list_node *n;
	struct outmsg *m;

	list_init(&failed);
	while ((n = list_pop_front(&p->out)))
		list_push_back(&failed, n);
	p->queued = 0;
	memset(p->slot, 0, sizeof(p->slot));
	p->tx_stream = next_stream++;
	p->tx.una = p->tx.nxt = 1;
	p->tx.sacked = 0;
	while ((n = list_pop_front(&failed))) {
		m = container_of(n, struct outmsg, node);
		kst.queued_bytes -= m->len;
		if (m->done)
			m->done(m->cookie, err);
		kfree(m);
	}
}

static void
rtt_sample(struct peer *p, uint32_t us)
{
	uint32_t delta;

	if (!p->srtt_us) {
		p->srtt_us = us;
		p->rttvar_us = us / 2;
	} else {
		delta = us > p->srtt_us ? us - p->srtt_us : p->srtt_us - us;
		p->rttvar_us = (3 * p->rttvar_us + delta) / 4;
		p->srtt_us = (7 * p->srtt_us + us) / 8;
	}
	p->rto_us = MIN(MAX(p->srtt_us + 4 * p->rttvar_us, RTO_MIN_US), RTO_MAX_US);
}

/* The first news that a packet arrived: one round-trip sample, if it
 * was sent once (Karn).  Taken when the sack first shows it, not when a
 * hole before it is filled, which would add the wait for the hole. */
static void
arrived(struct peer *p, struct txslot *s, uint64_t now)
{
	if (s->m && !s->seen && s->tries == 1)
		rtt_sample(p, (uint32_t)(now - s->sent_us));
	s->seen = 1;
}

/*
 * An ack for our current stream: release what it covers.  The done
 * callbacks run last, once the window is settled: a callback may send to
 * this peer again, and tx_fill would then hand out slots that the
 * release loop has not reached yet, which it would wrongly release (the
 * packet in it would never be retransmitted, and the stream would stall).
 */
void
tx_acked(struct peer *p, uint32_t ack, uint32_t sack)
{
	uint32_t old = p->tx.una, seq, above = 0;
	uint64_t now = uptime_us();
	struct txslot *s;
	struct outmsg *m;
	struct list finished;
	struct list_node *node;
	int i, n;

	list_init(&finished);
	n = txwin_ack(&p->tx, ack, sack);
	for (seq = p->tx.una; seq_lt(seq, p->tx.nxt); seq++)
		if ((p->tx.sacked >> (seq - p->tx.una)) & 1)
			arrived(p, &p->slot[seq % KMSG_WINDOW], now);
	for (i = 0; i < n; i++) {
		s = &p->slot[(old + (uint32_t)i) % KMSG_WINDOW];
		arrived(p, s, now);
		if (!(m = s->m))
			continue;
		s->m = NULL;
		if (++m->acked < m->nfrags)
			continue;
		list_remove(&m->node);
		p->queued--;
		kst.queued_bytes -= m->len;
		list_push_back(&finished, &m->node);
	}
	/* Fast retransmit: a packet the receiver skipped while three later
	 * ones arrived is most likely lost; send it again now rather than
	 * at its timeout (once: after that the timer's backoff rules). */
	for (seq = p->tx.nxt; seq != p->tx.una; ) {
		seq--;
		s = &p->slot[seq % KMSG_WINDOW];
		if ((p->tx.sacked >> (seq - p->tx.una)) & 1)
			above++;
		else if (above >= 3 && s->m && s->tries == 1) {
			kst.retransmits++;
			p->retransmits++;
			send_data(p, seq);
		}
	}
	if (n > 0)
		tx_fill(p);
	while ((node = list_pop_front(&finished))) {
		m = container_of(node, struct outmsg, node);
		if (m->done)
			m->done(m->cookie, 0);
		kfree(m);
	}
}

int
kmsg_send(int node, int service, const void *data, uint32_t len,
    kmsg_done_fn done, uint32_t cookie)
{
	struct outmsg *m;
	struct peer *p;
	int me = kmsg_node();

	if (me < 0)
		return -ENETDOWN;
	if (node < 0 || node > DIST_NODE_MAX || node == me || service < 0 ||
	    service >= KMSG_NSERVICES)
		return -EINVAL;
	if (len > KMSG_MAX_MSG)
		return -EMSGSIZE;
	if (kst.queued_bytes + len > QUEUE_LIMIT) {
		kst.drop_memory++;
		return -ENOBUFS;
	}
	if (!(p = peer_get(node))) {
		kst.drop_peers++;
		return -ENOBUFS;
	}
	if (p->state == KMSG_PEER_DOWN && (int32_t)(p->down_until - ticks) > 0)
		return -EHOSTUNREACH;
	if (!(m = kmalloc(sizeof(*m) + len)))
		return -ENOBUFS;
	memset(m, 0, sizeof(*m));
	m->done = done;
	m->cookie = cookie;
	m->service = (uint16_t)service;
	m->len = len;
	m->nfrags = kmsg_nfrags(len);
	m->ts = lamport_tick();		/* a send is an event */
	TRACE(TRACE_KMSG, TEV_KMSG_SEND, TRACE_CUR, node | service << 8, m->ts, NULL);
	if (len)
		memcpy(m->data, data, len);
	list_push_back(&p->out, &m->node);
	p->queued++;
	kst.queued_bytes += len;
	kst.msgs_out++;
	kst.bytes_out += len;
	/* Callers may be halfway through changing a mailbox: sending must
	 * not sleep here, so a full transmit ring drops (and the tick's
	 * retransmission sends it) rather than wait. */
	net_atomic(tx_fill_atomic, p);
	return 0;
}

/* ---- the tick ---- */

static void
peer_down(struct peer *p, int err)
{
	kst.peer_failures++;
	p->state = KMSG_PEER_DOWN;
	p->down_until = ticks + DOWN_TICKS;
	p->last_err = err;
	restart_stream(p, err);
	raise_event(p->node, KMSG_EVENT_DOWN);
}

/* Retransmit what has waited longer than its (backed off) timeout. */
static void
retransmit(struct peer *p, uint64_t now)
{
	struct txslot *s;
	uint32_t seq, rto;
	int sent = 0;

	for (seq = p->tx.una; seq_lt(seq, p->tx.nxt); seq++) {
		if ((p->tx.sacked >> (seq - p->tx.una)) & 1)
			continue;
		s = &p->slot[seq % KMSG_WINDOW];
		if (!s->m)
			continue;
		rto = p->rto_us << MIN(s->tries - 1, 6);
		if (now - s->sent_us < MIN(rto, RTO_MAX_US))
			continue;
		if (s->tries >= MAX_TRIES) {
			kst.timeouts++;
			peer_down(p, p->last_err == -EHOSTUNREACH ? -EHOSTUNREACH : -ETIMEDOUT);
			return;
		}
		if (sent++ >= RETX_PER_TICK)
			return;
		kst.retransmits++;
		p->retransmits++;
		send_data(p, seq);
	}
}

void
kmsg_timer(void)
{
	struct peer *p;
	uint64_t now;
	int i;

	rsts_this_tick = 0;
	if (kmsg_node() < 0)
		return;
	now = uptime_us();
	for (p = kmsg_peers; p < &kmsg_peers[NPEERS]; p++) {
		if (!p->in_use)
			continue;
		if (txwin_inflight(&p->tx))
			retransmit(p, now);
		/* Waiting on a peer that says nothing: make it answer. */
		if (p->holds && list_empty(&p->out) && now - p->heard_us > KEEPALIVE_US &&
		    kmsg_send(p->node, KMSG_SVC_NOP, NULL, 0, NULL, 0) == 0)
			kst.keepalives++;
		if (p->rx_stream && p->held[p->rx.nxt % KMSG_WINDOW])
			rx_drain(p);
		/* Half a message from a peer silent this long will never be
		 * finished (its retries give up after a few seconds): drop
		 * what we kept of its stream, and whatever waits on it. */
		if ((p->reasm || p->rx.held || p->held[p->rx.nxt % KMSG_WINDOW]) &&
		    now - p->heard_us > RX_IDLE_US) {
			kst.resets++;
			rx_clear(p);
			raise_event(p->node, KMSG_EVENT_RESET);
		}
		if (p->rx_stream && p->acked_nxt != p->rx.nxt)
			send_ack(p);		/* the delayed ack */
	}
	if (ticks % TIMER_HZ == 0)
		for (i = 0; i < KMSG_NSERVICES; i++)
			if (service_ticks[i])
				service_ticks[i]();
}

/* ---- services, setup, statistics ---- */

int
kmsg_register_tick(int service, void (*tick)(void))
{
	if (service <= KMSG_SVC_ECHO || service >= KMSG_NSERVICES || service_ticks[service])
		return -EINVAL;
	service_ticks[service] = tick;
	return 0;
}

int
kmsg_register(int service, kmsg_deliver_fn deliver, kmsg_event_fn event)
{
	if (service <= KMSG_SVC_ECHO || service >= KMSG_NSERVICES ||
	    kmsg_services[service].deliver || kmsg_services[service].event)
		return -EINVAL;
	kmsg_services[service].deliver = deliver;
	kmsg_services[service].event = event;
	return 0;
}

void
kmsg_hold(int node)
{
	struct peer *p = peer_find(node);

	if (p)
		p->holds++;
}

void
kmsg_release(int node)
{
	struct peer *p = peer_find(node);

	if (p && p->holds)
		p->holds--;
}

/* Tell every node we (re)booted, so what it had pending with our
 * previous life fails now rather than at its next message. */
static void
send_hello(void)
{
	struct kmsg_hdr h;

	memset(&h, 0, sizeof(h));
	h.type = KMSG_HELLO;
	h.src_node = (uint8_t)kmsg_node();
	h.dst_node = KMSG_BROADCAST;
	h.src_boot = kmsg_boot;
	kmsg_encode(&h, txbuf);
	kst.hellos_out++;
	if (udp_send(netcfg.ip | ~netcfg.netmask, KMSG_PORT, KMSG_PORT, txbuf,
	    KMSG_HLEN) < 0)
		kst.send_errors++;
}

void
kmsg_init(void)
{
	uint64_t t = rdtsc();
	int r;

	if (kmsg_node() < 0)
		return;
	/* Different on every boot (the TSC has run a different time), so
	 * a peer can tell our lives apart.  Never 0. */
	kmsg_boot = (uint32_t)t ^ (uint32_t)(t >> 29) ^ ((uint32_t)(kmsg_node() + 1) * 2654435761u);
	if (!kmsg_boot)
		kmsg_boot = 1;
	if ((r = udp_bind_kernel(KMSG_PORT, kmsg_input, NULL)) < 0) {
		kprintf("brinch: kmsg: cannot bind port %d: %d\n", KMSG_PORT, r);
		return;
	}
	net_tick_hook(kmsg_timer);
	send_hello();
	kprintf("brinch: kmsg: node %d, boot %08x, udp port %d\n", kmsg_node(), kmsg_boot,
	    KMSG_PORT);
}

void
kmsg_stats_fill(struct kmsg_stats *out)
{
	*out = kst;
	out->node = kmsg_node();
	out->session = kmsg_boot;
	out->lamport = lamport_now();
	out->held_packets = kmsg_held;
}

int
kmsg_peers_fill(struct kmsg_peer_info *out, int max)
{
	struct peer *p;
	int n = 0;

	for (p = kmsg_peers; p < &kmsg_peers[NPEERS] && n < max; p++) {
		if (!p->in_use)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].node = p->node;
		out[n].state = p->state;
		out[n].tx_stream = p->tx_stream;
		out[n].rx_stream = p->rx_stream;
		out[n].snd_una = p->tx.una;
		out[n].snd_nxt = p->tx.nxt;
		out[n].rcv_nxt = p->rx.nxt;
		out[n].queued = p->queued;
		out[n].srtt_us = p->srtt_us;
		out[n].rto_us = p->rto_us;
		out[n].retransmits = p->retransmits;
		out[n].holds = p->holds;
		n++;
	}
	return n;
}
