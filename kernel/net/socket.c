/*
 * Sockets: what a user process holds to send and receive through the
 * stack.  Four kinds, each a client of one demultiplexing table below:
 *
 *   AF_INET   SOCK_STREAM IPPROTO_TCP    a TCP connection block (tcp_user.c)
 *   AF_INET   SOCK_DGRAM  IPPROTO_UDP    a UDP port (udp.c)
 *   AF_INET   SOCK_DGRAM  IPPROTO_ICMP   an echo identifier ("ping", icmp.c)
 *   AF_PACKET SOCK_RAW    htons(type)    an EtherType (ether.c)
 *
 * Arriving datagrams are copied, in the interrupt, into packet buffers
 * (a chain, for one larger than a buffer) on the socket's bounded queue
 * (SO_RCVBUF datagrams and SOCK_QUEUE_BYTES bytes; beyond that they are
 * dropped and counted) and the readers are woken.  recvfrom waits
 * with the IPC rules: MSG_DONTWAIT fails with EAGAIN, SO_RCVTIMEO with
 * ETIMEDOUT, a signal with EINTR.  Sockets are file descriptors
 * (file.c, FT_SOCKET), so fork shares them and exit closes them.
 * A TCP socket keeps no queue here: its data waits in the connection
 * block, and its calls go to tcp_user.c (by way of socket_stream.c).
 * poll() waits on one queue that every socket event wakes.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "waitq.h"
#include "net.h"
#include "udp.h"
#include "socket.h"
#include "socket_impl.h"
#include "tcp.h"

#define NSOCKET			32
#define SOCK_QUEUE_DEFAULT	32
#define SOCK_QUEUE_MAX		128
#define SOCK_QUEUE_BYTES	(128 * 1024)	/* two of the largest datagrams */


static struct socket sockets[NSOCKET];
static struct wait_queue poll_queue;

/* Every socket event wakes poll(): a process waits on one queue only, so
 * pollers share one and look again at what they wait for. */
void
socket_poll_wakeup(void)
{
	wakeup(&poll_queue);
}

/* At boot, with or without a network device: poll() may wait on no
 * socket at all (a plain timeout). */
void
socket_init(void)
{
	wait_queue_init(&poll_queue, "poll");
}

/* ---- arrivals (interrupt context: no sleeping, no user memory) ---- */

static void
enqueue(struct socket *s, const uint8_t *data, uint32_t len, uint32_t src_ip,
    uint16_t src_port, const uint8_t *src_mac, uint32_t *drop_counter)
{
	struct pkbuf *p;

	if (s->queued >= s->limit || s->queued_bytes + len > SOCK_QUEUE_BYTES ||
	    !(p = pkbuf_alloc_chain(len, PKB_DATA_MAX, PKB_DATA_MAX))) {
		s->dropped++;
		(*drop_counter)++;
		return;
	}
	pkbuf_chain_write(p, data);
	p->src_ip = src_ip;
	p->src_port = src_port;
	if (src_mac)
		memcpy(p->src_mac, src_mac, ETH_ALEN);
	list_push_back(&s->queue, &p->node);
	s->queued++;
	s->queued_bytes += len;
	s->received++;
	wakeup(&s->readers);
	socket_poll_wakeup();
}

static void
udp_arrived(void *ctx, uint32_t src_ip, uint16_t src_port, const uint8_t *data,
    uint32_t len)
{
	enqueue(ctx, data, len, src_ip, src_port, NULL, &netstat.udp_queue_drops);
}

static void
echo_arrived(void *ctx, uint32_t src, const uint8_t *msg, uint32_t len)
{
	enqueue(ctx, msg, len, src, 0, NULL, &netstat.udp_queue_drops);
}

static void
frame_arrived(void *ctx, const uint8_t src[ETH_ALEN], const uint8_t *payload,
    uint32_t len)
{
	enqueue(ctx, payload, len, 0, 0, src, &netstat.raw_queue_drops);
}

/* ---- creating, binding, closing ---- */

/* A free slot, cleared and owned by the caller's process; the caller
 * marks it in_use once it is fully set up. */
static struct socket *
socket_slot(int domain, int type, int protocol)
{
	struct socket *s;

	for (s = sockets; s < &sockets[NSOCKET] && s->in_use; s++)
		;
	if (s == &sockets[NSOCKET])
		return NULL;
	memset(s, 0, sizeof(*s));
	s->domain = domain;
	s->type = type;
	s->protocol = protocol;
	s->owner = current->pid;
	s->limit = SOCK_QUEUE_DEFAULT;
	list_init(&s->queue);
	strlcpy(s->wait_name, "socket", sizeof(s->wait_name));
	wait_queue_init(&s->readers, s->wait_name);
	return s;
}

struct socket *
socket_create(int domain, int type, int protocol, int *err)
{
	struct socket *s;
	int r = 0;

	if (!netcfg.dev) {
		*err = -ENETDOWN;
		return NULL;
	}
	if (domain == AF_INET && type == SOCK_STREAM) {
		if (protocol == 0)
			protocol = IPPROTO_TCP;
		if (protocol != IPPROTO_TCP) {
			*err = -EPROTONOSUPPORT;
			return NULL;
		}
	} else if (domain == AF_INET) {
		if (type != SOCK_DGRAM) {
			*err = -EPROTONOSUPPORT;
			return NULL;
		}
		if (protocol == 0)
			protocol = IPPROTO_UDP;
		if (protocol != IPPROTO_UDP && protocol != IPPROTO_ICMP) {
			*err = -EPROTONOSUPPORT;
			return NULL;
		}
	} else if (domain == AF_PACKET) {
		if (type != SOCK_RAW || protocol <= 0 || protocol > 0xFFFF) {
			*err = -EPROTONOSUPPORT;
			return NULL;
		}
	} else {
		*err = -EAFNOSUPPORT;
		return NULL;
	}
	if (!(s = socket_slot(domain, type, protocol))) {
		*err = -ENFILE;
		return NULL;
	}
	if (domain == AF_PACKET) {
		/* A packet socket is bound to its EtherType from birth. */
		s->port = ntohs((uint16_t)protocol);
		if ((r = ether_bind(s->port, frame_arrived, s)) < 0) {
			*err = r;
			return NULL;
		}
		s->bound = 1;
		snprintf(s->wait_name, sizeof(s->wait_name), "eth %04x", s->port);
	}
	if (protocol == IPPROTO_TCP && !(s->tcb = tcp_open(err)))
		return NULL;
	s->in_use = 1;
	return s;
}

/* A socket for a connection accept() took from a listener. */
struct socket *
socket_for_tcb(struct socket *listener, struct tcb *t)
{
	struct socket *s;

	if (!(s = socket_slot(AF_INET, SOCK_STREAM, IPPROTO_TCP)))
		return NULL;
	s->bound = 1;
	s->port = listener->port;
	s->rcvtimeo_ms = listener->rcvtimeo_ms;
	s->tcb = t;
	s->in_use = 1;
	return s;
}

/* Bind to port (0 = any free one). */
static int
bind_port(struct socket *s, uint16_t port)
{
	int r;

	if (s->protocol == IPPROTO_UDP)
		r = udp_bind_kernel(port, udp_arrived, s);
	else
		r = icmp_echo_bind(port, echo_arrived, s);
	if (r < 0)
		return r;
	s->port = (uint16_t)r;
	s->bound = 1;
	snprintf(s->wait_name, sizeof(s->wait_name), "%s %u",
	    s->protocol == IPPROTO_UDP ? "udp" : "ping", s->port);
	return 0;
}

int
copy_sockaddr_in(uint32_t uaddr, uint32_t addrlen, struct sockaddr_in *sin)
{
	if (!uaddr)
		return -EDESTADDRREQ;
	if (addrlen < sizeof(*sin))
		return -EINVAL;
	if (copy_from_user(current->pgdir, sin, uaddr, sizeof(*sin)) < 0)
		return -EFAULT;
	if (sin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

int
socket_bind(struct socket *s, uint32_t uaddr, uint32_t addrlen)
{
	struct sockaddr_in sin;
	int r;

	if (s->domain != AF_INET)
		return -EINVAL;		/* packet sockets are bound already */
	if (!uaddr)
		return -EFAULT;
	if ((r = copy_sockaddr_in(uaddr, addrlen, &sin)) < 0)
		return r;
	if (s->bound)
		return -EINVAL;
	if (sin.sin_addr != INADDR_ANY && !ip_is_mine(sin.sin_addr))
		return -EADDRNOTAVAIL;
	if (s->tcb) {
		if ((r = tcp_bind(s->tcb, sin.sin_addr, ntohs(sin.sin_port))) < 0)
			return r;
		s->bound = 1;
		s->port = s->tcb->local_port;
		return 0;
	}
	return bind_port(s, ntohs(sin.sin_port));
}

void
socket_close(struct socket *s)
{
	struct list_node *n;

	if (s->tcb) {
		tcp_close(s->tcb);
		s->tcb = NULL;
	} else if (s->bound) {
		if (s->domain == AF_PACKET)
			ether_unbind(s->port);
		else if (s->protocol == IPPROTO_UDP)
			udp_unbind_kernel(s->port);
		else
			icmp_echo_unbind(s->port);
	}
	while ((n = list_pop_front(&s->queue)))
		pkbuf_free(container_of(n, struct pkbuf, node));
	wakeup(&s->readers);
	s->in_use = 0;
}

/* ---- sending ---- */

int
socket_sendto(struct socket *s, uint32_t ubuf, uint32_t len, uint32_t flags,
    uint32_t uaddr, uint32_t addrlen)
{
	struct sockaddr_in sin;
	struct sockaddr_eth se;
	struct pkbuf *p, *q;
	struct wait_limit w;
	uint32_t max, done;
	int r;

	if (s->tcb) {
		/* A connection's peer is fixed: any address is ignored. */
		wait_limit_init(&w, flags & MSG_DONTWAIT, 0);
		return tcp_send(s->tcb, ubuf, len, &w);
	}
	if (s->domain == AF_PACKET) {
		if (!uaddr)
			return -EDESTADDRREQ;
		if (addrlen < sizeof(se))
			return -EINVAL;
		if (copy_from_user(current->pgdir, &se, uaddr, sizeof(se)) < 0)
			return -EFAULT;
		max = ETH_MAX_PAYLOAD;
	} else {
		if ((r = copy_sockaddr_in(uaddr, addrlen, &sin)) < 0)
			return r;
		if (sin.sin_addr == INADDR_ANY)
			return -EDESTADDRREQ;
		max = s->protocol == IPPROTO_UDP ? UDP_MAX_PAYLOAD : IP_MAX_LEN - IP_HLEN;
		if (!s->bound && (r = bind_port(s, 0)) < 0)
			return r;
	}
	if (len > max)
		return -EMSGSIZE;
	/* Over the MTU, a chain already cut where the fragments will be. */
	if (s->domain == AF_PACKET)
		p = pkbuf_alloc_chain(len, PKB_DATA_MAX, PKB_DATA_MAX);
	else
		p = ip_alloc(len, s->protocol == IPPROTO_UDP ? UDP_HLEN : 0);
	if (!p)
		return -ENOBUFS;
	for (q = p, done = 0; q; done += q->len, q = q->next) {
		if (copy_from_user(current->pgdir, pkb_data(q), ubuf + done, q->len) < 0) {
			pkbuf_free(p);
			return -EFAULT;
		}
	}
	if (s->domain == AF_PACKET) {
		netstat.raw_out++;
		r = ether_output(se.se_addr, s->port, p);
	} else if (s->protocol == IPPROTO_UDP) {
		r = udp_output(sin.sin_addr, ntohs(sin.sin_port), s->port, p);
	} else {
		r = icmp_echo_send(sin.sin_addr, s->port, p);
	}
	if (r < 0)
		return r;
	s->sent++;
	return (int)len;
}

/* ---- receiving ---- */

/* An address out to user space, Unix style: *ualen says how much room
 * there is, and comes back as the address's real size. */
int
copy_address_out(struct socket *s, uint32_t ip, uint16_t port, const uint8_t *mac,
    uint32_t uaddr, uint32_t ualen)
{
	struct sockaddr_in sin;
	struct sockaddr_eth se;
	const void *addr;
	uint32_t have, size;

	if (!uaddr || !ualen)
		return 0;
	if (copy_from_user(current->pgdir, &have, ualen, sizeof(have)) < 0)
		return -EFAULT;
	if (s->domain == AF_PACKET) {
		memset(&se, 0, sizeof(se));
		se.se_family = AF_PACKET;
		se.se_protocol = htons(s->port);
		memcpy(se.se_addr, mac, ETH_ALEN);
		addr = &se;
		size = sizeof(se);
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		sin.sin_addr = ip;
		addr = &sin;
		size = sizeof(sin);
	}
	if (copy_to_user(current->pgdir, uaddr, addr, MIN(have, size)) < 0 ||
	    copy_to_user(current->pgdir, ualen, &size, sizeof(size)) < 0)
		return -EFAULT;
	return 0;
}

/* One datagram into ubuf, truncated to len as in Unix; its source in
 * *uaddr if given.  Returns the bytes copied. */
int
socket_recvfrom(struct socket *s, uint32_t ubuf, uint32_t len, uint32_t flags,
    uint32_t uaddr, uint32_t ualen)
{
	struct wait_limit w;
	struct list_node *n;
	struct pkbuf *p, *q;
	uint32_t got, total, piece;
	int r;

	if (!user_range_ok(current->pgdir, ubuf, len, 1))
		return -EFAULT;
	wait_limit_init(&w, flags & MSG_DONTWAIT, s->rcvtimeo_ms);
	if (s->tcb) {
		if ((r = tcp_recv(s->tcb, ubuf, len, &w)) >= 0 &&
		    copy_address_out(s, s->tcb->remote_ip, s->tcb->remote_port, NULL,
		    uaddr, ualen) < 0)
			return -EFAULT;
		return r;
	}
	if (s->domain == AF_INET && !s->bound)
		return -EINVAL;		/* nothing can arrive: it would wait forever */
	while (!(n = list_front(&s->queue)))
		if ((r = sleep_on_limit(&s->readers, &w)) < 0)
			return r;
	p = container_of(n, struct pkbuf, node);
	if ((r = copy_address_out(s, p->src_ip, p->src_port, p->src_mac, uaddr, ualen)) < 0)
		return r;		/* stays queued */
	total = pkbuf_chain_len(p);
	for (q = p, got = 0; q && got < len; got += piece, q = q->next) {
		piece = MIN(len - got, q->len);
		if (copy_to_user(current->pgdir, ubuf + got, pkb_data(q), piece) < 0)
			return -EFAULT;
	}
	list_remove(&p->node);
	s->queued--;
	s->queued_bytes -= total;
	pkbuf_free(p);
	return (int)got;
}

int
socket_setsockopt(struct socket *s, uint32_t level, uint32_t name, uint32_t uval,
    uint32_t len)
{
	uint32_t v;

	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (len < sizeof(v))
		return -EINVAL;
	if (copy_from_user(current->pgdir, &v, uval, sizeof(v)) < 0)
		return -EFAULT;
	switch (name) {
	case SO_RCVTIMEO:
		s->rcvtimeo_ms = v;
		return 0;
	case SO_RCVBUF:
		if (v < 1 || v > SOCK_QUEUE_MAX)
			return -EINVAL;
		s->limit = v;
		return 0;
	}
	return -ENOPROTOOPT;
}

int
socket_getsockname(struct socket *s, uint32_t uaddr, uint32_t ualen)
{
	if (s->tcb)
		return copy_address_out(s, s->tcb->local_ip ? s->tcb->local_ip : netcfg.ip,
		    s->tcb->local_port, NULL, uaddr, ualen);
	return copy_address_out(s, netcfg.ip, s->port,
	    netcfg.dev ? netcfg.dev->mac : eth_broadcast, uaddr, ualen);
}

/* What is ready on s now: POLLIN, POLLOUT, ... */
int
socket_poll(struct socket *s)
{
	if (s->tcb)
		return tcp_poll(s->tcb);
	if (s->domain == AF_INET && !s->bound)
		return POLLOUT;
	return (list_empty(&s->queue) ? 0 : POLLIN) | POLLOUT;
}

/* Wait until one of n sockets is ready, within w's limits; the caller
 * checks them again after each wakeup. */
int
socket_poll_wait(struct wait_limit *w)
{
	return sleep_on_limit(&poll_queue, w);
}

int
socket_list(struct sock_info *out, int max)
{
	struct socket *s;
	int n = 0;

	for (s = sockets; s < &sockets[NSOCKET] && n < max; s++) {
		if (!s->in_use)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		if (s->tcb) {
			tcp_fill_info(s->tcb, &out[n]);
			out[n].owner = s->owner;
			n++;
			continue;
		}
		out[n].domain = s->domain;
		out[n].type = s->type;
		out[n].protocol = s->protocol;
		out[n].local_addr = s->domain == AF_INET ? netcfg.ip : 0;
		out[n].local_port = s->port;
		out[n].queued = s->queued;
		out[n].limit = s->limit;
		out[n].received = s->received;
		out[n].dropped = s->dropped;
		out[n].sent = s->sent;
		out[n].owner = s->owner;
		n++;
	}
	return n + tcp_list_orphans(out + n, max - n);
}
