/*
 * Host unit tests for distributed deadlock handling's decisions
 * (user/bin/dlock/deadlock.c), over simulated nodes holding resources
 * r % nodes: adversarial lock orders on 3-5 nodes never deadlock under
 * global ordering, wait-die, wound-wait or the banker, while plain waiting
 * does (the check can fail); the textbook's P1, P2, P3 (5, 10, 15);
 * detection finds every injected cycle, aborts its youngest, never
 * reports an acyclic graph, and tells a phantom deadlock from a real one;
 * Chandy-Misra-Haas probes find a cycle from any member and nothing else.
 */
// uses: user/bin/dlock/deadlock.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "user/bin/dlock/deadlock.h"

#define NTXN	6
#define NRES	8
#define STEPS	4000

enum policy { NONE, ORDERED, WAIT_DIE, WOUND_WAIT };

struct txn {
	int	 want[NRES], nwant;	/* resources, in the order asked */
	int	 next;			/* how many it holds */
	uint32_t ts;			/* kept across restarts */
	int	 done, restarts;
};

struct sim {
	struct txn t[NTXN];
	int	 holder[NRES];		/* -1 free */
	int	 nodes;
	unsigned restarts, refused;
};

static void
release_all(struct sim *s, int i)
{
	int r;

	for (r = 0; r < NRES; r++)
		if (s->holder[r] == i)
			s->holder[r] = -1;
	s->t[i].next = 0;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Transaction i asks for its next resource; 1 if it moved on. */
static int
step(struct sim *s, int i, enum policy p)
{
	struct txn *t = &s->t[i];
	int r = t->want[t->next], h = s->holder[r];
	uint32_t held = 0;
	int k;
	enum dl_verdict v;

	for (k = 0; k < t->next; k++)
		held |= 1u << t->want[k];
	if (p == ORDERED && dl_ordered(held, r) == DL_REFUSE) {
		/* EDEADLK: give back everything and ask again in order. */
		s->refused++;
		release_all(s, i);
		qsort(t->want, t->nwant, sizeof(int), cmp_int);
		return 1;
	}
	if (h < 0) {
		s->holder[r] = i;
		if (++t->next == t->nwant) {
			release_all(s, i);
			t->done = 1;
		}
		return 1;
	}
	v = p == WAIT_DIE ? dl_wait_die(t->ts, s->t[h].ts) :
	    p == WOUND_WAIT ? dl_wound_wait(t->ts, s->t[h].ts) : DL_WAIT;
	if (v == DL_DIE) {
		release_all(s, i);		/* restarts, same stamp */
		t->restarts++;
		s->restarts++;
		return 1;
	}
	if (v == DL_WOUND) {
		release_all(s, h);
		s->t[h].restarts++;
		s->restarts++;
		return 1;
	}
	return 0;
}

/* One random run: 1 if everyone finished, 0 if it deadlocked. */
static int
run(enum policy p, unsigned seed, struct sim *s)
{
	int i, k, n, moved, alive;

	srand(seed);
	memset(s, 0, sizeof(*s));
	s->nodes = 3 + rand() % 3;
	for (k = 0; k < NRES; k++)
		s->holder[k] = -1;
	for (i = 0; i < NTXN; i++) {
		struct txn *t = &s->t[i];
		uint32_t used = 0;

		t->ts = 5 * (uint32_t)(i + 1);
		t->nwant = 2 + rand() % 3;
		for (k = 0; k < t->nwant; k++) {
			do
				n = rand() % NRES;
			while (used & 1u << n);
			used |= 1u << n;
			t->want[k] = n;		/* adversarial: any order */
		}
	}
	for (k = 0; k < STEPS; k++) {
		alive = moved = 0;
		for (i = 0; i < NTXN; i++)
			if (!s->t[i].done)
				alive++;
		if (!alive)
			return 1;
		/* Deadlock: no live transaction can move. */
		for (i = 0; i < NTXN && !moved; i++) {
			struct sim copy = *s;

			if (!s->t[i].done && step(&copy, i, p))
				moved = 1;
		}
		if (!moved)
			return 0;
		do
			i = rand() % NTXN;
		while (s->t[i].done);
		step(s, i, p);
	}
	return 0;		/* livelock: counted as a failure too */
}

static void
test_prevention_never_deadlocks(void)
{
	static const char *names[] = { "none", "ordered", "wait-die", "wound-wait" };
	struct sim s;
	int p, seed, stuck, max_restarts;
	unsigned restarts;

	for (p = NONE; p <= WOUND_WAIT; p++) {
		stuck = 0;
		restarts = 0;
		max_restarts = 0;
		for (seed = 1; seed <= 2000; seed++) {
			if (!run(p, (unsigned)seed, &s))
				stuck++;
			restarts += s.restarts + s.refused;
			for (int i = 0; i < NTXN; i++)
				if (s.t[i].restarts > max_restarts)
					max_restarts = s.t[i].restarts;
		}
		printf("test_deadlock: %-10s 2000 runs on 3-5 nodes: %d deadlocked, "
		    "%u aborts and restarts (most for one transaction: %d)\n",
		    names[p], stuck, restarts, max_restarts);
		if (p == NONE)
			CHECK(stuck > 0);	/* the orders are adversarial indeed */
		else
			CHECK_EQ_INT(stuck, 0);
	}
}

static void
test_textbook_timestamps(void)
{
	/* P1, P2, P3 stamped 5, 10, 15; P2 holds the resource. */
	CHECK_EQ_INT(dl_wait_die(5, 10), DL_WAIT);	/* P1 waits for P2 */
	CHECK_EQ_INT(dl_wait_die(15, 10), DL_DIE);	/* P3 rolls back */
	CHECK_EQ_INT(dl_wound_wait(5, 10), DL_WOUND);	/* P2 rolls back */
	CHECK_EQ_INT(dl_wound_wait(15, 10), DL_WAIT);	/* P3 waits */
	CHECK_EQ_INT(dl_ordered(1u << 2 | 1u << 5, 6), DL_GRANT);
	CHECK_EQ_INT(dl_ordered(1u << 2 | 1u << 5, 5), DL_REFUSE);
	CHECK_EQ_INT(dl_ordered(1u << 2 | 1u << 5, 3), DL_REFUSE);
}

/* Would some unit still needed by someone be granted (by the banker, if
 * careful; else if it is free)? */
static int
any_grantable(const struct banker *b, int left[DL_MAX][DL_MAX], int careful)
{
	int req[DL_MAX], t, r;

	for (t = 0; t < b->ntxn; t++)
		for (r = 0; r < b->nres; r++) {
			struct banker copy = *b;

			if (!left[t][r])
				continue;
			if (!careful && b->avail[r] > 0)
				return 1;
			memset(req, 0, sizeof(req));
			req[r] = 1;
			if (careful && banker_request(&copy, t, req) == 0)
				return 1;
		}
	return 0;
}

static int banker_runs(int careful, int *unsafe);

static void
test_banker(void)
{
	struct banker b;
	int req[DL_MAX], t, r, unsafe;

	/* The textbook's state: 3 kinds, 5 transactions, safe as given. */
	memset(&b, 0, sizeof(b));
	b.ntxn = 5;
	b.nres = 3;
	{
		int max[5][3] = { {7,5,3}, {3,2,2}, {9,0,2}, {2,2,2}, {4,3,3} };
		int alloc[5][3] = { {0,1,0}, {2,0,0}, {3,0,2}, {2,1,1}, {0,0,2} };
		int avail[3] = { 3, 3, 2 };

		memcpy(b.avail, avail, sizeof(avail));
		for (t = 0; t < 5; t++)
			for (r = 0; r < 3; r++) {
				b.max[t][r] = max[t][r];
				b.alloc[t][r] = alloc[t][r];
			}
	}
	CHECK_EQ_INT(banker_safe(&b), 1);
	memset(req, 0, sizeof(req));
	req[0] = 1; req[2] = 2;
	CHECK_EQ_INT(banker_request(&b, 1, req), 0);		/* P1 (1,0,2): granted */
	req[0] = 3; req[1] = 3; req[2] = 0;
	CHECK_EQ_INT(banker_request(&b, 4, req), DL_WAIT);	/* P4 (3,3,0): not there */
	req[0] = 0; req[1] = 2; req[2] = 0;
	CHECK_EQ_INT(banker_request(&b, 0, req), DL_WAIT);	/* P0 (0,2,0): unsafe */
	req[0] = 8;
	CHECK_EQ_INT(banker_request(&b, 0, req), -1);		/* beyond its claim */

	/* Random claims on 3-5 nodes, one kind of unit per node: requests
	 * one unit at a time in any order; never unsafe, never stuck.  The
	 * same runs granting whatever is free get stuck (the check can fail). */
	CHECK(banker_runs(0, &unsafe) > 0);
	CHECK_EQ_INT(banker_runs(1, &unsafe), 0);
	CHECK_EQ_INT(unsafe, 0);
}

/* 2000 random runs; returns how many got stuck.  careful: ask the banker;
 * else grant whatever is free. */
static int
banker_runs(int careful, int *unsafe)
{
	struct banker b;
	int req[DL_MAX], seed, t, r, grants, stuck = 0;

	*unsafe = 0;
	for (seed = 1; seed <= 2000; seed++) {
		int left[DL_MAX][DL_MAX], busy;

		srand((unsigned)seed);
		memset(&b, 0, sizeof(b));
		b.nres = 3 + rand() % 3;
		b.ntxn = 4 + rand() % 3;
		for (r = 0; r < b.nres; r++)
			b.avail[r] = 2 + rand() % 3;
		for (t = 0; t < b.ntxn; t++)
			for (r = 0; r < b.nres; r++)
				left[t][r] = b.max[t][r] = rand() % (b.avail[r] + 1);
		for (grants = 0, busy = 1; busy && grants < 10000; grants++) {
			int moved = 0;

			busy = 0;
			for (t = 0; t < b.ntxn; t++) {
				int k = rand() % b.nres, any = 0;

				for (r = 0; r < b.nres; r++)
					any |= left[t][r];
				if (!any) {
					banker_release(&b, t);
					continue;
				}
				busy = 1;
				while (!left[t][k])
					k = (k + 1) % b.nres;
				memset(req, 0, sizeof(req));
				req[k] = 1;
				if (careful ? banker_request(&b, t, req) == 0 : b.avail[k] > 0) {
					if (!careful) {
						b.avail[k]--;
						b.alloc[t][k]++;
					}
					left[t][k]--;
					moved = 1;
				}
				if (careful && !banker_safe(&b))
					(*unsafe)++;
			}
			if (busy && !moved && !any_grantable(&b, left, careful)) {
				stuck++;
				break;
			}
		}
	}
	printf("test_deadlock: %s 2000 runs: %d stuck\n",
	    careful ? "banker's algorithm" : "granting what is free,", stuck);
	return stuck;
}

/* A random acyclic graph: edges only from earlier to later in perm. */
static void
random_dag(struct wfg *g, int n, int perm[])
{
	int i, j, k;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = rand() % (i + 1);
		k = perm[i]; perm[i] = perm[j]; perm[j] = k;
	}
	for (i = 0; i < n; i++) {
		g->ts[i] = 1 + (uint32_t)(rand() % 100);
		for (j = i + 1; j < n; j++)
			if (rand() % 4 == 0)
				g->waits[perm[i]] |= 1u << perm[j];
	}
}

/* Every member of `members` waits for another member: a real cycle. */
static int
closed(const struct wfg *g, uint32_t members)
{
	int i;

	for (i = 0; i < DL_MAX; i++)
		if ((members & 1u << i) && !(g->waits[i] & members))
			return 0;
	return members != 0;
}

/* Run Chandy-Misra-Haas from initiator: 1 if it declares deadlock. */
static int
cmh_run(const struct wfg *g, int initiator, int *probes)
{
	struct cmh_probe queue[DL_MAX * DL_MAX + DL_MAX], out[DL_MAX];
	uint32_t sent[DL_MAX] = { 0 };
	int head = 0, tail, nout, i, found = 0;

	tail = cmh_start(g, initiator, sent, queue);
	*probes = tail;
	while (head < tail) {
		if (cmh_receive(g, &queue[head++], sent, out, &nout))
			found = 1;
		for (i = 0; i < nout; i++)
			queue[tail++] = out[i];
		*probes += nout;
	}
	return found;
}

static void
test_detection(void)
{
	struct wfg g;
	int perm[DL_MAX], run_, n, len, i, victim, probes, edges;
	uint32_t members, cycle;
	int false_alarms = 0, missed = 0, cmh_missed = 0, cmh_false = 0, aborts = 0;

	for (run_ = 0; run_ < 3000; run_++) {
		srand((unsigned)run_ + 77);
		n = 3 + rand() % 10;
		random_dag(&g, n, perm);
		if (wfg_cycle(&g, &members))
			false_alarms++;
		for (i = 0; i < n; i++)
			if (cmh_run(&g, i, &probes))
				cmh_false++;
		/* Inject a cycle through len transactions. */
		len = 2 + rand() % (n - 1);
		cycle = 0;
		for (i = 0; i < len; i++) {
			g.waits[perm[i]] |= 1u << perm[(i + 1) % len];
			cycle |= 1u << perm[i];
		}
		edges = 0;
		for (i = 0; i < n; i++)
			edges += __builtin_popcount(g.waits[i]);
		if (!wfg_cycle(&g, &members) || !closed(&g, members))
			missed++;
		if (!cmh_run(&g, perm[0], &probes))
			cmh_missed++;
		CHECK(probes <= edges);			/* within a bound */
		/* Abort the youngest of each cycle found until none is left. */
		while (wfg_cycle(&g, &members)) {
			victim = wfg_victim(&g, members);
			for (i = 0; i < DL_MAX; i++)
				if ((members & 1u << i) && g.ts[i] > g.ts[victim])
					CHECK(0);
			g.waits[victim] = 0;
			for (i = 0; i < DL_MAX; i++)
				g.waits[i] &= ~(1u << victim);
			aborts++;
		}
		for (i = 0; i < n; i++)
			if (cmh_run(&g, i, &probes))
				cmh_false++;
	}
	printf("test_deadlock: detection over 3000 graphs: %d cycles missed, %d false "
	    "alarms, %d aborts; edge chasing: %d missed, %d false\n", missed,
	    false_alarms, aborts, cmh_missed, cmh_false);
	CHECK_EQ_INT(missed, 0);
	CHECK_EQ_INT(false_alarms, 0);
	CHECK_EQ_INT(cmh_missed, 0);
	CHECK_EQ_INT(cmh_false, 0);
}

static void
test_phantom_deadlock(void)
{
	struct wfg site_old[2], site_now[2], global;
	uint32_t members;

	/* T1 waits at node A for T2; T2 then lets go there, and asks at
	 * node B for what T1 holds.  Node A's report is the old one. */
	memset(site_old, 0, sizeof(site_old));
	memset(site_now, 0, sizeof(site_now));
	memset(&global, 0, sizeof(global));
	site_old[0].waits[1] = 1u << 2;		/* A, earlier: T1 -> T2 */
	site_old[1].waits[2] = 1u << 1;		/* B, now: T2 -> T1 */
	site_now[1].waits[2] = 1u << 1;		/* A now has no edge */
	wfg_union(&global, site_old, 2);
	CHECK_EQ_INT(wfg_cycle(&global, &members), 1);	/* the phantom */
	CHECK_EQ_INT(members, 1u << 1 | 1u << 2);
	CHECK_EQ_INT(wfg_confirm(members, &global, site_now, 2), 0);
	/* Had T1 still waited at A, the deadlock would be real. */
	site_now[0].waits[1] = 1u << 2;
	CHECK_EQ_INT(wfg_confirm(members, &global, site_now, 2), 1);
}

int
main(void)
{
	test_textbook_timestamps();
	test_prevention_never_deadlocks();
	test_banker();
	test_detection();
	test_phantom_deadlock();
	return unit_summary("test_deadlock");
}
