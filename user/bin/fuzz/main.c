/*
 * fuzz: random system calls from several processes at once, to show that
 * nothing a user program does can crash or hang the kernel.
 *   fuzz [-n CALLS] [-s SEED] [-p PROCS] [-k K] [-T MS] [-H]
 * PROCS workers (4) make CALLS calls (10,000) in all with arguments drawn
 * from SEED (1): good ones and every edge the kernel must refuse, plus
 * fork, exit, failing exec and forged sigreturn, signals to each other.
 * -k K prints every K-th call before it is made (-k 1: all of them), so
 * the last line before a panic names the culprit.  -T sets the hang
 * bound (HANG_MS); -H is the detector's own test: one process makes a
 * pause() it claims must return, and the run must end in a HANG report.
 *
 * This process is the supervisor: it makes no calls itself.  It keeps
 * PROCS workers alive, kills one that sits stopped, or blocked where
 * blocking is allowed (a zero timeout, pause, waitpid...), for STUCK_MS,
 * and reports a hang when a call that must come back by its timeout is
 * still waiting after HANG_MS: the seed, the call and the last RING calls
 * of the run.  It ends with "fuzz: N calls, seed S, ...", after every
 * fuzzing process is gone.  tools/fuzz.py runs it under QEMU
 * (docs/testing.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sched.h>
#include <sys/wait.h>
#include "fuzz.h"

#define MAGIC		0x46555A5A	/* "FUZZ" */
#define PROGRESS_MS	2000

struct shared *sh;
char *scratch;
uint32_t scratch_end;

static int procs = 4, children;
static uint32_t stuck_killed, deaths_seen;

static const char *const errnames[NERRS] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
	[EINTR] = "EINTR", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN",
	[ENOMEM] = "ENOMEM", [EFAULT] = "EFAULT", [EINVAL] = "EINVAL",
	[EMFILE] = "EMFILE", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
	[ESPIPE] = "ESPIPE", [EPIPE] = "EPIPE", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOSYS] = "ENOSYS", [EROFS] = "EROFS", [ENFILE] = "ENFILE",
	[ENOTSOCK] = "ENOTSOCK", [EMSGSIZE] = "EMSGSIZE", [ETIMEDOUT] = "ETIMEDOUT",
	[ENOPROTOOPT] = "ENOPROTOOPT", [EPROTONOSUPPORT] = "EPROTONOSUPPORT",
	[EOPNOTSUPP] = "EOPNOTSUPP", [EAFNOSUPPORT] = "EAFNOSUPPORT",
	[EADDRINUSE] = "EADDRINUSE", [EADDRNOTAVAIL] = "EADDRNOTAVAIL",
	[ENETDOWN] = "ENETDOWN", [ENETUNREACH] = "ENETUNREACH",
	[ENOTCONN] = "ENOTCONN", [EISCONN] = "EISCONN", [ENOSPC] = "ENOSPC",
	[EDESTADDRREQ] = "EDESTADDRREQ", [EHOSTUNREACH] = "EHOSTUNREACH",
};

static void
usage(void)
{
	dprintf(2, "usage: fuzz [-n CALLS] [-s SEED] [-p PROCS] [-k K] [-T MS] [-H]\n");
	exit(2);
}

static int
spawn(void)
{
	uint32_t lineage = __atomic_fetch_add(&sh->next_lineage, 1, __ATOMIC_SEQ_CST);
	int slot = claim_slot(-getpid());
	int pid;

	if (slot < 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		slot = take_reserved(slot);
		close(0);
		close(1);
		close(2);
		worker(slot, sh->seed * 0x9E3779B1u + lineage);
	}
	if (pid < 0) {
		sh->slots[slot].pid = 0;
		return 0;
	}
	children++;
	return 1;
}

static void
print_rec(const struct call_rec *r)
{
	printf("fuzz:   #%u pid %d %s(%#x, %#x, %#x, %#x, %#x, %#x)", r->seq,
	    r->pid, call_name(r->num), r->arg[0], r->arg[1], r->arg[2],
	    r->arg[3], r->arg[4], r->arg[5]);
	if (r->result == RESULT_PENDING)
		printf(" ...\n");
	else
		printf(" = %d\n", r->result);
}

/* The last RING calls, oldest first. */
static void
print_ring(void)
{
	uint32_t next = sh->ring_next;

	printf("fuzz: the last %d calls:\n", RING);
	for (uint32_t i = 0; i < RING; i++) {
		const struct call_rec *r = &sh->ring[(next + i) % RING];

		if (r->pid)
			print_rec(r);
	}
}

/* Gone (or a zombie): its slot is free. */
static int
gone(int32_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static void
kill_hard(int32_t pid)
{
	resume(pid);		/* a suspended process cannot die */
	kill(pid, SIGKILL);
}

/* Returns 1 when slot s shows a hang. */
static int
check_slot(struct slot *s, uint32_t now)
{
	struct proc_info info;
	int32_t pid = s->pid;
	uint32_t idle;

	if (pid != s->seen_pid || s->calls != s->seen_calls) {
		s->seen_pid = pid;
		s->seen_calls = s->calls;
		s->seen_ms = now;
	}
	idle = now - s->seen_ms;
	if (pid <= 0 || idle < STUCK_MS)
		return 0;
	if (procinfo(pid, &info) < 0 || info.state == PSTATE_ZOMBIE) {
		__atomic_compare_exchange_n(&s->pid, &pid, 0, 0,
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		return 0;
	}
	if (s->in_call && s->bounded && info.state == PSTATE_WAITING &&
	    strcmp(info.wait_on, "stopped") != 0) {
		if (idle < sh->hang_ms)
			return 0;
		printf("fuzz: HANG: pid %d waiting on \"%s\" for %u ms in:\n",
		    pid, info.wait_on, idle);
		print_rec(&s->cur);
		return 1;
	}
	/* Stopped, suspended, starved by nice, or blocked where that is
	 * allowed: not a bug, but it makes no calls.  A process SIGKILL
	 * cannot end within the hang bound is a hang after all. */
	if (idle > sh->hang_ms + STUCK_MS) {
		printf("fuzz: HANG: pid %d (state %d, \"%s\") survives SIGKILL in:\n",
		    pid, info.state, info.wait_on);
		print_rec(&s->cur);
		return 1;
	}
	if (idle < STUCK_MS + 200) {	/* once */
		kill_hard(pid);
		stuck_killed++;
		if (sh->verbose_every)
			printf("fuzz: killed pid %d, state %d \"%s\", %s %s\n", pid,
			    info.state, info.wait_on, s->in_call ? "in" : "after",
			    call_name(s->cur.num));
	}
	return 0;
}

static void
reap_children(void)
{
	int status, pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		children--;
		if (WIFSIGNALED(status))
			deaths_seen++;
		for (int i = 0; i < MAXSLOTS; i++)
			if (sh->slots[i].pid == pid)
				sh->slots[i].pid = 0;
	}
}

static int
slots_in_use(void)
{
	int n = 0;

	for (int i = 0; i < MAXSLOTS; i++) {
		int32_t pid = sh->slots[i].pid;

		/* A reservation dies with the process that made it. */
		if (pid != 0 && gone(pid > 0 ? pid : -pid))
			__atomic_compare_exchange_n(&sh->slots[i].pid, &pid, 0,
			    0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		else if (pid != 0)
			n++;
	}
	return n;
}

/* Every fuzzing process gone; then our own children reaped. */
static void
end_all(void)
{
	uint32_t deadline = now_ms() + 2000;

	sh->stop = 1;
	while (slots_in_use() > 0 && now_ms() < deadline) {
		reap_children();
		msleep(10);
	}
	while (slots_in_use() > 0) {
		for (int i = 0; i < MAXSLOTS; i++)
			if (sh->slots[i].pid > 0)
				kill_hard(sh->slots[i].pid);
		reap_children();
		msleep(10);
	}
	while (children > 0 && waitpid(-1, NULL, 0) > 0)
		children--;
}

static void
summary(void)
{
	uint32_t n = sh->issued < sh->target ? sh->issued : sh->target;

	printf("fuzz: %u calls, seed %u, %d procs: ok %u, failed %u, forks %u "
	    "(refused %u), exits %u, deaths %u, stuck killed %u, "
	    "signals caught %u, sigreturns %u\n", n, sh->seed, procs, sh->ok,
	    sh->failed, sh->forks, sh->fork_failed, sh->exits, deaths_seen,
	    stuck_killed, sh->signals_caught, sh->sigreturns);
	printf("fuzz: errors:");
	for (int e = 0; e < NERRS; e++)
		if (sh->errs[e])
			printf(" %s %u", e && errnames[e] ? errnames[e] : "other",
			    sh->errs[e]);
	printf("\n");
}

int
main(int argc, char *argv[])
{
	uint32_t count = 10000, seed = 1, every = 0, hang_ms = HANG_MS, last_progress;
	int id, fd, hang = 0, selftest = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-H") == 0) {
			selftest = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "-n") == 0)
			count = (uint32_t)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-s") == 0)
			seed = (uint32_t)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-p") == 0)
			procs = atoi(argv[++i]);
		else if (strcmp(argv[i], "-k") == 0)
			every = (uint32_t)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-T") == 0)
			hang_ms = (uint32_t)strtol(argv[++i], NULL, 10);
		else
			usage();
	}
	if (procs < 1 || procs > MAXSLOTS / 2)
		usage();
	if ((id = shm_create(sizeof(struct shared))) < 0 ||
	    (sh = shm_attach(id)) == (void *)-1) {
		dprintf(2, "fuzz: shared memory: %s\n", strerror(errno));
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	sh->magic = MAGIC;
	sh->seed = seed;
	sh->target = count;
	sh->verbose_every = every;
	sh->hang_ms = hang_ms;
	sh->selftest = selftest;
	/* The console for -k's lines, on a descriptor no call is given. */
	while ((fd = dup(1)) >= 0 && fd < LOGFD)
		;
	if (fd != LOGFD) {
		dprintf(2, "fuzz: cannot keep descriptor %d\n", LOGFD);
		return 1;
	}
	for (fd = 3; fd < LOGFD; fd++)
		close(fd);
	scratch = sbrk(SCRATCH);
	if (scratch == (void *)-1)
		return 1;
	memset(scratch, 0, SCRATCH);
	scratch_end = (uint32_t)scratch + SCRATCH;
	printf("fuzz: seed %u, %u calls, %d procs\n", seed, count, procs);

	last_progress = now_ms();
	while (sh->issued < count && !hang) {
		uint32_t now;

		reap_children();
		slots_in_use();
		while (children < procs && sh->issued < count && spawn())
			;
		msleep(20);
		now = now_ms();
		for (int i = 0; i < MAXSLOTS && !hang; i++)
			hang = check_slot(&sh->slots[i], now);
		if (now - last_progress >= PROGRESS_MS) {
			printf("fuzz: progress %u calls\n", sh->issued);
			last_progress = now;
		}
	}
	if (hang) {
		printf("fuzz: seed %u: replay with fuzz -n %u -s %u -p %d -k 1\n",
		    seed, count, seed, procs);
		print_ring();
	}
	end_all();
	summary();
	return hang ? 3 : 0;
}
