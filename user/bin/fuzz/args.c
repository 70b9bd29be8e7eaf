/*
 * args.c: the fuzzer's arguments.  Each letter of a call's signature
 * (table.c) names a kind of argument, and each kind mixes values the
 * kernel should accept (ids and descriptors the fuzzing processes made,
 * pointers into the scratch area) with the edges it must refuse: NULL,
 * the kernel half, unmapped and misaligned pointers, ranges that cross
 * the break, huge and negative sizes, descriptors and ids.
 *
 * Nothing generated may name memory the fuzzer itself lives on (its
 * image, its stack, the shared segment): a "random" pointer that lands
 * there is moved to an unmapped address.  Scratch and the heap above it
 * are the only user memory a call may write.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include <brinch/signal.h>
#include <brinch/net.h>
#include <brinch/dist.h>
#include <brinch/syscall.h>
#include <unistd.h>
#include "fuzz.h"

#define UNMAPPED	0x70000000u	/* between heap and shared memory */
#define KERNEL_HALF	0xC0000000u
#define SHM_SPAN	0x40000u	/* one attachment slot, 256 KiB */
#define NFDS		16
#define NADDRS		8

extern void sigreturn_trampoline(void);
void fuzz_catch(int sig);

static uint32_t rng = 1;

/* Descriptors and attachments this process made (inherited by fork). */
static int32_t  fds[NFDS];
static uint32_t nfds;
static uint32_t addrs[NADDRS];
static uint32_t naddrs;
static uint32_t brk;		/* the break, followed through sbrk's results */

void
args_init(void)
{
	brk = (uint32_t)sbrk(0);
}

void
rnd_seed(uint32_t seed)
{
	rng = seed * 2654435761u ^ 0x9E3779B9u;
	if (rng == 0)
		rng = 1;
	for (int i = 0; i < 8; i++)
		rnd();
}

uint32_t
rnd(void)
{
	return xorshift32(&rng);
}

uint32_t
rnd_below(uint32_t n)
{
	return xorshift32_below(&rng, n);
}

static uint32_t
pick(const uint32_t *v, uint32_t n)
{
	return v[rnd_below(n)];
}
#define PICK(v)	pick(v, sizeof(v) / sizeof(v[0]))

/* Never the fuzzer's own image, stack or shared segment. */
static uint32_t
not_ours(uint32_t p)
{
	if ((p >= 0x08000000u && p < 0x09000000u) ||
	    (p >= 0xBF000000u && p < KERNEL_HALF) ||
	    (p >= (uint32_t)sh && p < (uint32_t)sh + SHM_SPAN))
		return UNMAPPED;
	return p;
}

static const uint32_t edge_ints[] = {
	0, 1, 2, 3, 7, 16, 64, 255, 4095, 4096, 65536, 0x7FFFFFFF,
	0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xC0000000, 0xFFFFF001,
};

static uint32_t
any_int(void)
{
	switch (rnd_below(4)) {
	case 0:
		return rnd();
	case 1:
		return rnd_below(70);
	default:
		return PICK(edge_ints);
	}
}

/*
 * A pointer for `room` bytes: mostly inside scratch (any alignment),
 * else an edge.  *valid says whether it is in scratch with room to spare.
 */
static uint32_t
pointer(uint32_t room, int *valid)
{
	*valid = 0;
	if (room > SCRATCH / 2)
		room = SCRATCH / 2;
	switch (rnd_below(20)) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd_below(4095);		/* the null page */
	case 2:
		return KERNEL_HALF + (rnd_below(4) << 20) + rnd_below(8);
	case 3:
		return 0xFFFFFFFFu - rnd_below(16);	/* wraps round */
	case 4:
		return UNMAPPED + rnd_below(4);
	case 5:
		return brk - rnd_below(16);		/* crosses the break */
	case 6:
		return not_ours(rnd());
	case 7:
		return KERNEL_HALF - 1 - rnd_below(8);	/* crosses into it */
	default:
		*valid = 1;
		return (uint32_t)scratch + rnd_below(SCRATCH - room);
	}
}

static void
fill_random(uint32_t p, uint32_t n, int valid)
{
	if (!valid)
		return;
	for (uint32_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = (uint8_t)rnd();
}

static const uint32_t edge_lengths[] = {
	0, 1, 2, 4, 7, 8, 15, 16, 17, 64, 512, 4096, 8192, 8193, 65536,
	0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFF000,
};

/* A length for a buffer at p: within scratch if it is there, else any. */
static uint32_t
length_for(uint32_t p, int valid)
{
	uint32_t left = valid ? (uint32_t)scratch + SCRATCH - p : 0;

	if (valid && rnd_below(3)) {
		uint32_t n = rnd_below(4) ? rnd_below(left < 256 ? left + 1 : 257)
		    : rnd_below(left + 1);
		return n;
	}
	return PICK(edge_lengths);
}

static const char *const paths[] = {
	"/bin/echo", "/bin/fuzz", "/etc/motd", "/", "/bin", "/etc", "/dev",
	"/etc/rpc", "bin/ls", "", ".", "..", "/bin/../etc/motd", "/nonexistent",
	"/etc/motd/x", "//bin//echo", "/bin/", "/dev/none", "etc", "/bin/true",
};

/* A path in scratch (mutated now and then), or a bad pointer. */
static uint32_t
path(void)
{
	int valid;
	uint32_t p = pointer(256, &valid), n;
	char *s = (char *)p;

	if (!valid)
		return p;
	switch (rnd_below(8)) {
	case 0:			/* too long: ENAMETOOLONG */
		n = 120 + rnd_below(100);
		memset(s, 'a', n);
		s[n] = 0;
		break;
	case 1:			/* no terminator before the end of scratch */
		p = (uint32_t)scratch + SCRATCH - 1 - rnd_below(8);
		memset((char *)p, 'b', (uint32_t)scratch + SCRATCH - p);
		break;
	default:
		strcpy(s, paths[rnd_below(sizeof(paths) / sizeof(paths[0]))]);
		n = strlen(s);
		if (n && rnd_below(4) == 0)
			s[rnd_below(n)] = (char)(1 + rnd_below(255));
		/* Never the console: a read there would take the tester's input. */
		for (char *q = s; *q; q++)
			if (q[0] == 'c' && q[1] == 'o' && q[2] == 'n')
				*q = 'X';
	}
	return p;
}

static const char *const names[] = {
	"fuzz0", "fuzz1", "fuzz2", "fuzz3", "TABLE@0", "x@1", "@", "a@999",
	"fuzz0@0", "", "0123456789012345678901234567890123456789",
};

static uint32_t
mbox_name(void)
{
	int valid;
	uint32_t p;

	if (rnd_below(4) == 0)
		return 0;
	p = pointer(64, &valid);
	if (valid)
		strcpy((char *)p, names[rnd_below(sizeof(names) / sizeof(names[0]))]);
	return p;
}

void
remember_id(int32_t id)
{
	uint32_t i = __atomic_fetch_add(&sh->ids_next, 1, __ATOMIC_SEQ_CST);

	sh->ids[i % NIDS] = id;
}

/* An id of a mailbox, semaphore or segment: one the workers made, or not. */
static uint32_t
ipc_id(void)
{
	switch (rnd_below(6)) {
	case 0:
	case 1:
	case 2:
		return (uint32_t)sh->ids[rnd_below(NIDS)];
	case 3:
		return rnd_below(80);
	case 4:		/* the same slot on another node (no network here) */
		return (uint32_t)DIST_ID(rnd_below(4), sh->ids[rnd_below(NIDS)]);
	default:
		return PICK(edge_ints);
	}
}

int32_t
family_pid(void)
{
	int32_t pid = sh->slots[rnd_below(MAXSLOTS)].pid;

	return pid > 0 ? pid : getpid();
}

/* A pid: the fuzzer's own processes, or none that exists.  Never
 * another program's (the shell's, init's): SIGKILL or suspend would
 * end the test for reasons that are not bugs. */
static uint32_t
pid(void)
{
	static const uint32_t none[] = {
		0, 0xFFFFFFFF, 0x80000000, 99999, 0x7FFFFFFF, 0x7FFFFF,
	};

	switch (rnd_below(8)) {
	case 0:
		return PICK(none);
	case 1:		/* "pid 5 on node 1": the message layer, no network */
		return (uint32_t)DIST_PID(rnd_below(3), family_pid());
	case 2:
		return (uint32_t)getpid();
	default:
		return (uint32_t)family_pid();
	}
}

static uint32_t
fd(void)
{
	uint32_t v = 0;

	switch (rnd_below(6)) {
	case 0:
		return PICK(edge_ints);
	case 1:
		v = rnd_below(20);
		break;
	default:
		if (nfds == 0)
			v = rnd_below(20);
		break;
		v = (uint32_t)fds[rnd_below(nfds < NFDS ? nfds : NFDS)];
	}
	return v == LOGFD ? 0 : v;
}

static uint32_t
sockaddr(uint32_t *len)
{
	static const uint32_t families[] = { AF_INET, AF_INET, AF_PACKET, 0, 1, 0xFFFF };
	static const uint32_t hosts[] = {
		0x0100000A, 0x0200000A, 0x0100007F, 0, 0xFFFFFFFF, 0x0300000A,
	};
	static const uint32_t ports[] = { 0, 7, 111, 1, 65535, 1024, 5555 };
	static const uint32_t lens[] = { 16, 16, 16, 0, 8, 15, 17, 1000, 0xFFFFFFFF };
	int valid;
	uint32_t p = pointer(32, &valid);

	*len = PICK(lens);
	if (valid) {
		struct sockaddr_in *sa = (struct sockaddr_in *)p;

		fill_random(p, 16, 1);
		sa->sin_family = (uint16_t)PICK(families);
		sa->sin_port = (uint16_t)(((PICK(ports) & 0xFF) << 8) | (PICK(ports) >> 8 & 0xFF));
		sa->sin_addr = rnd_below(4) ? PICK(hosts) : rnd();
	}
	return p;
}

static uint32_t
sigaction_ptr(void)
{
	static const uint32_t handlers[] = {
		0, 1, 0, 1, 0xDEADBEEF, KERNEL_HALF, UNMAPPED, 3,
	};
	int valid;
	uint32_t p = pointer(16, &valid);

	if (valid) {
		struct sigaction *sa = (struct sigaction *)p;

		sa->sa_handler = rnd_below(3) ? (uint32_t)fuzz_catch : PICK(handlers);
		sa->sa_mask = rnd_below(2) ? 0 : rnd();
		sa->sa_flags = rnd_below(2) ? 0 : (rnd_below(2) ? SA_RESETHAND : rnd());
		sa->sa_restorer = rnd_below(8) ? (uint32_t)sigreturn_trampoline
		    : PICK(handlers);
	}
	return p;
}

/* Fills arg[] for c's signature.  Returns whether the call is bounded:
 * it must come back by itself within HANG_MS. */
int
make_args(const struct call_desc *c, uint32_t arg[6])
{
	static const uint32_t sigs[] = { 9, 19, 18, 0, 32, 64, 0xFFFFFFFF, 1000 };
	static const uint32_t timeouts[] = { 0, 0xFFFFFFFF, 0x7FFFFFFF, 1001 };
	int valid = 0, timed_ok = 0, nowait = 0;
	uint32_t last_ptr = 0, v = 0;

	memset(arg, 0, 6 * sizeof(arg[0]));
	for (int i = 0; c->sig[i] && i < 6; i++) {
		switch (c->sig[i]) {
		case 'i':
			v = any_int();
			break;
		case 'f':
			v = fd();
			break;
		case 'b':	/* a buffer; its length follows */
		case 'o':	/* a structure the kernel fills */
			v = last_ptr = pointer(c->sig[i] == 'o' ? 1024 : 256, &valid);
			if (c->sig[i] == 'b')
				fill_random(v, 64, valid);
			break;
		case 'n':
			v = length_for(last_ptr, valid);
			break;
		case 'c':
			v = rnd_below(4) ? rnd_below(70) : PICK(edge_ints);
			break;
		case 'p':
			v = path();
			break;
		case 'N':
			v = mbox_name();
			break;
		case 'm':
		case 's':
		case 'h':
			v = ipc_id();
			break;
		case 'a':
			if (naddrs && rnd_below(2))
				v = addrs[rnd_below(naddrs < NADDRS ? naddrs : NADDRS)];
			else
				v = not_ours(0x60000000u + rnd_below(9) * SHM_SPAN +
				    (rnd_below(4) ? 0 : rnd_below(8192)));
			if (v == (uint32_t)sh)
				v = UNMAPPED;
			break;
		case 'k':
			v = pid();
			break;
		case 'g':
			v = rnd_below(4) ? rnd_below(NSIG) : PICK(sigs);
			break;
		case 't':
			v = rnd_below(16) ? 1 + rnd_below(3) : PICK(timeouts);
			timed_ok = v >= 1 && v <= TIMEOUT_MAX;
			break;
		case 'w':
			v = rnd_below(3) ? IPC_NOWAIT : (rnd_below(8) ? 0 : rnd());
			nowait = v & IPC_NOWAIT;
			break;
		case 'u':
			v = rnd_below(3) ? rnd_below(4) : any_int();
			break;
		case 'x':
			v = sockaddr(&arg[i + 1]);
			i++;	/* its length is made with it */
			continue;
		case 'l': {	/* a socklen_t in scratch */
			v = pointer(4, &valid);
			if (valid)
				*(uint32_t *)v = rnd_below(2) ? 16 : any_int();
			break;
		}
		case 'e':
			v = sigaction_ptr();
			break;
		case 'q':
			v = pointer(4, &valid);
			fill_random(v, 4, valid);
			break;
		case 'z':
			v = rnd_below(3) ? rnd_below(4) : any_int();
			break;
		case 'y':	/* mailbox capacity */
			v = rnd_below(3) ? rnd_below(8) : any_int();
			break;
		case 'd': {	/* struct pollfd[]: the count follows as 'c' */
			v = last_ptr = pointer(8 * 16, &valid);
			for (int k = 0; valid && k < 16; k++) {
				struct pollfd *pf = (struct pollfd *)v + k;

				pf->fd = (int32_t)fd();
				pf->events = (int16_t)rnd();
				pf->revents = (int16_t)rnd();
			}
			break;
		}
		case 'S':	/* sleep(ms) */
			v = rnd_below(32) ? rnd_below(3) : PICK(timeouts);
			timed_ok = v <= TIMEOUT_MAX;
			break;
		case 'A':	/* alarm(seconds): SIGALRM kills or is caught */
			v = rnd_below(8) ? 0 : (rnd_below(2) ? 1 : any_int());
			break;
		case 'H':	/* signal(): SIG_DFL, SIG_IGN or a refused handler */
			v = rnd_below(3) ? rnd_below(2) : (uint32_t)fuzz_catch;
			break;
		case 'r': {	/* sbrk(): the break never goes below scratch */
			static const uint32_t edges[] = {
				0x80000000, 0x7FFFFFFF, 0x40000000, 0xC0000000,
				0x80000001, 0xFFFFFFFF, 0x10000000,
			};

			if (rnd_below(4) == 0)
				v = PICK(edges);
			else if (brk > scratch_end + 4 * 1024 * 1024 || rnd_below(2))
				v = (uint32_t)-(int32_t)rnd_below(brk - scratch_end + 1);
			else
				v = rnd_below(64 * 1024);
			if (v == 0xFFFFFFFF && brk - 1 < scratch_end)
				v = 0;
			break;
		}
		default:
			v = 0;
		}
		arg[i] = v;
	}
	if (c->block == BLOCK_NEVER)
		return 1;
	if (c->block == BLOCK_TIMED)
		return nowait || timed_ok;
	return 0;
}

/* Remember what the call made, for later calls to use. */
void
note_result(const struct call_desc *c, const uint32_t arg[6], int r)
{
	if (r < 0 && r >= -4095)
		return;
	switch (c->num) {
	case SYS_open:
	case SYS_dup:
	case SYS_socket:
	case SYS_accept:
		if (r != LOGFD)
			fds[nfds++ % NFDS] = r;
		break;
	case SYS_mbox_create:
	case SYS_mbox_open:
	case SYS_sem_create:
	case SYS_shm_create:
		remember_id(r);
		break;
	case SYS_sbrk:
		brk = (uint32_t)r + arg[0];
		break;
	case SYS_shm_attach:
		addrs[naddrs++ % NADDRS] = (uint32_t)r;
		break;
	}
}
