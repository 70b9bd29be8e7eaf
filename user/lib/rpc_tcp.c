/*
 * ONC RPC over TCP for servers: RFC 5531 section 11's record marking.
 * A stream has no message boundaries, so each message is sent as
 * fragments, each behind a 4-byte mark: the top bit says "last
 * fragment", the other 31 bits the fragment's length.  One process
 * waits (poll) on the UDP socket, the listening socket and up to
 * RPC_TCP_CONNS connections, and hands every whole call to the same
 * code as a datagram (rpc_svc.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <rpc/rpc.h>
#include "user/lib/rpc_svc.h"

#define LAST_FRAGMENT	0x80000000u

int
rpc_server_tcp(struct rpc_server *s)
{
	struct sockaddr_in a;
	int fd, i;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(s->port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	for (i = 0; i < RPC_TCP_CONNS; i++)
		s->conns[i].fd = -1;
	s->tcp_fd = fd;
	return 0;
}

static void
conn_close(struct rpc_conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->have = 0;
}

/* A new connection; the one idle longest makes room if all are taken
 * (a client that connects and says nothing cannot lock others out). */
static void
conn_accept(struct rpc_server *s)
{
	struct rpc_conn *c, *victim = NULL;
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int fd;

	if ((fd = accept(s->tcp_fd, (struct sockaddr *)&peer, &len)) < 0)
		return;
	for (c = s->conns; c < &s->conns[RPC_TCP_CONNS]; c++) {
		if (c->fd < 0) {
			victim = c;
			break;
		}
		if (!victim || c->used < victim->used)
			victim = c;
	}
	if (victim->fd >= 0)
		conn_close(victim);
	victim->fd = fd;
	victim->peer = peer;
	victim->have = 0;
	victim->used = ++s->tcp_clock;
}

/*
 * A whole record at the front of c->raw: its fragments joined into
 * s->rbuf, the bytes consumed.  1 if there was one, 0 if more must
 * come, -1 if the stream is garbage (a record over RPC_MAX_MSG).
 */
static int
take_record(struct rpc_server *s, struct rpc_conn *c)
{
	uint32_t pos = 0, total = 0, mark, len;

	for (;;) {
		if (c->have - pos < 4)
			return c->have == sizeof(c->raw) ? -1 : 0;
		mark = (uint32_t)c->raw[pos] << 24 | (uint32_t)c->raw[pos + 1] << 16 |
		    (uint32_t)c->raw[pos + 2] << 8 | c->raw[pos + 3];
		len = mark & ~LAST_FRAGMENT;
		if (len > sizeof(s->rbuf) - total)
			return -1;
		if (c->have - pos - 4 < len)
			return c->have == sizeof(c->raw) ? -1 : 0;
		memcpy(s->rbuf + total, c->raw + pos + 4, len);
		total += len;
		pos += 4 + len;
		if (mark & LAST_FRAGMENT)
			break;
	}
	memmove(c->raw, c->raw + pos, c->have - pos);
	c->have -= pos;
	s->rlen = total;
	s->from = c->peer;
	return 1;
}

/* A record already buffered on some connection (calls may come
 * several to a segment); its descriptor, or -1. */
static int
buffered_record(struct rpc_server *s)
{
	struct rpc_conn *c;
	int r;

	for (c = s->conns; c < &s->conns[RPC_TCP_CONNS]; c++) {
		if (c->fd < 0 || c->have == 0)
			continue;
		if ((r = take_record(s, c)) > 0) {
			c->used = ++s->tcp_clock;
			return c->fd;
		}
		if (r < 0) {
			s->sh->st.garbled++;
			conn_close(c);
		}
	}
	return -1;
}

static void
conn_read(struct rpc_conn *c)
{
	int n;

	n = (int)recv(c->fd, c->raw + c->have, sizeof(c->raw) - c->have, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN))
		conn_close(c);		/* the client is done (or gone) */
	else if (n > 0)
		c->have += (uint32_t)n;
}

int
rpc_tcp_receive(struct rpc_server *s, unsigned timeout_ms)
{
	struct pollfd p[2 + RPC_TCP_CONNS];
	struct rpc_conn *c;
	socklen_t fromlen;
	int n, i, fd;

	for (;;) {
		if ((fd = buffered_record(s)) >= 0)
			return fd;
		p[0].fd = s->fd;
		p[1].fd = s->tcp_fd;
		for (i = 0; i < RPC_TCP_CONNS; i++)
			p[2 + i].fd = s->conns[i].fd;
		for (i = 0; i < 2 + RPC_TCP_CONNS; i++)
			p[i].events = POLLIN;
		if ((n = poll(p, 2 + RPC_TCP_CONNS, timeout_ms ? (int)timeout_ms : -1)) < 0)
			return -2;
		if (n == 0) {
			errno = ETIMEDOUT;
			return -2;
		}
		if (p[1].revents & POLLIN)
			conn_accept(s);
		for (i = 0, c = s->conns; i < RPC_TCP_CONNS; i++, c++)
			if (c->fd >= 0 && c->fd == p[2 + i].fd && p[2 + i].revents)
				conn_read(c);
		if (p[0].revents & POLLIN) {
			fromlen = sizeof(s->from);
			n = (int)recvfrom(s->fd, s->rbuf, sizeof(s->rbuf), MSG_DONTWAIT,
			    (struct sockaddr *)&s->from, &fromlen);
			if (n >= 0) {
				s->rlen = (uint32_t)n;
				return -1;
			}
		}
		if (s->stop) {
			errno = EINTR;
			return -2;
		}
	}
}

int
rpc_tcp_send(struct rpc_server *s, int fd, const uint8_t *msg, uint32_t len)
{
	static uint8_t out[4 + RPC_MAX_MSG];
	uint32_t m = len | LAST_FRAGMENT;
	struct rpc_conn *c;

	/* Mark and message in one write, so they travel in one segment. */
	out[0] = (uint8_t)(m >> 24);
	out[1] = (uint8_t)(m >> 16);
	out[2] = (uint8_t)(m >> 8);
	out[3] = (uint8_t)m;
	memcpy(out + 4, msg, len);
	if (write(fd, out, 4 + len) == (ssize_t)(4 + len))
		return 0;
	/* The client went away mid-reply: drop the connection. */
	for (c = s->conns; c < &s->conns[RPC_TCP_CONNS]; c++)
		if (c->fd == fd)
			conn_close(c);
	return -1;
}
