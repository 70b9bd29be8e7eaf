/*
 * TCP as the socket calls see it (socket.c calls these for SOCK_STREAM):
 * bind, listen, accept, connect, send, recv, shutdown, close.  They run
 * in system calls and wait on the connection's queue with the IPC rules
 * (MSG_DONTWAIT: EAGAIN; SO_RCVTIMEO: ETIMEDOUT; a signal: EINTR).
 */
#include "kernel.h"
#include "mm/kheap.h"
#include "proc.h"
#include "mm/vm.h"
#include "sched.h"
#include "waitq.h"
#include "net.h"
#include "tcp.h"
#include "port_range.h"

static struct port_range ephemeral = PORT_RANGE(EPHEMERAL_FIRST, EPHEMERAL_LAST);

struct tcb *
tcp_open(int *err)
{
	struct tcb *t = tcb_alloc(1);

	if (!t)
		*err = -ENOBUFS;
	return t;
}

/* bind() conflicts only with listeners and other sockets bound but not
 * yet connected: connections (TIME_WAIT among them) keep their four-
 * tuples apart, so a server can restart at once on its port. */
static int
port_bound(uint16_t port)
{
	struct tcb *t;

	for (t = tcbs; t < &tcbs[TCP_MAX_CONNS]; t++)
		if (t->in_use && t->bound && t->local_port == port &&
		    (t->state == TCP_LISTEN ||
		    (t->state == TCP_CLOSED && !t->was_connected && !t->orphan)))
			return 1;
	return 0;
}

static int
port_used(uint16_t port)
{
	struct tcb *t;

	for (t = tcbs; t < &tcbs[TCP_MAX_CONNS]; t++)
		if (t->in_use && t->bound && t->local_port == port)
			return 1;
	return 0;
}

static void
set_port(struct tcb *t, uint32_t ip, uint16_t port)
{
	t->local_ip = ip;
	t->local_port = port;
	t->bound = 1;
	snprintf(t->wait_name, sizeof(t->wait_name), "tcp %u", port);
}

int
tcp_bind(struct tcb *t, uint32_t ip, uint16_t port)
{
	if (t->bound || t->state != TCP_CLOSED)
		return -EINVAL;
	if (port == 0) {
		if (!(port = port_pick(&ephemeral, port_used)))
			return -EADDRINUSE;
	} else if (port_bound(port)) {
		return -EADDRINUSE;
	}
	set_port(t, ip, port);
	return 0;
}

int
tcp_listen(struct tcb *t, int backlog)
{
	int r;

	if (t->state == TCP_LISTEN) {
		t->backlog = MIN(MAX(backlog, 1), TCP_BACKLOG_MAX);
		return 0;
	}
	if (t->state != TCP_CLOSED || t->was_connected)
		return -EINVAL;
	if (!t->bound && (r = tcp_bind(t, 0, 0)) < 0)
		return r;
	t->backlog = MIN(MAX(backlog, 1), TCP_BACKLOG_MAX);
	/* A listener never sends or receives data itself. */
	tcb_free_buffers(t);
	tcb_set_state(t, TCP_LISTEN);
	return 0;
}

/* An error the connection ended with, told to the user once. */
static int
take_error(struct tcb *t)
{
	if (t->error && !t->error_seen) {
		t->error_seen = 1;
		return t->error;
	}
	return 0;
}

int
tcp_connect(struct tcb *t, uint32_t ip, uint16_t port, struct wait_limit *w)
{
	struct tcb *o;
	int r;

	if (t->state == TCP_SYN_SENT)
		return -EALREADY;
	if (t->state == TCP_LISTEN)
		return -EINVAL;
	if (t->state != TCP_CLOSED || t->was_connected)
		return -EISCONN;
	if (ip == INADDR_ANY || port == 0 || ip_is_broadcast(ip) ||
	    (ntohl(ip) >> 28) >= 0xE)
		return -EINVAL;
	if (!t->bound && (r = tcp_bind(t, 0, 0)) < 0)
		return r;
	t->local_ip = ip_source_for(ip);
	for (o = tcbs; o < &tcbs[TCP_MAX_CONNS]; o++)
		if (o != t && o->in_use && o->state != TCP_CLOSED &&
		    o->state != TCP_LISTEN && o->local_port == t->local_port &&
		    o->remote_ip == ip && o->remote_port == port && o->local_ip == t->local_ip)
			return -EADDRINUSE;	/* that four-tuple is taken */
	t->remote_ip = ip;
	t->remote_port = port;
	t->error = t->error_seen = 0;
	t->route_error = 0;
	t->iss = tcp_new_iss();
	t->snd_una = t->snd_nxt = t->snd_max = t->iss;
	t->retries = 0;
	t->rto = TCP_RTO_INITIAL;
	tcb_set_state(t, TCP_SYN_SENT);
	netstat.tcp_active_opens++;
	tcp_output(t);
	if (t->state == TCP_SYN_SENT && t->route_error) {
		/* No route, or the host did not answer ARP lately: say so
		 * now rather than after a minute of retries. */
		r = t->route_error;
		t->rexmit_at = 0;
		t->state = TCP_CLOSED;
		return r;
	}
	while (t->state == TCP_SYN_SENT) {
		if ((r = sleep_on_limit(&t->wait, w)) < 0 && t->state == TCP_SYN_SENT) {
			/* Given up (signal, SO_RCVTIMEO): forget the attempt. */
			t->rexmit_at = 0;
			t->state = TCP_CLOSED;
			return r;
		}
	}
	if (t->state == TCP_CLOSED || t->state == TCP_SYN_RCVD) {
		if (t->state == TCP_CLOSED) {
			t->error_seen = 1;
			return t->error ? t->error : -ECONNREFUSED;
		}
		/* Simultaneous open: wait for the ACK of our SYN. */
		while (t->state == TCP_SYN_RCVD)
			if ((r = sleep_on_limit(&t->wait, w)) < 0)
				return r;
		if (t->state == TCP_CLOSED) {
			t->error_seen = 1;
			return t->error ? t->error : -ECONNREFUSED;
		}
	}
	return 0;
}

struct tcb *
tcp_accept(struct tcb *l, struct wait_limit *w, int *err)
{
	struct list_node *n;
	struct tcb *c;
	int r;

	if (l->state != TCP_LISTEN) {
		*err = -EINVAL;
		return NULL;
	}
	while (!(n = list_pop_front(&l->accept_q))) {
		if ((r = sleep_on_limit(&l->wait, w)) < 0) {
			*err = r;
			return NULL;
		}
		if (l->state != TCP_LISTEN) {
			*err = -EINVAL;
			return NULL;
		}
	}
	c = container_of(n, struct tcb, accept_node);
	list_node_init(&c->accept_node);
	tcb_unlink_child(c);
	return c;
}

static int
connected(const struct tcb *t)
{
	return t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT;
}

int
tcp_send(struct tcb *t, uint32_t ubuf, uint32_t len, struct wait_limit *w)
{
	uint32_t sent = 0, n, chunk;
	uint8_t *p;
	int r;

	if (!user_range_ok(current->pgdir, ubuf, len, 0))
		return -EFAULT;
	if (!t->was_connected)
		return -ENOTCONN;
	for (;;) {
		if (t->error) {
			/* The reset (or timeout) once, then "the other end
			 * is gone", as for any later write. */
			if (sent)
				return (int)sent;
			return (r = take_error(t)) ? r : -EPIPE;
		}
		if (!connected(t) || t->fin_wanted)
			return sent ? (int)sent : -EPIPE;
		if (sent == len)
			return (int)sent;
		if (ring_free(&t->sndq) == 0) {
			if (sent && w->nowait)
				return (int)sent;
			if ((r = sleep_on_limit(&t->wait, w)) < 0)
				return sent ? (int)sent : r;
			continue;
		}
		n = MIN(len - sent, ring_free(&t->sndq));
		while (n) {
			chunk = MIN(n, ring_tail_span(&t->sndq, &p));
			if (copy_from_user(current->pgdir, p, ubuf + sent, chunk) < 0)
				return sent ? (int)sent : -EFAULT;
			ring_commit(&t->sndq, chunk);
			sent += chunk;
			n -= chunk;
		}
		tcp_output(t);
	}
}

/* After the user read, offer the window again if its right edge moves
 * by a full segment or half the queue (RFC 9293 3.8.6.2.2), so a sender
 * held up by a full queue resumes without waiting for a probe. */
static void
window_update(struct tcb *t)
{
	uint32_t edge = t->rcv_nxt + tcp_rcv_window(t);
	uint32_t step = MIN(TCP_MSS_OURS, t->rcvq.size / 2);

	if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 &&
	    t->state != TCP_FIN_WAIT_2)
		return;
	if (seq_ge(edge, t->rcv_adv + step)) {
		t->ack_now = 1;
		tcp_output(t);
	}
}

int
tcp_recv(struct tcb *t, uint32_t ubuf, uint32_t len, struct wait_limit *w)
{
	uint32_t n, done, chunk;
	uint8_t *p;
	int r;

	if (!user_range_ok(current->pgdir, ubuf, len, 1))
		return -EFAULT;
	if (t->state == TCP_LISTEN || (!t->was_connected && !t->error))
		return -ENOTCONN;
	while (t->rcvq.len == 0) {
		if ((r = take_error(t)) < 0)
			return r;
		if (t->fin_received || t->rd_shut || t->state == TCP_CLOSED || len == 0)
			return 0;		/* end of stream */
		if ((r = sleep_on_limit(&t->wait, w)) < 0)
			return r;
	}
	n = MIN(len, t->rcvq.len);
	for (done = 0; done < n; done += chunk) {
		chunk = MIN(n - done, ring_span(&t->rcvq, done, &p));
		if (copy_to_user(current->pgdir, ubuf + done, p, chunk) < 0)
			return -EFAULT;
	}
	ring_drop(&t->rcvq, n);
	window_update(t);
	return (int)n;
}

/* Queue our FIN behind the data: RFC 9293 3.10.4 CLOSE. */
static void
send_fin(struct tcb *t)
{
	if (t->state == TCP_ESTABLISHED)
		tcb_set_state(t, TCP_FIN_WAIT_1);
	else if (t->state == TCP_CLOSE_WAIT)
		tcb_set_state(t, TCP_LAST_ACK);
	else
		return;
	t->fin_wanted = 1;
	tcp_output(t);
}

int
tcp_shutdown(struct tcb *t, int how)
{
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (!t->was_connected || t->state == TCP_LISTEN)
		return -ENOTCONN;
	if (how != SHUT_WR) {
		t->rd_shut = 1;
		ring_drop(&t->rcvq, t->rcvq.len);
		tcb_wake(t);
	}
	if (how != SHUT_RD)
		send_fin(t);
	return 0;
}

/* The socket is closed: a listener takes its unaccepted children with
 * it (reset); a connection closes in the background, an orphan, unless
 * data the user never read makes it an abort (reset), as RFC 2525 2.17
 * recommends. */
void
tcp_close(struct tcb *t)
{
	struct tcb *c;

	if (t->state == TCP_LISTEN) {
		for (c = tcbs; c < &tcbs[TCP_MAX_CONNS]; c++) {
			if (c->in_use && c->listener == t) {
				tcp_send_rst(c);
				tcb_unlink_child(c);
				tcb_free(c);
			}
		}
		tcb_free(t);
		return;
	}
	if (t->state == TCP_CLOSED || t->state == TCP_SYN_SENT) {
		tcb_free(t);
		return;
	}
	t->orphan = 1;
	if (t->rcvq.len && (connected(t) || t->state == TCP_FIN_WAIT_1 ||
	    t->state == TCP_FIN_WAIT_2)) {
		tcp_send_rst(t);
		tcb_drop(t, 0);
		return;
	}
	send_fin(t);
	if (t->state == TCP_TIME_WAIT)
		tcb_free_buffers(t);	/* closed after TIME_WAIT began */
	if (t->state == TCP_FIN_WAIT_2)
		t->linger_at = (ticks + TCP_FIN_WAIT_2_TICKS) | 1;
}

int
tcp_poll(struct tcb *t)
{
	int m = 0;

	if (t->state == TCP_LISTEN)
		return list_empty(&t->accept_q) ? 0 : POLLIN;
	if (t->rcvq.len || t->fin_received || t->rd_shut ||
	    (t->state == TCP_CLOSED && (t->was_connected || t->error)))
		m |= POLLIN;
	if (connected(t) && !t->fin_wanted && ring_free(&t->sndq))
		m |= POLLOUT;
	if (t->error && !t->error_seen)
		m |= POLLERR;
	if (t->fin_received || t->state == TCP_CLOSED)
		m |= POLLHUP;
	return m;
}
