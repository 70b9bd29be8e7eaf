/*
 * worker.c: one fuzzing process.  It picks a call by weight, makes its
 * arguments, writes the call into its slot and the shared ring (so the
 * supervisor can name it if it hangs), makes it, and goes on until the
 * run has made its count.  Now and then it forks (the child is a worker
 * too, with a slot its parent reserved and a generator of its own),
 * exits, tries exec with a bad path or argv, or calls sigreturn with a
 * forged frame.  Each process's calls follow from the seed; the order in
 * which processes interleave follows from the timer, and does not.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <brinch/signal.h>
#include "user/lib/syscall.h"
#include "fuzz.h"

static int my_slot, my_pid;
static int total_weight;

/* A handler that counts, for sigaction's "valid" choice. */
void
fuzz_catch(int sig)
{
	__atomic_fetch_add(&sh->signals_caught, 1, __ATOMIC_RELAXED);
}

uint32_t
now_ms(void)
{
	return (uint32_t)(uptime_us() / 1000);
}

/* Take a free slot for pid, or reserve one for a child of -pid;
 * drop stale ones naming pid. */
int
claim_slot(int32_t pid)
{
	for (int i = 0; i < MAXSLOTS; i++)
		if (pid > 0 && sh->slots[i].pid == pid)
			sh->slots[i].pid = 0;
	for (int i = 0; i < MAXSLOTS; i++) {
		int32_t free_pid = 0;

		if (__atomic_compare_exchange_n(&sh->slots[i].pid, &free_pid, pid,
		    0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			sh->slots[i].calls = 0;
			sh->slots[i].in_call = 0;
			return i;
		}
	}
	return -1;
}

/* In a new child: the slot its parent reserved becomes its own, unless
 * the supervisor freed it (the parent died); then another, or none. */
int
take_reserved(int slot)
{
	int32_t parent = -getppid(), me = getpid();

	if (!__atomic_compare_exchange_n(&sh->slots[slot].pid, &parent, me, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) && (slot = claim_slot(me)) < 0)
		syscall5(SYS_exit, 0, 0, 0, 0, 0);
	return slot;
}

void
log_call(const struct call_rec *r)
{
	char line[160];
	int n;

	n = snprintf(line, sizeof(line),
	    "fuzz: #%u pid %d %s(%#x, %#x, %#x, %#x, %#x, %#x)\n", r->seq,
	    r->pid, call_name(r->num), r->arg[0], r->arg[1], r->arg[2],
	    r->arg[3], r->arg[4], r->arg[5]);
	syscall5(SYS_write, LOGFD, (int)(uintptr_t)line, n, 0, 0);
}

/* Record the call about to be made: in the slot and the ring. */
static struct call_rec *
begin(uint32_t seq, int num, const uint32_t arg[6], int bounded)
{
	struct slot *s = &sh->slots[my_slot];
	struct call_rec *r = &sh->ring[__atomic_fetch_add(&sh->ring_next, 1,
	    __ATOMIC_SEQ_CST) % RING];

	s->cur.pid = my_pid;
	s->cur.seq = seq;
	s->cur.num = num;
	memcpy(s->cur.arg, arg, sizeof(s->cur.arg));
	s->cur.result = RESULT_PENDING;
	*r = s->cur;
	if (sh->verbose_every && seq % sh->verbose_every == 0)
		log_call(r);
	s->bounded = bounded;
	s->in_call = 1;
	return r;
}

static void
end(struct call_rec *r, int result)
{
	struct slot *s = &sh->slots[my_slot];

	s->in_call = 0;
	s->calls++;
	s->cur.result = result;
	if (r->seq == s->cur.seq)
		r->result = result;
	if (result < 0 && result >= -4095) {
		__atomic_fetch_add(&sh->failed, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&sh->errs[-result < NERRS ? -result : 0], 1,
		    __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&sh->ok, 1, __ATOMIC_RELAXED);
	}
}

static void __attribute__((noreturn))
leave(int status)
{
	sh->slots[my_slot].in_call = 0;
	sh->slots[my_slot].pid = 0;
	syscall5(SYS_exit, status, 0, 0, 0, 0);
	for (;;)
		;
}

static void
do_fork(uint32_t seq)
{
	uint32_t arg[6] = { 0 };
	uint32_t lineage = __atomic_fetch_add(&sh->next_lineage, 1, __ATOMIC_SEQ_CST);
	uint32_t child_seed = rnd();
	int slot = claim_slot(-my_pid);
	struct call_rec *r;
	int pid;

	if (slot < 0)
		return;		/* enough processes already */
	arg[0] = lineage;
	r = begin(seq, OP_FORK, arg, 1);
	pid = syscall5(SYS_fork, 0, 0, 0, 0, 0);
	if (pid == 0)
		worker(take_reserved(slot), child_seed ^ lineage);
	end(r, pid);
	if (pid < 0) {
		sh->slots[slot].pid = 0;
		__atomic_fetch_add(&sh->fork_failed, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_add(&sh->forks, 1, __ATOMIC_RELAXED);
}

/*
 * exec that must fail: a path that is no program, or a real program
 * with an argv the kernel must refuse.  If it ever succeeded the worker
 * would become that program; its slot keeps the pid, so it is still
 * killed at the end.
 */
static void
do_exec(uint32_t seq)
{
	static const char *const bad_paths[] = {
		"/etc/motd", "/bin", "/nonexistent", "/", "/etc/rpc", "",
	};
	uint32_t arg[6] = { 0 };
	uint32_t *argv = (uint32_t *)(scratch + 1024);
	char *str = scratch + 512;
	int n;

	strcpy(str, "/bin/echo");
	strcpy(str + 64, bad_paths[rnd_below(6)]);
	strcpy(str + 128, "x");
	switch (rnd_below(5)) {
	case 0:		/* not a program; argv fine */
		arg[0] = (uint32_t)str + 64;
		argv[0] = (uint32_t)str + 128;
		argv[1] = 0;
		arg[1] = (uint32_t)argv;
		break;
	case 1:		/* argv itself bad */
		arg[0] = (uint32_t)str;
		arg[1] = rnd_below(2) ? 0xC0000000 : 0x70000000 + rnd_below(4);
		break;
	case 2:		/* one element bad */
		arg[0] = (uint32_t)str;
		n = (int)rnd_below(4);
		for (int i = 0; i < n; i++)
			argv[i] = (uint32_t)str + 128;
		argv[n] = rnd_below(2) ? 0xC0000000 : 0x1;
		argv[n + 1] = 0;
		arg[1] = (uint32_t)argv;
		break;
	case 3:		/* too many: E2BIG */
		arg[0] = (uint32_t)str;
		for (n = 0; n < 40; n++)
			argv[n] = (uint32_t)str + 128;
		argv[n] = 0;
		arg[1] = (uint32_t)argv;
		break;
	default:	/* no terminator before the end of scratch */
		arg[0] = (uint32_t)str;
		n = (SCRATCH - 2048) / 4;
		argv = (uint32_t *)(scratch + SCRATCH) - n;
		for (int i = 0; i < n; i++)
			argv[i] = (uint32_t)str + 128;
		arg[1] = (uint32_t)argv;
		break;
	}
	end(begin(seq, OP_EXEC, arg, 1),
	    syscall5(SYS_exec, (int)arg[0], (int)arg[1], 0, 0, 0));
}

/* sigreturn with a frame that resumes right here, its flags and mask
 * random: the kernel must keep IF and IOPL its own. */
static void
do_sigreturn(uint32_t seq)
{
	uint32_t frame[13] = { 0 };
	uint32_t arg[6] = { 0 };
	uint32_t all = 0xFFFFFFFF;

	frame[2] = rnd_below(2) ? 0 : rnd();		/* saved_blocked */
	frame[5] = 0;
	frame[9] = rnd();				/* eax */
	/* eflags: random, but DF clear (the C ABI's assumption; the kernel
	 * lets a process set it, and memcpy would then run backwards). */
	frame[11] = (rnd_below(2) ? 0xFFFFFFFF : rnd()) & ~0x400u;
	arg[0] = frame[11];
	arg[1] = frame[2];
	/* A signal delivered between the switch of esp and the trap would
	 * write its frame over ours: none until the kernel restores the
	 * mask from the frame. */
	syscall5(SYS_sigprocmask, SIG_SETMASK, (int)(uintptr_t)&all, 0, 0, 0);
	end(begin(seq, OP_SIGRETURN, arg, 1), fuzz_sigreturn(frame));
	__atomic_fetch_add(&sh->sigreturns, 1, __ATOMIC_RELAXED);
}

static const struct call_desc *
choose(void)
{
	int w = (int)rnd_below((uint32_t)total_weight);

	for (int i = 0; i < ncalls; i++) {
		w -= calls[i].weight;
		if (w < 0)
			return &calls[i];
	}
	return &calls[0];
}

void
worker(int slot, uint32_t seed)
{
	uint32_t arg[6];

	my_slot = slot;
	my_pid = getpid();
	rnd_seed(seed);
	args_init();
	total_weight = 0;
	for (int i = 0; i < ncalls; i++)
		total_weight += calls[i].weight;
	for (;;) {
		uint32_t seq = __atomic_fetch_add(&sh->issued, 1, __ATOMIC_SEQ_CST);
		uint32_t op = rnd_below(1000);
		const struct call_desc *c;
		int bounded, r;

		if (seq >= sh->target || sh->stop)
			leave(0);
		if (sh->selftest) {	/* -H: the first call a "bounded" pause */
			uint32_t all = 0xFFFFFFFF;	/* only SIGKILL ends it */

			if (seq == 0) {
				syscall5(SYS_sigprocmask, SIG_SETMASK,
				    (int)(uintptr_t)&all, 0, 0, 0);
				memset(arg, 0, sizeof(arg));
				begin(seq, SYS_pause, arg, 1);
				syscall5(SYS_pause, 0, 0, 0, 0, 0);
			}
			for (;;)	/* the others wait to be killed */
				msleep(100);
		}
		if (op < 8) {
			do_fork(seq);
		} else if (op < 9) {
			arg[0] = rnd_below(256);
			begin(seq, OP_EXIT, arg, 1);
			__atomic_fetch_add(&sh->exits, 1, __ATOMIC_RELAXED);
			leave((int)arg[0]);
		} else if (op < 12) {
			do_exec(seq);
		} else if (op < 15) {
			do_sigreturn(seq);
		} else {
			c = choose();
			bounded = make_args(c, arg);
			struct call_rec *rec = begin(seq, c->num, arg, bounded);
			r = syscall6(c->num, (int)arg[0], (int)arg[1], (int)arg[2],
			    (int)arg[3], (int)arg[4], (int)arg[5]);
			end(rec, r);
			note_result(c, arg, r);
		}
	}
}
