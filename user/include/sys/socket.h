/*
 * Sockets for brinch user programs: TCP, UDP and ICMP echo over IPv4, and
 * raw Ethernet frames of one EtherType.  The calls and structures are shaped
 * like the Berkeley/POSIX ones; constants and address structures come
 * from <brinch/net.h>.  See docs/network.md.
 */
#ifndef _SYS_SOCKET_H
#define _SYS_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <brinch/net.h>

typedef uint32_t socklen_t;

/* What the calls take: any of the sockaddr_* structures, by pointer. */
struct sockaddr {
	uint16_t sa_family;
	uint8_t  sa_data[14];
};

/* A new socket: socket(AF_INET, SOCK_DGRAM, 0) for UDP,
 * socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) to send echo requests and
 * receive the replies, socket(AF_PACKET, SOCK_RAW, htons(type)) for raw
 * frames.  Returns a file descriptor. */
int	 socket(int domain, int type, int protocol);
/* Port 0 (or not binding before sendto) picks a free ephemeral port;
 * EADDRINUSE if the port is taken. */
int	 bind(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t	 sendto(int fd, const void *buf, size_t len, int flags,
	    const struct sockaddr *to, socklen_t tolen);
/* One datagram, truncated to len; blocks unless flags has MSG_DONTWAIT
 * (EAGAIN) or SO_RCVTIMEO is set (ETIMEDOUT).  *fromlen is in/out. */
ssize_t	 recvfrom(int fd, void *buf, size_t len, int flags,
	    struct sockaddr *from, socklen_t *fromlen);
int	 setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int	 getsockname(int fd, struct sockaddr *addr, socklen_t *len);

/* TCP: socket(AF_INET, SOCK_STREAM, 0).  A server binds, listens and
 * accepts (a new descriptor per connection); a client connects
 * (ECONNREFUSED if nobody listens, ETIMEDOUT if nobody answers).  The
 * backlog is at most 8.  accept and recv wait with the rules of
 * recvfrom (SO_RCVTIMEO, EINTR; recv also MSG_DONTWAIT); recv returns 0
 * at the end of the stream.  send blocks until all is queued (a signal
 * or MSG_DONTWAIT returns what was); after a reset ECONNRESET, then
 * EPIPE.  read and write on the descriptor are recv and sendto. */
int	 listen(int fd, int backlog);
int	 accept(int fd, struct sockaddr *addr, socklen_t *len);
int	 connect(int fd, const struct sockaddr *addr, socklen_t len);
/* send() is brinch's message passing (<ipc.h>): on a socket, write()
 * or sendto(fd, buf, len, flags, NULL, 0). */
ssize_t	 recv(int fd, void *buf, size_t len, int flags);
int	 shutdown(int fd, int how);		/* SHUT_RD, SHUT_WR, SHUT_RDWR */
int	 getpeername(int fd, struct sockaddr *addr, socklen_t *len);

#endif
