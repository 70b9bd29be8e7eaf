/*
 * User sockets (kernel/net/socket.c) as the system calls (kernel/net/sys_net.c)
 * and the file layer (kernel/fs/file.c, FT_SOCKET) see them.  Arguments named
 * u* are user addresses, checked here before use.
 */
#ifndef NET_SOCKET_H
#define NET_SOCKET_H

#include <stdint.h>
#include "brinch/net.h"

struct socket;

struct socket *socket_create(int domain, int type, int protocol, int *err);
void	socket_close(struct socket *s);
int	socket_bind(struct socket *s, uint32_t uaddr, uint32_t addrlen);
int	socket_sendto(struct socket *s, uint32_t ubuf, uint32_t len, uint32_t flags,
	    uint32_t uaddr, uint32_t addrlen);
int	socket_recvfrom(struct socket *s, uint32_t ubuf, uint32_t len, uint32_t flags,
	    uint32_t uaddr, uint32_t ualen);
int	socket_setsockopt(struct socket *s, uint32_t level, uint32_t name,
	    uint32_t uval, uint32_t len);
int	socket_getsockname(struct socket *s, uint32_t uaddr, uint32_t ualen);
int	socket_list(struct sock_info *out, int max);

/* SOCK_STREAM (TCP); other kinds get -EOPNOTSUPP. */
int	socket_listen(struct socket *s, int backlog);
int	socket_connect(struct socket *s, uint32_t uaddr, uint32_t addrlen);
struct socket *socket_accept(struct socket *s, uint32_t uaddr, uint32_t ualen,
	    int *err);
int	socket_shutdown(struct socket *s, int how);
int	socket_getpeername(struct socket *s, uint32_t uaddr, uint32_t ualen);

/* poll(): readiness, and the one queue every socket event wakes. */
struct wait_limit;
int	socket_poll(struct socket *s);
int	socket_poll_wait(struct wait_limit *w);
void	socket_poll_wakeup(void);
void	socket_init(void);

#endif
