/*
 * The socket calls only a connection takes (SOCK_STREAM): listen,
 * connect, accept, shutdown, getpeername (socket.h).  The work is TCP's,
 * in tcp_user.c; here the user's addresses are checked and copied.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "waitq.h"
#include "net.h"
#include "socket.h"
#include "socket_impl.h"
#include "tcp.h"

int
socket_listen(struct socket *s, int backlog)
{
	int r;

	if (!s->tcb)
		return -EOPNOTSUPP;
	if ((r = tcp_listen(s->tcb, backlog)) < 0)
		return r;
	s->bound = 1;
	s->port = s->tcb->local_port;
	return 0;
}

int
socket_connect(struct socket *s, uint32_t uaddr, uint32_t addrlen)
{
	struct sockaddr_in sin;
	struct wait_limit w;
	int r;

	if (!s->tcb)
		return -EOPNOTSUPP;
	if ((r = copy_sockaddr_in(uaddr, addrlen, &sin)) < 0)
		return r;
	wait_limit_init(&w, 0, s->rcvtimeo_ms);
	r = tcp_connect(s->tcb, sin.sin_addr, ntohs(sin.sin_port), &w);
	if (s->tcb->bound) {
		s->bound = 1;
		s->port = s->tcb->local_port;
	}
	return r;
}

/* The next connection, as a new socket; its peer in *uaddr if given. */
struct socket *
socket_accept(struct socket *s, uint32_t uaddr, uint32_t ualen, int *err)
{
	struct socket *ns;
	struct wait_limit w;
	struct tcb *t;
	uint32_t len;

	if (!s->tcb) {
		*err = -EOPNOTSUPP;
		return NULL;
	}
	/* Check where the address goes before taking a connection: once
	 * taken, an EFAULT would lose it. */
	if (uaddr && ualen && (!user_range_ok(current->pgdir, ualen, 4, 1) ||
	    copy_from_user(current->pgdir, &len, ualen, sizeof(len)) < 0 ||
	    !user_range_ok(current->pgdir, uaddr,
	    MIN(len, (uint32_t)sizeof(struct sockaddr_in)), 1))) {
		*err = -EFAULT;
		return NULL;
	}
	wait_limit_init(&w, 0, s->rcvtimeo_ms);
	if (!(t = tcp_accept(s->tcb, &w, err)))
		return NULL;
	if (!(ns = socket_for_tcb(s, t))) {
		tcp_send_rst(t);		/* no socket for it: refuse */
		t->orphan = 1;
		tcb_drop(t, 0);
		*err = -ENFILE;
		return NULL;
	}
	if (copy_address_out(ns, t->remote_ip, t->remote_port, NULL, uaddr, ualen) < 0) {
		socket_close(ns);
		*err = -EFAULT;
		return NULL;
	}
	return ns;
}

int
socket_shutdown(struct socket *s, int how)
{
	if (!s->tcb)
		return -EOPNOTSUPP;
	return tcp_shutdown(s->tcb, how);
}

int
socket_getpeername(struct socket *s, uint32_t uaddr, uint32_t ualen)
{
	if (!s->tcb)
		return -EOPNOTSUPP;
	if (!s->tcb->was_connected)
		return -ENOTCONN;
	return copy_address_out(s, s->tcb->remote_ip, s->tcb->remote_port, NULL,
	    uaddr, ualen);
}
