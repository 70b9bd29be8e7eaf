/*
 * TCP's connection table (kernel/net/tcp.h): a fixed array of connection
 * blocks, so a SYN flood fills a bounded table and never the heap; their
 * queues, allocated per connection; lookup by four-tuple; the states'
 * bookkeeping; and the timers, run from the network tick.
 */
#include "kernel.h"
#include "mm/kheap.h"
#include "sched.h"
#include "net.h"
#include "socket.h"
#include "tcp.h"

struct tcb tcbs[TCP_MAX_CONNS];
static uint32_t iss_counter;

static const char *const state_names[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
	"TIME_WAIT",
};

const char *
tcp_state_name(int state)
{
	return state >= 0 && state <= TCP_TIME_WAIT ? state_names[state] : "?";
}

/* A new connection's initial sequence number.  RFC 6528 wants a keyed
 * hash of the four-tuple plus a clock; a teaching kernel settles for a
 * clock plus a stride, which keeps incarnations of one four-tuple from
 * overlapping but is guessable (said in docs/network.md). */
uint32_t
tcp_new_iss(void)
{
	iss_counter += 64013;
	return ticks * 2500u + iss_counter;
}

static int
ring_alloc(struct tcp_ring *r)
{
	r->head = r->len = 0;
	r->size = TCP_BUF_SIZE;
	return (r->buf = kmalloc(TCP_BUF_SIZE)) ? 0 : -1;
}

struct tcb *
tcb_alloc(int with_buffers)
{
	struct tcb *t, *oldest_tw = NULL;

	for (t = tcbs; t < &tcbs[TCP_MAX_CONNS]; t++) {
		if (!t->in_use)
			break;
		if (t->state == TCP_TIME_WAIT &&
		    (!oldest_tw || seq_lt(t->linger_at, oldest_tw->linger_at)))
			oldest_tw = t;
	}
	if (t == &tcbs[TCP_MAX_CONNS]) {
		/* Full: a connection in TIME_WAIT only guards against old
		 * duplicates, so the oldest one makes room (as Linux's
		 * recycling does) rather than refusing a new connection. */
		if (!oldest_tw || !oldest_tw->orphan)
			return NULL;
		tcb_free(oldest_tw);
		t = oldest_tw;
	}
	memset(t, 0, sizeof(*t));
	if (with_buffers) {
		if (ring_alloc(&t->sndq) < 0 || ring_alloc(&t->rcvq) < 0) {
			kfree(t->sndq.buf);
			return NULL;
		}
	}
	t->in_use = 1;
	t->state = TCP_CLOSED;
	t->rto = TCP_RTO_INITIAL;
	t->snd_mss = TCP_MSS_DEFAULT;
	list_init(&t->accept_q);
	list_node_init(&t->accept_node);
	strlcpy(t->wait_name, "tcp", sizeof(t->wait_name));
	wait_queue_init(&t->wait, t->wait_name);
	netstat.tcp_conns++;
	return t;
}

/* Queues of size 0: nothing fits in them, so what reads or fills them
 * does nothing (a listener; an orphan in TIME_WAIT). */
void
tcb_free_buffers(struct tcb *t)
{
	kfree(t->sndq.buf);
	kfree(t->rcvq.buf);
	t->sndq.buf = t->rcvq.buf = NULL;
	t->sndq.size = t->rcvq.size = 0;
	t->sndq.len = t->rcvq.len = t->sndq.head = t->rcvq.head = 0;
}

void
tcb_free(struct tcb *t)
{
	if (!t->in_use)
		return;
	tcb_free_buffers(t);
	t->in_use = 0;
	t->state = TCP_CLOSED;
	netstat.tcp_conns--;
}

void
tcb_wake(struct tcb *t)
{
	wakeup(&t->wait);
	socket_poll_wakeup();
}

void
tcb_set_state(struct tcb *t, int state)
{
	t->state = state;
	if (state == TCP_ESTABLISHED)
		t->was_connected = 1;
	tcb_wake(t);
}

void
tcb_unlink_child(struct tcb *t)
{
	struct tcb *l = t->listener;

	if (!l)
		return;
	if (list_node_linked(&t->accept_node))
		list_remove(&t->accept_node);
	l->children--;
	t->listener = NULL;
}

void
tcb_drop(struct tcb *t, int err)
{
	t->rexmit_at = 0;
	if (err && !t->error) {
		t->error = err;
		t->error_seen = 0;
	}
	t->state = TCP_CLOSED;
	/* Nothing more will be sent or acknowledged: queued data is
	 * dropped, as RFC 9293 3.10.7.4 asks on a reset. */
	t->sndq.len = 0;
	if (t->listener || t->orphan) {
		/* Nobody will ever look at it: a half-open or not yet
		 * accepted child, or a connection whose socket is closed. */
		tcb_unlink_child(t);
		tcb_free(t);
		return;
	}
	tcb_wake(t);
}

void
tcp_enter_time_wait(struct tcb *t)
{
	t->rexmit_at = 0;
	t->linger_at = ticks + TCP_TIME_WAIT_TICKS;
	if (!t->linger_at)
		t->linger_at = 1;
	tcb_set_state(t, TCP_TIME_WAIT);
	/* Everything sent is acknowledged and nobody will read: TIME_WAIT
	 * keeps only the four-tuple, not 16 KiB of queues for 2 s. */
	if (t->orphan)
		tcb_free_buffers(t);
}

struct tcb *
tcb_lookup(uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
	struct tcb *t, *listener = NULL;

	for (t = tcbs; t < &tcbs[TCP_MAX_CONNS]; t++) {
		if (!t->in_use || t->local_port != lport || t->state == TCP_CLOSED)
			continue;
		if (t->state == TCP_LISTEN) {
			if (t->local_ip == 0 || t->local_ip == lip)
				listener = t;
			continue;
		}
		if (t->remote_port == rport && t->remote_ip == rip && t->local_ip == lip)
			return t;
	}
	return listener;
}

/* Runs every tick (10 ms) from net_timer, as interrupt work. */
void
tcp_timer(void)
{
	struct tcb *t;

	for (t = tcbs; t < &tcbs[TCP_MAX_CONNS]; t++) {
		if (!t->in_use)
			continue;
		if (t->linger_at && (int32_t)(ticks - t->linger_at) >= 0) {
			t->linger_at = 0;
			if (t->state == TCP_TIME_WAIT || t->orphan) {
				/* TIME_WAIT is over; or an orphan in FIN_WAIT_2
				 * whose peer never closed. */
				tcb_drop(t, 0);
				continue;
			}
		}
		if (t->rexmit_at && (int32_t)(ticks - t->rexmit_at) >= 0) {
			t->rexmit_at = 0;
			tcp_rexmit_timeout(t);
		}
	}
}

void
tcp_fill_info(const struct tcb *t, struct sock_info *out)
{
	out->domain = AF_INET;
	out->type = SOCK_STREAM;
	out->protocol = IPPROTO_TCP;
	out->local_addr = t->local_ip ? t->local_ip : netcfg.ip;
	out->local_port = t->local_port;
	out->remote_addr = t->remote_ip;
	out->remote_port = t->remote_port;
	out->tcp_state = (uint16_t)t->state;
	out->queued = t->state == TCP_LISTEN ? (uint32_t)list_length(&t->accept_q) :
	    t->rcvq.len;
	out->limit = t->state == TCP_LISTEN ? (uint32_t)t->backlog : t->rcvq.size;
	out->send_queued = t->sndq.len;
	out->received = t->segs_in;
	out->sent = t->segs_out;
	out->dropped = t->retransmits;
}

int
tcp_list_orphans(struct sock_info *out, int max)
{
	struct tcb *t;
	int n = 0;

	for (t = tcbs; t < &tcbs[TCP_MAX_CONNS] && n < max; t++) {
		if (!t->in_use || !(t->orphan || t->listener))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		tcp_fill_info(t, &out[n]);
		out[n].owner = -1;
		n++;
	}
	return n;
}
