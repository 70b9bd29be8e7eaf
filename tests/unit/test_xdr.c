/*
 * Host unit tests for user/lib/xdr.c (RFC 4506) and user/lib/rpc_msg.c
 * (RFC 5531 headers): known encodings byte for byte, round trips, and
 * truncated, forged-length and random input refused without overruns.
 */
// uses: user/lib/xdr.c user/lib/rpc_msg.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "user/include/rpc/xdr.h"
#include "user/include/rpc/rpc_msg.h"

static uint8_t buf[512];
static uint8_t arena[1024];

static int
bytes_are(const uint8_t *got, const char *hex, uint32_t len)
{
	uint32_t i;
	unsigned v;

	if (strlen(hex) != 2 * len)
		return 0;
	for (i = 0; i < len; i++) {
		sscanf(hex + 2 * i, "%2x", &v);
		if (got[i] != v)
			return 0;
	}
	return 1;
}

static void
test_integers(void)
{
	struct xdr x;
	int32_t i = -1, i2 = 0;
	uint32_t u = 0x01020304, u2;
	int64_t h = -2, h2;
	uint64_t uh = 0x0102030405060708ull, uh2;
	bool_t b = 7, b2;

	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(xdr_int(&x, &i) && xdr_u_int(&x, &u) && xdr_hyper(&x, &h) &&
	    xdr_u_hyper(&x, &uh) && xdr_bool(&x, &b));
	CHECK_EQ_INT(xdr_getpos(&x), 4 + 4 + 8 + 8 + 4);
	/* Big-endian, two's complement; true is exactly 1 (4.1-4.5). */
	CHECK(bytes_are(buf, "ffffffff" "01020304" "fffffffffffffffe"
	    "0102030405060708" "00000001", 28));

	xdr_init(&x, XDR_DECODE, buf, 28);
	CHECK(xdr_int(&x, &i2) && xdr_u_int(&x, &u2) && xdr_hyper(&x, &h2) &&
	    xdr_u_hyper(&x, &uh2) && xdr_bool(&x, &b2));
	CHECK_EQ_INT(i2, -1);
	CHECK_EQ_INT(u2, 0x01020304);
	CHECK_EQ_INT(h2, -2);
	CHECK(uh2 == 0x0102030405060708ull);
	CHECK_EQ_INT(b2, 1);
	CHECK_EQ_INT(xdr_remaining(&x), 0);
	/* One more read runs off the end, and the error sticks. */
	CHECK(!xdr_int(&x, &i2));
	CHECK_EQ_INT(x.error, XDR_EOVERFLOW);
	CHECK(!xdr_void(&x, NULL));

	/* A bool of 2 is garbage, not "true" (4.4). */
	memcpy(buf, "\0\0\0\2", 4);
	xdr_init(&x, XDR_DECODE, buf, 4);
	CHECK(!xdr_bool(&x, &b2));
	CHECK_EQ_INT(x.error, XDR_EVALUE);
}

static void
test_opaque_and_strings(void)
{
	struct xdr x;
	char *s = "hello", *s2 = NULL;
	uint8_t raw[3] = { 1, 2, 3 }, *data = raw, *d2 = NULL;
	uint32_t len = 3, len2;
	char small[6];

	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(xdr_string(&x, &s, 16));
	CHECK(xdr_bytes(&x, &data, &len, 3));
	CHECK(xdr_opaque(&x, raw, 3));
	CHECK_EQ_INT(xdr_getpos(&x), 12 + 8 + 4);
	/* Length, bytes, then zero padding to a multiple of 4 (4.9-4.11). */
	CHECK(bytes_are(buf, "00000005" "68656c6c6f000000" "00000003" "01020300"
	    "01020300", 24));

	xdr_init(&x, XDR_DECODE, buf, 24);
	xdr_set_arena(&x, arena, sizeof(arena));
	CHECK(xdr_string(&x, &s2, 16));
	CHECK_STR(s2, "hello");
	CHECK(xdr_bytes(&x, &d2, &len2, 3));
	CHECK_EQ_INT(len2, 3);
	CHECK(d2 != NULL && d2[0] == 1 && d2[2] == 3);

	/* A declared maximum is enforced both ways. */
	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(!xdr_string(&x, &s, 4));
	CHECK_EQ_INT(x.error, XDR_ELIMIT);
	xdr_init(&x, XDR_DECODE, buf, 24);
	xdr_set_arena(&x, arena, sizeof(arena));
	CHECK(!xdr_string(&x, &s2, 4));
	CHECK_EQ_INT(x.error, XDR_ELIMIT);

	/* Into a fixed buffer: "hello" needs 6 bytes. */
	xdr_init(&x, XDR_DECODE, buf, 24);
	CHECK(xdr_string_buf(&x, small, sizeof(small)));
	CHECK_STR(small, "hello");
	xdr_init(&x, XDR_DECODE, buf, 24);
	CHECK(!xdr_string_buf(&x, small, 5));

	/* A NUL inside a string would cut it short in C: refused. */
	memcpy(buf, "\0\0\0\3a\0b\0", 8);
	xdr_init(&x, XDR_DECODE, buf, 8);
	xdr_set_arena(&x, arena, sizeof(arena));
	CHECK(!xdr_string(&x, &s2, 16));
	CHECK_EQ_INT(x.error, XDR_EVALUE);

	/* Encoding NULL with a length is the caller's bug, reported. */
	d2 = NULL;
	len2 = 2;
	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(!xdr_bytes(&x, &d2, &len2, 10));
	CHECK_EQ_INT(x.error, XDR_ENULL);
}

struct point {
	int32_t x, y;
};

static int
xdr_point(struct xdr *x, void *obj)
{
	struct point *p = obj;

	return xdr_int(x, &p->x) && xdr_int(x, &p->y);
}

static void
test_arrays(void)
{
	struct xdr x;
	struct point pts[3] = { { 1, 2 }, { 3, 4 }, { -5, 6 } }, fixed[3];
	struct point *var = pts, *got = NULL;
	uint32_t n = 3, n2;

	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(xdr_array(&x, (void **)&var, &n, 10, sizeof(*var), xdr_point));
	CHECK(xdr_vector(&x, pts, 3, sizeof(pts[0]), xdr_point));
	CHECK_EQ_INT(xdr_getpos(&x), 4 + 24 + 24);
	CHECK(bytes_are(buf, "00000003" "00000001" "00000002", 12));

	xdr_init(&x, XDR_DECODE, buf, 52);
	xdr_set_arena(&x, arena, sizeof(arena));
	CHECK(xdr_array(&x, (void **)&got, &n2, 10, sizeof(*got), xdr_point));
	CHECK(xdr_vector(&x, fixed, 3, sizeof(fixed[0]), xdr_point));
	CHECK_EQ_INT(n2, 3);
	CHECK(got != NULL && got[2].x == -5 && got[2].y == 6);
	CHECK(fixed[1].x == 3 && fixed[1].y == 4);

	/* Over the maximum. */
	xdr_init(&x, XDR_DECODE, buf, 52);
	xdr_set_arena(&x, arena, sizeof(arena));
	CHECK(!xdr_array(&x, (void **)&got, &n2, 2, sizeof(*got), xdr_point));
	CHECK_EQ_INT(x.error, XDR_ELIMIT);

	/* A forged count: far more elements than bytes left.  Refused
	 * before any memory is asked for. */
	memcpy(buf, "\x7f\xff\xff\xff", 4);
	xdr_init(&x, XDR_DECODE, buf, 52);
	xdr_set_arena(&x, arena, sizeof(arena));
	CHECK(!xdr_array(&x, (void **)&got, &n2, XDR_NOLIMIT, sizeof(*got), xdr_point));
	CHECK_EQ_INT(x.error, XDR_EOVERFLOW);
	CHECK_EQ_INT(x.arena_used, 0);

	/* A forged byte length near 2^32 must not wrap the bounds check. */
	memcpy(buf, "\xff\xff\xff\xfe", 4);
	xdr_init(&x, XDR_DECODE, buf, 52);
	xdr_set_arena(&x, arena, sizeof(arena));
	{
		uint8_t *d;
		uint32_t l;

		CHECK(!xdr_bytes(&x, &d, &l, XDR_NOLIMIT));
		CHECK_EQ_INT(x.error, XDR_EOVERFLOW);
	}

	/* The arena runs out: an error, not an overrun. */
	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	n = 3;
	var = pts;
	CHECK(xdr_array(&x, (void **)&var, &n, 10, sizeof(*var), xdr_point));
	xdr_init(&x, XDR_DECODE, buf, 28);
	xdr_set_arena(&x, arena, 16);
	CHECK(!xdr_array(&x, (void **)&got, &n2, 10, sizeof(*got), xdr_point));
	CHECK_EQ_INT(x.error, XDR_ENOMEM);
}

static void
test_call_header(void)
{
	struct rpc_call_hdr h = { .xid = 0x12345678, .prog = 100000, .vers = 2,
	    .proc = 3 }, d;
	struct xdr x;
	uint32_t len, cut;

	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(rpc_encode_call(&x, &h));
	len = xdr_getpos(&x);
	CHECK_EQ_INT(len, 40);
	/* xid, CALL, rpcvers 2, prog, vers, proc, AUTH_NONE twice (section 9). */
	CHECK(bytes_are(buf, "12345678" "00000000" "00000002" "000186a0"
	    "00000002" "00000003" "0000000000000000" "0000000000000000", 40));

	xdr_init(&x, XDR_DECODE, buf, len);
	CHECK_EQ_INT(rpc_decode_call(&x, &d), RPC_HDR_OK);
	CHECK_EQ_INT(d.xid, 0x12345678);
	CHECK_EQ_INT(d.prog, 100000);
	CHECK_EQ_INT(d.proc, 3);
	CHECK_EQ_INT(d.cred.flavor, AUTH_NONE);

	/* Every truncation is garbled, never read past the end. */
	for (cut = 0; cut < len; cut++) {
		xdr_init(&x, XDR_DECODE, buf, cut);
		CHECK(rpc_decode_call(&x, &d) == RPC_HDR_GARBLED);
	}

	/* rpcvers 3 is denied before anything after it is trusted. */
	buf[11] = 3;
	xdr_init(&x, XDR_DECODE, buf, len);
	CHECK_EQ_INT(rpc_decode_call(&x, &d), RPC_HDR_BAD_VERSION);
	buf[11] = 2;
	/* A reply sent to a server. */
	buf[7] = 1;
	xdr_init(&x, XDR_DECODE, buf, len);
	CHECK_EQ_INT(rpc_decode_call(&x, &d), RPC_HDR_NOT_CALL);
	buf[7] = 0;
	/* A credential claiming 401 bytes. */
	buf[28] = 0x01;
	buf[29] = 0;
	buf[30] = 0x01;
	buf[31] = 0x91;
	xdr_init(&x, XDR_DECODE, buf, len);
	CHECK_EQ_INT(rpc_decode_call(&x, &d), RPC_HDR_BAD_AUTH);
}

static void
test_reply_header(void)
{
	struct rpc_reply_hdr h, d;
	struct xdr x;
	uint32_t xid, mtype;

	rpc_reply_hdr_init(&h, 7, SUCCESS);
	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(rpc_encode_reply(&x, &h));
	CHECK_EQ_INT(xdr_getpos(&x), 24);
	CHECK(bytes_are(buf, "00000007" "00000001" "00000000" "0000000000000000"
	    "00000000", 24));

	rpc_reply_hdr_init(&h, 8, PROG_MISMATCH);
	h.low = 1;
	h.high = 2;
	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(rpc_encode_reply(&x, &h));
	CHECK_EQ_INT(xdr_getpos(&x), 32);
	xdr_init(&x, XDR_DECODE, buf, 32);
	CHECK(xdr_u_int(&x, &xid) && xdr_u_int(&x, &mtype));
	d.xid = xid;
	CHECK(mtype == RPC_REPLY && rpc_decode_reply(&x, &d));
	CHECK(d.accept == PROG_MISMATCH && d.low == 1 && d.high == 2);

	/* Denied: RPC_MISMATCH with the versions supported. */
	rpc_reply_hdr_init(&h, 9, SUCCESS);
	h.stat = MSG_DENIED;
	h.reject = RPC_MISMATCH;
	h.low = h.high = 2;
	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(rpc_encode_reply(&x, &h));
	CHECK(bytes_are(buf, "00000009" "00000001" "00000001" "00000000"
	    "00000002" "00000002", 24));
	xdr_init(&x, XDR_DECODE, buf, 24);
	CHECK(xdr_u_int(&x, &xid) && xdr_u_int(&x, &mtype));
	CHECK(rpc_decode_reply(&x, &d));
	CHECK(d.stat == MSG_DENIED && d.reject == RPC_MISMATCH && d.high == 2);

	/* An accept_stat from the future is malformed. */
	rpc_reply_hdr_init(&h, 10, 42);
	xdr_init(&x, XDR_ENCODE, buf, sizeof(buf));
	CHECK(rpc_encode_reply(&x, &h));
	xdr_init(&x, XDR_DECODE, buf, 24);
	CHECK(xdr_u_int(&x, &xid) && xdr_u_int(&x, &mtype));
	CHECK(!rpc_decode_reply(&x, &d));
	CHECK_STR(rpc_accept_name(GARBAGE_ARGS), "GARBAGE_ARGS");
}

/* Random bytes through every decoder: AddressSanitizer is the judge. */
static void
test_random_input(void)
{
	struct rpc_call_hdr c;
	struct rpc_reply_hdr r;
	struct point *pts;
	struct xdr x;
	uint32_t n, len, i, j;
	uint8_t *heap, *d;
	char *s;

	srand(4506);
	for (i = 0; i < 20000; i++) {
		len = (uint32_t)rand() % 96;
		heap = malloc(len ? len : 1);	/* exact size: ASan sees overruns */
		for (j = 0; j < len; j++)
			heap[j] = (uint8_t)(rand() % 4 == 0 ? 0 : rand());
		xdr_init(&x, XDR_DECODE, heap, len);
		rpc_decode_call(&x, &c);
		xdr_init(&x, XDR_DECODE, heap, len);
		if (xdr_u_int(&x, &n) && xdr_u_int(&x, &n)) {
			r.xid = 0;
			rpc_decode_reply(&x, &r);
		}
		xdr_init(&x, XDR_DECODE, heap, len);
		xdr_set_arena(&x, arena, sizeof(arena));
		xdr_string(&x, &s, XDR_NOLIMIT);
		xdr_bytes(&x, &d, &n, XDR_NOLIMIT);
		xdr_array(&x, (void **)&pts, &n, XDR_NOLIMIT, sizeof(*pts), xdr_point);
		free(heap);
	}
	CHECK(1);
}

int
main(void)
{
	test_integers();
	test_opaque_and_strings();
	test_arrays();
	test_call_header();
	test_reply_header();
	test_random_input();
	return unit_summary("test_xdr");
}
