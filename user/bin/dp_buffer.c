/*
 * dp_buffer: Brinch Hansen's first example of distributed processes, a
 * BUFFER of letters with SEND(c) and RECEIVE -> c, each waiting at a
 * guard (not full, not empty).  Producers SEND known sequences,
 * consumers RECEIVE; the program then checks that every letter came out
 * exactly once and each producer's letters in the order it sent them.
 * `dp_buffer [PRODUCERS [CONSUMERS [LETTERS [CAPACITY]]]]`.
 * See docs/distributed-processes.md; tests/integration/test_dp.py runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dp.h>

#define MAX_CAPACITY	64
#define MAX_PROCESSES	8
#define END		0	/* the letter that tells a consumer to stop */
#define TIMEOUT_MS	30000

/* ---- process BUFFER ------------------------------------------------------- */

enum { SEND, RECEIVE, DONE };

/* What RECEIVE answers: the letter, and its place in the order the
 * buffer gave letters out (for the check). */
struct delivery {
	unsigned char	 letter;
	uint32_t	 number;
};

/* What DONE answers. */
struct report {
	struct dp_stats	 stats;
	uint32_t	 overruns;	/* a body ran with its guard false */
	uint32_t	 most_held;	/* letters in the buffer at once */
};

static struct buffer {
	unsigned char	 slot[MAX_CAPACITY];
	int		 head, count, capacity;
	uint32_t	 given;		/* letters RECEIVEd so far */
	struct report	 report;
} buffer;

static struct dp_process buffer_process;

static int
not_full(void *state, const struct dp_call *c)
{
	struct buffer *b = state;

	return b->count < b->capacity;
}

static int
not_empty(void *state, const struct dp_call *c)
{
	struct buffer *b = state;

	return b->count > 0;
}

/* proc send(c: char) when not full: put c end */
static int
buffer_send(void *state, struct dp_call *c, void *result)
{
	struct buffer *b = state;

	if (b->count >= b->capacity) {
		b->report.overruns++;
		return -ENOSPC;
	}
	b->slot[(b->head + b->count) % b->capacity] = DP_ARG(c, unsigned char);
	if ((uint32_t)++b->count > b->report.most_held)
		b->report.most_held = b->count;
	return 0;
}

/* proc receive(#c: char) when not empty: get c end */
static int
buffer_receive(void *state, struct dp_call *c, void *result)
{
	struct buffer *b = state;
	struct delivery d;

	if (b->count == 0) {
		b->report.overruns++;
		return -ENOENT;
	}
	d.letter = b->slot[b->head];
	d.number = b->given++;
	b->head = (b->head + 1) % b->capacity;
	b->count--;
	memcpy(result, &d, sizeof(d));
	return sizeof(d);
}

static int
buffer_done(void *state, struct dp_call *c, void *result)
{
	struct buffer *b = state;

	b->report.stats = buffer_process.stats;
	memcpy(result, &b->report, sizeof(b->report));
	dp_stop(&buffer_process);
	return sizeof(b->report);
}

static const struct dp_proc buffer_procs[] = {
	[SEND]		= { "SEND", 1, NULL, not_full, buffer_send },
	[RECEIVE]	= { "RECEIVE", 0, NULL, not_empty, buffer_receive },
	[DONE]		= { "DONE", 0, NULL, NULL, buffer_done },
};

static struct dp_process buffer_process = {
	.name = "BUFFER", .procs = buffer_procs, .nprocs = 3, .state = &buffer,
};

static int
run_buffer(void *unused)
{
	return dp_serve(&buffer_process);
}

/* ---- producers and consumers ---------------------------------------------- */

static int producers = 3, consumers = 2, letters = 20;
static unsigned char *received;		/* shared: letter by delivery number */

/* Producer k's j-th letter: 1, 2, ... for the first, then on; never END. */
static unsigned char
letter(int k, int j)
{
	return (unsigned char)(1 + k * letters + j);
}

static int
producer(void *arg)
{
	int k = (int)(intptr_t)arg, buf = dp_open("BUFFER");
	unsigned char c;

	for (int j = 0; j < letters; j++) {
		c = letter(k, j);
		if (dp_call(buf, SEND, &c, 1, NULL, 0) < 0)
			return -1;
	}
	return 0;
}

static int
consumer(void *unused)
{
	int buf = dp_open("BUFFER");
	struct delivery d;

	do {
		if (dp_call(buf, RECEIVE, NULL, 0, &d, sizeof(d)) != sizeof(d))
			return -1;
		received[d.number] = d.letter;
	} while (d.letter != END);
	return 0;
}

/* ---- the check ------------------------------------------------------------- */

/* Every letter once, each producer's in order, the END markers last.
 * Returns NULL, or what is wrong. */
static const char *
check(char *why, size_t size)
{
	int total = producers * letters;
	int last_seen[MAX_PROCESSES], k, j;
	unsigned char seen[256];

	memset(seen, 0, sizeof(seen));
	for (k = 0; k < producers; k++)
		last_seen[k] = -1;
	for (int n = 0; n < total; n++) {
		unsigned char c = received[n];

		if (c == END || c > total || seen[c]++) {
			snprintf(why, size, "letter %d came out %s", c,
			    c == END || c > total ? "unexpectedly" : "twice");
			return why;
		}
		k = (c - 1) / letters;
		j = (c - 1) % letters;
		if (j != last_seen[k] + 1) {
			snprintf(why, size, "producer %d: letter %d after %d",
			    k, j, last_seen[k]);
			return why;
		}
		last_seen[k] = j;
	}
	for (int n = total; n < total + consumers; n++)
		if (received[n] != END)
			return "an END marker is not at the end";
	return NULL;
}

int
main(int argc, char *argv[])
{
	int pids[MAX_PROCESSES * 2 + 1], npids = 0, capacity = 4, buf, seg;
	unsigned char end = END;
	struct report report;
	const char *wrong;
	char why[80];

	if (argc > 1)
		producers = atoi(argv[1]);
	if (argc > 2)
		consumers = atoi(argv[2]);
	if (argc > 3)
		letters = atoi(argv[3]);
	if (argc > 4)
		capacity = atoi(argv[4]);
	if (argc > 5 || producers < 1 || producers > MAX_PROCESSES ||
	    consumers < 1 || consumers > MAX_PROCESSES || letters < 1 ||
	    producers * letters > 250 || capacity < 1 ||
	    capacity > MAX_CAPACITY) {
		dprintf(2, "usage: dp_buffer [PRODUCERS [CONSUMERS [LETTERS "
		    "[CAPACITY]]]]\n  (1..%d processes of each kind, "
		    "PRODUCERS x LETTERS <= 250, CAPACITY 1..%d)\n",
		    MAX_PROCESSES, MAX_CAPACITY);
		return 2;
	}
	buffer.capacity = capacity;
	if ((seg = shm_create(512)) < 0 ||
	    (received = shm_attach(seg)) == (void *)-1) {
		printf("dp_buffer: FAILED: shared memory: %s\n", strerror(errno));
		return 1;
	}
	memset(received, 0xff, 512);	/* 0xff: nothing delivered there */

	pids[npids++] = dp_spawn(run_buffer, NULL);
	for (int k = 0; k < producers; k++)
		pids[npids++] = dp_spawn(producer, (void *)(intptr_t)k);
	for (int k = 0; k < consumers; k++)
		pids[npids++] = dp_spawn(consumer, NULL);

	/* When the producers are done, one END per consumer. */
	if (dp_join(pids + 1, producers, TIMEOUT_MS) != 0) {
		printf("dp_buffer: FAILED: a producer failed or hung\n");
		dp_join(pids, npids, 0);
		return 1;
	}
	buf = dp_open("BUFFER");
	for (int k = 0; k < consumers; k++)
		dp_call(buf, SEND, &end, 1, NULL, 0);
	if (dp_join(pids + 1 + producers, consumers, TIMEOUT_MS) != 0 ||
	    dp_call(buf, DONE, NULL, 0, &report, sizeof(report)) < 0 ||
	    dp_join(pids, 1, TIMEOUT_MS) != 0) {
		printf("dp_buffer: FAILED: a consumer or BUFFER failed or hung\n");
		dp_join(pids, npids, 0);
		return 1;
	}

	printf("dp_buffer: %d producers x %d letters, %d consumers, "
	    "capacity %d\n", producers, letters, consumers, capacity);
	printf("dp_buffer: BUFFER ran %u calls; %u waited at a WHEN "
	    "(at most %u at once); it held at most %u letters\n",
	    (unsigned)report.stats.calls, (unsigned)report.stats.deferred,
	    (unsigned)report.stats.most_waiting, (unsigned)report.most_held);
	wrong = check(why, sizeof(why));
	if (!wrong && report.overruns)
		wrong = "a procedure ran with its guard false";
	if (!wrong && report.most_held > (uint32_t)capacity)
		wrong = "the buffer held more than its capacity";
	if (wrong) {
		printf("dp_buffer: FAILED: %s\n", wrong);
		return 1;
	}
	printf("dp_buffer: %d letters, each received once, in order per "
	    "producer: ok\n", producers * letters);
	return 0;
}
