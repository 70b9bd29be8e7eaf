/*
 * XDR (RFC 4506): the External Data Representation that ONC RPC messages
 * are written in.  One stream type encodes into or decodes from a byte
 * buffer; the same function does both, chosen by the stream's op.
 */
#ifndef _RPC_XDR_H
#define _RPC_XDR_H

#include <stddef.h>
#include <stdint.h>

#define XDR_ENCODE	0
#define XDR_DECODE	1

/* Why a stream stopped (struct xdr.error); the first error sticks. */
#define XDR_OK		0
#define XDR_EOVERFLOW	1	/* ran past the end of the buffer */
#define XDR_ELIMIT	2	/* a length over the declared maximum */
#define XDR_EVALUE	3	/* a bool not 0 or 1, a NUL inside a string */
#define XDR_ENOMEM	4	/* decode arena exhausted */
#define XDR_ENULL	5	/* encode: a NULL pointer with a length */

/* XDR's unit: everything occupies a multiple of 4 bytes (RFC 4506 3). */
#define XDR_UNIT	4
#define XDR_PAD(n)	(((n) + 3u) & ~3u)

typedef int32_t	bool_t;		/* RFC 4506 4.4: FALSE = 0, TRUE = 1 */
#ifndef TRUE
#define TRUE	1
#define FALSE	0
#endif

/*
 * A stream.  Decoding variable-length data (strings, opaque<>, arrays<>)
 * needs memory for it: that comes from the arena, a caller's buffer
 * handed out front to back and forgotten all at once (xdr_init or
 * xdr_set_arena again), so a decoded message never has to be freed
 * piece by piece and a server's memory does not grow with its calls.
 */
struct xdr {
	uint8_t		*buf;
	uint32_t	 size;		/* bytes in buf */
	uint32_t	 pos;		/* next byte to read or write */
	int		 op;		/* XDR_ENCODE or XDR_DECODE */
	int		 error;		/* XDR_OK until something fails */
	uint8_t		*arena;
	uint32_t	 arena_size;
	uint32_t	 arena_used;
};

/*
 * Every filter returns 1 on success and 0 on failure (with x->error
 * set), so that generated code can write `if (!xdr_int(x, &p->n))
 * return 0;` for each field, as Sun's rpcgen output does.
 */
typedef int	(*xdrproc_t)(struct xdr *x, void *obj);

void	 xdr_init(struct xdr *x, int op, void *buf, uint32_t size);
void	 xdr_set_arena(struct xdr *x, void *mem, uint32_t size);
void	*xdr_alloc(struct xdr *x, uint32_t n);	/* from the arena */
uint32_t xdr_getpos(const struct xdr *x);
uint32_t xdr_remaining(const struct xdr *x);
/* A pointer to the next n bytes in the buffer, skipping them (aligned
 * to XDR_UNIT); NULL and an error if there are not that many. */
void	*xdr_inline(struct xdr *x, uint32_t n);
const char *xdr_strerror(int error);

/* Primitive filters (RFC 4506 section 4). */
int	 xdr_void(struct xdr *x, void *unused);			/* 4.16 */
int	 xdr_int(struct xdr *x, int32_t *v);			/* 4.1 */
int	 xdr_u_int(struct xdr *x, uint32_t *v);			/* 4.2 */
int	 xdr_enum(struct xdr *x, int32_t *v);			/* 4.3 */
int	 xdr_bool(struct xdr *x, bool_t *v);			/* 4.4 */
int	 xdr_hyper(struct xdr *x, int64_t *v);			/* 4.5 */
int	 xdr_u_hyper(struct xdr *x, uint64_t *v);		/* 4.5 */
/* opaque data[n]: exactly n bytes plus padding.  4.9 */
int	 xdr_opaque(struct xdr *x, void *data, uint32_t n);
/* opaque data<max>: a length, then the bytes.  Decoding points *data
 * at arena memory.  4.10 */
int	 xdr_bytes(struct xdr *x, uint8_t **data, uint32_t *len, uint32_t max);
/* string s<max>: like opaque<>, NUL-terminated in C.  4.11 */
int	 xdr_string(struct xdr *x, char **s, uint32_t max);
/* The same into a caller's buffer of bufsize bytes (max = bufsize - 1). */
int	 xdr_string_buf(struct xdr *x, char *buf, uint32_t bufsize);
/* type a[n]: n elements of elsize bytes, each through elproc.  4.12 */
int	 xdr_vector(struct xdr *x, void *a, uint32_t n, uint32_t elsize,
	    xdrproc_t elproc);
/* type a<max>: a count, then the elements; decoding allocates *a.  4.13 */
int	 xdr_array(struct xdr *x, void **a, uint32_t *n, uint32_t max,
	    uint32_t elsize, xdrproc_t elproc);

/* No declared maximum: <> in the RPC language. */
#define XDR_NOLIMIT	0xFFFFFFFFu

#endif
