/*
 * TCP's receiving half: RFC 9293 3.10.7 "SEGMENT ARRIVES", in interrupt
 * context.  Every segment is checked (length, data offset, options,
 * checksum over the pseudo-header, flags) before any connection is
 * looked at; every one dropped is counted under one reason (netstat).
 */
#include "kernel.h"
#include "sched.h"
#include "net.h"
#include "tcp.h"

static uint16_t
peer_mss(uint16_t mss)
{
	if (mss == 0)
		return TCP_MSS_DEFAULT;
	return (uint16_t)MIN(MAX(mss, TCP_MSS_MIN), TCP_MSS_OURS);
}

/* A SYN for a listener: a half-open child in SYN_RCVD, within the
 * listener's backlog and the table's size (a SYN flood stops here). */
static void
input_listen(struct tcb *l, uint32_t src, uint32_t dst, const struct tcp_seg *s)
{
	struct tcb *c;

	if (s->flags & TCP_RST) {
		netstat.tcp_rst_in++;		/* nothing to reset */
		return;
	}
	if (s->flags & TCP_ACK) {
		/* An ACK for a connection we have no memory of. */
		netstat.tcp_bad_ack++;
		tcp_reply_rst(src, dst, s);
		return;
	}
	if (!(s->flags & TCP_SYN)) {
		netstat.tcp_bad_flags++;
		return;
	}
	if (l->children >= l->backlog || !(c = tcb_alloc(1))) {
		netstat.tcp_backlog_drops++;
		return;
	}
	c->local_ip = dst;
	c->local_port = l->local_port;
	c->remote_ip = src;
	c->remote_port = s->sport;
	c->bound = 1;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;	/* a SYN's data, if any, is not kept */
	c->iss = tcp_new_iss();
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->snd_wnd = s->wnd;
	c->snd_wl1 = s->seq;
	c->snd_mss = peer_mss(s->mss);
	c->listener = l;
	l->children++;
	c->state = TCP_SYN_RCVD;
	snprintf(c->wait_name, sizeof(c->wait_name), "tcp %u", c->local_port);
	netstat.tcp_passive_opens++;
	c->segs_in++;
	tcp_output(c);
}

/* RFC 9293 3.10.7.3: our SYN is out; a SYN-ACK completes the open, a
 * bare SYN is a simultaneous open, a reset with our ACK is a refusal. */
static void
input_syn_sent(struct tcb *t, const struct tcp_seg *s)
{
	if ((s->flags & TCP_ACK) &&
	    (seq_le(s->ack, t->iss) || seq_gt(s->ack, t->snd_max))) {
		netstat.tcp_bad_ack++;
		tcp_reply_rst(t->remote_ip, t->local_ip, s);
		return;
	}
	if (s->flags & TCP_RST) {
		netstat.tcp_rst_in++;
		if (s->flags & TCP_ACK)
			tcb_drop(t, -ECONNREFUSED);
		return;
	}
	if (!(s->flags & TCP_SYN)) {
		netstat.tcp_bad_flags++;
		return;
	}
	t->irs = s->seq;
	t->rcv_nxt = s->seq + 1;
	t->snd_mss = peer_mss(s->mss);
	t->snd_wnd = s->wnd;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = s->ack;
	if (!(s->flags & TCP_ACK)) {
		t->snd_nxt = t->iss;		/* our SYN again, now with an ACK */
		tcb_set_state(t, TCP_SYN_RCVD);
		tcp_output(t);
		return;
	}
	t->snd_una = s->ack;
	if (t->rtt_timing && t->retries == 0)
		tcp_rtt_sample(t, ticks - t->rtt_start);
	t->rtt_timing = 0;
	t->retries = 0;
	t->rexmit_at = 0;
	tcb_set_state(t, TCP_ESTABLISHED);
	t->ack_now = 1;
	tcp_output(t);
}

/* RFC 9293 3.10.7.4's table of acceptable segments, with its allowance
 * for a zero window: a segment at rcv_nxt is still looked at for its
 * ACK and RST (its data is then dropped for want of room). */
static int
acceptable(const struct tcb *t, uint32_t seq, uint32_t seglen, uint32_t wnd)
{
	uint32_t end = t->rcv_nxt + wnd;

	if (seq == t->rcv_nxt)
		return 1;
	if (wnd == 0)
		return 0;
	if (seglen == 0)
		return seq_in(seq, t->rcv_nxt, end);
	return seq_in(seq, t->rcv_nxt, end) || seq_in(seq + seglen - 1, t->rcv_nxt, end);
}

/* The ACK field: what of ours has arrived, and the peer's window.
 * Returns 0 if the segment is to be dropped here. */
static int
process_ack(struct tcb *t, const struct tcp_seg *s)
{
	uint32_t acked, data;

	if (t->state == TCP_SYN_RCVD) {
		if (!seq_gt(s->ack, t->snd_una) || seq_gt(s->ack, t->snd_max)) {
			netstat.tcp_bad_ack++;
			tcp_reply_rst(t->remote_ip, t->local_ip, s);
			return 0;
		}
		t->snd_una = s->ack;
		t->snd_wnd = s->wnd;
		t->snd_wl1 = s->seq;
		t->snd_wl2 = s->ack;
		t->retries = 0;
		t->rexmit_at = 0;
		if (t->listener) {
			list_push_back(&t->listener->accept_q, &t->accept_node);
			tcb_wake(t->listener);
		}
		tcb_set_state(t, TCP_ESTABLISHED);
		return 1;
	}
	if (seq_gt(s->ack, t->snd_max)) {
		netstat.tcp_bad_ack++;		/* acknowledges what we never sent */
		t->ack_now = 1;
		tcp_output(t);
		return 0;
	}
	if (seq_lt(s->ack, t->snd_una))
		return 1;			/* an old duplicate: nothing new */
	if (seq_gt(s->ack, t->snd_una)) {
		acked = s->ack - t->snd_una;
		data = MIN(acked, t->sndq.len);
		ring_drop(&t->sndq, data);
		if (acked > data)
			t->fin_acked = 1;	/* only the FIN lies past the data */
		t->snd_una = s->ack;
		if (seq_lt(t->snd_nxt, t->snd_una))
			t->snd_nxt = t->snd_una;
		if (t->rtt_timing && seq_ge(s->ack, t->rtt_seq)) {
			tcp_rtt_sample(t, ticks - t->rtt_start);
			t->rtt_timing = 0;
		} else
			tcp_rto_restore(t);
		t->rexmit_at = 0;
		tcb_wake(t);			/* room for writers */
	}
	/* The peer is alive: retries count timeouts in a row. */
	t->retries = 0;
	/* RFC 9293 3.10.7.4: take the window only from a segment newer
	 * than the one it last came from. */
	if (seq_lt(t->snd_wl1, s->seq) ||
	    (t->snd_wl1 == s->seq && seq_le(t->snd_wl2, s->ack))) {
		if (t->snd_wnd == 0 && s->wnd) {
			/* The probe's work is done; whatever of it was not
			 * taken goes again, from the oldest byte. */
			t->rexmit_at = 0;
			t->snd_nxt = t->snd_una;
		}
		t->snd_wnd = s->wnd;
		t->snd_wl1 = s->seq;
		t->snd_wl2 = s->ack;
	}
	switch (t->state) {
	case TCP_FIN_WAIT_1:
		if (t->fin_acked) {
			tcb_set_state(t, TCP_FIN_WAIT_2);
			if (t->orphan)
				t->linger_at = (ticks + TCP_FIN_WAIT_2_TICKS) | 1;
		}
		break;
	case TCP_CLOSING:
		if (t->fin_acked)
			tcp_enter_time_wait(t);
		return 0;
	case TCP_LAST_ACK:
		if (t->fin_acked) {
			tcb_drop(t, 0);
			return 0;
		}
		break;
	}
	tcp_arm_timer(t);
	return 1;
}

/* Data and FIN, in order only: a segment beyond rcv_nxt is dropped
 * (counted) and re-ACKed, so the sender goes back to what is missing. */
static void
process_text(struct tcb *t, const struct tcp_seg *s)
{
	const uint8_t *data = s->data;
	uint32_t len = s->len, seq = s->seq, skip, n;
	int fin = (s->flags & TCP_FIN) != 0;

	if (len == 0 && !fin)
		return;
	if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 &&
	    t->state != TCP_FIN_WAIT_2)
		return;				/* the peer's FIN came already */
	if (t->orphan && len) {
		/* Nobody will read it: tell the peer (as Linux does). */
		tcp_send_rst(t);
		tcb_drop(t, 0);
		return;
	}
	if (seq_lt(seq, t->rcv_nxt)) {
		skip = MIN(t->rcv_nxt - seq, len);
		data += skip;
		len -= skip;
		seq += skip;
	}
	if (seq != t->rcv_nxt) {
		netstat.tcp_out_of_order++;
		t->ack_now = 1;
		return;
	}
	n = MIN(len, ring_free(&t->rcvq));
	if (n < len) {
		fin = 0;			/* it lies past what we took */
		t->ack_now = 1;
	}
	if (n && !t->rd_shut)
		ring_put(&t->rcvq, data, n);
	t->rcv_nxt += n;
	if (n)
		t->ack_now = 1;
	if (fin) {
		t->rcv_nxt++;
		t->fin_received = 1;
		t->ack_now = 1;
		if (t->state == TCP_ESTABLISHED)
			tcb_set_state(t, TCP_CLOSE_WAIT);
		else if (t->state == TCP_FIN_WAIT_1)
			tcb_set_state(t, t->fin_acked ? TCP_TIME_WAIT : TCP_CLOSING);
		if (t->state == TCP_FIN_WAIT_2 || t->state == TCP_TIME_WAIT)
			tcp_enter_time_wait(t);
	}
	if (n || fin)
		tcb_wake(t);
}

static void
input_synchronized(struct tcb *t, const struct tcp_seg *s)
{
	uint32_t seglen = s->len + ((s->flags & TCP_SYN) ? 1 : 0) +
	    ((s->flags & TCP_FIN) ? 1 : 0);

	if (!acceptable(t, s->seq, seglen, tcp_rcv_window(t))) {
		netstat.tcp_out_of_window++;
		if (!(s->flags & TCP_RST)) {
			if (t->state == TCP_TIME_WAIT && (s->flags & TCP_FIN))
				tcp_enter_time_wait(t);	/* our last ACK was lost */
			t->ack_now = 1;
			tcp_output(t);
		}
		return;
	}
	if (s->flags & TCP_RST) {
		netstat.tcp_rst_in++;
		if (t->state == TCP_SYN_RCVD)
			tcb_drop(t, t->listener ? 0 : -ECONNREFUSED);
		else if (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
		    t->state == TCP_FIN_WAIT_2 || t->state == TCP_CLOSE_WAIT)
			tcb_drop(t, -ECONNRESET);
		else
			tcb_drop(t, 0);
		return;
	}
	if (s->flags & TCP_SYN) {
		/* A SYN inside the window of a live connection: RFC 5961
		 * 4.2's challenge ACK instead of a reset, so a blind attacker
		 * cannot kill it; a peer that really restarted will answer
		 * the ACK with a reset. */
		netstat.tcp_bad_flags++;
		t->ack_now = 1;
		tcp_output(t);
		return;
	}
	if (!(s->flags & TCP_ACK)) {
		netstat.tcp_bad_flags++;
		return;
	}
	if (!process_ack(t, s))
		return;
	process_text(t, s);
	if (t->in_use && t->state != TCP_CLOSED)
		tcp_output(t);
}

void
tcp_input(uint32_t src, uint32_t dst, const uint8_t *seg, uint32_t len)
{
	struct tcp_seg s;
	struct tcb *t;
	int r;

	netstat.tcp_in++;
	if ((r = tcp_parse(seg, len, &s)) == TCP_PARSE_SHORT) {
		netstat.tcp_bad_header++;
		return;
	}
	if (tcp_checksum(src, dst, seg, len) != 0) {
		netstat.tcp_bad_checksum++;
		return;
	}
	if (r == TCP_PARSE_BAD_OPTIONS || s.sport == 0 || s.dport == 0) {
		netstat.tcp_bad_header++;
		return;
	}
	if (r == TCP_PARSE_BAD_FLAGS) {
		netstat.tcp_bad_flags++;
		return;
	}
	if (ip_is_broadcast(dst)) {
		netstat.tcp_not_unicast++;	/* TCP is between two hosts */
		return;
	}
	if (!(t = tcb_lookup(dst, s.dport, src, s.sport))) {
		netstat.tcp_no_listener++;
		tcp_reply_rst(src, dst, &s);
		return;
	}
	if (t->state == TCP_LISTEN) {
		input_listen(t, src, dst, &s);
		return;
	}
	t->segs_in++;
	if (t->state == TCP_SYN_SENT)
		input_syn_sent(t, &s);
	else
		input_synchronized(t, &s);
}
