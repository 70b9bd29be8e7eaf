/*
 * Migration messages: their layout on the wire and the checks every
 * incoming one passes before the kernel acts on it.  mig_wire.c is pure
 * (no kernel state), so tests/unit/test_mig_wire.c runs it on the host.
 * The messages travel as KMSG_SVC_MIGRATE messages of the kernel
 * message layer (kernel/dist/kmsg.h), which already makes them reliable
 * and ordered per node pair; docs/migration.md draws the exchange.
 *
 * Layout: packed little-endian structures (every brinch node is an x86),
 * a struct mig_hdr first, then the op's body.
 */
#ifndef MIGRATE_MIG_WIRE_H
#define MIGRATE_MIG_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "brinch/migrate.h"
#include "brinch/signal.h"
#include "brinch/types.h"
#include "brinch/ipc.h"

#define MIG_VERSION	1

enum {
	MIG_OP_OFFER = 1,	/* source -> target: may I send you this process? */
	MIG_OP_ACCEPT,		/* target -> source: yes, send it */
	MIG_OP_REFUSE,		/* target -> source: no (err) */
	MIG_OP_PAGES,		/* source -> target: a batch of pages */
	MIG_OP_STATE,		/* source -> target: the frozen process's state */
	MIG_OP_BUILT,		/* target -> source: built, frozen, ready to run */
	MIG_OP_GO,		/* source -> target: committed: run it */
	MIG_OP_ABORT,		/* source -> target: forget it */
	MIG_OP_SIGNAL,		/* anyone -> where the process may be: post sig */
	MIG_OP_EXIT,		/* current node -> home: it exited with status */
	MIG_OP_LOCATION,	/* new node -> home: it runs here now */
	MIG_OP_CONSOLE,		/* current node -> home: console output */
	MIG_OP_FETCH,		/* lazy: target -> source: send me these pages */
	MIG_OP_RELEASE,		/* lazy: target -> source: all here (or gone): free them */
	MIG_OP_WAIT,		/* away -> home: reap a child of my deputy */
	MIG_OP_WAITED,		/* home -> away: the answer */
	MIG_OP_CHILD,		/* home -> away: a child of yours exited */
	MIG_OP_MBOX,		/* source -> target: a mailbox it owns (before STATE) */
	MIG_OP_MSGS,		/* source -> target: that mailbox's queue (at the commit) */
	MIG_OP_WHERE,		/* new node -> where a mailbox was created: it is here */
	MIG_OP_MAX
};

struct mig_hdr {
	uint8_t  op;		/* MIG_OP_* */
	uint8_t  version;	/* MIG_VERSION */
	uint16_t flags;		/* none defined: sent 0, ignored */
	uint32_t mig_id;	/* the source's number for this migration; 0 for
				 * SIGNAL, EXIT, LOCATION, CONSOLE */
} __attribute__((packed));

/* A process's name across the cluster: its home node and its pid there
 * (the global pid is DIST_PID(home, pid)). */
struct mig_who {
	int32_t  home;
	int32_t  pid;
} __attribute__((packed));

struct mig_offer {
	struct mig_who who;
	uint32_t how;		/* MIG_STOP, MIG_PRECOPY */
	uint32_t npages;	/* user pages in the image now */
	char     name[PROC_NAME_LEN];
} __attribute__((packed));

struct mig_refuse {
	int32_t  err;		/* -ENOMEM, -EAGAIN, ... */
} __attribute__((packed));

/* PAGES: count entries, then count pages of PAGE_SIZE bytes. */
#define MIG_BATCH	15	/* pages per message: 60 KiB fits one kmsg message */
#define MIG_PAGE_W	0x1	/* low bit of an entry: the page is writable */
#define MIG_PAGE_TEXT	0x2	/* STATE, lazy: read-only and from the binary, so
				 * the target rebuilds it from its own copy */
struct mig_pages {
	uint32_t count;		/* 1 .. MIG_BATCH */
	uint32_t va[];		/* page address | MIG_PAGE_* flags */
} __attribute__((packed));

/* How one descriptor travels. */
enum {
	MIG_FD_NONE = 0,
	MIG_FD_CONSOLE,		/* the console: output goes to the home node's */
	MIG_FD_FILE,		/* an initrd file: path, offset, checksum */
	MIG_FD_DUP,		/* the same open file as descriptor `ref` */
};
#define MIG_PATH_MAX	64
struct mig_fd {
	uint8_t  kind;		/* MIG_FD_* */
	uint8_t  readable, writable;
	uint8_t  ref;		/* MIG_FD_DUP: the lower descriptor shared */
	uint32_t offset;	/* MIG_FD_FILE */
	uint32_t size;		/* MIG_FD_FILE: file size, checked on arrival */
	uint32_t checksum;	/* MIG_FD_FILE: FNV-1a of the contents */
	char     path[MIG_PATH_MAX];	/* MIG_FD_FILE, NUL-terminated */
} __attribute__((packed));

/* User registers: everything the trap frame holds that user mode sees. */
struct mig_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eip, eflags;
	uint32_t cs, ss, ds, es, fs, gs;
} __attribute__((packed));

/* STATE: this, then npages page addresses (the whole address space:
 * the target checks that it holds exactly these pages). */
#define MIG_MAX_PAGES	4096	/* 16 MiB of user memory */
struct mig_state {
	struct mig_who who;
	int32_t  ppid;		/* in the home node's pid space */
	char     name[PROC_NAME_LEN];
	struct mig_regs regs;
	uint32_t sig_pending, sig_blocked;
	struct sigaction sig_actions[NSIG];
	uint32_t alarm_ms;	/* SIGALRM due in this many ms; 0 = none */
	int32_t  nice, level;
	uint32_t user_ticks, sys_ticks;
	uint32_t image_end, brk;
	struct mig_fd fds[NOFILE];
	char     exec_path[MIG_PATH_MAX];	/* the program it runs, NUL-terminated */
	uint32_t exec_size, exec_sum;	/* that file's size and FNV-1a, for text pages */
	uint32_t npages;
	uint32_t va[];		/* sorted, each page address | MIG_PAGE_* flags */
} __attribute__((packed));

/* FETCH: count page addresses the source is to send (as PAGES). */
struct mig_fetch {
	uint32_t count;		/* 1 .. MIG_BATCH */
	uint32_t va[];
} __attribute__((packed));

struct mig_go {
	uint32_t signals;	/* posted at the source after the state was taken */
} __attribute__((packed));

struct mig_signal {
	struct mig_who who;
	int32_t  sig;
	uint8_t  hops;		/* forwards so far; dropped past MIG_MAX_HOPS */
} __attribute__((packed));
#define MIG_MAX_HOPS	4

struct mig_exit {
	struct mig_who who;
	int32_t  status;	/* wait() encoding */
} __attribute__((packed));

/* WAIT: who asks (its home name) for its children at home; WAITED:
 * the answer, as wait() gives it; CHILD: just who. */
struct mig_wait {
	struct mig_who who;
	int32_t  pid;		/* a child's pid at home, or <= 0 for any */
	int32_t  options;	/* WNOHANG, WNOWAIT */
} __attribute__((packed));

struct mig_waited {
	struct mig_who who;
	int32_t  result;	/* a pid reaped, 0 (none has exited), or -errno */
	int32_t  status;	/* wait() encoding, with a pid */
} __attribute__((packed));

struct mig_location {
	struct mig_who who;
	int32_t  node;		/* where it runs now */
} __attribute__((packed));

/* CONSOLE: who, len, then len bytes. */
#define MIG_CONSOLE_MAX	1024
struct mig_console {
	struct mig_who who;
	uint32_t len;
	char     data[];
} __attribute__((packed));

/* MBOX: one mailbox the process owns, its port included; sent after it
 * parked, before STATE, so the target can refuse (a name taken...). */
#define MIG_MAX_MBOX	8	/* MBOX_ALIASES in kernel/proc.h */
struct mig_mbox {
	int32_t  id;		/* its id at the source (local there) */
	int32_t  seen;		/* the id the process knows it by */
	int32_t  origin;	/* the global id it was created as */
	int32_t  capacity;	/* 0 .. MBOX_MAX_CAPACITY, or MBOX_UNBOUNDED */
	uint32_t is_port;	/* 0 or 1 */
	uint32_t sent, received;
	char     name[MBOX_NAME_LEN];	/* NUL-terminated; "" = anonymous */
} __attribute__((packed));

/* BUILT: nothing, or count pairs: the id each MBOX got on the target. */
struct mig_mbox_map {
	int32_t  id;		/* at the source */
	int32_t  now;		/* at the target (local there) */
} __attribute__((packed));
struct mig_built {
	uint32_t count;		/* 0 .. MIG_MAX_MBOX */
	struct mig_mbox_map map[];
} __attribute__((packed));

/* MSGS: count messages, oldest first, each a struct mig_msg and its
 * length bytes, for mailbox `mbox` (its id on the target). */
struct mig_msgs {
	int32_t  mbox;
	uint32_t count;		/* 1 .. MIG_MAX_MSGS */
} __attribute__((packed));
struct mig_msg {
	int32_t  sender;	/* global pid, or 0: the kernel */
	uint32_t flags;		/* 0 or MSG_NOTICE */
	uint32_t length;	/* 0 .. MSG_MAX */
} __attribute__((packed));
#define MIG_MAX_MSGS	MBOX_UNBOUNDED_LIMIT

/* WHERE: the mailbox created as origin is now at global id now. */
struct mig_where {
	int32_t  origin, now;
} __attribute__((packed));

/*
 * Checks (mig_wire.c).  Each returns 0 when the message is well formed,
 * else a MIG_BAD_* reason; nothing is trusted before it passes.
 */
enum {
	MIG_OK = 0,
	MIG_BAD_SHORT,		/* shorter than its op needs */
	MIG_BAD_VERSION,
	MIG_BAD_OP,
	MIG_BAD_LENGTH,		/* length does not match the counts inside */
	MIG_BAD_COUNT,		/* page or byte count out of range */
	MIG_BAD_ADDRESS,	/* a page or pointer outside user space */
	MIG_BAD_ORDER,		/* page list not sorted, or a duplicate */
	MIG_BAD_REGS,		/* segment selectors, flags or pointers unsafe */
	MIG_BAD_SIGNALS,	/* signal numbers, masks or handlers invalid */
	MIG_BAD_FILES,		/* a descriptor record is malformed */
	MIG_BAD_FIELD,		/* another field out of range (name, nice...) */
	MIG_BAD_NREASONS
};
const char *mig_bad_name(int reason);

/* The header: version, known op, at least the op's fixed length. */
int	mig_check_hdr(const void *msg, uint32_t len, struct mig_hdr *out);
/* The header, and that it is op's. */
int	mig_check_op(const void *msg, uint32_t len, int op);
/* The body checks take the whole message (header included). */
int	mig_check_offer(const void *msg, uint32_t len);
int	mig_check_pages(const void *msg, uint32_t len);
int	mig_check_state(const void *msg, uint32_t len);
int	mig_check_fetch(const void *msg, uint32_t len);
int	mig_check_who(const struct mig_who *who);
/* The mailbox ops (mig_wire_mbox.c); BUILT's body too. */
int	mig_check_mbox(const void *msg, uint32_t len);
int	mig_check_built(const void *msg, uint32_t len);
int	mig_check_msgs(const void *msg, uint32_t len);
int	mig_check_where(const void *msg, uint32_t len);
/* Everything a message of any op needs: the header, then its body,
 * including the small ops' fields and CONSOLE's len against the bytes
 * that follow.  out as for mig_check_hdr. */
int	mig_check(const void *msg, uint32_t len, struct mig_hdr *out);

uint32_t mig_checksum(const void *data, uint32_t n);	/* FNV-1a */
/* NUL-terminated within max bytes, printable before the NUL. */
int	mig_name_ok(const char *s, size_t max);

/* Bytes a PAGES message of count pages, or a STATE of npages, takes. */
uint32_t mig_pages_len(uint32_t count);
uint32_t mig_state_len(uint32_t npages);

/* EFLAGS bits user code may hold (the arithmetic flags, DF, and AC and
 * ID, which popf lets it set), and the ones that must be set.  The
 * source clears RF, which the CPU may leave set mid-`rep movs`. */
#define MIG_EFLAGS_USER	0x00240CD5u	/* CF PF AF ZF SF DF OF AC ID */
#define MIG_EFLAGS_IF	0x00000200u
#define MIG_EFLAGS_FIXED 0x00000002u	/* bit 1 always reads 1 */

#endif
