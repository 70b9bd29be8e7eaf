/*
 * dp_rw: readers and writers with a RESOURCE process (Brinch Hansen,
 * 1978): START_READ, END_READ, START_WRITE, END_WRITE.  Many readers or
 * one writer at a time.  Plain `dp_rw` lets readers in whenever nobody
 * writes, so a stream of readers can starve a writer; `dp_rw fair` stops
 * new readers while a writer waits, and lets the readers that waited for
 * a write in before the next writer.  Both check, in RESOURCE and in the
 * clients, that a writer is never in with anyone else; `fair` also
 * checks the bounds on overtaking.  `dp_rw [fair] [READERS [WRITERS]]`.
 * See docs/distributed-processes.md; tests/integration/test_dp.py runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dp.h>

#define MAX_PROCESSES	8
#define READS		12	/* per reader */
#define WRITES		4	/* per writer */
#define READ_MS		30	/* long enough for readers to overlap */
#define WRITE_MS	10
#define TIMEOUT_MS	30000

/* ---- process RESOURCE ------------------------------------------------------- */

enum { START_READ, END_READ, START_WRITE, END_WRITE, DONE };

struct report {
	struct dp_stats	 stats;
	uint32_t	 reads, writes;		/* granted */
	uint32_t	 violations;	/* a writer in with someone else */
	uint32_t	 most_readers;	/* reading at once */
	uint32_t	 reads_past_writer;	/* most reads begun while one
						   writer waited */
	uint32_t	 writes_past_reader;	/* most writes begun while one
						   reader waited */
};

static struct resource {
	int		 fair;
	int		 readers;	/* reading now */
	int		 writing;	/* a writer is in */
	int		 readers_waiting, writers_waiting;
	int		 batch;		/* fair: readers let in past writers */
	struct report	 report;
} resource;

static struct dp_process resource_process;

/* A call's local[0]: how many of the other kind had been granted when
 * it arrived, to count how many overtook it. */
static void
arrive_reader(void *state, struct dp_call *c)
{
	struct resource *r = state;

	r->readers_waiting++;
	c->local[0] = r->report.writes;
}

static void
arrive_writer(void *state, struct dp_call *c)
{
	struct resource *r = state;

	r->writers_waiting++;
	c->local[0] = r->report.reads;
}

/* when not writing (and, if fair, no writer waits unless this reader
 * waited for the last write) */
static int
may_read(void *state, const struct dp_call *c)
{
	struct resource *r = state;

	if (r->writing)
		return 0;
	return !r->fair || r->writers_waiting == 0 || r->batch > 0;
}

/* when nobody is in (and, if fair, the readers owed a turn have had it) */
static int
may_write(void *state, const struct dp_call *c)
{
	struct resource *r = state;

	return !r->writing && r->readers == 0 && (!r->fair || r->batch == 0);
}

static void
most(uint32_t *record, uint32_t value)
{
	if (value > *record)
		*record = value;
}

static int
start_read(void *state, struct dp_call *c, void *result)
{
	struct resource *r = state;

	if (r->writing)
		r->report.violations++;
	r->readers_waiting--;
	if (r->batch > 0)
		r->batch--;
	most(&r->report.most_readers, ++r->readers);
	most(&r->report.writes_past_reader, r->report.writes - c->local[0]);
	r->report.reads++;
	return 0;
}

static int
end_read(void *state, struct dp_call *c, void *result)
{
	((struct resource *)state)->readers--;
	return 0;
}

static int
start_write(void *state, struct dp_call *c, void *result)
{
	struct resource *r = state;

	if (r->writing || r->readers)
		r->report.violations++;
	r->writers_waiting--;
	r->writing = 1;
	most(&r->report.reads_past_writer, r->report.reads - c->local[0]);
	r->report.writes++;
	return 0;
}

static int
end_write(void *state, struct dp_call *c, void *result)
{
	struct resource *r = state;

	r->writing = 0;
	/* The readers that waited for this write go before the next one. */
	if (r->fair)
		r->batch = r->readers_waiting;
	return 0;
}

static int
done(void *state, struct dp_call *c, void *result)
{
	struct resource *r = state;

	r->report.stats = resource_process.stats;
	memcpy(result, &r->report, sizeof(r->report));
	dp_stop(&resource_process);
	return sizeof(r->report);
}

static const struct dp_proc resource_procs[] = {
	[START_READ]	= { "START_READ", 0, arrive_reader, may_read, start_read },
	[END_READ]	= { "END_READ", 0, NULL, NULL, end_read },
	[START_WRITE]	= { "START_WRITE", 0, arrive_writer, may_write, start_write },
	[END_WRITE]	= { "END_WRITE", 0, NULL, NULL, end_write },
	[DONE]		= { "DONE", 0, NULL, NULL, done },
};

static struct dp_process resource_process = {
	.name = "RESOURCE", .procs = resource_procs, .nprocs = 5,
	.state = &resource,
};

static int
run_resource(void *unused)
{
	return dp_serve(&resource_process);
}

/* ---- readers and writers ------------------------------------------------------ */

/* What the clients see, in shared memory: who is in, and any clash. */
static struct inside {
	int	 readers, writers;
	int	 clashes;
} *inside;

static int
use(int resource_handle, int proc)
{
	return dp_call(resource_handle, proc, NULL, 0, NULL, 0);
}

static int readers = 3, writers = 1;

static int
reader(void *arg)
{
	int res = dp_open("RESOURCE");

	/* Staggered, so that there is nearly always a reader in: the
	 * stream of readers that can starve a writer. */
	msleep(READ_MS * (int)(intptr_t)arg / readers);
	for (int i = 0; i < READS; i++) {
		if (use(res, START_READ) < 0)
			return -1;
		__atomic_add_fetch(&inside->readers, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&inside->writers, __ATOMIC_SEQ_CST))
			__atomic_add_fetch(&inside->clashes, 1, __ATOMIC_SEQ_CST);
		msleep(READ_MS);
		__atomic_sub_fetch(&inside->readers, 1, __ATOMIC_SEQ_CST);
		if (use(res, END_READ) < 0)
			return -1;
	}
	return 0;
}

static int
writer(void *arg)
{
	int res = dp_open("RESOURCE");

	/* Arrive while the readers are well under way. */
	msleep(READ_MS + 10 * (int)(intptr_t)arg);
	for (int i = 0; i < WRITES; i++) {
		if (use(res, START_WRITE) < 0)
			return -1;
		if (__atomic_add_fetch(&inside->writers, 1, __ATOMIC_SEQ_CST) != 1 ||
		    __atomic_load_n(&inside->readers, __ATOMIC_SEQ_CST))
			__atomic_add_fetch(&inside->clashes, 1, __ATOMIC_SEQ_CST);
		msleep(WRITE_MS);
		__atomic_sub_fetch(&inside->writers, 1, __ATOMIC_SEQ_CST);
		if (use(res, END_WRITE) < 0)
			return -1;
		msleep(READ_MS);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int pids[2 * MAX_PROCESSES + 1], npids = 0;
	struct report report;
	const char *wrong = NULL;
	int a = 1, seg;

	if (argc > a && strcmp(argv[a], "fair") == 0) {
		resource.fair = 1;
		a++;
	}
	if (argc > a)
		readers = atoi(argv[a++]);
	if (argc > a)
		writers = atoi(argv[a++]);
	if (argc > a || readers < 1 || readers > MAX_PROCESSES ||
	    writers < 1 || writers > MAX_PROCESSES) {
		dprintf(2, "usage: dp_rw [fair] [READERS [WRITERS]] (1..%d)\n",
		    MAX_PROCESSES);
		return 2;
	}
	if ((seg = shm_create(sizeof(*inside))) < 0 ||
	    (inside = shm_attach(seg)) == (void *)-1) {
		printf("dp_rw: FAILED: shared memory: %s\n", strerror(errno));
		return 1;
	}

	pids[npids++] = dp_spawn(run_resource, NULL);
	for (int i = 0; i < readers; i++)
		pids[npids++] = dp_spawn(reader, (void *)(intptr_t)i);
	for (int i = 0; i < writers; i++)
		pids[npids++] = dp_spawn(writer, (void *)(intptr_t)i);
	if (dp_join(pids + 1, npids - 1, TIMEOUT_MS) != 0 ||
	    dp_call(dp_open("RESOURCE"), DONE, NULL, 0, &report,
	    sizeof(report)) != sizeof(report) ||
	    dp_join(pids, 1, TIMEOUT_MS) != 0) {
		printf("dp_rw: FAILED: a process failed or hung\n");
		dp_join(pids, npids, 0);
		return 1;
	}

	printf("dp_rw%s: %d readers x %d reads, %d writers x %d writes; "
	    "%u calls, %u waited at a WHEN\n", resource.fair ? " fair" : "",
	    readers, READS, writers, WRITES, (unsigned)report.stats.calls,
	    (unsigned)report.stats.deferred);
	printf("dp_rw: up to %u readers at once; a waiting writer saw %u "
	    "reads begin", (unsigned)report.most_readers,
	    (unsigned)report.reads_past_writer);
	if (resource.fair)
		printf(" (bound %d), a waiting reader %u writes (bound 1)\n",
		    readers * writers, (unsigned)report.writes_past_reader);
	else
		printf(", a waiting reader %u writes (no bounds)\n",
		    (unsigned)report.writes_past_reader);
	if (report.violations || inside->clashes)
		wrong = "a writer was in with someone else";
	else if (report.reads != (uint32_t)(readers * READS) ||
	    report.writes != (uint32_t)(writers * WRITES))
		wrong = "not every read and write was granted";
	else if (resource.fair &&
	    report.reads_past_writer > (uint32_t)(readers * writers))
		wrong = "a writer waited for more than a batch of reads per "
		    "writer";
	else if (resource.fair && report.writes_past_reader > 1)
		wrong = "a reader waited for more than one write";
	if (wrong) {
		printf("dp_rw: FAILED: %s\n", wrong);
		return 1;
	}
	printf("dp_rw: never a writer with anyone else%s: ok\n",
	    resource.fair ? "; waits within their bounds" : "");
	return 0;
}
