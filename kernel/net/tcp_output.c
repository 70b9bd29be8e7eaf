/*
 * TCP's sending half (kernel/net/tcp.h): segments out, with the MSS
 * option on SYNs and our receive window in every one; the send loop
 * that fills the peer's window from the send queue; resets; and the
 * retransmission timer (RFC 6298 estimate, exponential backoff, go back
 * to snd_una).  There is no congestion control (RFC 5681): a teaching
 * simplification, said in docs/network.md.
 */
#include "kernel.h"
#include "sched.h"
#include "net.h"
#include "tcp.h"

#define RST_PER_SEC	100	/* resets answering segments for no one */

static uint32_t rst_tokens = RST_PER_SEC, rst_refill_tick;

uint16_t
tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, uint32_t len)
{
	return csum_fold(csum_partial(seg, len, csum_pseudo(src, dst, IP_PROTO_TCP, len, 0)));
}

/* Free receive space, as the window we offer (8 KiB fits 16 bits). */
uint32_t
tcp_rcv_window(const struct tcb *t)
{
	return t->rcvq.buf ? ring_free(&t->rcvq) : 0;
}

/*
 * ip_output from a system call may sleep for a transmit slot, and the
 * connection could change under us meanwhile; sending as interrupt work
 * drops instead, which retransmission repairs.  It also makes a segment
 * to ourselves (loopback) arrive as interrupt work, as from the wire.
 */
struct xmit {
	struct pkbuf	*p;
	uint32_t	 dst;
	int		 r;
};

static void
xmit_atomic(void *arg)
{
	struct xmit *x = arg;

	x->r = ip_output(x->dst, IP_PROTO_TCP, x->p);
}

/* Fill in a header in front of the p->len data bytes in p and send it. */
static int
xmit_segment(struct pkbuf *p, uint32_t dst, uint16_t sport, uint16_t dport,
    uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd)
{
	struct xmit x;
	uint32_t hlen = TCP_HLEN + ((flags & TCP_SYN) ? 4 : 0);
	uint8_t *h = pkb_push(p, (uint16_t)hlen);

	put16(h, sport);
	put16(h + 2, dport);
	put32(h + 4, seq);
	put32(h + 8, ack);
	h[12] = (uint8_t)(hlen / 4) << 4;
	h[13] = flags;
	put16(h + 14, wnd);
	put16(h + 16, 0);
	put16(h + 18, 0);			/* urgent pointer: never used */
	if (flags & TCP_SYN) {
		h[20] = TCP_OPT_MSS;
		h[21] = 4;
		put16(h + 22, TCP_MSS_OURS);
	}
	put16(h + 16, tcp_checksum(ip_source_for(dst), dst, h, p->len));
	netstat.tcp_out++;
	if (flags & TCP_RST)
		netstat.tcp_rst_out++;
	x.p = p;
	x.dst = dst;
	net_atomic(xmit_atomic, &x);
	return x.r;
}

/* One segment of t's: `len` data bytes from `off` into the send queue. */
static int
send_segment(struct tcb *t, uint32_t seq, uint8_t flags, uint32_t off, uint32_t len)
{
	struct pkbuf *p;
	uint32_t wnd = tcp_rcv_window(t);
	int r;

	if (!(p = pkbuf_alloc()))
		return -ENOBUFS;
	if (len)
		ring_copy_out(&t->sndq, off, pkb_data(p), len);
	p->len = (uint16_t)len;
	if (flags & TCP_ACK)
		t->rcv_adv = t->rcv_nxt + wnd;
	t->segs_out++;
	r = xmit_segment(p, t->remote_ip, t->local_port, t->remote_port, seq,
	    (flags & TCP_ACK) ? t->rcv_nxt : 0, flags, (uint16_t)wnd);
	if (r == -ENETUNREACH || r == -EHOSTUNREACH || r == -ENETDOWN)
		t->route_error = r;
	return r;
}

/*
 * Clear ack_now before a segment leaves, never after: to ourselves the
 * answer arrives inside send_segment and may ask for an ACK of its own
 * (the third segment of a loopback handshake), which clearing afterwards
 * would lose until a retransmission.
 */
void
tcp_send_ack(struct tcb *t)
{
	t->ack_now = 0;
	send_segment(t, t->snd_nxt, TCP_ACK, 0, 0);
}

void
tcp_send_rst(struct tcb *t)
{
	send_segment(t, t->snd_nxt, TCP_RST | TCP_ACK, 0, 0);
}

static int
may_send_rst(void)
{
	if ((uint32_t)(ticks - rst_refill_tick) >= TIMER_HZ) {
		rst_refill_tick = ticks;
		rst_tokens = RST_PER_SEC;
	}
	if (rst_tokens == 0)
		return 0;
	rst_tokens--;
	return 1;
}

/* RFC 9293 3.10.7.1: a reset takes its sequence number from the
 * offending segment's ACK if it had one, else acknowledges it.  Never
 * a reset for a reset; at most RST_PER_SEC a second, so a flood of
 * segments to closed ports cannot become a flood of replies. */
void
tcp_reply_rst(uint32_t src, uint32_t dst, const struct tcp_seg *s)
{
	struct pkbuf *p;
	uint32_t ack;

	if ((s->flags & TCP_RST) || ip_is_broadcast(dst) || !may_send_rst())
		return;
	if (!(p = pkbuf_alloc()))
		return;
	p->len = 0;
	if (s->flags & TCP_ACK) {
		xmit_segment(p, src, s->dport, s->sport, s->ack, 0, TCP_RST, 0);
		return;
	}
	ack = s->seq + s->len + ((s->flags & TCP_SYN) ? 1 : 0) +
	    ((s->flags & TCP_FIN) ? 1 : 0);
	xmit_segment(p, src, s->dport, s->sport, 0, ack, TCP_RST | TCP_ACK, 0);
}

/* Arm the one timer for what is outstanding (retransmission) or, with
 * nothing in flight, data held back by a zero window (the persist
 * probe, RFC 9293 3.8.6.1); stop it when neither. */
void
tcp_arm_timer(struct tcb *t)
{
	int outstanding = t->snd_una != t->snd_max;
	int blocked = t->sndq.len > 0 && t->snd_wnd == 0;

	if (!outstanding && !blocked) {
		t->rexmit_at = 0;
		return;
	}
	if (!t->rexmit_at)
		t->rexmit_at = (ticks + t->rto) ? ticks + t->rto : 1;
}

/* RFC 6298 2.2-2.3 in fixed point: srtt scaled by 8, rttvar by 4, so
 * rto = srtt + 4 * rttvar is (srtt >> 3) + rttvar. */
void
tcp_rtt_sample(struct tcb *t, uint32_t m)
{
	int32_t err;
	uint32_t rto;

	if (t->srtt == 0) {
		t->srtt = (int32_t)(m << 3) | 1;	/* never 0 again */
		t->rttvar = (int32_t)(m << 1);
	} else {
		err = (int32_t)m - (t->srtt >> 3);
		t->srtt += err;
		if (t->srtt <= 0)
			t->srtt = 1;
		if (err < 0)
			err = -err;
		t->rttvar += err - (t->rttvar >> 2);
	}
	rto = (uint32_t)((t->srtt >> 3) + t->rttvar);
	t->rto = MIN(MAX(rto, TCP_RTO_MIN), TCP_RTO_MAX);
}

/*
 * New data was acknowledged: the path works again, so drop the backoff
 * and go back to the estimate (as Linux does).  Waiting for a fresh RTT
 * sample instead (RFC 6298 5.7) can take minutes on a lossy link, since
 * go-back-N resends, which Karn's rule never times, are most of what
 * goes out after a timeout.
 */
void
tcp_rto_restore(struct tcb *t)
{
	uint32_t rto = t->srtt ? (uint32_t)((t->srtt >> 3) + t->rttvar) : TCP_RTO_INITIAL;

	t->rto = MIN(MAX(rto, TCP_RTO_MIN), TCP_RTO_MAX);
}

static void
output_synchronized(struct tcb *t)
{
	uint32_t off, avail, room, n, wnd_end, seq;
	uint8_t flags;
	int fin;

	for (;;) {
		off = t->snd_nxt - t->snd_una;
		if (off > t->sndq.len)
			break;			/* the FIN is out */
		avail = t->sndq.len - off;
		wnd_end = t->snd_una + t->snd_wnd;
		room = seq_gt(wnd_end, t->snd_nxt) ? wnd_end - t->snd_nxt : 0;
		n = MIN(avail, MIN(room, t->snd_mss));
		/* The FIN follows the last byte; it needs no window space. */
		fin = t->fin_wanted && !t->fin_acked && n == avail;
		if (n == 0 && !fin)
			break;
		flags = TCP_ACK | (fin ? TCP_FIN : 0) | (n && n == avail ? TCP_PSH : 0);
		if (seq_lt(t->snd_nxt, t->snd_max)) {
			netstat.tcp_retransmits++;
			t->retransmits++;
		} else if (!t->rtt_timing) {
			/* Karn: time only segments sent once. */
			t->rtt_timing = 1;
			t->rtt_seq = t->snd_nxt + n + (uint32_t)fin;
			t->rtt_start = ticks;
		}
		/* Account for the segment before it leaves: to ourselves
		 * its ACK arrives before send_segment returns. */
		seq = t->snd_nxt;
		t->snd_nxt += n + (uint32_t)fin;
		if (seq_gt(t->snd_nxt, t->snd_max))
			t->snd_max = t->snd_nxt;
		tcp_arm_timer(t);
		t->ack_now = 0;			/* this segment carries the ACK */
		send_segment(t, seq, flags, off, n);
		if (!t->in_use || t->state == TCP_CLOSED)
			return;			/* reset meanwhile */
		if (fin)
			break;
	}
	if (t->ack_now)
		tcp_send_ack(t);		/* nothing carried it, or asked since */
	tcp_arm_timer(t);
}

static void
output_once(struct tcb *t)
{
	int answer;

	switch (t->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
		/* The SYN (our SYN-ACK, passively), first or again; in
		 * SYN_RCVD a segment that needs an answer gets it again too. */
		answer = t->state == TCP_SYN_RCVD && t->ack_now;
		t->ack_now = 0;
		if (t->snd_nxt == t->iss || answer) {
			if (t->snd_max != t->iss) {
				netstat.tcp_retransmits++;
				t->retransmits++;
			} else {
				t->rtt_timing = 1;
				t->rtt_seq = t->iss + 1;
				t->rtt_start = ticks;
			}
			t->snd_nxt = t->iss + 1;
			t->snd_max = t->snd_nxt;
			tcp_arm_timer(t);
			send_segment(t, t->iss, TCP_SYN |
			    (t->state == TCP_SYN_RCVD ? TCP_ACK : 0), 0, 0);
		}
		return;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		output_synchronized(t);
		return;
	case TCP_FIN_WAIT_2:
	case TCP_TIME_WAIT:
		if (t->ack_now)
			tcp_send_ack(t);
		return;
	}
	t->ack_now = 0;
}

/*
 * Sending can re-enter: a segment to ourselves is answered before
 * ip_output returns, and that answer may call tcp_output on this very
 * connection.  The inner call only asks the outer one to go round again.
 */
void
tcp_output(struct tcb *t)
{
	if (t->in_output) {
		t->output_again = 1;
		return;
	}
	t->in_output = 1;
	do {
		t->output_again = 0;
		output_once(t);
	} while (t->output_again && t->in_use);
	t->in_output = 0;
}

/* The timer went off: give up after too many tries in a row, else back
 * off (RFC 6298 5.5) and go back to the oldest unacknowledged byte.
 * The receiver keeps no out-of-order data, so everything after it is
 * sent again too, as the window allows. */
void
tcp_rexmit_timeout(struct tcb *t)
{
	uint32_t limit = t->state == TCP_SYN_SENT ? TCP_SYN_RETRIES :
	    t->state == TCP_SYN_RCVD ? TCP_SYNACK_RETRIES : TCP_DATA_RETRIES;

	if (++t->retries > limit) {
		netstat.tcp_timeouts++;
		tcb_drop(t, -ETIMEDOUT);
		return;
	}
	t->rto = MIN(t->rto * 2, TCP_RTO_MAX);
	t->rtt_timing = 0;
	if (t->snd_wnd == 0 && t->sndq.len) {
		/*
		 * Zero window: probe with the first unacknowledged byte
		 * (RFC 9293 3.8.6.1); the answer carries the window again.
		 * The byte is real data and counts as sent: a receiver
		 * whose window has opened meanwhile takes it, and its ACK
		 * must not look like one for something never sent.
		 */
		netstat.tcp_window_probes++;
		t->snd_nxt = t->snd_una + 1;
		if (seq_gt(t->snd_nxt, t->snd_max))
			t->snd_max = t->snd_nxt;
		send_segment(t, t->snd_una, TCP_ACK, 0, 1);
		tcp_arm_timer(t);
		return;
	}
	if (t->snd_una == t->snd_max) {
		tcp_arm_timer(t);		/* nothing outstanding any more */
		return;
	}
	t->snd_nxt = t->snd_una;
	tcp_output(t);
}
