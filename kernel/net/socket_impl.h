/*
 * The socket itself, shared by socket.c (creating, binding, datagrams,
 * poll) and socket_stream.c (the calls only a TCP socket takes).  Nothing
 * else includes this: the rest of the kernel goes through socket.h.
 */
#ifndef NET_SOCKET_IMPL_H
#define NET_SOCKET_IMPL_H

#include <stdint.h>
#include "list.h"
#include "waitq.h"
#include "brinch/net.h"

struct tcb;

struct socket {
	int		 in_use;
	int		 domain, type, protocol;
	int		 owner;
	int		 bound;
	uint16_t	 port;		/* UDP port, echo id or EtherType */
	struct list	 queue;		/* struct pkbuf, oldest first */
	uint32_t	 queued, limit;
	uint32_t	 queued_bytes;
	uint32_t	 received, dropped, sent;
	uint32_t	 rcvtimeo_ms;
	struct wait_queue readers;
	char		 wait_name[16];	/* what ps shows a blocked reader on */
	struct tcb	*tcb;		/* SOCK_STREAM: the connection */
};

/* A socket for a connection accept() took from a listener. */
struct socket *socket_for_tcb(struct socket *listener, struct tcb *t);
/* A struct sockaddr_in from user space. */
int	copy_sockaddr_in(uint32_t uaddr, uint32_t addrlen, struct sockaddr_in *sin);
/* An address out to user space, Unix style (*ualen: room, then size). */
int	copy_address_out(struct socket *s, uint32_t ip, uint16_t port, const uint8_t *mac,
	    uint32_t uaddr, uint32_t ualen);

#endif
