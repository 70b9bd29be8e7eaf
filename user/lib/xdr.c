/*
 * XDR streams (RFC 4506): big-endian 4-byte units in a byte buffer.  Pure
 * code with no system calls, so tests/unit/test_xdr.c runs it on the host.
 */
#include <string.h>
#include "user/include/rpc/xdr.h"

void
xdr_init(struct xdr *x, int op, void *buf, uint32_t size)
{
	x->buf = buf;
	x->size = size;
	x->pos = 0;
	x->op = op;
	x->error = XDR_OK;
	x->arena = NULL;
	x->arena_size = 0;
	x->arena_used = 0;
}

void
xdr_set_arena(struct xdr *x, void *mem, uint32_t size)
{
	x->arena = mem;
	x->arena_size = size;
	x->arena_used = 0;
}

static int
fail(struct xdr *x, int error)
{
	if (x->error == XDR_OK)
		x->error = error;
	return 0;
}

/* Arena memory is aligned to 8 so any decoded type may live there. */
void *
xdr_alloc(struct xdr *x, uint32_t n)
{
	uint32_t at = (x->arena_used + 7u) & ~7u;
	void *p;

	if (x->arena == NULL || at > x->arena_size || n > x->arena_size - at) {
		fail(x, XDR_ENOMEM);
		return NULL;
	}
	p = x->arena + at;
	x->arena_used = at + n;
	return p;
}

uint32_t
xdr_getpos(const struct xdr *x)
{
	return x->pos;
}

uint32_t
xdr_remaining(const struct xdr *x)
{
	return x->size - x->pos;
}

const char *
xdr_strerror(int error)
{
	switch (error) {
	case XDR_OK:		return "no error";
	case XDR_EOVERFLOW:	return "message too short or too long for its buffer";
	case XDR_ELIMIT:	return "length over the declared maximum";
	case XDR_EVALUE:	return "value out of range";
	case XDR_ENOMEM:	return "out of decode memory";
	case XDR_ENULL:		return "NULL data with a non-zero length";
	}
	return "unknown XDR error";
}

/* Comparing against what is left, never adding to pos first, means a
 * forged length near 2^32 cannot wrap around the check. */
void *
xdr_inline(struct xdr *x, uint32_t n)
{
	uint32_t padded = XDR_PAD(n);
	void *p;

	if (x->error != XDR_OK)
		return NULL;
	if (n > x->size - x->pos || padded > x->size - x->pos) {
		fail(x, XDR_EOVERFLOW);
		return NULL;
	}
	p = x->buf + x->pos;
	x->pos += padded;
	return p;
}

int
xdr_void(struct xdr *x, void *unused)
{
	return x->error == XDR_OK;
}

/* RFC 4506 4.2: the most significant byte first. */
int
xdr_u_int(struct xdr *x, uint32_t *v)
{
	uint8_t *p = xdr_inline(x, 4);

	if (p == NULL)
		return 0;
	if (x->op == XDR_ENCODE) {
		p[0] = (uint8_t)(*v >> 24);
		p[1] = (uint8_t)(*v >> 16);
		p[2] = (uint8_t)(*v >> 8);
		p[3] = (uint8_t)*v;
	} else {
		*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	}
	return 1;
}

/* 4.1: two's complement, so the bits are those of the unsigned form. */
int
xdr_int(struct xdr *x, int32_t *v)
{
	uint32_t u = (uint32_t)*v;

	if (!xdr_u_int(x, &u))
		return 0;
	*v = (int32_t)u;
	return 1;
}

/* 4.3: an enum travels as a signed int.  Whether the value names one of
 * the enumeration's members is for the generated code to check. */
int
xdr_enum(struct xdr *x, int32_t *v)
{
	return xdr_int(x, v);
}

/* 4.4: bool is enum { FALSE = 0, TRUE = 1 }; anything else on the wire
 * is garbage, not "true". */
int
xdr_bool(struct xdr *x, bool_t *v)
{
	int32_t b = *v ? 1 : 0;

	if (!xdr_int(x, &b))
		return 0;
	if (x->op == XDR_DECODE) {
		if (b != 0 && b != 1)
			return fail(x, XDR_EVALUE);
		*v = b;
	}
	return 1;
}

/* 4.5: eight bytes, the most significant word first. */
int
xdr_u_hyper(struct xdr *x, uint64_t *v)
{
	uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;

	if (!xdr_u_int(x, &hi) || !xdr_u_int(x, &lo))
		return 0;
	*v = (uint64_t)hi << 32 | lo;
	return 1;
}

int
xdr_hyper(struct xdr *x, int64_t *v)
{
	uint64_t u = (uint64_t)*v;

	if (!xdr_u_hyper(x, &u))
		return 0;
	*v = (int64_t)u;
	return 1;
}

/* 4.9: fixed-length opaque, padded with zero bytes to a multiple of 4.
 * A decoder does not insist the padding is zero (senders disagree). */
int
xdr_opaque(struct xdr *x, void *data, uint32_t n)
{
	uint8_t *p = xdr_inline(x, n);

	if (p == NULL)
		return 0;
	if (x->op == XDR_ENCODE) {
		if (n > 0 && data == NULL)
			return fail(x, XDR_ENULL);
		if (n > 0)
			memcpy(p, data, n);
		memset(p + n, 0, XDR_PAD(n) - n);
	} else if (n > 0) {
		memcpy(data, p, n);
	}
	return 1;
}

/* Decoding a length: not over the declared maximum, and not more bytes
 * than the message still holds (a forged length fails here, before any
 * memory is set aside for it). */
static int
decode_length(struct xdr *x, uint32_t *len, uint32_t max, uint32_t unit)
{
	if (!xdr_u_int(x, len))
		return 0;
	if (*len > max)
		return fail(x, XDR_ELIMIT);
	if (*len > (x->size - x->pos) / unit)
		return fail(x, XDR_EOVERFLOW);
	return 1;
}

/* 4.10: variable-length opaque. */
int
xdr_bytes(struct xdr *x, uint8_t **data, uint32_t *len, uint32_t max)
{
	if (x->op == XDR_ENCODE) {
		if (*len > max)
			return fail(x, XDR_ELIMIT);
		return xdr_u_int(x, len) && xdr_opaque(x, *data, *len);
	}
	if (!decode_length(x, len, max, 1))
		return 0;
	if ((*data = xdr_alloc(x, *len ? *len : 1)) == NULL)
		return 0;
	return xdr_opaque(x, *data, *len);
}

/* 4.11: a string is opaque<> of ASCII; C needs the NUL, which cannot
 * itself appear inside (it would silently cut the string short). */
static int
string_check(struct xdr *x, const char *s, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '\0')
			return fail(x, XDR_EVALUE);
	return 1;
}

int
xdr_string(struct xdr *x, char **s, uint32_t max)
{
	uint32_t len;

	if (x->op == XDR_ENCODE) {
		if (*s == NULL)
			return fail(x, XDR_ENULL);
		len = (uint32_t)strlen(*s);
		if (len > max)
			return fail(x, XDR_ELIMIT);
		return xdr_u_int(x, &len) && xdr_opaque(x, *s, len);
	}
	if (!decode_length(x, &len, max, 1))
		return 0;
	if ((*s = xdr_alloc(x, len + 1)) == NULL || !xdr_opaque(x, *s, len))
		return 0;
	(*s)[len] = '\0';
	return string_check(x, *s, len);
}

int
xdr_string_buf(struct xdr *x, char *buf, uint32_t bufsize)
{
	uint32_t len;

	if (bufsize == 0)
		return fail(x, XDR_ELIMIT);
	if (x->op == XDR_ENCODE) {
		len = (uint32_t)strnlen(buf, bufsize);
		if (len >= bufsize)
			return fail(x, XDR_ELIMIT);
		return xdr_u_int(x, &len) && xdr_opaque(x, buf, len);
	}
	if (!decode_length(x, &len, bufsize - 1, 1) || !xdr_opaque(x, buf, len))
		return 0;
	buf[len] = '\0';
	return string_check(x, buf, len);
}

/* 4.12: a fixed-length array is its elements one after another. */
int
xdr_vector(struct xdr *x, void *a, uint32_t n, uint32_t elsize, xdrproc_t elproc)
{
	uint8_t *p = a;
	uint32_t i;

	for (i = 0; i < n; i++, p += elsize)
		if (!elproc(x, p))
			return 0;
	return 1;
}

/* 4.13: a count, then the elements.  Every element takes at least one
 * XDR unit on the wire, so a count larger than what is left over 4 is a
 * lie, and is refused before the arena is asked for count * elsize. */
int
xdr_array(struct xdr *x, void **a, uint32_t *n, uint32_t max, uint32_t elsize,
    xdrproc_t elproc)
{
	if (x->op == XDR_ENCODE) {
		if (*n > max)
			return fail(x, XDR_ELIMIT);
		if (*n > 0 && *a == NULL)
			return fail(x, XDR_ENULL);
		return xdr_u_int(x, n) && xdr_vector(x, *a, *n, elsize, elproc);
	}
	if (!decode_length(x, n, max, XDR_UNIT))
		return 0;
	if (elsize != 0 && *n > 0xFFFFFFFFu / elsize)
		return fail(x, XDR_ENOMEM);
	if ((*a = xdr_alloc(x, *n ? *n * elsize : 1)) == NULL)
		return 0;
	return xdr_vector(x, *a, *n, elsize, elproc);
}
