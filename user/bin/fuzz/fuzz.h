/*
 * fuzz.h: what the files of the system-call fuzzer share (docs/testing.md,
 * "The system-call fuzzer").  main.c is the supervisor, worker.c the loop
 * each fuzzing process runs, args.c makes arguments, table.c lists the
 * calls and the kind of each argument.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <sys/types.h>

#define MAXSLOTS	16	/* fuzzing processes alive at once, at most */
#define RING		64	/* the last calls made, for a report */
#define NIDS		32	/* ids the workers made, for each other */
#define SCRATCH		(64 * 1024)	/* the one area "valid" pointers use */
#define NERRS		128	/* errnos counted one by one */
#define LOGFD		15	/* the console, kept for -k's lines */

/* Bounds (milliseconds).  A call that can only block until its timeout
 * and is still in it after HANG_MS is a hang: a kernel bug.  A process
 * blocked where it may legitimately block for ever (pause, waitpid, a
 * socket read, a zero timeout), or stopped, is killed after STUCK_MS. */
#define STUCK_MS	1000
#define HANG_MS		20000	/* the default of -T */
#define TIMEOUT_MAX	1000	/* longest timeout counted as bounded */

/* One call as it was made: logged before the trap, result after. */
struct call_rec {
	int32_t  pid;
	uint32_t seq;		/* the run's call number */
	int32_t  num;		/* system call number, or an OP_* below */
	uint32_t arg[6];
	int32_t  result;	/* RESULT_PENDING until it returns */
};

#define RESULT_PENDING	((int32_t)0x80000000)

/* Not plain system calls: made by the worker itself (worker.c). */
#define OP_FORK		1000
#define OP_EXIT		1001
#define OP_EXEC		1002
#define OP_SIGRETURN	1003

/* A fuzzing process.  pid -P: reserved by process P for the child it
 * is about to fork. */
struct slot {
	volatile int32_t  pid;
	volatile uint32_t calls;	/* made by this process */
	volatile uint32_t in_call;	/* 1 while in the kernel */
	volatile uint32_t bounded;	/* the call in progress must return */
	struct call_rec   cur;
	/* The supervisor's own: when it last saw calls move. */
	int32_t           seen_pid;
	uint32_t          seen_calls, seen_ms;
};

/* The shared-memory segment every fuzzing process sees. */
struct shared {
	uint32_t magic;			/* "FUZZ": to find it in a memory dump */
	uint32_t seed, target, verbose_every;
	uint32_t hang_ms;		/* -T */
	uint32_t selftest;		/* -H: fake one hang */
	volatile uint32_t issued;	/* calls begun (the run's count) */
	volatile uint32_t stop;
	volatile uint32_t ring_next;
	volatile uint32_t next_lineage;	/* seeds of new processes */
	volatile uint32_t ok, failed, forks, fork_failed, exits;
	volatile uint32_t signals_caught, sigreturns;
	volatile uint32_t errs[NERRS];	/* failures by errno (0: other) */
	volatile int32_t  ids[NIDS];	/* mailbox/semaphore/segment ids */
	volatile uint32_t ids_next;
	struct slot slots[MAXSLOTS];
	struct call_rec ring[RING];
};

extern struct shared *sh;
extern char *scratch;		/* SCRATCH bytes at the start of the heap */
extern uint32_t scratch_end;	/* the break may not go below this */

/* A small deterministic generator (xorshift32), one per process. */
uint32_t rnd(void);
uint32_t rnd_below(uint32_t n);
void     rnd_seed(uint32_t seed);

uint32_t now_ms(void);

/* How a call may block: the supervisor's hang rule depends on it. */
enum {
	BLOCK_NEVER = 0,	/* returns at once */
	BLOCK_TIMED,		/* until its flags/timeout say (mbox_send...) */
	BLOCK_MAY,		/* may block for ever by design */
};

struct call_desc {
	const char *name;
	int         num;
	const char *sig;	/* argument kinds, see args.c */
	int         block;
	int         weight;
};

extern const struct call_desc calls[];
extern const int ncalls;

/* args.c: fill arg[] for a signature; says whether the call is bounded. */
int	 make_args(const struct call_desc *c, uint32_t arg[6]);
void	 args_init(void);
void	 note_result(const struct call_desc *c, const uint32_t arg[6], int r);
void	 remember_id(int32_t id);
int32_t  family_pid(void);
const char *call_name(int num);

/* worker.c */
void	 worker(int slot, uint32_t seed) __attribute__((noreturn));
int	 claim_slot(int32_t pid);
int	 take_reserved(int slot);
void	 log_call(const struct call_rec *r);
int	 fuzz_sigreturn(void *frame);	/* sigret.c */

#endif
