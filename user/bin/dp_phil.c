/*
 * dp_phil: the dining philosophers with a TABLE process (Brinch Hansen,
 * 1978): JOIN(i) waits until neither neighbour eats, LEAVE(i) ends the
 * meal.  No forks to pick up one at a time, so no deadlock; but a
 * philosopher whose neighbours take turns can starve.  `dp_phil fair`
 * adds to the guard: nor has a neighbour been hungry longer.  Both check
 * that no two neighbours ever eat together and that every meal is
 * eaten; `fair` also checks the bound: while a philosopher is hungry,
 * its neighbours begin at most 2 meals (one each).
 * `dp_phil [fair] [MEALS]`.  See docs/distributed-processes.md;
 * tests/integration/test_dp.py runs it.
 *
 * Across nodes (tests/integration/test_dist.py), the same processes run
 * apart, the philosophers naming the TABLE as NAME@NODE:
 *	dp_phil table [fair]				on node 0
 *	dp_phil phil FIRST-LAST [MEALS] [TABLE@0]	on nodes 1 and 2
 *	dp_phil done [fair] [MEALS] [TABLE@0]		anywhere, at the end
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dp.h>

#define N		5	/* philosophers */
#define FAIR_BOUND	2	/* neighbour meals while hungry, fair TABLE */
#define TIMEOUT_MS	60000
#define GREEDY_MEAL_MS	40

#define LEFT(i)		(((i) + N - 1) % N)
#define RIGHT(i)	(((i) + 1) % N)

/* ---- process TABLE ---------------------------------------------------------- */

enum { JOIN, LEAVE, DONE };

struct report {
	struct dp_stats	 stats;
	uint32_t	 meals[N];
	uint32_t	 violations;	/* neighbours at table together */
	uint32_t	 most_overtaken;	/* neighbour meals begun while
						   one philosopher was hungry */
};

static struct table {
	int		 fair;
	int		 eating[N];
	uint32_t	 hungry_since[N];	/* 0: not hungry */
	uint32_t	 clock;			/* orders the hungry */
	uint32_t	 overtaken[N];
	struct report	 report;
} table;

static struct dp_process table_process;

/* The statements before the WHEN: i is hungry from now on. */
static void
arrive(void *state, struct dp_call *c)
{
	struct table *t = state;
	int i = DP_ARG(c, int);

	t->hungry_since[i] = ++t->clock;
	t->overtaken[i] = 0;
}

/* Has philosopher j been hungry longer than i? */
static int
hungrier(const struct table *t, int j, int i)
{
	return t->hungry_since[j] && t->hungry_since[j] < t->hungry_since[i];
}

/* when not eating[left] and not eating[right]
 *   (fair: and neither of them has been hungry longer) */
static int
may_eat(void *state, const struct dp_call *c)
{
	const struct table *t = state;
	int i = DP_ARG(c, int);

	if (t->eating[LEFT(i)] || t->eating[RIGHT(i)])
		return 0;
	return !t->fair || (!hungrier(t, LEFT(i), i) && !hungrier(t, RIGHT(i), i));
}

static int
join(void *state, struct dp_call *c, void *result)
{
	struct table *t = state;
	int i = DP_ARG(c, int);

	if (t->eating[LEFT(i)] || t->eating[RIGHT(i)])
		t->report.violations++;
	t->eating[i] = 1;
	t->hungry_since[i] = 0;
	t->report.meals[i]++;
	if (t->overtaken[i] > t->report.most_overtaken)
		t->report.most_overtaken = t->overtaken[i];
	/* A hungry neighbour has one more meal to wait through. */
	if (t->hungry_since[LEFT(i)])
		t->overtaken[LEFT(i)]++;
	if (t->hungry_since[RIGHT(i)])
		t->overtaken[RIGHT(i)]++;
	return 0;
}

static int
leave(void *state, struct dp_call *c, void *result)
{
	((struct table *)state)->eating[DP_ARG(c, int)] = 0;
	return 0;
}

static int
done(void *state, struct dp_call *c, void *result)
{
	struct table *t = state;

	t->report.stats = table_process.stats;
	memcpy(result, &t->report, sizeof(t->report));
	dp_stop(&table_process);
	return sizeof(t->report);
}

static const struct dp_proc table_procs[] = {
	[JOIN]	= { "JOIN", sizeof(int), arrive, may_eat, join },
	[LEAVE]	= { "LEAVE", sizeof(int), NULL, NULL, leave },
	[DONE]	= { "DONE", 0, NULL, NULL, done },
};

static struct dp_process table_process = {
	.name = "TABLE", .procs = table_procs, .nprocs = 3, .state = &table,
};

static int
run_table(void *unused)
{
	return dp_serve(&table_process);
}

/* ---- the philosophers --------------------------------------------------------- */

static int meals = 10;
static const char *table_name = "TABLE";	/* or TABLE@NODE */
static volatile int *at_table;		/* shared: who eats, as they see it */
static volatile int *clashes;

/* The seats and the clash counter, in memory the philosophers share. */
static int
share_seats(void)
{
	int seg;

	if ((seg = shm_create((N + 1) * sizeof(int))) < 0 ||
	    (at_table = shm_attach(seg)) == (void *)-1) {
		printf("dp_phil: FAILED: shared memory: %s\n", strerror(errno));
		return -1;
	}
	clashes = at_table + N;
	return 0;
}

/* A little randomness, different in each philosopher. */
static unsigned
next_random(unsigned *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return (*seed >> 16) & 0x7fff;
}

static int
philosopher(void *arg)
{
	int i = (int)(intptr_t)arg, tab = dp_open(table_name);
	unsigned seed = 7 + 31 * i;

	/* 0 and 2 are greedy: they think little and eat long, half a
	 * meal apart, so that philosopher 1 between them gets a turn only
	 * if the TABLE is fair. */
	int greedy = i == 0 || i == 2;

	if (i == 2)
		msleep(GREEDY_MEAL_MS / 2);
	for (int m = 0; m < meals; m++) {
		msleep(greedy ? 0 : 10 + next_random(&seed) % 10);	/* think */
		if (dp_call(tab, JOIN, &i, sizeof(i), NULL, 0) < 0)
			return -1;
		at_table[i] = 1;
		if (at_table[LEFT(i)] || at_table[RIGHT(i)])
			__atomic_add_fetch(clashes, 1, __ATOMIC_SEQ_CST);
		msleep(greedy ? GREEDY_MEAL_MS : 10);		/* eat */
		at_table[i] = 0;
		if (dp_call(tab, LEAVE, &i, sizeof(i), NULL, 0) < 0)
			return -1;
	}
	return 0;
}

/* Judge TABLE's report: 0 if all is well. */
static int
verdict(const struct report *report)
{
	const char *wrong = NULL;

	printf("dp_phil%s: %d philosophers x %d meals; %u calls, %u waited "
	    "at a WHEN\n", table.fair ? " fair" : "", N, meals,
	    (unsigned)report->stats.calls, (unsigned)report->stats.deferred);
	printf("dp_phil: meals");
	for (int i = 0; i < N; i++)
		printf(" %u", (unsigned)report->meals[i]);
	printf("; a hungry philosopher saw at most %u neighbour meals",
	    (unsigned)report->most_overtaken);
	if (table.fair)
		printf(" (bound %d)", FAIR_BOUND);
	printf("\n");
	for (int i = 0; i < N && !wrong; i++)
		if (report->meals[i] != (uint32_t)meals)
			wrong = "a philosopher missed a meal";
	if (report->violations || (clashes && *clashes))
		wrong = "two neighbours ate at once";
	else if (table.fair && report->most_overtaken > FAIR_BOUND)
		wrong = "a philosopher waited past the bound";
	if (wrong) {
		printf("dp_phil: FAILED: %s\n", wrong);
		return 1;
	}
	printf("dp_phil: no two neighbours ate at once, no deadlock%s: ok\n",
	    table.fair ? ", nobody starved" : "");
	return 0;
}

static int
usage(void)
{
	dprintf(2, "usage: dp_phil [fair] [MEALS]\n"
	    "       dp_phil table [fair]\n"
	    "       dp_phil phil FIRST-LAST [MEALS] [TABLE@NODE]\n"
	    "       dp_phil done [fair] [MEALS] [TABLE@NODE]\n");
	return 2;
}

/* Philosophers first..last only, against a TABLE that may be elsewhere. */
static int
some_philosophers(int first, int last)
{
	int pids[N], npids = 0;

	if (first < 0 || last >= N || first > last)
		return usage();
	if (share_seats() < 0)
		return 1;
	for (int i = first; i <= last; i++)
		pids[npids++] = dp_spawn(philosopher, (void *)(intptr_t)i);
	if (dp_join(pids, npids, TIMEOUT_MS) != 0) {
		printf("dp_phil: FAILED: a philosopher failed or hung\n");
		return 1;
	}
	printf("dp_phil: philosophers %d-%d ate %d meals each at %s\n", first, last,
	    meals, table_name);
	return 0;
}

/* The three parts of a distributed run. */
static int
distributed(int argc, char *argv[])
{
	struct report report;
	const char *mode = argv[1];
	int a = 2, first = 0, last = -1;
	char *dash;

	if (strcmp(mode, "phil") == 0) {
		if (argc <= a || !(dash = strchr(argv[a], '-')))
			return usage();
		first = atoi(argv[a]);
		last = atoi(dash + 1);
		a++;
	} else if (argc > a && strcmp(argv[a], "fair") == 0) {
		table.fair = 1;
		a++;
	}
	if (argc > a && strcmp(mode, "table") != 0 && argv[a][0] >= '0' && argv[a][0] <= '9')
		meals = atoi(argv[a++]);
	if (argc > a && strcmp(mode, "table") != 0)
		table_name = argv[a++];
	if (argc > a || meals < 1)
		return usage();
	if (strcmp(mode, "table") == 0) {
		printf("dp_phil: TABLE serving\n");
		return run_table(NULL) == 0 ? 0 : 1;
	}
	if (strcmp(mode, "phil") == 0)
		return some_philosophers(first, last);
	if (dp_call(dp_open(table_name), DONE, NULL, 0, &report, sizeof(report)) !=
	    sizeof(report)) {
		printf("dp_phil: FAILED: DONE at %s: %s\n", table_name, strerror(errno));
		return 1;
	}
	return verdict(&report);
}

int
main(int argc, char *argv[])
{
	int pids[N + 1], npids = 0, a = 1;
	struct report report;

	if (argc > 1 && (strcmp(argv[1], "table") == 0 || strcmp(argv[1], "phil") == 0 ||
	    strcmp(argv[1], "done") == 0))
		return distributed(argc, argv);
	if (argc > a && strcmp(argv[a], "fair") == 0) {
		table.fair = 1;
		a++;
	}
	if (argc > a)
		meals = atoi(argv[a++]);
	if (argc > a || meals < 1)
		return usage();
	if (share_seats() < 0)
		return 1;

	pids[npids++] = dp_spawn(run_table, NULL);
	for (int i = 0; i < N; i++)
		pids[npids++] = dp_spawn(philosopher, (void *)(intptr_t)i);
	/* A deadlock would show as philosophers that never finish. */
	if (dp_join(pids + 1, N, TIMEOUT_MS) != 0 ||
	    dp_call(dp_open("TABLE"), DONE, NULL, 0, &report,
	    sizeof(report)) != sizeof(report) ||
	    dp_join(pids, 1, TIMEOUT_MS) != 0) {
		printf("dp_phil: FAILED: a philosopher or TABLE failed or "
		    "hung\n");
		dp_join(pids, npids, 0);
		return 1;
	}

	return verdict(&report);
}
