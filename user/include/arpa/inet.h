/*
 * Byte order and dotted-quad addresses for user programs.  Addresses are
 * uint32_t in network byte order, as in struct sockaddr_in.
 */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <stdint.h>

static inline uint16_t htons(uint16_t v) { return __builtin_bswap16(v); }
static inline uint16_t ntohs(uint16_t v) { return __builtin_bswap16(v); }
static inline uint32_t htonl(uint32_t v) { return __builtin_bswap32(v); }
static inline uint32_t ntohl(uint32_t v) { return __builtin_bswap32(v); }

/* "10.0.0.2" -> *addr; 1 on success, 0 if s is not a dotted quad. */
int	 inet_aton(const char *s, uint32_t *addr);
/* addr -> "10.0.0.2" in buf (at least 16 bytes); returns buf. */
char	*inet_ntoa_r(uint32_t addr, char *buf);
/* The same into a static buffer (overwritten by the next call). */
char	*inet_ntoa(uint32_t addr);

#endif
