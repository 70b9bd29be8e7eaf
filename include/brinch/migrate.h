/*
 * Process migration: the user/kernel ABI.  migrate() moves a running
 * process to another node; migstat() returns the record of each recent
 * migration.  Kernel side: kernel/migrate/; see docs/migration.md.
 */
#ifndef BRINCH_MIGRATE_H
#define BRINCH_MIGRATE_H

#include <stdint.h>

/* How the address space travels (the `how` of migrate()). */
#define MIG_STOP	0	/* stop-and-copy: freeze, send it all, resume */
#define MIG_PRECOPY	1	/* send while it runs, resend dirty pages, then freeze */
#define MIG_LAZY	2	/* registers and PCB only; pages fetched from the source on use */

/*
 * Why a process cannot move (migrate() returns -EBUSY; the record's
 * why and why_arg say which resource).  Each names something that is
 * bound to this node and that the image format cannot carry.
 */
#define MIG_WHY_NONE		0
#define MIG_WHY_SOCKET		1	/* why_arg: the descriptor */
#define MIG_WHY_FILE		2	/* an open file of a kind that cannot travel; why_arg: fd */
#define MIG_WHY_SHM		3	/* attached shared memory; why_arg: segment id */
#define MIG_WHY_MAILBOX		4	/* owns a mailbox; why_arg: its id */
#define MIG_WHY_CHILDREN	5	/* has children here; why_arg: one child's pid */
#define MIG_WHY_CALL		6	/* inside call() or serving one */
#define MIG_WHY_STOPPED		7	/* stopped (SIGSTOP) or suspended */
#define MIG_WHY_SYSTEM		8	/* init, the idle process, or a kernel daemon */
#define MIG_WHY_MOVING		9	/* already being migrated */
#define MIG_WHY_SEM		10	/* holds a semaphore it created; why_arg: id */
#define MIG_WHY_CONSOLE		11	/* it reads the console: input does not travel */

/* Why pre-copy stopped sending rounds and froze the process. */
#define MIG_STOP_NONE		0
#define MIG_STOP_SMALL		1	/* the dirty set is small enough */
#define MIG_STOP_ROUNDS		2	/* the round cap was reached */
#define MIG_STOP_BYTES		3	/* sent more than MIG_MAX_SENT_FACTOR x the image */
#define MIG_STOP_NOT_SHRINKING	4	/* the dirty set stopped shrinking */
#define MIG_STOP_ASKED		5	/* stop-and-copy: froze at once */
#define MIG_STOP_LAZY		6	/* lazy: froze at once, sent no page */

#define MIG_MAX_ROUNDS		30	/* Xen's cap */
#define MIG_MAX_SENT_FACTOR	3	/* Xen: at most 3x the memory sent */
#define MIG_ROUNDS_LOGGED	32	/* rounds a record keeps */

/* One pre-copy round, as migstat reports it. */
struct mig_round {
	uint32_t pages;		/* pages sent in this round */
	uint32_t dirtied;	/* of the image, pages written during the round */
	uint32_t bytes;		/* bytes on the wire */
	uint32_t us;		/* duration */
};

/* One migration, as this node saw it (the source keeps the record). */
struct mig_record {
	int32_t  id;		/* numbered from 1 on this node */
	int32_t  pid;		/* the process's global pid */
	char     name[16];
	int32_t  from, to;	/* nodes */
	int32_t  how;		/* MIG_STOP, MIG_PRECOPY */
	int32_t  result;	/* 0, or -errno; 1 while in progress */
	int32_t  why;		/* MIG_WHY_* when result is -EBUSY */
	int32_t  why_arg;
	int32_t  stop_reason;	/* MIG_STOP_* */
	uint32_t image_pages;	/* pages in the address space at the offer */
	uint32_t rounds;	/* pre-copy rounds (stop-and-copy: 1) */
	uint32_t pages_sent;	/* in all rounds, the final one included */
	uint32_t bytes_sent;	/* every migration message's bytes */
	uint32_t freeze_us;	/* stopped: from the freeze to the commit (GO sent) */
	uint32_t total_us;	/* from the request to the commit */
	struct mig_round round[MIG_ROUNDS_LOGGED];
};

/* migctl(op, arg): switches for teaching and testing. */
#define MIGCTL_NOFLUSH	1	/* arg 1: clear dirty bits WITHOUT flushing the TLB
				 * entry (a deliberate bug the oracle must catch) */
#define MIGCTL_INJECT	2	/* arg: struct mig_inject *: hand a message to
				 * the migration service as if node sent it */
#define MIGCTL_COUNTERS	3	/* arg: struct mig_counters * to fill */
#define MIGCTL_NOPULL	4	/* arg 1: lazy arrivals here fetch only on demand
				 * (no background pull), so a test can keep the
				 * residual dependency alive; 0: as usual */

struct mig_inject {
	int32_t  node;		/* pretend sender (must be a cluster member) */
	uint32_t len;
	uint32_t data;		/* user address of the message */
};

#define MIG_COUNTERS(X) \
	X(offers_in) X(accepted) X(refused) X(images_in) X(committed_in) \
	X(aborted_in) X(committed_out) X(aborted_out) X(bad_msgs) \
	X(bad_images) X(signals_forwarded) X(exits_forwarded) \
	X(console_forwarded) X(dropped) X(pages_served) X(pages_fetched) \
	X(faults)

struct mig_counters {
#define MIG_COUNTER_FIELD(n) uint32_t n;
	MIG_COUNTERS(MIG_COUNTER_FIELD)
#undef MIG_COUNTER_FIELD
};

#endif
