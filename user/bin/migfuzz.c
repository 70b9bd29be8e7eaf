/*
 * migfuzz: hostile migration messages for this kernel's migration service
 * (kernel/migrate/), handed in through migctl(MIGCTL_INJECT) as if node
 * NODE had sent them.
 *   migfuzz [-v] NODE COUNT [SEED]
 * First a valid exchange shows that the door leads somewhere: an OFFER
 * from NODE is accepted, a whole image is built, and an ABORT throws it
 * away (if any of that does not happen, it says FAILED and stops).  Then
 * COUNT messages, built as NODE would send them and made wrong from SEED:
 * bits flipped, fields set to edge values, cut short, lengthened, given
 * another op, version or migration id; exchanges out of order (PAGES
 * before OFFER, STATE twice, GO before BUILT, ...); and whole exchanges
 * whose STATE alone is wrong, so that the deep checks of an image run.
 * It ends with how each of the service's counters moved.  The same SEED
 * gives the same messages; -v prints each one before it goes in, so after
 * a crash the last line names the culprit.
 *
 * Nothing it sends may run, or reach a real process: it never sends GO
 * for an image the kernel has built, every staging it opened is thrown
 * away with an ABORT before the next round, the processes its signals
 * name do not exist, and console output for this node is always empty.
 * The kernel's answers go to NODE over the network, where the migration
 * service drops them (it knows none of these ids).
 * tests/integration/test_migrate_fuzz.py runs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dist.h>
#include <migrate.h>
#include "kernel/migrate/mig_wire.h"
#include "kernel/mm/mmu.h"

#define HDR		((uint32_t)sizeof(struct mig_hdr))
#define ST(field)	(HDR + (uint32_t)offsetof(struct mig_state, field))
#define MSG_MAX		(KMSG_MAX + 256)	/* the most MIGCTL_INJECT takes */
#define ID_BASE		0x4D460000u	/* "MF": far from NODE's own ids (1, 2...) */
#define PID_BASE	30000		/* pids no process here or at NODE has */
#define PID_SPAN	2767		/* ... up to 32766 */
#define MAX_OPEN	32		/* stagings tracked until the round ends */
#define IMG_PAGES	48		/* pages of the largest ordinary image */
#define TEXT		0x08048000u	/* where user programs start */

/* A process as NODE would offer it: pages listed in STATE, sorted. */
struct image {
	uint32_t id;
	struct mig_who who;
	uint32_t n;
	uint32_t va[IMG_PAGES];
};

static uint8_t msg[MSG_MAX + 64];	/* + room to go past the limit */
static uint32_t len;			/* of the message in msg */
static const char *what;		/* how it was made, for -v */
static int node, me, verbose, failed;
static uint32_t count, sent, cleanups, refused_calls, rng;
static uint32_t next_id = ID_BASE + 1;
static uint32_t by_op[MIG_OP_MAX + 1];
static struct mig_counters now;		/* after the last message */

/* Stagings this round opened (accepted OFFERs) and built (BUILT sent). */
static uint32_t open_ids[MAX_OPEN], built_ids[MAX_OPEN];
static uint32_t nopen, nbuilt;

/* An initrd file for the descriptor records, with the size and the
 * FNV-1a sum the target checks. */
static const char file_path[] = "/etc/motd";
static uint32_t file_size, file_sum;
static int have_file;

static const char *const counter_names[] = {
#define NAME(x) #x,
	MIG_COUNTERS(NAME)
#undef NAME
};
#define NCOUNTERS	(sizeof(counter_names) / sizeof(counter_names[0]))

static const char *const op_names[MIG_OP_MAX + 1] = {
	"other", "OFFER", "ACCEPT", "REFUSE", "PAGES", "STATE", "BUILT", "GO",
	"ABORT", "SIGNAL", "EXIT", "LOCATION", "CONSOLE",
};

/* Values that sit on the edge of some check. */
static const uint32_t edges[] = {
	0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF,
	0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu, USER_MIN - 1, USER_MIN,
	USER_TOP - PAGE_SIZE, USER_TOP - 1, USER_TOP, UHEAP_MAX, UHEAP_MAX + 1,
	KERNBASE + 0x100000, MIG_BATCH, MIG_BATCH + 1, MIG_MAX_PAGES,
	MIG_MAX_PAGES + 1, 0x40000001u, NSIG, NOFILE, DIST_NODE_MAX,
	DIST_NODE_MAX + 1, 32767, 32768, MIG_CONSOLE_MAX, MIG_CONSOLE_MAX + 1,
	PAGE_SIZE, USER_CS, USER_DS, KERNEL_CS, KERNEL_DS, 0x3202, 0x20202,
};
#define NEDGES		(sizeof(edges) / sizeof(edges[0]))

/* ---- randomness: xorshift32, all of it from the seed ------------------ */

static uint32_t
rnd(void)
{
	return xorshift32(&rng);
}

static uint32_t
below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* ---- the message buffer ---------------------------------------------- */

static void
put32(uint32_t off, uint32_t v)
{
	memcpy(msg + off, &v, 4);
}

static uint32_t
get32(uint32_t off)
{
	uint32_t v;

	memcpy(&v, msg + off, 4);
	return v;
}

static uint32_t
hdr(int op, uint32_t id)
{
	struct mig_hdr h = { .op = (uint8_t)op, .version = MIG_VERSION, .mig_id = id };

	memcpy(msg, &h, sizeof(h));
	return HDR;
}

static void
small(int op, uint32_t id, const void *body, uint32_t n)
{
	hdr(op, id);
	memcpy(msg + HDR, body, n);
	len = HDR + n;
}

/* ---- bookkeeping -------------------------------------------------------- */

static int
member(const uint32_t *set, uint32_t n, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (set[i] == id)
			return 1;
	return 0;
}

static void
add(uint32_t *set, uint32_t *n, uint32_t id)
{
	if (!member(set, *n, id) && *n < MAX_OPEN)
		set[(*n)++] = id;
}

static void
drop(uint32_t *set, uint32_t *n, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < *n; i++)
		if (set[i] == id)
			set[i--] = set[--*n];
}

static void
read_counters(struct mig_counters *c)
{
	if (migctl(MIGCTL_COUNTERS, c) < 0) {
		printf("migfuzz: FAILED: migctl counters: %s\n", strerror(errno));
		exit(1);
	}
}

static int
inject(void)
{
	struct mig_inject inj = { .node = node, .len = len, .data = (uint32_t)msg };

	return migctl(MIGCTL_INJECT, &inj);
}

/*
 * Keep the message from reaching anything real.  A GO for an image the
 * kernel built would start it, so it goes to an id that names none; a
 * SIGNAL (or EXIT, LOCATION) naming a pid a real process may have is
 * moved to one no process has; CONSOLE output for this node is printed
 * on its console, so only an empty one may name it.
 */
static void
defuse(void)
{
	uint32_t op = msg[0], id, pid;

	if (len < HDR)
		return;
	id = get32(4);
	if (op == MIG_OP_GO && member(built_ids, nbuilt, id)) {
		for (id = ID_BASE; member(built_ids, nbuilt, id) || member(open_ids, nopen, id); )
			id--;
		put32(4, id);
	}
	if (op >= MIG_OP_SIGNAL && op <= MIG_OP_CONSOLE && len >= HDR + 8) {
		pid = get32(HDR + 4);
		if ((int32_t)pid >= 1 && pid < PID_BASE)
			put32(HDR + 4, PID_BASE + pid % PID_SPAN);
		/* A signal for another node's process goes there: to a node
		 * that is not up, it would wait in the message layer. */
		if (op == MIG_OP_SIGNAL && get32(HDR) <= DIST_NODE_MAX &&
		    (int)get32(HDR) != me)
			put32(HDR, (uint32_t)node);
	}
	if (op == MIG_OP_CONSOLE && len > HDR + sizeof(struct mig_console) &&
	    (int)get32(HDR) == me)
		put32(HDR, (uint32_t)node);
}

/* -v: what the last message did to the counters. */
static void
show_moved(const struct mig_counters *before, int err)
{
	const uint32_t *a = (const uint32_t *)before, *b = (const uint32_t *)&now;
	uint32_t i;

	printf("   ->");
	if (err < 0)
		printf(" migctl: %s", strerror(errno));
	for (i = 0; i < NCOUNTERS; i++)
		if (a[i] != b[i])
			printf(" %s %+d", counter_names[i], (int)(b[i] - a[i]));
	printf("\n");
}

/*
 * Hand the message in and note what it did: an accepted OFFER opened a
 * staging, a BUILT image is one GO must never reach.  Returns migctl's
 * result.  Once COUNT messages are in, the rest of a round is not sent.
 */
static int
send(void)
{
	struct mig_counters before = now;
	uint32_t id;
	int err;

	if (sent >= count)
		return 0;
	defuse();
	id = len >= HDR ? get32(4) : 0;
	sent++;
	by_op[len >= 1 && msg[0] < MIG_OP_MAX ? msg[0] : 0]++;
	if (verbose)
		printf("migfuzz: #%u %s: op %u id %08x len %u\n", sent, what,
		    len ? msg[0] : 0, id, len);
	if ((err = inject()) < 0)
		refused_calls++;
	read_counters(&now);
	if (verbose)
		show_moved(&before, err);
	if (now.accepted != before.accepted)
		add(open_ids, &nopen, id);
	if (now.images_in != before.images_in)
		add(built_ids, &nbuilt, id);
	/* An ABORT made of another message, or a refusal, ended it. */
	if (now.aborted_in != before.aborted_in || now.refused != before.refused) {
		drop(open_ids, &nopen, id);
		drop(built_ids, &nbuilt, id);
	}
	if (now.committed_in != before.committed_in) {
		printf("migfuzz: FAILED: message %u (%s) started an image\n", sent, what);
		failed = 1;
	}
	return err;
}

/* End of a round: ABORT (header only, as mig_check wants it) every
 * staging the round opened.  A built one must go. */
static void
cleanup(void)
{
	struct mig_counters before;
	uint32_t i, id;

	for (i = 0; i < nopen + nbuilt; i++) {
		id = i < nopen ? open_ids[i] : built_ids[i - nopen];
		if (i >= nopen && member(open_ids, nopen, id))
			continue;		/* already aborted */
		before = now;
		len = hdr(MIG_OP_ABORT, id);
		what = "clean-up ABORT";
		if (verbose)
			printf("migfuzz: clean-up ABORT id %08x\n", id);
		if (inject() < 0)
			refused_calls++;
		cleanups++;
		read_counters(&now);
		if (member(built_ids, nbuilt, id) && now.aborted_in == before.aborted_in) {
			printf("migfuzz: FAILED: built image %08x survived its ABORT\n", id);
			failed = 1;
		}
	}
	nopen = nbuilt = 0;
}

/* ---- well-formed messages ----------------------------------------------- */

static void
new_image(struct image *im, uint32_t max)
{
	uint32_t i, stack, text;

	im->id = next_id++;
	im->who.home = node;
	im->who.pid = PID_BASE + (int32_t)below(PID_SPAN);
	im->n = 1 + below(max < IMG_PAGES ? max : IMG_PAGES);
	stack = im->n >= 3 ? 1 + below(2) : 0;
	text = im->n - stack;
	for (i = 0; i < text; i++)
		im->va[i] = (TEXT + i * PAGE_SIZE) | (i > 0 ? MIG_PAGE_W : 0);
	for (i = 0; i < stack; i++)
		im->va[text + i] = (USER_TOP - (stack - i) * PAGE_SIZE) | MIG_PAGE_W;
}

static void
offer_msg(const struct image *im, uint32_t how)
{
	struct mig_offer o;

	memset(&o, 0, sizeof(o));
	o.who = im->who;
	o.how = how;
	o.npages = im->n;
	strlcpy(o.name, "fuzzed", sizeof(o.name));
	small(MIG_OP_OFFER, im->id, &o, sizeof(o));
	what = "OFFER";
}

/* n pages of the image from index first on, last first (a batch need
 * not be sorted), each filled with its page number. */
static void
pages_msg(const struct image *im, uint32_t first, uint32_t n)
{
	uint32_t i, va, data = HDR + 4 + 4 * n;

	hdr(MIG_OP_PAGES, im->id);
	put32(HDR, n);
	for (i = 0; i < n; i++) {
		va = im->va[(first + n - 1 - i) % im->n];
		put32(HDR + 4 + 4 * i, va);
		memset(msg + data + i * PAGE_SIZE, (int)(va >> 12), PAGE_SIZE);
	}
	len = data + n * PAGE_SIZE;
	what = "PAGES";
}

/* The image's state: registers a user program could hold, a signal
 * handler, the console on 0-2, an initrd file on 3 and its dup on 4. */
static void
state_msg(const struct image *im)
{
	struct mig_state *s = (struct mig_state *)(msg + HDR);
	uint32_t eip = PTE_ADDR(im->va[0]) + 0x10, fd;

	hdr(MIG_OP_STATE, im->id);
	memset(s, 0, sizeof(*s));
	s->who = im->who;
	s->ppid = 1;
	strlcpy(s->name, "fuzzed", sizeof(s->name));
	s->regs.eip = eip;
	s->regs.esp = USER_TOP - 16;
	s->regs.eflags = MIG_EFLAGS_IF | MIG_EFLAGS_FIXED;
	s->regs.cs = USER_CS;
	s->regs.ss = s->regs.ds = s->regs.es = s->regs.fs = s->regs.gs = USER_DS;
	s->sig_blocked = sigmask(SIGUSR1);
	s->sig_actions[SIGINT].sa_handler = eip;
	s->sig_actions[SIGINT].sa_restorer = eip + 8;
	s->image_end = s->brk = TEXT + 4 * PAGE_SIZE;
	for (fd = 0; fd < 3; fd++) {
		s->fds[fd].kind = MIG_FD_CONSOLE;
		s->fds[fd].readable = fd == 0;
		s->fds[fd].writable = fd != 0;
	}
	if (have_file) {
		s->fds[3].kind = MIG_FD_FILE;
		s->fds[3].readable = 1;
		s->fds[3].size = file_size;
		s->fds[3].checksum = file_sum;
		strlcpy(s->fds[3].path, file_path, sizeof(s->fds[3].path));
		s->fds[4].kind = MIG_FD_DUP;
		s->fds[4].readable = 1;
		s->fds[4].ref = 3;
	}
	s->npages = im->n;
	memcpy(msg + HDR + sizeof(*s), im->va, im->n * 4);
	len = HDR + sizeof(*s) + im->n * 4;
	what = "STATE";
}

/* A valid message of one of the other ops, about im. */
static void
other_msg(const struct image *im, int op)
{
	struct mig_refuse rf = { .err = -(int32_t)(1 + below(200)) };
	struct mig_go go = { .signals = below(2) ? sigmask(SIGTERM) : 0 };
	struct mig_signal sg = { .who = im->who, .sig = 1 + (int32_t)below(NSIG - 1),
	    .hops = (uint8_t)below(MIG_MAX_HOPS + 2) };
	struct mig_exit ex = { .who = im->who, .status = (int32_t)below(256) << 8 };
	struct mig_location lo = { .who = im->who, .node = node };
	struct mig_console c = { .who = im->who };

	/* Half of these name a process of this node's (none exists). */
	if (below(2))
		sg.who.home = ex.who.home = lo.who.home = me;
	switch (op) {
	case MIG_OP_REFUSE:
		small(op, im->id, &rf, sizeof(rf));
		break;
	case MIG_OP_GO:
		small(op, im->id, &go, sizeof(go));
		break;
	case MIG_OP_SIGNAL:
		small(op, 0, &sg, sizeof(sg));
		break;
	case MIG_OP_EXIT:
		small(op, 0, &ex, sizeof(ex));
		break;
	case MIG_OP_LOCATION:
		small(op, 0, &lo, sizeof(lo));
		break;
	case MIG_OP_CONSOLE:
		if (below(4) == 0) {
			c.who.home = me;	/* prints nothing */
		} else {
			c.len = 1 + below(MIG_CONSOLE_MAX);
			memset(msg + HDR + sizeof(c), 'z', c.len);
		}
		small(op, 0, &c, sizeof(c));
		len += c.len;
		break;
	default:			/* ACCEPT, BUILT, ABORT */
		small(op, im->id, NULL, 0);
		break;
	}
	what = op_names[op];
}

/* ---- making them wrong --------------------------------------------------- */

/* Mostly the header and the fixed fields, which the checks read. */
static uint32_t
some_offset(void)
{
	uint32_t lim[] = { 16, 64, HDR + sizeof(struct mig_state) + 64, len };
	uint32_t n = lim[below(4)];

	return below(n < len ? n : len);
}

/* One generic mutation, of any message. */
static void
mutate(void)
{
	uint32_t i, n, off, extra;
	static const uint8_t bytes[] = { 0, 1, 0x7F, 0x80, 0xFE, 0xFF };
	static const uint8_t versions[] = { 0, MIG_VERSION + 1, 0xFF };

	switch (below(11)) {
	case 0:
	case 1:
		n = 1 + below(8);
		for (i = 0; i < n && len > 0; i++)
			msg[some_offset()] ^= (uint8_t)(1u << below(8));
		what = "bits flipped";
		break;
	case 2:
	case 3:
		if (len >= 4) {
			off = some_offset() & ~3u;
			put32(off + 4 <= len ? off : len - 4, edges[below(NEDGES)]);
		}
		what = "a word set to an edge value";
		break;
	case 4:
		if (len > 0)
			msg[some_offset()] = bytes[below(sizeof(bytes))];
		what = "a byte set to an edge value";
		break;
	case 5:
		n = below(3);
		len = n == 0 ? (len > 4 ? len - 1 - below(4) : 0) :
		    n == 1 ? below(HDR + 1) : below(len);
		what = "cut short";
		break;
	case 6:
		n = below(8);
		extra = n == 0 ? MSG_MAX + 1 + below(8) : len + 1 + below(n < 4 ? 4 : 64);
		if (extra > sizeof(msg))
			extra = sizeof(msg);
		for (; len < extra; len++)
			msg[len] = (uint8_t)rnd();
		what = n == 0 ? "lengthened past the limit" : "lengthened";
		break;
	case 7:
		if (len > 0)
			msg[0] = below(4) ? (uint8_t)below(MIG_OP_MAX + 2) : 0xFF;
		what = "another op";
		break;
	case 8:
		if (len > 1)
			msg[1] = versions[below(sizeof(versions))];
		what = "another version";
		break;
	case 9:
		if (len >= HDR)
			put32(2, (get32(2) & 0xFFFF0000u) | 0xFFFF);	/* flags: ignored */
		what = "flags set";
		break;
	default:
		n = below(4);
		if (len >= HDR)
			put32(4, n == 0 ? 0 : n == 1 ? get32(4) ^ (1u << below(32)) :
			    n == 2 && nopen ? open_ids[below(nopen)] : rnd());
		what = "another id";
		break;
	}
}

/* One thing wrong with the OFFER in msg (some are fine: the check
 * must let those through). */
static void
spoil_offer(void)
{
	struct mig_offer *o = (struct mig_offer *)(msg + HDR);

	switch (below(14)) {
	case 0: o->how = MIG_LAZY + 1; what = "OFFER how 3"; break;
	case 1: o->how = MIG_LAZY; what = "OFFER lazy"; break;
	case 2: o->npages = MIG_MAX_PAGES + 1; what = "OFFER npages 4097"; break;
	case 3: o->npages = 0xFFFFFFFFu; what = "OFFER npages -1"; break;
	case 4: o->npages = MIG_MAX_PAGES; what = "OFFER npages 4096"; break;
	case 5: memset(o->name, 'a', sizeof(o->name)); what = "OFFER name unterminated"; break;
	case 6: o->name[1] = '\033'; what = "OFFER name escape"; break;
	case 7: o->who.home = -1; what = "OFFER home -1"; break;
	case 8: o->who.home = DIST_NODE_MAX + 1; what = "OFFER home 254"; break;
	case 9: o->who.pid = 0; what = "OFFER pid 0"; break;
	case 10: o->who.pid = 32768; what = "OFFER pid 32768"; break;
	case 11: o->who.home = me; what = "OFFER coming home, no deputy"; break;
	case 12: len++; what = "OFFER + 1 byte"; break;
	default: len--; what = "OFFER - 1 byte"; break;
	}
}

/* One thing wrong with the PAGES batch in msg (n pages). */
static void
spoil_pages(void)
{
	uint32_t n = get32(HDR), k = below(n);

	switch (below(12)) {
	case 0: put32(HDR, 0); what = "PAGES count 0"; break;
	case 1: put32(HDR, n + 1); what = "PAGES count + 1"; break;
	case 2: put32(HDR, MIG_BATCH + 1); what = "PAGES count 16"; break;
	case 3: put32(HDR, 0xFFFFFFFFu); what = "PAGES count -1"; break;
	case 4: put32(HDR + 4 + 4 * k, 0); what = "PAGES page 0"; break;
	case 5: put32(HDR + 4 + 4 * k, KERNBASE | MIG_PAGE_W); what = "PAGES kernel page"; break;
	case 6: put32(HDR + 4 + 4 * k, get32(HDR + 4 + 4 * k) | 0x4); what = "PAGES flag 4"; break;
	case 7: put32(HDR + 4 + 4 * k, get32(HDR + 4 + 4 * k) + 0x10); what = "PAGES unaligned"; break;
	case 8:
		if (n > 1)
			put32(HDR + 4 + 4 * k, get32(HDR + 4 + 4 * ((k + 1) % n)) ^ MIG_PAGE_W);
		what = "PAGES one page twice";
		break;
	case 9: len -= 1 + below(PAGE_SIZE); what = "PAGES data cut"; break;
	case 10: len += 4; what = "PAGES + 4 bytes"; break;
	default: put32(HDR + 4 + 4 * k, 0x10000000u | MIG_PAGE_W); what = "PAGES a page not listed"; break;
	}
}

/*
 * One thing wrong with the STATE in msg: each of mig_check_state's
 * rules broken, and wrong in ways only the target can tell (the
 * process named is not the one offered, the file is not the one here).
 * Some are fine, and the image must then be built.
 */
static void
spoil_state(void)
{
	struct mig_state *s = (struct mig_state *)(msg + HDR);
	uint32_t n = s->npages, *va = (uint32_t *)(msg + HDR + sizeof(*s));
	uint32_t i, k;

	switch (below(64)) {
	case 0: s->regs.cs = KERNEL_CS; what = "STATE cs kernel"; break;
	case 1: s->regs.cs = USER_CS | 0x10000; what = "STATE cs upper half"; break;
	case 2: s->regs.ss = KERNEL_DS; what = "STATE ss kernel"; break;
	case 3: s->regs.ds = 0; what = "STATE ds null"; break;
	case 4: s->regs.fs = 0; what = "STATE fs null (fine)"; break;
	case 5: s->regs.gs = TSS_SEL; what = "STATE gs tss"; break;
	case 6: s->regs.eflags &= ~MIG_EFLAGS_IF; what = "STATE IF clear"; break;
	case 7: s->regs.eflags |= 0x3000; what = "STATE IOPL 3"; break;
	case 8: s->regs.eflags |= 0x4000; what = "STATE NT"; break;
	case 9: s->regs.eflags |= 0x20000; what = "STATE VM"; break;
	case 10: s->regs.eflags |= 0x100; what = "STATE TF"; break;
	case 11: s->regs.eflags |= 0x10000; what = "STATE RF"; break;
	case 12: s->regs.eflags |= 0x240000; what = "STATE AC ID (fine)"; break;
	case 13: s->regs.eip = KERNBASE; what = "STATE eip kernel"; break;
	case 14: s->regs.eip = 0; what = "STATE eip 0"; break;
	case 15: s->regs.esp = USER_TOP + 4; what = "STATE esp kernel"; break;
	case 16: s->regs.esp = USER_TOP; what = "STATE esp top (fine)"; break;
	case 17: s->sig_pending |= 1; what = "STATE signal 0 pending"; break;
	case 18: s->sig_blocked |= sigmask(SIGKILL); what = "STATE SIGKILL blocked"; break;
	case 19: s->sig_actions[SIGTERM].sa_handler = KERNBASE + 0x1000; what = "STATE handler kernel"; break;
	case 20: s->sig_actions[SIGINT].sa_restorer = 0xFFF; what = "STATE restorer low"; break;
	case 21: s->sig_actions[SIGINT].sa_flags = 1; what = "STATE sa_flags"; break;
	case 22: s->sig_actions[SIGINT].sa_mask |= 1; what = "STATE sa_mask bit 0"; break;
	case 23: s->alarm_ms = 1000000001u; what = "STATE alarm too far"; break;
	case 24: s->who.pid++; what = "STATE not the process offered"; break;
	case 25: s->who.home = -1; what = "STATE home -1"; break;
	case 26: s->ppid = -1; what = "STATE ppid -1"; break;
	case 27: memset(s->name, 'x', sizeof(s->name)); what = "STATE name unterminated"; break;
	case 28: s->name[0] = (char)0x80; what = "STATE name 0x80"; break;
	case 29: s->nice = 20; what = "STATE nice 20"; break;
	case 30: s->level = -1; what = "STATE level -1"; break;
	case 31: s->image_end = s->brk + 1; what = "STATE image_end past brk"; break;
	case 32: s->brk = UHEAP_MAX + 1; what = "STATE brk in the stack guard"; break;
	case 33: s->fds[7].kind = 9; what = "STATE fd kind 9"; break;
	case 34: s->fds[9].offset = 1; what = "STATE unused fd not zero"; break;
	case 35: s->fds[1].readable = 2; what = "STATE fd readable 2"; break;
	case 36: s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 5; what = "STATE dup of itself"; break;
	case 37: s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 9; what = "STATE dup of a later fd"; break;
	case 38: s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 4; what = "STATE dup of a dup"; break;
	case 39: s->fds[6].kind = MIG_FD_DUP; s->fds[6].ref = 8; what = "STATE dup of nothing"; break;
	case 40: s->fds[3].checksum ^= 1; what = "STATE file not the same"; break;
	case 41: s->fds[3].size++; what = "STATE file size"; break;
	case 42: strlcpy(s->fds[3].path, "/etc/none", MIG_PATH_MAX); what = "STATE file missing"; break;
	case 43: strlcpy(s->fds[3].path, "/bin", MIG_PATH_MAX); what = "STATE file a directory"; break;
	case 44: s->fds[3].path[0] = 'e'; what = "STATE file path relative"; break;
	case 45: s->fds[3].offset = s->fds[3].size + 1; what = "STATE file offset past end"; break;
	case 46: memset(s->fds[3].path, '/', MIG_PATH_MAX); what = "STATE file path unterminated"; break;
	case 47: s->fds[3].offset = s->fds[3].size; what = "STATE file at its end (fine)"; break;
	case 48: s->npages = n + 1; what = "STATE npages + 1"; break;
	case 49: s->npages = MIG_MAX_PAGES + 1; what = "STATE npages 4097"; break;
	case 50: s->npages = 0x40000001u; what = "STATE npages wrapping"; break;
	case 51: len -= 4; what = "STATE list cut"; break;
	case 52:
		if (n > 1) {
			i = va[0];
			va[0] = va[1];
			va[1] = i;
		}
		what = "STATE list unsorted";
		break;
	case 53:
		if (n > 1)
			va[1] = va[0] ^ MIG_PAGE_W;
		what = "STATE a page twice";
		break;
	case 54: va[0] |= 0x800; what = "STATE page flag"; break;
	case 55: va[n - 1] = USER_TOP | MIG_PAGE_W; what = "STATE kernel page"; break;
	case 56:
		/* More pages listed than sent, between the text and the
		 * stack: they arrive as zero (fine). */
		for (i = n; i > 0 && va[i - 1] >= 0x10000000u; i--)
			va[i - 1 + IMG_PAGES - n] = va[i - 1];
		for (k = 0; k < IMG_PAGES - n; k++)
			va[i + k] = (0x10000000u + k * PAGE_SIZE) | MIG_PAGE_W;
		s->npages = IMG_PAGES;
		len = HDR + sizeof(*s) + IMG_PAGES * 4;
		what = "STATE more pages than sent (fine)";
		break;
	case 57:
		/* Fewer: what was sent and not listed goes (fine). */
		s->npages = n / 2;
		len = HDR + sizeof(*s) + s->npages * 4;
		what = "STATE fewer pages than sent (fine)";
		break;
	case 58:
		/* The largest image there is, all but a few pages zero. */
		for (i = 0; i < MIG_MAX_PAGES; i++)
			va[i] = (TEXT + i * PAGE_SIZE) | MIG_PAGE_W;
		s->npages = MIG_MAX_PAGES;
		len = HDR + sizeof(*s) + MIG_MAX_PAGES * 4;
		what = "STATE 4096 pages (fine)";
		break;
	case 59: memset(s->fds, 0, sizeof(s->fds)); what = "STATE no files (fine)"; break;
	case 60: s->sig_actions[SIGINT].sa_handler = USER_TOP; what = "STATE handler at the top"; break;
	case 61: s->regs.eflags = 0xFFFFFFFFu; what = "STATE eflags all set"; break;
	case 62: s->who.home = me; what = "STATE coming home, not offered so"; break;
	default: s->alarm_ms = 1000000000u; what = "STATE alarm at the limit (fine)"; break;
	}
}

/* ---- rounds ---------------------------------------------------------------- */

/* Send the image's pages in batches, perhaps leaving some out. */
static void
send_pages(const struct image *im)
{
	uint32_t first, n;

	for (first = 0; first < im->n; first += n) {
		n = 1 + below(MIG_BATCH);
		if (n > im->n - first)
			n = im->n - first;
		if (below(8) == 0)
			continue;		/* listed, never sent: zero */
		pages_msg(im, first, n);
		send();
	}
}

/* A whole exchange whose STATE (or one PAGES batch) is wrong; then
 * perhaps one more message out of turn. */
static void
round_exchange(void)
{
	struct image im;

	new_image(&im, IMG_PAGES);
	offer_msg(&im, below(2) ? MIG_STOP : MIG_PRECOPY);
	send();
	send_pages(&im);
	if (below(4) == 0) {
		pages_msg(&im, 0, im.n < MIG_BATCH ? im.n : MIG_BATCH);
		spoil_pages();
		send();
	}
	state_msg(&im);
	if (below(8) != 0)
		spoil_state();
	if (below(4) == 0)
		mutate();
	send();
	switch (below(6)) {
	case 0:
		state_msg(&im);
		what = "STATE again";
		send();
		break;
	case 1:
		pages_msg(&im, 0, 1);
		what = "PAGES after STATE";
		send();
		break;
	case 2:
		/* What mig_out.c's finish() sends: the result as a body. */
		hdr(MIG_OP_ABORT, im.id);
		put32(HDR, (uint32_t)-EBUSY);
		len = HDR + 4;
		what = "ABORT with a body";
		send();
		break;
	case 3:
		other_msg(&im, MIG_OP_GO);
		what = "GO after STATE";
		send();
		break;
	case 4:
		offer_msg(&im, MIG_STOP);
		what = "OFFER again";
		send();
		break;
	}
	cleanup();
}

/* Exchanges in an order no source follows. */
static void
round_disorder(void)
{
	struct image a, b;

	new_image(&a, 16);
	new_image(&b, 16);
	switch (below(8)) {
	case 0:
		pages_msg(&a, 0, 1);
		what = "PAGES before OFFER";
		send();
		offer_msg(&a, MIG_STOP);
		send();
		send_pages(&a);
		state_msg(&a);
		send();
		break;
	case 1:
		state_msg(&a);
		what = "STATE before OFFER";
		send();
		offer_msg(&a, MIG_PRECOPY);
		send();
		state_msg(&a);
		send();
		state_msg(&a);
		what = "STATE twice";
		send();
		break;
	case 2:
		other_msg(&a, MIG_OP_GO);
		what = "GO before OFFER";
		send();
		offer_msg(&a, MIG_STOP);
		send();
		other_msg(&a, MIG_OP_GO);
		what = "GO before BUILT";
		send();
		send_pages(&a);
		other_msg(&a, MIG_OP_GO);
		what = "GO before BUILT, pages in";
		send();
		break;
	case 3:
		offer_msg(&a, MIG_STOP);
		send();
		offer_msg(&a, MIG_STOP);
		what = "OFFER twice";
		send();
		other_msg(&a, MIG_OP_ABORT);
		send();
		pages_msg(&a, 0, 1);
		what = "PAGES after ABORT";
		send();
		state_msg(&a);
		what = "STATE after ABORT";
		send();
		other_msg(&a, MIG_OP_ABORT);
		what = "ABORT twice";
		send();
		break;
	case 4:
		/* The target's answers, sent to a target. */
		offer_msg(&a, MIG_STOP);
		send();
		other_msg(&a, below(2) ? MIG_OP_ACCEPT : MIG_OP_BUILT);
		send();
		other_msg(&a, MIG_OP_REFUSE);
		send();
		break;
	case 5:
		/* Two at once, their messages crossed. */
		offer_msg(&a, MIG_STOP);
		send();
		offer_msg(&b, MIG_PRECOPY);
		send();
		send_pages(&a);
		state_msg(&b);
		what = "STATE of b, none of its pages sent";
		send();
		pages_msg(&b, 0, 1);
		what = "PAGES of b after its STATE";
		send();
		state_msg(&a);
		put32(ST(who.pid), (uint32_t)b.who.pid);
		what = "STATE of a naming b";
		send();
		break;
	case 6:
		/* A source that sends more pages than any image has. */
		offer_msg(&a, MIG_STOP);
		send();
		for (a.n = 0; a.n < MIG_BATCH; a.n++)
			a.va[a.n] = (TEXT + (next_id & 0xFF) * PAGE_SIZE * MIG_BATCH +
			    a.n * PAGE_SIZE) | MIG_PAGE_W;
		pages_msg(&a, 0, MIG_BATCH);
		what = "PAGES of pages never offered";
		send();
		state_msg(&a);
		send();
		break;
	default:
		other_msg(&a, MIG_OP_ABORT);
		what = "ABORT of nothing";
		send();
		offer_msg(&a, MIG_STOP);
		spoil_offer();
		send();
		break;
	}
	cleanup();
}

/* A few stagings open, then single messages of every op, each about
 * one of them (or about nothing), each made wrong one to three times. */
static void
round_burst(void)
{
	struct image im[3];
	uint32_t i, k, nim = 1 + below(3), n = 4 + below(24), m;
	int op;

	for (i = 0; i < nim; i++) {
		new_image(&im[i], 24);
		offer_msg(&im[i], MIG_PRECOPY);
		send();
		pages_msg(&im[i], 0, im[i].n < MIG_BATCH ? im[i].n : MIG_BATCH);
		send();
	}
	for (k = 0; k < n; k++) {
		i = below(nim);
		if (below(8) == 0)
			im[i].id = next_id++;	/* about no staging */
		op = 1 + (int)below(MIG_OP_MAX - 1);
		if (below(2))
			op = below(2) ? MIG_OP_STATE : MIG_OP_PAGES;
		if (op == MIG_OP_OFFER)
			offer_msg(&im[i], MIG_PRECOPY);
		else if (op == MIG_OP_PAGES)
			pages_msg(&im[i], below(im[i].n), 1 + below(im[i].n < MIG_BATCH ?
			    im[i].n : MIG_BATCH));
		else if (op == MIG_OP_STATE)
			state_msg(&im[i]);
		else
			other_msg(&im[i], op);
		if (below(3) == 0 && op == MIG_OP_OFFER)
			spoil_offer();
		else if (below(3) == 0 && op == MIG_OP_PAGES)
			spoil_pages();
		else if (below(3) == 0 && op == MIG_OP_STATE)
			spoil_state();
		else
			for (m = 1 + below(3); m > 0; m--)
				mutate();
		send();
	}
	cleanup();
}

/* A source that never stops sending pages: refused at MIG_MAX_PAGES. */
static void
round_flood(void)
{
	struct image im;
	uint32_t first, i;

	new_image(&im, 1);
	im.n = MIG_MAX_PAGES;
	offer_msg(&im, MIG_STOP);
	what = "OFFER for the flood";
	send();
	for (first = 0; first <= MIG_MAX_PAGES; first += MIG_BATCH) {
		for (im.n = 0; im.n < MIG_BATCH; im.n++)
			im.va[im.n] = (TEXT + (first + im.n) * PAGE_SIZE) | MIG_PAGE_W;
		pages_msg(&im, 0, MIG_BATCH);
		what = "flood PAGES";
		send();
	}
	for (i = 0; i < MIG_BATCH; i++)
		im.va[i] = (TEXT + i * PAGE_SIZE) | MIG_PAGE_W;
	state_msg(&im);
	what = "STATE after the flood";
	send();
	cleanup();
}

/* As many stagings as the target takes, each STATE listing the largest
 * image there is, most of it never sent: more memory than a small node
 * has.  Those it cannot hold are refused. */
static void
round_pressure(void)
{
	struct image im[10];
	uint32_t i;

	for (i = 0; i < 10; i++) {
		new_image(&im[i], 8);
		offer_msg(&im[i], MIG_STOP);
		what = "OFFER under pressure";
		send();
		pages_msg(&im[i], 0, im[i].n);
		send();
	}
	for (i = 0; i < 10; i++) {
		state_msg(&im[i]);
		put32(ST(npages), MIG_MAX_PAGES);
		for (len = 0; len < MIG_MAX_PAGES; len++)
			put32(HDR + sizeof(struct mig_state) + 4 * len,
			    (TEXT + len * PAGE_SIZE) | MIG_PAGE_W);
		len = HDR + sizeof(struct mig_state) + 4 * MIG_MAX_PAGES;
		what = "STATE of 4096 pages under pressure";
		send();
	}
	cleanup();
}

/* ---- the valid exchange first ------------------------------------------- */

static uint32_t
fnv1a(const uint8_t *p, uint32_t n, uint32_t h)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void
find_file(void)
{
	static uint8_t buf[512];
	int fd, n;

	file_sum = 2166136261u;
	if ((fd = open(file_path, O_RDONLY)) < 0)
		return;
	while ((n = (int)read(fd, buf, sizeof(buf))) > 0) {
		file_sum = fnv1a(buf, (uint32_t)n, file_sum);
		file_size += (uint32_t)n;
	}
	close(fd);
	have_file = n == 0;
}

static int
expect_moved(const char *step, uint32_t was, uint32_t is)
{
	if (is == was + 1)
		return 0;
	printf("migfuzz: FAILED: %s (counter went from %u to %u)\n", step, was, is);
	return -1;
}

/* OFFER, PAGES, STATE and ABORT as a real source sends them. */
static int
valid_exchange(void)
{
	struct mig_counters before = now;
	struct image im;
	int err;

	new_image(&im, IMG_PAGES);
	offer_msg(&im, MIG_STOP);
	if ((err = inject()) < 0) {
		printf("migfuzz: FAILED: migctl inject: %s\n", strerror(errno));
		return -1;
	}
	read_counters(&now);
	if (expect_moved("a valid OFFER was not accepted", before.accepted, now.accepted) < 0)
		return -1;
	pages_msg(&im, 0, im.n < MIG_BATCH ? im.n : MIG_BATCH);
	inject();
	state_msg(&im);
	inject();
	read_counters(&now);
	if (expect_moved("a valid image was not built", before.images_in, now.images_in) < 0)
		return -1;
	len = hdr(MIG_OP_ABORT, im.id);
	inject();
	read_counters(&now);
	if (expect_moved("ABORT did not throw the image away", before.aborted_in,
	    now.aborted_in) < 0)
		return -1;
	if (now.bad_msgs != before.bad_msgs || now.bad_images != before.bad_images ||
	    now.refused != before.refused) {
		printf("migfuzz: FAILED: the valid exchange was counted as bad\n");
		return -1;
	}
	printf("migfuzz: inject path ok: OFFER accepted, %u-page image built, ABORT took it\n",
	    im.n);
	return 0;
}

static void
usage(void)
{
	dprintf(2, "usage: migfuzz [-v] NODE COUNT [SEED]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct mig_counters start;
	uint32_t seed = 1, i, *a = (uint32_t *)&start, *b = (uint32_t *)&now;
	int arg = 1, flooded = 0, pressed = 0;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		arg++;
	}
	if (argc - arg < 2 || argc - arg > 3)
		usage();
	node = atoi(argv[arg]);
	count = (uint32_t)atoi(argv[arg + 1]);
	if (argc - arg == 3)
		seed = (uint32_t)strtol(argv[arg + 2], NULL, 0);
	rng = seed ? seed : 0x9E3779B9u;
	if ((me = dist_node()) < 0 || node == me || node < 0 || node > DIST_NODE_MAX) {
		dprintf(2, "migfuzz: NODE must be another node of the cluster (this is %d)\n", me);
		return 2;
	}
	find_file();
	read_counters(&now);
	start = now;
	if (valid_exchange() < 0)
		return 1;
	while (sent < count && !failed) {
		if (!flooded && count >= 2000 && sent >= count / 2) {
			flooded = 1;
			round_flood();
		}
		if (!pressed && count >= 2000 && sent >= count / 4 * 3) {
			pressed = 1;
			round_pressure();
		}
		switch (below(4)) {
		case 0:
			round_exchange();
			break;
		case 1:
			round_disorder();
			break;
		default:
			round_burst();
			break;
		}
	}
	cleanup();
	printf("migfuzz: %u messages, seed %u (%u clean-up ABORTs besides, "
	    "%u refused by migctl)\n", sent, seed, cleanups, refused_calls);
	printf("migfuzz: sent");
	for (i = 0; i <= MIG_OP_MAX; i++)
		if (by_op[i])
			printf(" %s %u", op_names[i], by_op[i]);
	printf("\n");
	for (i = 0; i < NCOUNTERS; i++)
		printf("%s +%u\n", counter_names[i], b[i] - a[i]);
	return failed;
}
