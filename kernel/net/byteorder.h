/*
 * Byte order: reading and writing big-endian ("network order") fields at
 * any offset of a packet, without alignment.  Only <stdint.h>, so pure
 * code that tests/unit runs on the host (kmsg_wire.c) can use it too.
 */
#ifndef NET_BYTEORDER_H
#define NET_BYTEORDER_H

#include <stdint.h>

static inline uint16_t htons(uint16_t v) { return __builtin_bswap16(v); }
static inline uint16_t ntohs(uint16_t v) { return __builtin_bswap16(v); }
static inline uint32_t htonl(uint32_t v) { return __builtin_bswap32(v); }
static inline uint32_t ntohl(uint32_t v) { return __builtin_bswap32(v); }

/* Header fields are read through these so that no frame offset ever
 * needs alignment. */
static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get32_raw(const uint8_t *p)		/* network order kept */
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return v;
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xFF;
}

static inline void
put32_raw(uint8_t *p, uint32_t v)	/* v already in network order */
{
	__builtin_memcpy(p, &v, 4);
}

/* Host-order values to and from big-endian bytes. */
static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xFF;
	p[2] = (v >> 8) & 0xFF;
	p[3] = v & 0xFF;
}

#endif
