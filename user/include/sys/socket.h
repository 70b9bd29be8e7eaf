/*
 * Sockets for brinch user programs: UDP and ICMP echo over IPv4, and raw
 * Ethernet frames of one EtherType.  The calls and structures are shaped
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

#endif
