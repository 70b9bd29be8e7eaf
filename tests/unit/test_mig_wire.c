/*
 * Host unit tests for the migration message checks (kernel/migrate/
 * mig_wire.c): a well-formed message of every op passes; each single
 * field made wrong is refused for the reason it names; every truncation
 * of a STATE and a PAGES message is refused; and mutated messages are
 * either refused or pass a second, independent validator written here.
 * Each message is checked in a heap block of exactly its length, so ASan
 * stops the test at the first byte read past the end.
 */
// uses: kernel/migrate/mig_wire.c kernel/migrate/mig_wire_mbox.c lib/string.c
#include <malloc.h>	/* not <stdlib.h>: its wait() macros clash with brinch/types.h */
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include "kernel/migrate/mig_wire.h"
#include "kernel/mm/mmu.h"
#include "brinch/dist.h"
#include "brinch/errno.h"

/* One more page than a batch holds, for the oversized one. */
#define IMG_MAX		(8 + 4 + (MIG_BATCH + 1) * (4 + PAGE_SIZE) + 256)
#define STATE_PAGES	64	/* room for the test images' page lists */

static uint8_t img[IMG_MAX];

/* ---- running a check on exactly len bytes -------------------------- */

typedef int (*checker)(const void *, uint32_t);

static int
check_all(const void *msg, uint32_t len)
{
	return mig_check(msg, len, NULL);
}

static int
run(checker fn, const uint8_t *b, uint32_t len)
{
	uint8_t *p;
	int r;

	if ((p = malloc(len)) == NULL && len > 0)
		__builtin_trap();
	if (len > 0)
		memcpy(p, b, len);
	r = fn(p, len);
	free(p);
	return r;
}

/* Both the op's own check (if it has one) and mig_check give want. */
static void
expect(int line, const char *what, checker fn, const uint8_t *b,
    uint32_t len, int want)
{
	int got;

	if (fn != NULL) {
		got = run(fn, b, len);
		if (!unit_record(got == want, __FILE__, line))
			printf("%s: got %s, want %s\n", what, mig_bad_name(got),
			    mig_bad_name(want));
	}
	got = run(check_all, b, len);
	if (!unit_record(got == want, __FILE__, line))
		printf("mig_check: %s: got %s, want %s\n", what,
		    mig_bad_name(got), mig_bad_name(want));
}

/* ---- well-formed messages ----------------------------------------- */

static uint32_t
put_hdr(uint8_t *b, int op, uint32_t mig_id)
{
	struct mig_hdr h;

	h.op = (uint8_t)op;
	h.version = MIG_VERSION;
	h.flags = 0;
	h.mig_id = mig_id;
	memcpy(b, &h, sizeof(h));
	return sizeof(h);
}

static void
good_offer(struct mig_offer *o)
{
	memset(o, 0, sizeof(*o));
	o->who.home = 1;
	o->who.pid = 7;
	o->how = MIG_PRECOPY;
	o->npages = 8;
	memcpy(o->name, "counter", 8);
}

static uint32_t
ser_offer(uint8_t *b, const struct mig_offer *o)
{
	uint32_t n = put_hdr(b, MIG_OP_OFFER, 3);

	memcpy(b + n, o, sizeof(*o));
	return n + sizeof(*o);
}

/* A PAGES message: the count field says count, n entries and pages follow. */
struct pages_img {
	uint32_t count, n;
	uint32_t va[MIG_BATCH + 1];
};

static void
good_pages(struct pages_img *p, uint32_t count)
{
	uint32_t i;

	p->count = p->n = count;
	/* Backwards on purpose: a batch need not be sorted. */
	for (i = 0; i < count; i++)
		p->va[i] = (0x08048000u + (count - 1 - i) * PAGE_SIZE) |
		    (i % 2 ? MIG_PAGE_W : 0);
}

static uint32_t
ser_pages(uint8_t *b, const struct pages_img *p)
{
	uint32_t n = put_hdr(b, MIG_OP_PAGES, 3), i;

	memcpy(b + n, &p->count, 4);
	n += 4;
	for (i = 0; i < p->n; i++, n += 4)
		memcpy(b + n, &p->va[i], 4);
	for (i = 0; i < p->n; i++, n += PAGE_SIZE)
		memset(b + n, (int)(0xA0 + i), PAGE_SIZE);
	return n;
}

/*
 * A process as the source would send it: text, data and heap, two stack
 * pages; the console on 0-2, a file on 3 and a dup of it on 4; a SIGINT
 * handler, SIGPIPE ignored, SIGUSR1 blocked and pending, an alarm set.
 */
static const uint32_t state_va[] = {
	0x08048000u, 0x08049000u,
	0x0804A000u | MIG_PAGE_W, 0x0804B000u | MIG_PAGE_W,
	0x0804C000u | MIG_PAGE_W, 0x0804D000u | MIG_PAGE_W,
	0xBFFFE000u | MIG_PAGE_W, 0xBFFFF000u | MIG_PAGE_W,
};
#define STATE_N	(sizeof(state_va) / sizeof(state_va[0]))

static void
good_state(struct mig_state *s, uint32_t *va, uint32_t *n)
{
	int fd;

	memset(s, 0, sizeof(*s));
	s->who.home = 1;
	s->who.pid = 7;
	s->ppid = 3;
	memcpy(s->name, "counter", 8);
	s->regs.eax = 4;
	s->regs.ebx = 0xDEADBEEF;
	s->regs.ecx = 0xFFFFFFFF;
	s->regs.ebp = 0xBFFFFE80u;
	s->regs.esp = 0xBFFFFE40u;
	s->regs.eip = 0x080481A4u;
	s->regs.eflags = 0x246;		/* IF ZF PF and bit 1 */
	s->regs.cs = USER_CS;
	s->regs.ss = s->regs.ds = s->regs.es = s->regs.fs = s->regs.gs = USER_DS;
	s->sig_pending = sigmask(SIGUSR1);
	s->sig_blocked = sigmask(SIGUSR1);
	s->sig_actions[SIGINT].sa_handler = 0x08048400u;
	s->sig_actions[SIGINT].sa_mask = sigmask(SIGTERM);
	s->sig_actions[SIGINT].sa_flags = SA_RESETHAND;
	s->sig_actions[SIGINT].sa_restorer = 0x08049F00u;
	s->sig_actions[SIGPIPE].sa_handler = SIG_IGN;
	s->alarm_ms = 1500;
	s->nice = 5;
	s->level = 1;
	s->user_ticks = 120;
	s->sys_ticks = 30;
	s->image_end = 0x0804B800u;
	s->brk = 0x0804D800u;
	for (fd = 0; fd < 3; fd++) {
		s->fds[fd].kind = MIG_FD_CONSOLE;
		s->fds[fd].readable = fd == 0;
		s->fds[fd].writable = fd != 0;
	}
	s->fds[3].kind = MIG_FD_FILE;
	s->fds[3].readable = 1;
	s->fds[3].offset = 10;
	s->fds[3].size = 200;
	s->fds[3].checksum = 0x811C9DC5u;
	memcpy(s->fds[3].path, "/etc/motd", 10);
	s->fds[4].kind = MIG_FD_DUP;
	s->fds[4].readable = 1;
	s->fds[4].ref = 3;
	s->npages = STATE_N;
	memcpy(va, state_va, sizeof(state_va));
	*n = STATE_N;
}

/* The npages field says s->npages; n entries follow. */
static uint32_t
ser_state(uint8_t *b, const struct mig_state *s, const uint32_t *va, uint32_t n)
{
	uint32_t len = put_hdr(b, MIG_OP_STATE, 3);

	memcpy(b + len, s, sizeof(*s));
	len += sizeof(*s);
	memcpy(b + len, va, n * 4);
	return len + n * 4;
}

/* A message of a small op: header and body bytes. */
static uint32_t
ser_small(uint8_t *b, int op, const void *body, uint32_t blen)
{
	uint32_t n = put_hdr(b, op, op <= MIG_OP_ABORT ? 3 : 0);

	memcpy(b + n, body, blen);
	return n + blen;
}

static uint32_t
ser_console(uint8_t *b, int32_t home, int32_t pid, uint32_t said, uint32_t sent)
{
	struct mig_console c;
	uint32_t n = put_hdr(b, MIG_OP_CONSOLE, 0);

	c.who.home = home;
	c.who.pid = pid;
	c.len = said;
	memcpy(b + n, &c, sizeof(c));
	n += sizeof(c);
	memset(b + n, 'x', sent);
	return n + sent;
}

/* Any well-formed message; which one is chosen by k. */
static uint32_t
build_any(uint8_t *b, uint32_t k)
{
	struct mig_offer o;
	struct pages_img p;
	struct mig_state s;
	uint32_t va[STATE_PAGES], n;
	struct mig_refuse rf = { -EAGAIN };
	struct mig_go go = { sigmask(SIGTERM) };
	struct mig_signal sg = { { 1, 7 }, SIGUSR1, 0 };
	struct mig_exit ex = { { 1, 7 }, 3 << 8 };
	struct mig_location lo = { { 1, 7 }, 2 };

	switch (k % 13) {
	case 0:
		good_offer(&o);
		return ser_offer(b, &o);
	case 1:
		return put_hdr(b, MIG_OP_ACCEPT, 3);
	case 2:
		return ser_small(b, MIG_OP_REFUSE, &rf, sizeof(rf));
	case 3:
		good_pages(&p, 1 + k / 13 % MIG_BATCH);
		return ser_pages(b, &p);
	case 4:
	case 5:
		good_state(&s, va, &n);
		return ser_state(b, &s, va, n);
	case 6:
		return put_hdr(b, MIG_OP_BUILT, 3);
	case 7:
		return ser_small(b, MIG_OP_GO, &go, sizeof(go));
	case 8:
		return put_hdr(b, MIG_OP_ABORT, 3);
	case 9:
		return ser_small(b, MIG_OP_SIGNAL, &sg, sizeof(sg));
	case 10:
		return ser_small(b, MIG_OP_EXIT, &ex, sizeof(ex));
	case 11:
		return ser_small(b, MIG_OP_LOCATION, &lo, sizeof(lo));
	default:
		return ser_console(b, 1, 7, 12, 12);
	}
}

/* ---- layout, names, header ----------------------------------------- */

static void
test_layout(void)
{
	/* The wire format: changing any of these breaks mixed clusters. */
	CHECK_EQ_INT(sizeof(struct mig_hdr), 8);
	CHECK_EQ_INT(sizeof(struct mig_who), 8);
	CHECK_EQ_INT(sizeof(struct mig_offer), 32);
	CHECK_EQ_INT(sizeof(struct mig_refuse), 4);
	CHECK_EQ_INT(sizeof(struct mig_pages), 4);
	CHECK_EQ_INT(sizeof(struct mig_fd), 80);
	CHECK_EQ_INT(sizeof(struct mig_regs), 64);
	CHECK_EQ_INT(sizeof(struct sigaction), 16);
	CHECK_EQ_INT(sizeof(struct mig_state), 1996);
	CHECK_EQ_INT(sizeof(struct mig_fetch), 4);
	CHECK_EQ_INT(sizeof(struct mig_go), 4);
	CHECK_EQ_INT(sizeof(struct mig_signal), 13);
	CHECK_EQ_INT(sizeof(struct mig_exit), 12);
	CHECK_EQ_INT(sizeof(struct mig_location), 12);
	CHECK_EQ_INT(sizeof(struct mig_console), 12);
	CHECK_EQ_INT(mig_pages_len(1), 8 + 4 + 4 + PAGE_SIZE);
	CHECK_EQ_INT(mig_pages_len(MIG_BATCH), 61512);
	CHECK(mig_pages_len(MIG_BATCH) <= KMSG_MAX);
	CHECK_EQ_INT(mig_pages_len(MIG_BATCH + 1), UINT32_MAX);
	CHECK_EQ_INT(mig_pages_len(0xFFFFFFFFu), UINT32_MAX);
	CHECK_EQ_INT(mig_state_len(0), 8 + 1996);
	CHECK_EQ_INT(mig_state_len(MIG_MAX_PAGES), 8 + 1996 + 4 * 4096);
	CHECK_EQ_INT(mig_state_len(MIG_MAX_PAGES + 1), UINT32_MAX);
	CHECK_EQ_INT(mig_state_len(0x40000001u), UINT32_MAX);	/* * 4 wraps */
}

static void
test_names(void)
{
	int i, j;

	CHECK_STR(mig_bad_name(MIG_OK), "ok");
	CHECK_STR(mig_bad_name(MIG_BAD_REGS), "regs");
	CHECK_STR(mig_bad_name(-1), "unknown");
	CHECK_STR(mig_bad_name(MIG_BAD_NREASONS), "unknown");
	for (i = 0; i < MIG_BAD_NREASONS; i++) {
		CHECK(mig_bad_name(i) != NULL && mig_bad_name(i)[0] != '\0');
		for (j = 0; j < i; j++)
			CHECK(!unit_streq(mig_bad_name(i), mig_bad_name(j)));
	}
}

static void
test_hdr(void)
{
	/* The fixed part each op needs, header included. */
	static const uint32_t need[MIG_OP_MAX] = {
		[MIG_OP_OFFER] = 40, [MIG_OP_ACCEPT] = 8, [MIG_OP_REFUSE] = 12,
		[MIG_OP_PAGES] = 12, [MIG_OP_STATE] = 2004, [MIG_OP_BUILT] = 8,
		[MIG_OP_GO] = 12, [MIG_OP_ABORT] = 8, [MIG_OP_SIGNAL] = 21,
		[MIG_OP_EXIT] = 20, [MIG_OP_LOCATION] = 20, [MIG_OP_CONSOLE] = 20,
		[MIG_OP_FETCH] = 12, [MIG_OP_RELEASE] = 8, [MIG_OP_WAIT] = 24,
		[MIG_OP_WAITED] = 24, [MIG_OP_CHILD] = 16, [MIG_OP_MBOX] = 68,
		[MIG_OP_MSGS] = 16, [MIG_OP_WHERE] = 16,
	};
	struct mig_hdr h;
	uint32_t len;
	int op;

	for (len = 0; len < 8; len++)
		CHECK_EQ_INT(run(check_all, img, len), MIG_BAD_SHORT);
	CHECK_EQ_INT(mig_check_hdr(NULL, 100, NULL), MIG_BAD_SHORT);
	for (op = MIG_OP_OFFER; op < MIG_OP_MAX; op++) {
		memset(img, 0, sizeof(img));
		put_hdr(img, op, 0x01020304u);
		memset(&h, 0, sizeof(h));
		CHECK_EQ_INT(mig_check_hdr(img, need[op], &h), MIG_OK);
		CHECK(h.op == op && h.version == MIG_VERSION && h.mig_id == 0x01020304u);
		CHECK_EQ_INT(mig_check_hdr(img, need[op], NULL), MIG_OK);
		CHECK_EQ_INT(mig_check_hdr(img, need[op] - 1, &h), MIG_BAD_SHORT);
		CHECK_EQ_INT(mig_check_hdr(img, need[op] + 1000, NULL), MIG_OK);
	}
	put_hdr(img, MIG_OP_ACCEPT, 1);
	img[1] = 0;
	CHECK_EQ_INT(mig_check_hdr(img, 8, NULL), MIG_BAD_VERSION);
	img[1] = MIG_VERSION + 1;
	CHECK_EQ_INT(mig_check_hdr(img, 8, NULL), MIG_BAD_VERSION);
	img[1] = MIG_VERSION;
	img[0] = 0;
	CHECK_EQ_INT(mig_check_hdr(img, 8, NULL), MIG_BAD_OP);
	img[0] = MIG_OP_MAX;
	CHECK_EQ_INT(mig_check_hdr(img, 8, NULL), MIG_BAD_OP);
	img[0] = 0xFF;
	CHECK_EQ_INT(mig_check_hdr(img, 8, NULL), MIG_BAD_OP);
	/* flags are ignored, as the header says. */
	put_hdr(img, MIG_OP_ACCEPT, 1);
	img[2] = img[3] = 0xFF;
	CHECK_EQ_INT(run(check_all, img, 8), MIG_OK);
	/* A refused header leaves out alone. */
	memset(&h, 0x5A, sizeof(h));
	img[0] = 0;
	CHECK_EQ_INT(mig_check_hdr(img, 8, &h), MIG_BAD_OP);
	CHECK(h.op == 0x5A);
	/* A body check given another op's message says so. */
	put_hdr(img, MIG_OP_ACCEPT, 1);
	CHECK_EQ_INT(mig_check_state(img, 8), MIG_BAD_OP);
	CHECK_EQ_INT(mig_check_pages(img, 8), MIG_BAD_OP);
	CHECK_EQ_INT(mig_check_offer(img, 8), MIG_BAD_OP);
}

static void
test_who(void)
{
	struct mig_who w;

	w.home = 0, w.pid = 1;
	CHECK_EQ_INT(mig_check_who(&w), MIG_OK);
	w.home = DIST_NODE_MAX, w.pid = 32767;
	CHECK_EQ_INT(mig_check_who(&w), MIG_OK);
	w.home = -1, w.pid = 1;
	CHECK_EQ_INT(mig_check_who(&w), MIG_BAD_FIELD);
	w.home = DIST_NODE_MAX + 1;
	CHECK_EQ_INT(mig_check_who(&w), MIG_BAD_FIELD);
	w.home = 0, w.pid = 0;
	CHECK_EQ_INT(mig_check_who(&w), MIG_BAD_FIELD);
	w.pid = -1;
	CHECK_EQ_INT(mig_check_who(&w), MIG_BAD_FIELD);
	w.pid = 32768;
	CHECK_EQ_INT(mig_check_who(&w), MIG_BAD_FIELD);
	w.pid = INT32_MIN;
	CHECK_EQ_INT(mig_check_who(&w), MIG_BAD_FIELD);
	CHECK_EQ_INT(mig_check_who(NULL), MIG_BAD_FIELD);
}

/* ---- every op well formed, then each field made wrong --------------- */

static void
test_good(void)
{
	uint32_t k, len;

	for (k = 0; k < 13 * MIG_BATCH; k++) {
		len = build_any(img, k);
		if (!unit_record(run(check_all, img, len) == MIG_OK, __FILE__,
		    __LINE__))
			printf("well-formed message %u (op %u) refused: %s\n", k,
			    img[0], mig_bad_name(run(check_all, img, len)));
	}
}

#define OFFER_BAD(want, ...) do {					\
	struct mig_offer o_, *o = &o_;					\
	good_offer(o);							\
	__VA_ARGS__;							\
	expect(__LINE__, #__VA_ARGS__, mig_check_offer, img,		\
	    ser_offer(img, o), want);					\
} while (0)

static void
test_offer(void)
{
	OFFER_BAD(MIG_OK, (void)o);
	OFFER_BAD(MIG_OK, o->how = MIG_STOP);
	OFFER_BAD(MIG_OK, o->how = MIG_LAZY);
	OFFER_BAD(MIG_OK, o->npages = MIG_MAX_PAGES);
	OFFER_BAD(MIG_OK, o->npages = 0);
	OFFER_BAD(MIG_OK, memset(o->name, 0, sizeof(o->name)));
	OFFER_BAD(MIG_OK, memcpy(o->name, "fifteen chars..", 16));
	OFFER_BAD(MIG_BAD_FIELD, o->how = MIG_LAZY + 1);
	OFFER_BAD(MIG_BAD_FIELD, o->how = 0xFFFFFFFFu);
	OFFER_BAD(MIG_BAD_COUNT, o->npages = MIG_MAX_PAGES + 1);
	OFFER_BAD(MIG_BAD_COUNT, o->npages = 0xFFFFFFFFu);
	OFFER_BAD(MIG_BAD_FIELD, o->who.home = -1);
	OFFER_BAD(MIG_BAD_FIELD, o->who.home = DIST_NODE_MAX + 1);
	OFFER_BAD(MIG_BAD_FIELD, o->who.pid = 0);
	OFFER_BAD(MIG_BAD_FIELD, o->who.pid = 32768);
	OFFER_BAD(MIG_BAD_FIELD, memcpy(o->name, "sixteen chars...", 16));
	OFFER_BAD(MIG_BAD_FIELD, o->name[2] = '\n');
	OFFER_BAD(MIG_BAD_FIELD, o->name[0] = (char)0x80);
	OFFER_BAD(MIG_BAD_FIELD, o->name[1] = 0x7F);

	good_offer((struct mig_offer *)(img + 8));
	put_hdr(img, MIG_OP_OFFER, 1);
	expect(__LINE__, "offer one byte long", mig_check_offer, img, 41,
	    MIG_BAD_LENGTH);
	expect(__LINE__, "offer one byte short", mig_check_offer, img, 39,
	    MIG_BAD_SHORT);
	img[1] = 2;
	expect(__LINE__, "offer version 2", mig_check_offer, img, 40,
	    MIG_BAD_VERSION);
}

#define PAGES_BAD(want, ...) do {					\
	struct pages_img p_, *p = &p_;					\
	good_pages(p, 4);						\
	__VA_ARGS__;							\
	expect(__LINE__, #__VA_ARGS__, mig_check_pages, img,		\
	    ser_pages(img, p), want);					\
} while (0)

static void
test_pages(void)
{
	PAGES_BAD(MIG_OK, (void)p);
	PAGES_BAD(MIG_OK, good_pages(p, 1));
	PAGES_BAD(MIG_OK, good_pages(p, MIG_BATCH));
	PAGES_BAD(MIG_OK, p->va[0] = USER_MIN);
	PAGES_BAD(MIG_OK, p->va[0] = (USER_TOP - PAGE_SIZE) | MIG_PAGE_W);
	PAGES_BAD(MIG_BAD_COUNT, p->count = p->n = 0);
	PAGES_BAD(MIG_BAD_COUNT, good_pages(p, MIG_BATCH + 1));
	PAGES_BAD(MIG_BAD_COUNT, p->count = 0xFFFFFFFFu);
	PAGES_BAD(MIG_BAD_COUNT, p->count = 0x80000000u);
	PAGES_BAD(MIG_BAD_LENGTH, p->count = 5);	/* says 5, holds 4 */
	PAGES_BAD(MIG_BAD_LENGTH, p->count = 3);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] = 0);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] = MIG_PAGE_W);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] = USER_MIN - PAGE_SIZE);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] = USER_TOP);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] = KERNBASE | MIG_PAGE_W);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] = 0xFFFFF000u);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] |= 0x2);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[1] |= 0x800);
	PAGES_BAD(MIG_BAD_ADDRESS, p->va[3] = 0x08048004u);
	PAGES_BAD(MIG_BAD_ORDER, p->va[3] = p->va[0]);
	/* The same page twice, once writable and once not. */
	PAGES_BAD(MIG_BAD_ORDER, p->va[2] = p->va[1] ^ MIG_PAGE_W);

	/* One byte more or less than the count says. */
	{
		struct pages_img p;
		uint32_t len;

		good_pages(&p, 2);
		len = ser_pages(img, &p);
		expect(__LINE__, "pages + 1 byte", mig_check_pages, img,
		    len + 1, MIG_BAD_LENGTH);
		expect(__LINE__, "pages - 1 byte", mig_check_pages, img,
		    len - 1, MIG_BAD_LENGTH);
	}
}

#define STATE_BAD(want, ...) do {					\
	struct mig_state s_, *s = &s_;					\
	uint32_t va[STATE_PAGES], n;					\
	good_state(s, va, &n);						\
	__VA_ARGS__;							\
	expect(__LINE__, #__VA_ARGS__, mig_check_state, img,		\
	    ser_state(img, s, va, n), want);				\
} while (0)

static void
test_state(void)
{
	int fd;

	STATE_BAD(MIG_OK, (void)s);
	STATE_BAD(MIG_OK, s->npages = n = 0);
	STATE_BAD(MIG_OK, s->regs.esp = USER_TOP);
	STATE_BAD(MIG_OK, s->regs.eip = USER_MIN);
	STATE_BAD(MIG_OK, s->regs.eflags = 0x202 | MIG_EFLAGS_USER);
	STATE_BAD(MIG_OK, s->image_end = s->brk = 0);
	STATE_BAD(MIG_OK, s->image_end = 0);
	STATE_BAD(MIG_OK, s->brk = UHEAP_MAX);
	STATE_BAD(MIG_OK, s->nice = -20; s->level = 15);
	STATE_BAD(MIG_OK, s->nice = 19; s->ppid = 0);
	STATE_BAD(MIG_OK, s->alarm_ms = 1000000000u);
	STATE_BAD(MIG_OK, s->sig_pending = 0xFFFFFFFEu);
	STATE_BAD(MIG_OK, s->sig_actions[SIGINT].sa_flags = SA_NODEFER | SA_RESETHAND);
	STATE_BAD(MIG_OK, s->sig_actions[SIGINT].sa_restorer = 0);
	STATE_BAD(MIG_OK, s->fds[3].offset = s->fds[3].size);
	STATE_BAD(MIG_OK, s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 0);
	STATE_BAD(MIG_OK, memset(s->fds, 0, sizeof(s->fds)));
	STATE_BAD(MIG_OK, s->who.home = DIST_NODE_MAX; s->who.pid = 32767);

	/* The page list. */
	STATE_BAD(MIG_BAD_COUNT, s->npages = MIG_MAX_PAGES + 1);
	STATE_BAD(MIG_BAD_COUNT, s->npages = 0xFFFFFFFFu);
	STATE_BAD(MIG_BAD_COUNT, s->npages = 0x40000001u);	/* * 4 wraps to 4 */
	STATE_BAD(MIG_BAD_LENGTH, s->npages = STATE_N + 1);
	STATE_BAD(MIG_BAD_LENGTH, s->npages = STATE_N - 1);
	STATE_BAD(MIG_BAD_LENGTH, n = STATE_N - 1);
	STATE_BAD(MIG_BAD_ORDER, va[3] = va[2]);
	STATE_BAD(MIG_BAD_ORDER, va[3] = va[2] ^ MIG_PAGE_W);
	STATE_BAD(MIG_BAD_ORDER, va[0] = state_va[1]; va[1] = state_va[0]);
	STATE_BAD(MIG_BAD_ORDER, va[7] = 0x08050000u);
	STATE_BAD(MIG_BAD_ADDRESS, va[0] = 0);
	STATE_BAD(MIG_BAD_ADDRESS, va[7] = USER_TOP);
	STATE_BAD(MIG_BAD_ADDRESS, va[7] = 0xFFFFF000u | MIG_PAGE_W);
	STATE_BAD(MIG_BAD_ADDRESS, va[2] |= 0x4);	/* PTE_U as a flag */
	STATE_BAD(MIG_BAD_ADDRESS, va[2] += 0x10);

	/* Registers. */
	STATE_BAD(MIG_BAD_REGS, s->regs.cs = KERNEL_CS);
	STATE_BAD(MIG_BAD_REGS, s->regs.cs = USER_DS);
	STATE_BAD(MIG_BAD_REGS, s->regs.cs = USER_CS | 0x10000);
	STATE_BAD(MIG_BAD_REGS, s->regs.ss = KERNEL_DS);
	STATE_BAD(MIG_BAD_REGS, s->regs.ss = USER_DS & ~3u);
	STATE_BAD(MIG_BAD_REGS, s->regs.ds = KERNEL_DS);
	STATE_BAD(MIG_BAD_REGS, s->regs.es = 0);
	STATE_BAD(MIG_BAD_REGS, s->regs.fs = TSS_SEL);
	STATE_BAD(MIG_BAD_REGS, s->regs.gs = USER_CS);
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags = 0x046);	/* IF clear */
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags = 0x244);	/* bit 1 clear */
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags |= 0x100);	/* TF */
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags |= 0x3000);	/* IOPL 3 */
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags |= 0x1000);	/* IOPL 1 */
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags |= 0x4000);	/* NT */
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags |= 0x10000);	/* RF */
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags |= 0x20000);	/* VM */
	STATE_BAD(MIG_OK, s->regs.eflags |= 0x40000);	/* AC: popf may set it */
	STATE_BAD(MIG_OK, s->regs.eflags |= 0x200000);	/* ID: likewise */
	STATE_BAD(MIG_OK, s->regs.fs = 0);	/* the null selector */
	STATE_BAD(MIG_OK, s->regs.gs = 0);
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags |= 0x80000000u);
	STATE_BAD(MIG_BAD_REGS, s->regs.eflags = 0xFFFFFFFFu);
	STATE_BAD(MIG_BAD_REGS, s->regs.eip = USER_TOP);
	STATE_BAD(MIG_BAD_REGS, s->regs.eip = 0xC0100000u);
	STATE_BAD(MIG_BAD_REGS, s->regs.eip = 0);
	STATE_BAD(MIG_BAD_REGS, s->regs.eip = USER_MIN - 1);
	STATE_BAD(MIG_BAD_REGS, s->regs.esp = USER_TOP + 1);
	STATE_BAD(MIG_BAD_REGS, s->regs.esp = 0xFFFFFFFCu);
	STATE_BAD(MIG_BAD_REGS, s->regs.esp = USER_MIN - 4);

	/* Signals. */
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_pending |= 1);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_blocked |= 1);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_blocked |= sigmask(SIGKILL));
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_blocked |= sigmask(SIGSTOP));
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_handler = KERNBASE);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_handler = 0xC0101234u);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_handler = 2);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_handler = USER_MIN - 1);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[NSIG - 1].sa_handler = 0xFFFFFFFFu);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[0].sa_handler = USER_TOP);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_restorer = USER_TOP);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_restorer = 0xFFF);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGPIPE].sa_restorer = KERNBASE);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_flags |= 0x4);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_flags = 0x04000000);
	STATE_BAD(MIG_BAD_SIGNALS, s->sig_actions[SIGINT].sa_mask |= 1);
	STATE_BAD(MIG_BAD_SIGNALS, s->alarm_ms = 1000000001u);
	STATE_BAD(MIG_BAD_SIGNALS, s->alarm_ms = 0xFFFFFFFFu);

	/* Other fields. */
	STATE_BAD(MIG_BAD_FIELD, s->who.home = -1);
	STATE_BAD(MIG_BAD_FIELD, s->who.home = DIST_NODE_MAX + 1);
	STATE_BAD(MIG_BAD_FIELD, s->who.pid = 0);
	STATE_BAD(MIG_BAD_FIELD, s->who.pid = 32768);
	STATE_BAD(MIG_BAD_FIELD, s->ppid = -1);
	STATE_BAD(MIG_BAD_FIELD, s->ppid = 32768);
	STATE_BAD(MIG_BAD_FIELD, memset(s->name, 'a', sizeof(s->name)));
	STATE_BAD(MIG_BAD_FIELD, s->name[0] = '\033');
	STATE_BAD(MIG_BAD_FIELD, s->nice = -21);
	STATE_BAD(MIG_BAD_FIELD, s->nice = 20);
	STATE_BAD(MIG_BAD_FIELD, s->nice = INT32_MIN);
	STATE_BAD(MIG_BAD_FIELD, s->level = -1);
	STATE_BAD(MIG_BAD_FIELD, s->level = 16);
	STATE_BAD(MIG_BAD_FIELD, s->image_end = USER_MIN - 1);
	STATE_BAD(MIG_BAD_FIELD, s->brk = UHEAP_MAX + 1);
	STATE_BAD(MIG_BAD_FIELD, s->brk = KERNBASE);
	STATE_BAD(MIG_BAD_FIELD, s->image_end = s->brk + 1);
	STATE_BAD(MIG_BAD_FIELD, s->brk = 0);
	STATE_BAD(MIG_BAD_FIELD, s->image_end = s->brk = 0xFFFFFFFFu);

	/* Descriptors. */
	STATE_BAD(MIG_BAD_FILES, s->fds[0].kind = MIG_FD_DUP + 1);
	STATE_BAD(MIG_BAD_FILES, s->fds[15].kind = 0xFF);
	STATE_BAD(MIG_BAD_FILES, s->fds[9].readable = 1);
	STATE_BAD(MIG_BAD_FILES, s->fds[9].ref = 1);
	STATE_BAD(MIG_BAD_FILES, s->fds[9].offset = 1);
	STATE_BAD(MIG_BAD_FILES, s->fds[9].checksum = 1);
	STATE_BAD(MIG_BAD_FILES, s->fds[9].path[MIG_PATH_MAX - 1] = 'x');
	STATE_BAD(MIG_BAD_FILES, s->fds[1].readable = 2);
	STATE_BAD(MIG_BAD_FILES, s->fds[1].writable = 0xFF);
	STATE_BAD(MIG_BAD_FILES, s->fds[3].writable = 2);
	STATE_BAD(MIG_BAD_FILES, s->fds[4].readable = 2);
	STATE_BAD(MIG_BAD_FILES, s->fds[4].ref = 4);		/* itself */
	STATE_BAD(MIG_BAD_FILES, s->fds[4].ref = 5);		/* above */
	STATE_BAD(MIG_BAD_FILES, s->fds[4].ref = 0xFF);
	STATE_BAD(MIG_BAD_FILES, s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 4);
	STATE_BAD(MIG_BAD_FILES, s->fds[6].kind = MIG_FD_DUP; s->fds[6].ref = 5);
	STATE_BAD(MIG_BAD_FILES, s->fds[0].kind = MIG_FD_DUP; s->fds[0].ref = 0);
	STATE_BAD(MIG_BAD_FILES, s->fds[3].offset = s->fds[3].size + 1);
	STATE_BAD(MIG_BAD_FILES, s->fds[3].path[0] = 'e');
	STATE_BAD(MIG_BAD_FILES, s->fds[3].path[0] = '\0');
	STATE_BAD(MIG_BAD_FILES, memset(s->fds[3].path, '/', MIG_PATH_MAX));
	STATE_BAD(MIG_BAD_FILES, s->fds[3].path[4] = '\n');

	/* The first wrong thing found is the one reported; and every
	 * descriptor slot is looked at. */
	STATE_BAD(MIG_BAD_COUNT, s->npages = 0xFFFFFFFFu; s->regs.cs = 0);
	STATE_BAD(MIG_BAD_REGS, s->regs.cs = 0; s->nice = 99);
	for (fd = 0; fd < NOFILE; fd++)
		STATE_BAD(MIG_BAD_FILES, s->fds[fd].kind = 9);
}

static void
test_small(void)
{
	struct mig_refuse rf;
	struct mig_go go;
	struct mig_signal sg;
	struct mig_exit ex;
	struct mig_location lo;
	static const int bare[] = { MIG_OP_ACCEPT, MIG_OP_BUILT, MIG_OP_ABORT };
	unsigned i;

	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++) {
		put_hdr(img, bare[i], 5);
		expect(__LINE__, "bare op", NULL, img, 8, MIG_OK);
		expect(__LINE__, "bare op + 1", NULL, img, 9, MIG_BAD_LENGTH);
	}

	rf.err = -ENOMEM;
	expect(__LINE__, "refuse", NULL, img,
	    ser_small(img, MIG_OP_REFUSE, &rf, sizeof(rf)), MIG_OK);
	expect(__LINE__, "refuse + 1", NULL, img,
	    ser_small(img, MIG_OP_REFUSE, &rf, sizeof(rf)) + 1, MIG_BAD_LENGTH);
	rf.err = -4095;
	expect(__LINE__, "refuse -4095", NULL, img,
	    ser_small(img, MIG_OP_REFUSE, &rf, sizeof(rf)), MIG_OK);
	rf.err = 0;
	expect(__LINE__, "refuse 0", NULL, img,
	    ser_small(img, MIG_OP_REFUSE, &rf, sizeof(rf)), MIG_BAD_FIELD);
	rf.err = ENOMEM;
	expect(__LINE__, "refuse +ENOMEM", NULL, img,
	    ser_small(img, MIG_OP_REFUSE, &rf, sizeof(rf)), MIG_BAD_FIELD);
	rf.err = -4096;
	expect(__LINE__, "refuse -4096", NULL, img,
	    ser_small(img, MIG_OP_REFUSE, &rf, sizeof(rf)), MIG_BAD_FIELD);

	go.signals = 0;
	expect(__LINE__, "go", NULL, img,
	    ser_small(img, MIG_OP_GO, &go, sizeof(go)), MIG_OK);
	go.signals = 0xFFFFFFFEu;
	expect(__LINE__, "go all", NULL, img,
	    ser_small(img, MIG_OP_GO, &go, sizeof(go)), MIG_OK);
	go.signals = 1;
	expect(__LINE__, "go signal 0", NULL, img,
	    ser_small(img, MIG_OP_GO, &go, sizeof(go)), MIG_BAD_SIGNALS);

	sg.who.home = 2, sg.who.pid = 9, sg.sig = SIGKILL, sg.hops = 0;
	expect(__LINE__, "signal", NULL, img,
	    ser_small(img, MIG_OP_SIGNAL, &sg, sizeof(sg)), MIG_OK);
	expect(__LINE__, "signal - 1", NULL, img,
	    ser_small(img, MIG_OP_SIGNAL, &sg, sizeof(sg)) - 1, MIG_BAD_SHORT);
	sg.hops = 0xFF;		/* the service drops it; the format is fine */
	expect(__LINE__, "signal hops", NULL, img,
	    ser_small(img, MIG_OP_SIGNAL, &sg, sizeof(sg)), MIG_OK);
	sg.sig = 0;
	expect(__LINE__, "signal 0", NULL, img,
	    ser_small(img, MIG_OP_SIGNAL, &sg, sizeof(sg)), MIG_BAD_SIGNALS);
	sg.sig = NSIG;
	expect(__LINE__, "signal NSIG", NULL, img,
	    ser_small(img, MIG_OP_SIGNAL, &sg, sizeof(sg)), MIG_BAD_SIGNALS);
	sg.sig = -9;
	expect(__LINE__, "signal -9", NULL, img,
	    ser_small(img, MIG_OP_SIGNAL, &sg, sizeof(sg)), MIG_BAD_SIGNALS);
	sg.sig = SIGTERM, sg.who.pid = 0;
	expect(__LINE__, "signal pid 0", NULL, img,
	    ser_small(img, MIG_OP_SIGNAL, &sg, sizeof(sg)), MIG_BAD_FIELD);

	ex.who.home = 0, ex.who.pid = 12, ex.status = 0x0009;
	expect(__LINE__, "exit", NULL, img,
	    ser_small(img, MIG_OP_EXIT, &ex, sizeof(ex)), MIG_OK);
	ex.who.home = 300;
	expect(__LINE__, "exit home 300", NULL, img,
	    ser_small(img, MIG_OP_EXIT, &ex, sizeof(ex)), MIG_BAD_FIELD);

	lo.who.home = 0, lo.who.pid = 12, lo.node = DIST_NODE_MAX;
	expect(__LINE__, "location", NULL, img,
	    ser_small(img, MIG_OP_LOCATION, &lo, sizeof(lo)), MIG_OK);
	lo.node = DIST_NODE_MAX + 1;
	expect(__LINE__, "location node 254", NULL, img,
	    ser_small(img, MIG_OP_LOCATION, &lo, sizeof(lo)), MIG_BAD_FIELD);
	lo.node = -1;
	expect(__LINE__, "location node -1", NULL, img,
	    ser_small(img, MIG_OP_LOCATION, &lo, sizeof(lo)), MIG_BAD_FIELD);
	lo.node = 1, lo.who.pid = -5;
	expect(__LINE__, "location pid -5", NULL, img,
	    ser_small(img, MIG_OP_LOCATION, &lo, sizeof(lo)), MIG_BAD_FIELD);

	expect(__LINE__, "console empty", NULL, img,
	    ser_console(img, 1, 7, 0, 0), MIG_OK);
	expect(__LINE__, "console full", NULL, img,
	    ser_console(img, 1, 7, MIG_CONSOLE_MAX, MIG_CONSOLE_MAX), MIG_OK);
	expect(__LINE__, "console too long", NULL, img,
	    ser_console(img, 1, 7, MIG_CONSOLE_MAX + 1, MIG_CONSOLE_MAX + 1),
	    MIG_BAD_COUNT);
	expect(__LINE__, "console says more", NULL, img,
	    ser_console(img, 1, 7, 100, 99), MIG_BAD_LENGTH);
	expect(__LINE__, "console says less", NULL, img,
	    ser_console(img, 1, 7, 99, 100), MIG_BAD_LENGTH);
	expect(__LINE__, "console says 2^32-1", NULL, img,
	    ser_console(img, 1, 7, 0xFFFFFFFFu, 10), MIG_BAD_COUNT);
	expect(__LINE__, "console home", NULL, img,
	    ser_console(img, 254, 7, 10, 10), MIG_BAD_FIELD);
}

/* ---- truncation ----------------------------------------------------- */

/* A prefix of a valid message is refused, with the reason that matches
 * where it was cut; ASan watches every read. */
static int
truncated_ok(checker fn, uint32_t len, int want)
{
	uint8_t *p;
	int ok;

	if ((p = malloc(len)) == NULL && len > 0)
		__builtin_trap();
	if (len > 0)
		memcpy(p, img, len);
	ok = fn(p, len) == want && mig_check(p, len, NULL) == want;
	free(p);
	return ok;
}

/* Lengths from..to-1 of the message in img. */
static uint32_t
truncate_range(checker fn, uint32_t from, uint32_t to, uint32_t fixed)
{
	uint32_t len, wrong = 0;

	for (len = from; len < to; len++)
		if (!truncated_ok(fn, len, len < fixed ? MIG_BAD_SHORT :
		    MIG_BAD_LENGTH) && wrong++ < 5)
			printf("cut to %u: not refused as expected\n", len);
	return wrong;
}

static void
test_truncation(void)
{
	struct mig_state s;
	struct pages_img p;
	uint32_t va[STATE_PAGES], n, full, k;

	good_state(&s, va, &n);
	full = ser_state(img, &s, va, n);
	CHECK_EQ_INT(truncate_range(mig_check_state, 0, full, 8 + sizeof(s)), 0);
	CHECK_EQ_INT(run(mig_check_state, img, full), MIG_OK);
	CHECK_EQ_INT(run(mig_check_state, img, full + 1), MIG_BAD_LENGTH);

	/* Every cut of a two-page batch ... */
	good_pages(&p, 2);
	full = ser_pages(img, &p);
	CHECK_EQ_INT(truncate_range(mig_check_pages, 0, full, 12), 0);
	CHECK_EQ_INT(run(mig_check_pages, img, full), MIG_OK);
	/* ... and of a full one, through its entries and around each
	 * page's edges (each length is a fresh block, and ASan keeps freed
	 * blocks away from reuse: all 61512 cuts would cost seconds). */
	good_pages(&p, MIG_BATCH);
	full = ser_pages(img, &p);
	CHECK_EQ_INT(truncate_range(mig_check_pages, 0, 12 + 4 * MIG_BATCH + 2, 12), 0);
	for (k = 1; k <= MIG_BATCH; k++) {
		n = 12 + 4 * MIG_BATCH + k * PAGE_SIZE;
		CHECK_EQ_INT(truncate_range(mig_check_pages, n - 2,
		    n < full ? n + 2 : full, 12), 0);
	}
	CHECK_EQ_INT(run(mig_check_pages, img, full), MIG_OK);
	CHECK_EQ_INT(run(mig_check_pages, img, full + 1), MIG_BAD_LENGTH);
}

/* ---- mutation --------------------------------------------------------
 * The second validator: what a receiver relies on, written from the x86
 * and brinch facts rather than from mig_wire.c's constants.
 */
#define EFL_CF	(1u << 0)
#define EFL_1	(1u << 1)
#define EFL_PF	(1u << 2)
#define EFL_AF	(1u << 4)
#define EFL_ZF	(1u << 6)
#define EFL_SF	(1u << 7)
#define EFL_IF	(1u << 9)
#define EFL_DF	(1u << 10)
#define EFL_OF	(1u << 11)
#define EFL_AC	(1u << 18)
#define EFL_ID	(1u << 21)
#define SEL_UCODE	0x1B	/* GDT entry 3, RPL 3 */
#define SEL_UDATA	0x23	/* GDT entry 4, RPL 3 */
#define LOW_USER	0x1000u
#define HIGH_USER	0xC0000000u
#define HEAP_TOP	(0xC0000000u - 17 * 4096)

static int
in_user(uint32_t a)
{
	return a >= LOW_USER && a < HIGH_USER;
}

static int
cstr(const char *s, int max, int need_slash)
{
	int i;

	for (i = 0; i < max && s[i] != '\0'; i++)
		if (!(s[i] >= ' ' && s[i] <= '~'))
			return 0;
	return i < max && (!need_slash || s[0] == '/');
}

static int
who_valid(struct mig_who w)
{
	return w.home >= 0 && w.home <= 253 && w.pid >= 1 && w.pid <= 32767;
}

static int
entry_valid(uint32_t e)
{
	return (e & 0xFFE) == 0 && in_user(e & 0xFFFFF000u);
}

/* A STATE entry may also say the page is text (lazy migration). */
static int
state_entry_valid(uint32_t e)
{
	return entry_valid(e & ~2u);
}

static int
state_valid(const uint8_t *b, uint32_t len)
{
	static const struct mig_fd none;
	const uint32_t userfl = EFL_CF | EFL_PF | EFL_AF | EFL_ZF | EFL_SF |
	    EFL_DF | EFL_OF | EFL_AC | EFL_ID;
	struct mig_state st;
	struct mig_regs r;
	struct mig_fd fd;
	struct sigaction sa;
	uint32_t e, last = 0, i;
	int k;

	if (len < 8 + sizeof(st))
		return 0;
	memcpy(&st, b + 8, sizeof(st));
	if (st.npages > 4096 || len != 8 + sizeof(st) + 4 * st.npages)
		return 0;
	for (i = 0; i < st.npages; i++) {
		memcpy(&e, b + 8 + sizeof(st) + 4 * i, 4);
		if (!state_entry_valid(e) || (i > 0 && (e & ~0xFFFu) <= last))
			return 0;
		last = e & ~0xFFFu;
	}
	r = st.regs;
	if (r.cs != SEL_UCODE || r.ss != SEL_UDATA || r.ds != SEL_UDATA ||
	    r.es != SEL_UDATA || (r.fs != SEL_UDATA && r.fs != 0) ||
	    (r.gs != SEL_UDATA && r.gs != 0))
		return 0;
	if ((r.eflags & (EFL_IF | EFL_1)) != (EFL_IF | EFL_1) ||
	    (r.eflags & ~(userfl | EFL_IF | EFL_1)) != 0)
		return 0;
	if (!in_user(r.eip) || r.esp < LOW_USER || r.esp > HIGH_USER)
		return 0;
	if (((st.sig_pending | st.sig_blocked) & 1) != 0 ||
	    (st.sig_blocked & ((1u << 9) | (1u << 19))) != 0)
		return 0;
	for (k = 0; k < 32; k++) {
		sa = st.sig_actions[k];
		if (sa.sa_handler > 1 && !in_user(sa.sa_handler))
			return 0;
		if (sa.sa_restorer != 0 && !in_user(sa.sa_restorer))
			return 0;
		if ((sa.sa_flags & 0x3FFFFFFFu) != 0 || (sa.sa_mask & 1) != 0)
			return 0;
	}
	if (st.alarm_ms > 1000000000u)
		return 0;
	if (!who_valid(st.who) || st.ppid < 0 || st.ppid > 32767 ||
	    !cstr(st.name, 16, 0) || st.nice < -20 || st.nice > 19 ||
	    st.level < 0 || st.level > 15)
		return 0;
	if ((st.image_end != 0 && (st.image_end < LOW_USER || st.image_end > HEAP_TOP)) ||
	    (st.brk != 0 && (st.brk < LOW_USER || st.brk > HEAP_TOP)) ||
	    st.image_end > st.brk)
		return 0;
	if (!cstr(st.exec_path, 64, 0) || (st.exec_path[0] != '\0' && st.exec_path[0] != '/'))
		return 0;
	for (k = 0; k < 16; k++) {
		fd = st.fds[k];
		if (fd.kind == MIG_FD_NONE) {
			if (memcmp(&fd, &none, sizeof(fd)) != 0)
				return 0;
			continue;
		}
		if (fd.kind > MIG_FD_DUP || fd.readable > 1 || fd.writable > 1)
			return 0;
		if (fd.kind == MIG_FD_FILE &&
		    (!cstr(fd.path, 64, 1) || fd.offset > fd.size))
			return 0;
		if (fd.kind == MIG_FD_DUP && (fd.ref >= k ||
		    (st.fds[fd.ref].kind != MIG_FD_CONSOLE &&
		    st.fds[fd.ref].kind != MIG_FD_FILE)))
			return 0;
	}
	return 1;
}

/* Mailbox ids as the mailbox messages carry them. */
static int
plain_id(int32_t id)
{
	return id > 0 && id < (1 << 23);
}

static int
node_id(int32_t id)
{
	uint32_t node = (uint32_t)id >> 23;

	return id > 0 && node >= 1 && node <= 254 && (id & ((1 << 23) - 1)) != 0;
}

static int
mbox_msg_valid(const uint8_t *b, uint32_t len)
{
	struct mig_mbox mb;
	struct mig_where w;
	int32_t id, now, sender;
	uint32_t count, i, at, flags, n;

	switch (b[0]) {
	case MIG_OP_BUILT:
		if (len == 8)
			return 1;
		if (len < 12)
			return 0;
		memcpy(&count, b + 8, 4);
		if (count > 8 || len != 12 + 8 * count)
			return 0;
		for (i = 0; i < count; i++) {
			memcpy(&id, b + 12 + 8 * i, 4);
			memcpy(&now, b + 16 + 8 * i, 4);
			if (!plain_id(id) || !plain_id(now))
				return 0;
		}
		return 1;
	case MIG_OP_MBOX:
		if (len != 68)
			return 0;
		memcpy(&mb, b + 8, sizeof(mb));
		return plain_id(mb.id) && mb.seen > 0 && node_id(mb.origin) &&
		    (mb.capacity == -1 || (mb.capacity >= 0 && mb.capacity <= 256)) &&
		    mb.is_port <= 1 && cstr(mb.name, 32, 0) && (!mb.is_port || !mb.name[0]);
	case MIG_OP_MSGS:
		if (len < 16)
			return 0;
		memcpy(&id, b + 8, 4);
		memcpy(&count, b + 12, 4);
		if (!plain_id(id) || count < 1 || count > 1024)
			return 0;
		for (at = 16, i = 0; i < count; i++) {
			if (len < at + 12)
				return 0;
			memcpy(&sender, b + at, 4);
			memcpy(&flags, b + at + 4, 4);
			memcpy(&n, b + at + 8, 4);
			if (n > 8192 || (sender != 0 && !node_id(sender)) || (flags & ~2u) ||
			    len - at - 12 < n)
				return 0;
			at += 12 + n;
		}
		return at == len;
	case MIG_OP_WHERE:
		if (len != 16)
			return 0;
		memcpy(&w, b + 8, sizeof(w));
		return node_id(w.origin) && node_id(w.now);
	}
	return 0;
}

static int
msg_valid(const uint8_t *b, uint32_t len)
{
	struct mig_offer o;
	struct mig_signal sg;
	struct mig_exit ex;
	struct mig_location lo;
	struct mig_console c;
	struct mig_wait wt;
	struct mig_waited wd;
	uint32_t count, e, f, i, j;
	int32_t err;

	if (len < 8 || b[1] != 1)
		return 0;
	switch (b[0]) {
	case MIG_OP_OFFER:
		if (len != 40)
			return 0;
		memcpy(&o, b + 8, sizeof(o));
		return who_valid(o.who) && o.how <= 2 && o.npages <= 4096 &&
		    cstr(o.name, 16, 0);
	case MIG_OP_ACCEPT:
	case MIG_OP_ABORT:
	case MIG_OP_RELEASE:
		return len == 8;
	case MIG_OP_BUILT:
	case MIG_OP_MBOX:
	case MIG_OP_MSGS:
	case MIG_OP_WHERE:
		return mbox_msg_valid(b, len);
	case MIG_OP_FETCH:
		if (len < 12)
			return 0;
		memcpy(&count, b + 8, 4);
		if (count < 1 || count > 15 || len != 12 + count * 4)
			return 0;
		for (i = 0; i < count; i++) {
			memcpy(&e, b + 12 + 4 * i, 4);
			if ((e & 0xFFF) != 0 || !in_user(e))
				return 0;
		}
		return 1;
	case MIG_OP_REFUSE:
		if (len != 12)
			return 0;
		memcpy(&err, b + 8, 4);
		return err < 0 && err >= -4095;
	case MIG_OP_PAGES:
		if (len < 12)
			return 0;
		memcpy(&count, b + 8, 4);
		if (count < 1 || count > 15 || len != 12 + count * 4100)
			return 0;
		for (i = 0; i < count; i++) {
			memcpy(&e, b + 12 + 4 * i, 4);
			if (!entry_valid(e))
				return 0;
			for (j = 0; j < i; j++) {
				memcpy(&f, b + 12 + 4 * j, 4);
				if ((e ^ f) < 0x1000)
					return 0;
			}
		}
		return 1;
	case MIG_OP_STATE:
		return state_valid(b, len);
	case MIG_OP_GO:
		return len == 12 && (b[8] & 1) == 0;
	case MIG_OP_SIGNAL:
		if (len != 21)
			return 0;
		memcpy(&sg, b + 8, sizeof(sg));
		return who_valid(sg.who) && sg.sig >= 1 && sg.sig <= 31;
	case MIG_OP_EXIT:
		if (len != 20)
			return 0;
		memcpy(&ex, b + 8, sizeof(ex));
		return who_valid(ex.who);
	case MIG_OP_LOCATION:
		if (len != 20)
			return 0;
		memcpy(&lo, b + 8, sizeof(lo));
		return who_valid(lo.who) && lo.node >= 0 && lo.node <= 253;
	case MIG_OP_CONSOLE:
		if (len < 20)
			return 0;
		memcpy(&c, b + 8, sizeof(c));
		return who_valid(c.who) && c.len <= 1024 && len == 20 + c.len;
	case MIG_OP_WAIT:
		if (len != 24)
			return 0;
		memcpy(&wt, b + 8, sizeof(wt));
		return who_valid(wt.who) && wt.pid <= 32767 && (wt.options & ~3) == 0;
	case MIG_OP_WAITED:
		if (len != 24)
			return 0;
		memcpy(&wd, b + 8, sizeof(wd));
		return who_valid(wd.who) && wd.result <= 32767 && wd.result >= -4095;
	case MIG_OP_CHILD:
		if (len != 16)
			return 0;
		memcpy(&lo.who, b + 8, sizeof(lo.who));
		return who_valid(lo.who);
	}
	return 0;
}

/* xorshift32: the same sequence on every host, whatever its rand(). */
static uint32_t rng = 2463534242u;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static const uint32_t edges[] = {
	0, 1, 2, 3, 0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, USER_TOP,
	KERNBASE + 0x100000u, USER_TOP - 1, USER_TOP - PAGE_SIZE, USER_MIN,
	USER_MIN - 1, UHEAP_MAX, UHEAP_MAX + 1, KERNEL_CS, KERNEL_DS,
	USER_CS, USER_DS, 0x202, 0x3202, 0x20202, 0x302, MIG_BATCH,
	MIG_BATCH + 1, MIG_MAX_PAGES, MIG_MAX_PAGES + 1, 32767, 32768, 253,
	254, (uint32_t)-20, 19, 20, 1000000000u, 1000000001u,
	MIG_CONSOLE_MAX, MIG_CONSOLE_MAX + 1, 0x08048000u, 0x0804A001u,
};

/* Where mutations land: mostly in the fields, not in page contents. */
static uint32_t
fields_end(const uint8_t *b, uint32_t len)
{
	uint32_t count;

	if (len >= 12 && b[0] == MIG_OP_PAGES) {
		memcpy(&count, b + 8, 4);
		if (count <= MIG_BATCH && 12 + 4 * count <= len)
			return 12 + 4 * count;
	}
	return len;
}

static uint32_t
mutate(uint8_t *b, uint32_t len)
{
	uint32_t i, off, lim, v, cut;

	for (i = 1 + rnd(4); i > 0; i--) {
		lim = rnd(8) != 0 ? fields_end(b, len) : len;
		if (lim == 0)
			lim = 1;
		off = rnd(lim);
		switch (rnd(10)) {
		case 0:
		case 1:
			b[off] ^= (uint8_t)(1u << rnd(8));
			break;
		case 2:
			b[off] = (uint8_t)rnd(256);
			break;
		case 3:
		case 4:
		case 5:
			v = edges[rnd(sizeof(edges) / sizeof(edges[0]))];
			if (rnd(2))
				off &= ~3u;
			if (off + 4 > IMG_MAX)
				off = IMG_MAX - 4;
			memcpy(b + off, &v, 4);
			if (off + 4 > len)
				len = off + 4;
			break;
		case 6:
			b[off] = (uint8_t)edges[rnd(sizeof(edges) / sizeof(edges[0]))];
			break;
		case 7:
			len = rnd(len + 1);
			break;
		case 8:
			cut = 1 + rnd(64);
			if (len + cut <= IMG_MAX) {
				for (v = 0; v < cut; v++)
					b[len + v] = (uint8_t)rnd(256);
				len += cut;
			}
			break;
		default:
			/* One op's body under another op's header. */
			b[0] = (uint8_t)(1 + rnd(MIG_OP_MAX));
			break;
		}
	}
	return len;
}

static void
test_mutations(void)
{
	enum { N = 10000 };
	uint32_t i, len, refused = 0, accepted = 0, unsafe = 0, strict = 0;
	uint32_t by[MIG_BAD_NREASONS] = { 0 };
	int r, ok;

	for (i = 0; i < N; i++) {
		/* A third are STATE, the message with the most to get wrong. */
		len = mutate(img, build_any(img, rnd(3) == 0 ? 4 : rnd(1000)));
		r = run(check_all, img, len);
		ok = msg_valid(img, len);
		if (r >= 0 && r < MIG_BAD_NREASONS)
			by[r]++;
		if (r == MIG_OK) {
			accepted++;
			if (!ok && unsafe++ < 5)
				printf("accepted but invalid: op %u len %u\n", img[0], len);
		} else {
			refused++;
			if (ok && strict++ < 5)
				printf("refused (%s) but valid: op %u len %u\n",
				    mig_bad_name(r), img[0], len);
		}
		/* The op's own check agrees with mig_check. */
		if (len >= 1 && img[0] == MIG_OP_STATE)
			CHECK_EQ_INT(run(mig_check_state, img, len), r);
		else if (len >= 1 && img[0] == MIG_OP_PAGES)
			CHECK_EQ_INT(run(mig_check_pages, img, len), r);
		else if (len >= 1 && img[0] == MIG_OP_OFFER)
			CHECK_EQ_INT(run(mig_check_offer, img, len), r);
	}
	CHECK_EQ_INT(unsafe, 0);
	CHECK_EQ_INT(strict, 0);
	CHECK(accepted > N / 20 && refused > N / 2);
	/* The mutations reach every reason. */
	for (r = 0; r < MIG_BAD_NREASONS; r++)
		if (!unit_record(by[r] > 0, __FILE__, __LINE__))
			printf("no mutant refused for %s\n", mig_bad_name(r));
	printf("test_mig_wire: %d mutated images: %u refused, %u accepted (%s)\n",
	    N, refused, accepted, unsafe == 0 ? "all accepted ones safe" :
	    "SOME ACCEPTED ONES UNSAFE");
	printf("test_mig_wire: refusals:");
	for (r = 1; r < MIG_BAD_NREASONS; r++)
		printf(" %s %u", mig_bad_name(r), by[r]);
	printf("\n");
}

/* The mailbox ops: each well formed, each field made wrong, each
 * truncation; and the independent validator agrees on all of them. */
static uint32_t
ser_msgs(uint8_t *b, int32_t mbox, uint32_t count, const int32_t *senders,
    const uint32_t *lens)
{
	struct mig_msgs m = { mbox, count };
	struct mig_msg r;
	uint32_t n = ser_small(b, MIG_OP_MSGS, &m, sizeof(m)), i;

	for (i = 0; i < count; i++) {
		r = (struct mig_msg){ senders[i], 0, lens[i] };
		memcpy(b + n, &r, sizeof(r));
		memset(b + n + sizeof(r), 'x', lens[i]);
		n += sizeof(r) + lens[i];
	}
	return n;
}

static void
agree(int line, const char *what, uint32_t len, int want)
{
	expect(line, what, NULL, img, len, want);
	if (!unit_record((mig_check(img, len, NULL) == MIG_OK) == msg_valid(img, len),
	    __FILE__, line))
		printf("  %s: the two validators disagree\n", what);
}

static void
test_mbox_ops(void)
{
	const int32_t g = DIST_ID(2, 70), senders[3] = { DIST_PID(0, 7), 0, DIST_PID(1, 9) };
	const uint32_t lens[3] = { 5, 0, MSG_MAX };
	struct mig_mbox mb = { 65, 65, DIST_ID(0, 65), 4, 0, 10, 6, "jobs" }, bad;
	struct { uint32_t count; struct mig_mbox_map map[2]; } __attribute__((packed))
	    built = { 2, { { 65, 3 }, { 1, 4 } } };
	struct mig_where w = { DIST_ID(0, 65), g };
	uint32_t n, cut;

	agree(__LINE__, "mbox", ser_small(img, MIG_OP_MBOX, &mb, sizeof(mb)), MIG_OK);
	agree(__LINE__, "mbox + 1", ser_small(img, MIG_OP_MBOX, &mb, sizeof(mb)) + 1,
	    MIG_BAD_LENGTH);
	mb.capacity = MBOX_UNBOUNDED;
	agree(__LINE__, "mbox unbounded", ser_small(img, MIG_OP_MBOX, &mb, sizeof(mb)), MIG_OK);
#define MBOX_BAD(field, value) \
	do { bad = mb; bad.field = value; agree(__LINE__, "mbox " #field, \
	    ser_small(img, MIG_OP_MBOX, &bad, sizeof(bad)), MIG_BAD_FIELD); } while (0)
	MBOX_BAD(id, 0);
	MBOX_BAD(id, g);		/* a global id is not the source's own */
	MBOX_BAD(seen, -1);
	MBOX_BAD(origin, 65);		/* a plain id names no node */
	MBOX_BAD(capacity, MBOX_MAX_CAPACITY + 1);
	MBOX_BAD(capacity, -2);
	MBOX_BAD(is_port, 2);
	MBOX_BAD(is_port, 1);		/* a port has no name */
	MBOX_BAD(name[0], '\n');
	bad = mb;
	memset(bad.name, 'a', sizeof(bad.name));	/* no NUL */
	agree(__LINE__, "mbox name", ser_small(img, MIG_OP_MBOX, &bad, sizeof(bad)), MIG_BAD_FIELD);
#undef MBOX_BAD

	agree(__LINE__, "built", ser_small(img, MIG_OP_BUILT, &built, sizeof(built)), MIG_OK);
	agree(__LINE__, "built - 1", ser_small(img, MIG_OP_BUILT, &built, sizeof(built)) - 1,
	    MIG_BAD_LENGTH);
	built.count = MIG_MAX_MBOX + 1;
	agree(__LINE__, "built count", ser_small(img, MIG_OP_BUILT, &built, sizeof(built)),
	    MIG_BAD_COUNT);
	built.count = 2;
	built.map[1].now = g;
	agree(__LINE__, "built id", ser_small(img, MIG_OP_BUILT, &built, sizeof(built)),
	    MIG_BAD_FIELD);

	n = ser_msgs(img, 3, 3, senders, lens);
	agree(__LINE__, "msgs", n, MIG_OK);
	for (cut = 8; cut < n; cut += cut < 64 ? 1 : 997)
		agree(__LINE__, "msgs cut", cut, cut < 16 ? MIG_BAD_SHORT : MIG_BAD_LENGTH);
	agree(__LINE__, "msgs + 1", n + 1, MIG_BAD_LENGTH);
	agree(__LINE__, "msgs count 0", ser_msgs(img, 3, 0, senders, lens), MIG_BAD_COUNT);
	agree(__LINE__, "msgs mbox", ser_msgs(img, g, 3, senders, lens), MIG_BAD_FIELD);
	n = ser_msgs(img, 3, 1, senders, lens);
	memcpy(img + 16, &(int32_t){ 7 }, 4);		/* a plain pid names no node */
	agree(__LINE__, "msgs sender", n, MIG_BAD_FIELD);
	n = ser_msgs(img, 3, 1, senders, lens);
	memcpy(img + 20, &(uint32_t){ MSG_CALL }, 4);	/* calls are sent again, not moved */
	agree(__LINE__, "msgs flags", n, MIG_BAD_FIELD);
	n = ser_msgs(img, 3, 1, senders, lens);
	memcpy(img + 24, &(uint32_t){ MSG_MAX + 1 }, 4);
	agree(__LINE__, "msgs length", n, MIG_BAD_COUNT);

	agree(__LINE__, "where", ser_small(img, MIG_OP_WHERE, &w, sizeof(w)), MIG_OK);
	agree(__LINE__, "where - 1", ser_small(img, MIG_OP_WHERE, &w, sizeof(w)) - 1,
	    MIG_BAD_SHORT);
	w.now = 70;
	agree(__LINE__, "where now", ser_small(img, MIG_OP_WHERE, &w, sizeof(w)), MIG_BAD_FIELD);
}

int
main(void)
{
	test_layout();
	test_names();
	test_hdr();
	test_who();
	test_good();
	test_offer();
	test_pages();
	test_state();
	test_small();
	test_mbox_ops();
	test_truncation();
	test_mutations();
	return unit_summary("test_mig_wire");
}
