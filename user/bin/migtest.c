/*
 * migtest: workloads to migrate, each of which notices when it has moved
 * (its kernel's node number changes) and checks itself there.
 *   migtest count N [MS [FIRST]]
 *              print "count I pid P node K" N times, MS ms apart, the first
 *              after FIRST ms (a quiet start: time to type at that console)
 *   migtest oracle PAGES [HOT [STEPS]]
 *              fill PAGES pages, then keep rewriting the first HOT of them
 *              (default all) in a fixed cycle; after every move check every
 *              word of every page against the step counter.  A page the
 *              move left stale, or a step lost, fails the check.
 *   migtest self NODE [stop|precopy|lazy]
 *              move itself, as in AIX: "self: pid P node K" before and after
 *              It counts SIGUSR1 and says so: "oracle: SIGUSR1 N on node K".
 *   migtest parent NODE
 *              fork a child that exits with status 7 a moment later, move
 *              to NODE, and wait() for it there: its home reaps it for us
 *   migtest fill N
 *              fork N children that wait for a signal (a full process table
 *              makes a target refuse); SIGTERM ends them all
 *   migtest nopull 1|0
 *              lazy arrivals on this kernel fetch pages only when touched
 *              (no background pull): the source stays needed, for tests
 *   migtest noflush 1|0
 *              this kernel clears dirty bits without flushing the TLB (a
 *              deliberate bug: the oracle must then catch a stale page)
 * tests/integration/test_migrate.py runs them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>
#include <brinch.h>
#include <dist.h>
#include <migrate.h>

#define PAGE		4096
#define WORDS		(PAGE / 4)

static uint32_t *mem;
static uint32_t npages, hot;
static volatile int usr1;		/* SIGUSR1s received */

static void
on_usr1(int sig)
{
	usr1++;
}

/* The word w of page k after step s wrote it: distinct for every step,
 * page and word, so a stale or misplaced page cannot pass. */
static uint32_t
pattern(uint32_t k, uint32_t w, uint32_t s)
{
	uint32_t x = s * 2654435761u ^ k * 40503u ^ w * 2246822519u;

	return x ^ (x >> 15);
}

static void
write_page(uint32_t k, uint32_t s)
{
	uint32_t w, *p = mem + k * WORDS;

	for (w = 0; w < WORDS; w++)
		p[w] = pattern(k, w, s);
}

/* After steps 0..last (step s writes hot page s % hot; cold pages were
 * written at setup, as "step" npages + k), which step wrote page k? */
static uint32_t
expected_step(uint32_t k, uint32_t last)
{
	if (k >= hot)
		return 0xC0000000u + k;
	if (last < k)
		return 0xC0000000u + k;	/* not reached yet: the setup value */
	return last - (last - k) % hot;
}

static int
check_all(uint32_t last, int node)
{
	uint32_t k, w, s, *p;

	for (k = 0; k < npages; k++) {
		s = expected_step(k, last);
		p = mem + k * WORDS;
		for (w = 0; w < WORDS; w++) {
			if (p[w] != pattern(k, w, s)) {
				printf("oracle: FAILED on node %d: page %u word %u: "
				    "%08x, expected %08x (step %u)\n",
				    node, k, w, p[w], pattern(k, w, s), s);
				return -1;
			}
		}
	}
	return 0;
}

static int
oracle(uint32_t pages, uint32_t hot_pages, uint32_t steps)
{
	uint32_t k, s;
	int node = dist_node(), now, moves = 0, seen = 0;

	npages = pages;
	hot = hot_pages && hot_pages < pages ? hot_pages : pages;
	if ((mem = sbrk(pages * PAGE)) == (void *)-1) {
		dprintf(2, "oracle: sbrk: %s\n", strerror(errno));
		return 1;
	}
	for (k = 0; k < npages; k++)
		write_page(k, 0xC0000000u + k);
	signal(SIGUSR1, on_usr1);
	printf("oracle: %u pages, %u hot, pid %d on node %d\n", npages, hot,
	    getpid(), node);
	for (s = 0; steps == 0 || s < steps; s++) {
		write_page(s % hot, s);
		if (usr1 != seen) {
			seen = usr1;
			printf("oracle: SIGUSR1 %d on node %d\n", seen, dist_node());
		}
		if ((now = dist_node()) != node) {
			node = now;
			if (check_all(s, node) < 0)
				return 1;
			printf("oracle: moved to node %d: %u pages ok after step %u (move %d)\n",
			    node, npages, s, ++moves);
		}
	}
	if (check_all(s - 1, node) < 0)
		return 1;
	printf("oracle: done: %u steps, %d moves, all checks passed\n", s, moves);
	return 0;
}

static int
parent(int node)
{
	struct mig_record r;
	pid_t kid, got;
	int status;

	if ((kid = fork()) == 0) {
		msleep(500);		/* exits after the parent has left */
		exit(7);
	}
	if (migrate(0, node, MIG_STOP, &r) < 0) {
		printf("parent: stays: %s\n", strerror(errno));
		return 1;
	}
	got = waitpid(-1, &status, 0);
	if (got < 0) {
		printf("parent: waitpid on node %d: %s\n", dist_node(), strerror(errno));
		return 1;
	}
	printf("parent: child %d exited %d, reaped on node %d\n", got,
	    WEXITSTATUS(status), dist_node());
	got = waitpid(-1, &status, 0);
	printf("parent: then %s\n", got < 0 && errno == ECHILD ? "no more children" :
	    "another child?");
	return got < 0 && errno == ECHILD && kid > 0 ? 0 : 1;
}

static volatile int filling = 1;

static void
on_term(int sig)
{
	filling = 0;
}

static int
fill(int n)
{
	static pid_t kids[64];
	int i, made = 0;

	signal(SIGTERM, on_term);
	for (i = 0; i < n && i < 64; i++) {
		if ((kids[i] = fork()) == 0) {
			for (;;)
				pause();
		}
		if (kids[i] < 0)
			break;
		made++;
	}
	printf("fill: %d children, pid %d\n", made, getpid());
	while (filling)
		pause();
	for (i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	printf("fill: done\n");
	return 0;
}

static int
counter(int n, int ms, int first)
{
	int i;

	if (first > 0)
		msleep(first);
	for (i = 1; i <= n; i++) {
		printf("count %d pid %d node %d\n", i, getpid(), dist_node());
		if (ms > 0)
			msleep(ms);
	}
	printf("count done pid %d\n", getpid());
	return 0;
}

static int
self(int node, int how)
{
	struct mig_record r;

	printf("self: pid %d node %d\n", getpid(), dist_node());
	if (migrate(0, node, how, &r) < 0) {
		printf("self: stays: %s\n", strerror(errno));
		return 1;
	}
	printf("self: pid %d node %d\n", getpid(), dist_node());
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "count") == 0)
		return counter(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 100,
		    argc > 4 ? atoi(argv[4]) : 0);
	if (argc >= 3 && strcmp(argv[1], "oracle") == 0)
		return oracle((uint32_t)atoi(argv[2]), argc > 3 ? (uint32_t)atoi(argv[3]) : 0,
		    argc > 4 ? (uint32_t)atoi(argv[4]) : 0);
	if (argc >= 3 && strcmp(argv[1], "self") == 0)
		return self(atoi(argv[2]), argc <= 3 ? MIG_PRECOPY :
		    strcmp(argv[3], "stop") == 0 ? MIG_STOP :
		    strcmp(argv[3], "lazy") == 0 ? MIG_LAZY : MIG_PRECOPY);
	if (argc == 3 && strcmp(argv[1], "parent") == 0)
		return parent(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "fill") == 0)
		return fill(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "nopull") == 0)
		return migctl_int(MIGCTL_NOPULL, atoi(argv[2])) < 0;
	if (argc == 3 && strcmp(argv[1], "noflush") == 0)
		return migctl_int(MIGCTL_NOFLUSH, atoi(argv[2])) < 0;
	dprintf(2, "usage: migtest count N [MS [FIRST]] | oracle PAGES [HOT [STEPS]] | "
	    "self NODE [stop|precopy|lazy] | parent NODE | fill N | nopull 1|0 | noflush 1|0\n");
	return 2;
}
