/*
 * The checks every migration message passes before anything acts on it
 * (the layout is in mig_wire.h).  The migration service in kernel/migrate/
 * calls them on each arriving message; tests/unit/test_mig_wire.c runs
 * them on the host, as they touch no kernel state.
 *
 * The bytes come from another kernel and may be anything.  No field is
 * read before the length that holds it has been checked, and fields are
 * copied out with memcpy: the structures are packed and the message may
 * sit at any address.  STATE is read one record at a time rather than
 * copied whole, because messages arrive in interrupt context on an
 * 8 KiB kernel stack and its fixed part alone is almost 2 KiB.
 */
#include <stddef.h>
#include <stdint.h>
#include "brinch/dist.h"
#include "brinch/migrate.h"
#include "brinch/signal.h"
#include "brinch/types.h"
#include "lib/string.h"
#include "mm/mmu.h"
#include "mig_wire.h"

#define HDR		((uint32_t)sizeof(struct mig_hdr))
/* Where a field of the STATE body sits in the message. */
#define ST(field)	(HDR + (uint32_t)offsetof(struct mig_state, field))
#define PID_MAX		32767	/* pids stay below 32768 (brinch/dist.h) */
#define NICE_MIN	(-20)
#define NICE_MAX	19
#define LEVEL_MAX	15
#define ALARM_MAX_MS	1000000000u	/* about 11.5 days */
#define PAGE_FLAGS	0xFFFu	/* the low bits of a page entry */
#define ERRNO_MAX	4095	/* -errno values are -1 .. -4095 */

/* A full batch and the largest state must each fit one kmsg message. */
_Static_assert(sizeof(struct mig_hdr) + sizeof(struct mig_pages) +
    MIG_BATCH * (sizeof(uint32_t) + PAGE_SIZE) <= KMSG_MAX,
    "a PAGES batch does not fit one kmsg message");
_Static_assert(sizeof(struct mig_hdr) + sizeof(struct mig_state) +
    MIG_MAX_PAGES * sizeof(uint32_t) <= KMSG_MAX,
    "the largest STATE does not fit one kmsg message");
/* mig_fd.ref is a byte and DUP checks index a table by it. */
_Static_assert(NOFILE <= 256, "fd numbers do not fit mig_fd.ref");

/* Bytes each op carries after the header, at least. */
static const uint32_t body_min[MIG_OP_MAX] = {
	[MIG_OP_OFFER] = sizeof(struct mig_offer),
	[MIG_OP_ACCEPT] = 0,
	[MIG_OP_REFUSE] = sizeof(struct mig_refuse),
	[MIG_OP_PAGES] = sizeof(struct mig_pages),	/* the count */
	[MIG_OP_STATE] = sizeof(struct mig_state),
	[MIG_OP_BUILT] = 0,
	[MIG_OP_GO] = sizeof(struct mig_go),
	[MIG_OP_ABORT] = 0,
	[MIG_OP_SIGNAL] = sizeof(struct mig_signal),
	[MIG_OP_EXIT] = sizeof(struct mig_exit),
	[MIG_OP_LOCATION] = sizeof(struct mig_location),
	[MIG_OP_CONSOLE] = sizeof(struct mig_console),	/* who, len */
	[MIG_OP_FETCH] = sizeof(struct mig_fetch),	/* the count */
	[MIG_OP_RELEASE] = 0,
	[MIG_OP_WAIT] = sizeof(struct mig_wait),
	[MIG_OP_WAITED] = sizeof(struct mig_waited),
	[MIG_OP_CHILD] = sizeof(struct mig_who),
	[MIG_OP_MBOX] = sizeof(struct mig_mbox),
	[MIG_OP_MSGS] = sizeof(struct mig_msgs),
	[MIG_OP_WHERE] = sizeof(struct mig_where),
};

static const char *const bad_names[MIG_BAD_NREASONS] = {
	[MIG_OK] = "ok",
	[MIG_BAD_SHORT] = "short",
	[MIG_BAD_VERSION] = "version",
	[MIG_BAD_OP] = "op",
	[MIG_BAD_LENGTH] = "length",
	[MIG_BAD_COUNT] = "count",
	[MIG_BAD_ADDRESS] = "address",
	[MIG_BAD_ORDER] = "order",
	[MIG_BAD_REGS] = "regs",
	[MIG_BAD_SIGNALS] = "signals",
	[MIG_BAD_FILES] = "files",
	[MIG_BAD_FIELD] = "field",
};

const char *
mig_bad_name(int reason)
{
	if (reason < 0 || reason >= MIG_BAD_NREASONS)
		return "unknown";
	return bad_names[reason];
}

/* The caller has checked that off + 4 <= the message's length. */
static uint32_t
get32(const uint8_t *m, uint32_t off)
{
	uint32_t v;

	memcpy(&v, m + off, sizeof(v));
	return v;
}

static int
user_addr(uint32_t a)
{
	return a >= USER_MIN && a < USER_TOP;
}

/* A heap boundary: 0 (none yet) or inside the room the heap may use. */
static int
heap_addr(uint32_t a)
{
	return a == 0 || (a >= USER_MIN && a <= UHEAP_MAX);
}

/* NUL-terminated within max bytes, printable ASCII before the NUL: it
 * ends up in `ps` and on the console.  Bytes after the NUL are ignored. */
int
mig_name_ok(const char *s, size_t max)
{
	const unsigned char *c = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < max; i++) {
		if (c[i] == '\0')
			return 1;
		if (c[i] < 0x20 || c[i] > 0x7E)
			return 0;
	}
	return 0;
}

static int
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		if (*b++ != 0)
			return 0;
	return 1;
}

/* One page entry: a page address in user space, no flag but those
 * allowed (MIG_PAGE_W in PAGES; and MIG_PAGE_TEXT in STATE). */
static int
check_page(uint32_t e, uint32_t allowed)
{
	if ((e & PAGE_FLAGS & ~allowed) != 0)
		return MIG_BAD_ADDRESS;
	if (!user_addr(PTE_ADDR(e)))
		return MIG_BAD_ADDRESS;
	return MIG_OK;
}

/* The header says op, and the message is at least as long as op needs.
 * out is filled in only when the header passes. */
int
mig_check_hdr(const void *msg, uint32_t len, struct mig_hdr *out)
{
	struct mig_hdr h;

	if (msg == NULL || len < HDR)
		return MIG_BAD_SHORT;
	memcpy(&h, msg, sizeof(h));
	if (h.version != MIG_VERSION)
		return MIG_BAD_VERSION;
	if (h.op < MIG_OP_OFFER || h.op >= MIG_OP_MAX)
		return MIG_BAD_OP;
	if (len - HDR < body_min[h.op])
		return MIG_BAD_SHORT;
	if (out != NULL)
		*out = h;
	return MIG_OK;
}

/* The body checks repeat the header check, so that each one alone
 * guards every byte it reads, whatever its caller did first. */
int
mig_check_op(const void *msg, uint32_t len, int op)
{
	struct mig_hdr h;
	int err;

	if ((err = mig_check_hdr(msg, len, &h)) != MIG_OK)
		return err;
	if (h.op != op)
		return MIG_BAD_OP;
	return MIG_OK;
}

int
mig_check_who(const struct mig_who *who)
{
	struct mig_who w;

	if (who == NULL)
		return MIG_BAD_FIELD;
	memcpy(&w, who, sizeof(w));
	if (w.home < 0 || w.home > DIST_NODE_MAX)
		return MIG_BAD_FIELD;
	if (w.pid < 1 || w.pid > PID_MAX)
		return MIG_BAD_FIELD;
	return MIG_OK;
}

int
mig_check_offer(const void *msg, uint32_t len)
{
	struct mig_offer o;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_OFFER)) != MIG_OK)
		return err;
	if (len != HDR + sizeof(o))
		return MIG_BAD_LENGTH;
	memcpy(&o, (const uint8_t *)msg + HDR, sizeof(o));
	if (mig_check_who(&o.who) != MIG_OK)
		return MIG_BAD_FIELD;
	/* LAZY is well formed: the target refuses it, it does not drop it. */
	if (o.how != MIG_STOP && o.how != MIG_PRECOPY && o.how != MIG_LAZY)
		return MIG_BAD_FIELD;
	if (o.npages > MIG_MAX_PAGES)
		return MIG_BAD_COUNT;
	if (!mig_name_ok(o.name, sizeof(o.name)))
		return MIG_BAD_FIELD;
	return MIG_OK;
}

/* Counts beyond the limit have no valid length: UINT32_MAX is never a
 * message's length, and a sender sizing a buffer by it fails to get one. */
uint32_t
mig_pages_len(uint32_t count)
{
	if (count > MIG_BATCH)
		return UINT32_MAX;
	return HDR + (uint32_t)sizeof(struct mig_pages) +
	    count * ((uint32_t)sizeof(uint32_t) + PAGE_SIZE);
}

uint32_t
mig_state_len(uint32_t npages)
{
	if (npages > MIG_MAX_PAGES)
		return UINT32_MAX;
	return HDR + (uint32_t)sizeof(struct mig_state) +
	    npages * (uint32_t)sizeof(uint32_t);
}

int
mig_check_pages(const void *msg, uint32_t len)
{
	const uint8_t *m = msg;
	uint32_t va[MIG_BATCH], count, i, j;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_PAGES)) != MIG_OK)
		return err;
	count = get32(m, HDR);
	if (count < 1 || count > MIG_BATCH)
		return MIG_BAD_COUNT;
	if (len != mig_pages_len(count))
		return MIG_BAD_LENGTH;
	/* A batch may come in any order, but one page twice would leave
	 * the target unsure which copy is the page. */
	for (i = 0; i < count; i++) {
		va[i] = get32(m, HDR + (uint32_t)sizeof(struct mig_pages) + 4 * i);
		if ((err = check_page(va[i], MIG_PAGE_W)) != MIG_OK)
			return err;
		for (j = 0; j < i; j++)
			if (PTE_ADDR(va[j]) == PTE_ADDR(va[i]))
				return MIG_BAD_ORDER;
	}
	return MIG_OK;
}

/* The target loads these into the trap frame and irets: a kernel
 * selector, IOPL, VM or NT there would hand user code the machine, and
 * TF would change how it runs.  The arithmetic flags, DF, AC and ID
 * are the process's own; IF and bit 1 are always set in user mode. */
static int
check_regs(const uint8_t *m)
{
	struct mig_regs r;

	memcpy(&r, m + ST(regs), sizeof(r));
	/* fs and gs may also hold the null selector: user code may load it,
	 * and iret takes it. */
	if (r.cs != USER_CS || r.ss != USER_DS || r.ds != USER_DS ||
	    r.es != USER_DS || (r.fs != USER_DS && r.fs != 0) ||
	    (r.gs != USER_DS && r.gs != 0))
		return MIG_BAD_REGS;
	if ((r.eflags & MIG_EFLAGS_IF) == 0 || (r.eflags & MIG_EFLAGS_FIXED) == 0)
		return MIG_BAD_REGS;
	if ((r.eflags & ~(MIG_EFLAGS_USER | MIG_EFLAGS_IF | MIG_EFLAGS_FIXED)) != 0)
		return MIG_BAD_REGS;
	if (!user_addr(r.eip))
		return MIG_BAD_REGS;
	/* An empty stack's pointer is the top itself. */
	if (r.esp < USER_MIN || r.esp > USER_TOP)
		return MIG_BAD_REGS;
	return MIG_OK;
}

/* What kernel/signal.c would itself have allowed: bit 0 is no signal,
 * SIGKILL and SIGSTOP are never blocked, and a handler or restorer is a
 * user address the kernel will jump to. */
static int
check_signals(const uint8_t *m)
{
	const uint32_t flags = (uint32_t)(SA_NODEFER | SA_RESETHAND);
	struct sigaction sa;
	uint32_t pending, blocked;
	int i;

	pending = get32(m, ST(sig_pending));
	blocked = get32(m, ST(sig_blocked));
	if (((pending | blocked) & 1) != 0)
		return MIG_BAD_SIGNALS;
	if ((blocked & (sigmask(SIGKILL) | sigmask(SIGSTOP))) != 0)
		return MIG_BAD_SIGNALS;
	for (i = 0; i < NSIG; i++) {
		memcpy(&sa, m + ST(sig_actions) + i * sizeof(sa), sizeof(sa));
		if (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN &&
		    !user_addr(sa.sa_handler))
			return MIG_BAD_SIGNALS;
		if (sa.sa_restorer != 0 && !user_addr(sa.sa_restorer))
			return MIG_BAD_SIGNALS;
		if ((sa.sa_flags & ~flags) != 0 || (sa.sa_mask & 1) != 0)
			return MIG_BAD_SIGNALS;
	}
	if (get32(m, ST(alarm_ms)) > ALARM_MAX_MS)
		return MIG_BAD_SIGNALS;
	return MIG_OK;
}

static int
check_fields(const uint8_t *m)
{
	struct mig_who who;
	char name[PROC_NAME_LEN], path[MIG_PATH_MAX];
	int32_t ppid, nice, level;
	uint32_t image_end, brk;

	memcpy(&who, m + ST(who), sizeof(who));
	if (mig_check_who(&who) != MIG_OK)
		return MIG_BAD_FIELD;
	ppid = (int32_t)get32(m, ST(ppid));
	if (ppid < 0 || ppid > PID_MAX)
		return MIG_BAD_FIELD;
	memcpy(name, m + ST(name), sizeof(name));
	if (!mig_name_ok(name, sizeof(name)))
		return MIG_BAD_FIELD;
	nice = (int32_t)get32(m, ST(nice));
	level = (int32_t)get32(m, ST(level));
	if (nice < NICE_MIN || nice > NICE_MAX || level < 0 || level > LEVEL_MAX)
		return MIG_BAD_FIELD;
	/* The target rebuilds the heap between these: it must not reach
	 * the stack's guard page, nor run backwards. */
	image_end = get32(m, ST(image_end));
	brk = get32(m, ST(brk));
	if (!heap_addr(image_end) || !heap_addr(brk) || image_end > brk)
		return MIG_BAD_FIELD;
	/* The binary's path (may be empty: no text pages come from it). */
	memcpy(path, m + ST(exec_path), sizeof(path));
	if (!mig_name_ok(path, sizeof(path)) || (path[0] != '\0' && path[0] != '/'))
		return MIG_BAD_FIELD;
	return MIG_OK;
}

/* A DUP names a lower descriptor that is itself an open file, so the
 * target can build the table in one pass from 0 up, and no chain of
 * DUPs or loop can form. */
static int
check_fds(const uint8_t *m)
{
	struct mig_fd fd;
	uint8_t kind[NOFILE];
	int i;

	for (i = 0; i < NOFILE; i++) {
		memcpy(&fd, m + ST(fds) + i * sizeof(fd), sizeof(fd));
		kind[i] = fd.kind;
		switch (fd.kind) {
		case MIG_FD_NONE:
			/* Nothing hides in an unused slot. */
			if (!all_zero(&fd, sizeof(fd)))
				return MIG_BAD_FILES;
			continue;
		case MIG_FD_CONSOLE:
			break;
		case MIG_FD_FILE:
			if (!mig_name_ok(fd.path, sizeof(fd.path)) || fd.path[0] != '/')
				return MIG_BAD_FILES;
			if (fd.offset > fd.size)
				return MIG_BAD_FILES;
			break;
		case MIG_FD_DUP:
			if (fd.ref >= i || (kind[fd.ref] != MIG_FD_CONSOLE &&
			    kind[fd.ref] != MIG_FD_FILE))
				return MIG_BAD_FILES;
			break;
		default:
			return MIG_BAD_FILES;
		}
		if (fd.readable > 1 || fd.writable > 1)
			return MIG_BAD_FILES;
	}
	return MIG_OK;
}

int
mig_check_state(const void *msg, uint32_t len)
{
	const uint8_t *m = msg;
	uint32_t npages, e, prev, i;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_STATE)) != MIG_OK)
		return err;
	npages = get32(m, ST(npages));
	if (npages > MIG_MAX_PAGES)
		return MIG_BAD_COUNT;
	if (len != mig_state_len(npages))
		return MIG_BAD_LENGTH;
	/* Sorted and without duplicates, the target can compare it with
	 * the pages it holds in one walk. */
	prev = 0;
	for (i = 0; i < npages; i++) {
		e = get32(m, HDR + (uint32_t)sizeof(struct mig_state) + 4 * i);
		if ((err = check_page(e, MIG_PAGE_W | MIG_PAGE_TEXT)) != MIG_OK)
			return err;
		if (i > 0 && PTE_ADDR(e) <= prev)
			return MIG_BAD_ORDER;
		prev = PTE_ADDR(e);
	}
	if ((err = check_regs(m)) != MIG_OK)
		return err;
	if ((err = check_signals(m)) != MIG_OK)
		return err;
	if ((err = check_fields(m)) != MIG_OK)
		return err;
	return check_fds(m);
}

/* FETCH: page addresses only, no flags; the source sends what it has. */
int
mig_check_fetch(const void *msg, uint32_t len)
{
	const uint8_t *m = msg;
	uint32_t count, i;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_FETCH)) != MIG_OK)
		return err;
	count = get32(m, HDR);
	if (count < 1 || count > MIG_BATCH)
		return MIG_BAD_COUNT;
	if (len != HDR + (uint32_t)sizeof(struct mig_fetch) + 4 * count)
		return MIG_BAD_LENGTH;
	for (i = 0; i < count; i++)
		if ((err = check_page(get32(m, HDR + 4 + 4 * i), 0)) != MIG_OK)
			return err;
	return MIG_OK;
}

/* The ops with a fixed body: exactly that long, and each field one the
 * receiver can use as it stands. */
static int
check_small(const uint8_t *m, uint32_t len, int op)
{
	union {
		struct mig_refuse refuse;
		struct mig_go go;
		struct mig_signal sig;
		struct mig_exit exit;
		struct mig_location loc;
		struct mig_wait wait;
		struct mig_waited waited;
		struct mig_who who;
	} b;

	if (len != HDR + body_min[op])
		return MIG_BAD_LENGTH;
	memcpy(&b, m + HDR, body_min[op]);
	switch (op) {
	case MIG_OP_REFUSE:
		/* migrate() returns it: it must read as an error. */
		if (b.refuse.err >= 0 || b.refuse.err < -ERRNO_MAX)
			return MIG_BAD_FIELD;
		break;
	case MIG_OP_GO:
		if ((b.go.signals & 1) != 0)
			return MIG_BAD_SIGNALS;
		break;
	case MIG_OP_SIGNAL:
		if (mig_check_who(&b.sig.who) != MIG_OK)
			return MIG_BAD_FIELD;
		/* hops past MIG_MAX_HOPS is well formed: the service drops
		 * it and counts it, as a loop rather than a forgery. */
		if (b.sig.sig < 1 || b.sig.sig >= NSIG)
			return MIG_BAD_SIGNALS;
		break;
	case MIG_OP_EXIT:
		if (mig_check_who(&b.exit.who) != MIG_OK)
			return MIG_BAD_FIELD;
		break;
	case MIG_OP_LOCATION:
		if (mig_check_who(&b.loc.who) != MIG_OK)
			return MIG_BAD_FIELD;
		if (b.loc.node < 0 || b.loc.node > DIST_NODE_MAX)
			return MIG_BAD_FIELD;
		break;
	case MIG_OP_WAIT:
		if (mig_check_who(&b.wait.who) != MIG_OK || b.wait.pid > PID_MAX ||
		    (b.wait.options & ~(WNOHANG | WNOWAIT)) != 0)
			return MIG_BAD_FIELD;
		break;
	case MIG_OP_WAITED:
		/* wait() returns result: a pid, 0, or an error it can name. */
		if (mig_check_who(&b.waited.who) != MIG_OK || b.waited.result > PID_MAX ||
		    b.waited.result < -ERRNO_MAX)
			return MIG_BAD_FIELD;
		break;
	case MIG_OP_CHILD:
		if (mig_check_who(&b.who) != MIG_OK)
			return MIG_BAD_FIELD;
		break;
	}
	return MIG_OK;
}

/* CONSOLE's len says how many bytes follow: the receiver copies that
 * many, so it must be exactly what arrived. */
static int
check_console(const uint8_t *m, uint32_t len)
{
	struct mig_console c;

	memcpy(&c, m + HDR, sizeof(c));
	if (mig_check_who(&c.who) != MIG_OK)
		return MIG_BAD_FIELD;
	if (c.len > MIG_CONSOLE_MAX)
		return MIG_BAD_COUNT;
	if (len != HDR + (uint32_t)sizeof(c) + c.len)
		return MIG_BAD_LENGTH;
	return MIG_OK;
}

int
mig_check(const void *msg, uint32_t len, struct mig_hdr *out)
{
	struct mig_hdr h;
	int err;

	if ((err = mig_check_hdr(msg, len, &h)) != MIG_OK)
		return err;
	switch (h.op) {
	case MIG_OP_OFFER:
		err = mig_check_offer(msg, len);
		break;
	case MIG_OP_PAGES:
		err = mig_check_pages(msg, len);
		break;
	case MIG_OP_STATE:
		err = mig_check_state(msg, len);
		break;
	case MIG_OP_CONSOLE:
		err = check_console(msg, len);
		break;
	case MIG_OP_FETCH:
		err = mig_check_fetch(msg, len);
		break;
	case MIG_OP_MBOX:
		err = mig_check_mbox(msg, len);
		break;
	case MIG_OP_BUILT:
		err = mig_check_built(msg, len);
		break;
	case MIG_OP_MSGS:
		err = mig_check_msgs(msg, len);
		break;
	case MIG_OP_WHERE:
		err = mig_check_where(msg, len);
		break;
	default:
		err = check_small(msg, len, h.op);
		break;
	}
	if (err == MIG_OK && out != NULL)
		*out = h;
	return err;
}

/* FNV-1a, 32 bits: how an initrd file (an open descriptor, or the binary
 * whose text a lazy target rebuilds) is checked to be the same file on
 * both nodes. */
uint32_t
mig_checksum(const void *data, uint32_t n)
{
	const uint8_t *p = data;
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}
