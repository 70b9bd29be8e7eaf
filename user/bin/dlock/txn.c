/*
 * `dlock txn POLICY NAME:TS:R1,R2,...`: transactions that lock resources
 * across nodes in the order given (one process each), hold them, and
 * give them all back.  Refused (wait-die's DIE, wound-wait's WOUNDED,
 * ordering's EDEADLK), a transaction gives back everything and starts
 * again with its old timestamp, so it only grows older and at last wins.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <brinch.h>
#include <dist.h>
#include "dlock.h"

#define MAX_TXNS	8
#define CHECK_MS	50	/* a holder looks for wounds this often */

const char *const dlock_policy_names[NPOLICIES] = { "none", "order", "wait-die",
	"wound-wait", "detect", "cmh", "banker" };

static const char *const answers[] = { "?", "granted", "rolled back (die)",
	"rolled back (wounded)", "refused (EDEADLK)", "done", "error" };

static int nodes;
static int server[DL_MAX];
static unsigned seed;

/* A short random pause before a restart, so that two rivals part. */
static unsigned
backoff_ms(void)
{
	seed = seed * 1103515245 + 12345;
	return 20 + (seed >> 16) % 60;
}

int
dlock_policy(const char *name)
{
	int i;

	for (i = 0; i < NPOLICIES; i++)
		if (strcmp(name, dlock_policy_names[i]) == 0)
			return i;
	return -1;
}

/* Call node's server (found within 30 s); the reply's length or -1. */
static int
ask_raw(int node, struct dlock_req *q, void *reply, int max)
{
	char name[MBOX_NAME_LEN];
	uint64_t deadline = uptime_us() + 30000000ULL;

	while (server[node] < 0) {
		server[node] = mbox_open(dist_name(name, sizeof(name), "LOCK", node));
		if (server[node] < 0 && uptime_us() > deadline)
			return -1;
		if (server[node] < 0)
			msleep(50);
	}
	return mbox_call(server[node], q, sizeof(*q), reply, max, 0);
}

static int32_t
ask(int node, struct dlock_req *q)
{
	int32_t a = ANS_ERROR;

	if (ask_raw(node, q, &a, sizeof(a)) != sizeof(a))
		return ANS_ERROR;
	return a;
}

static int
unlock_everywhere(struct dlock_req *q)
{
	int k;

	q->op = OP_UNLOCK_ALL;
	for (k = 0; k < nodes; k++)
		if (ask(k, q) != ANS_DONE)
			return -1;
	q->op = OP_BANK_RELEASE;
	q->r = 0;
	return q->policy == POL_BANKER && ask(0, q) != ANS_DONE ? -1 : 0;
}

/* The banker's leave first (node 0), with our whole claim. */
static int32_t
ask_banker(struct dlock_req *q, const int *want, int nwant)
{
	struct dlock_req b = *q;
	int i;

	b.op = OP_BANK_REQ;
	b.held = 0;
	for (i = 0; i < nwant; i++)
		b.held |= 1u << want[i];
	return ask(0, &b);
}

/* Hold what we have for hold_ms, rolling back if wounded meanwhile. */
static int32_t
hold(struct dlock_req *q, int home, int hold_ms)
{
	int32_t a;

	for (; hold_ms > 0; hold_ms -= CHECK_MS) {
		msleep(hold_ms < CHECK_MS ? hold_ms : CHECK_MS);
		if (q->policy != POL_WOUND_WAIT)
			continue;
		q->op = OP_CHECK;
		if ((a = ask(home, q)) != ANS_GRANTED)
			return a;
	}
	return ANS_GRANTED;
}

/* The cut at the next sep in *s (NUL-terminated there), or NULL. */
static char *
field(char **s, int sep)
{
	char *start = *s, *end;

	if (!start || !*start)
		return NULL;
	if ((end = strchr(start, sep))) {
		*end = 0;
		*s = end + 1;
	} else {
		*s = NULL;
	}
	return start;
}

static void
sort_ints(int *v, int n)
{
	int i, j, x;

	for (i = 1; i < n; i++) {
		for (x = v[i], j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* One transaction; exits with its number of restarts (255: failed). */
static int
txn(int policy, char *spec, int hold_ms, int step_ms)
{
	char *rest = spec, *name = field(&rest, ':'), *ts = field(&rest, ':');
	char *list = field(&rest, ':');
	int want[DLOCK_NRES], nwant = 0, i;
	struct dlock_req q;
	int32_t a = ANS_ERROR;
	char *w;

	if (!name || !ts || !list)
		return printf("dlock: NAME:TS:R1,R2... not %s\n", spec), 255;
	for (w = field(&list, ','); w && nwant < DLOCK_NRES; w = field(&list, ','))
		want[nwant++] = atoi(w);
	memset(&q, 0, sizeof(q));
	q.policy = policy;
	q.ts = (uint32_t)atoi(ts);
	for (;;) {
		q.held = 0;
		for (i = 0; i < nwant; i++) {
			if (i > 0 && step_ms)
				msleep(step_ms);
			if (want[i] < 0 || want[i] >= DLOCK_NRES)
				return printf("dlock: no resource %d\n", want[i]), 255;
			printf("dlock %s (ts %u): asks for %d on node %d\n", name,
			    (unsigned)q.ts, want[i], want[i] % nodes);
			q.r = want[i];
			if (policy == POL_BANKER && (a = ask_banker(&q, want, nwant)) != ANS_GRANTED)
				break;
			q.op = OP_LOCK;
			a = ask(want[i] % nodes, &q);
			printf("dlock %s (ts %u): %d %s\n", name, (unsigned)q.ts, want[i],
			    a == ANS_WOUNDED && policy >= POL_DETECT ?
			    "aborted (youngest in a deadlock)" :
			    a >= ANS_GRANTED && a <= ANS_ERROR ? answers[a] : "?");
			if (a != ANS_GRANTED)
				break;
			q.held |= 1u << want[i];
		}
		if (a == ANS_GRANTED)
			a = hold(&q, want[0] % nodes, hold_ms);
		if (a == ANS_WOUNDED && i == nwant)
			printf("dlock %s (ts %u): rolled back (wounded)\n", name, (unsigned)q.ts);
		if (unlock_everywhere(&q) < 0 || a == ANS_ERROR)
			return printf("dlock %s: lost a lock server\n", name), 255;
		if (a == ANS_GRANTED)
			break;
		if (a == ANS_EDEADLK)	/* ask again, in the global order */
			sort_ints(want, nwant);
		/* LAB dlock: BEGIN restart */
		q.attempt++;		/* q.ts stays: it only grows older */
		/* LAB dlock: END restart */
		printf("dlock %s (ts %u): restart %u, same timestamp\n", name,
		    (unsigned)q.ts, (unsigned)q.attempt);
		msleep(backoff_ms());
	}
	printf("dlock %s (ts %u): commit after %u restarts\n", name, (unsigned)q.ts,
	    (unsigned)q.attempt);
	return q.attempt > 254 ? 254 : (int)q.attempt;
}

int
dlock_txns(int policy, int n, int argc, char **argv, int hold_ms, int step_ms)
{
	int i, status, committed = 0, restarts = 0, started = 0;

	nodes = n;
	for (i = 0; i < DL_MAX; i++)
		server[i] = -1;
	for (i = 0; i < argc && i < MAX_TXNS; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			seed = (unsigned)getpid() * 7919u + (unsigned)dist_node();
			_exit(txn(policy, argv[i], hold_ms, step_ms));
		}
		if (pid > 0)
			started++;
	}
	for (i = 0; i < started; i++) {
		if (wait(&status) < 0)
			break;
		status = (status >> 8) & 0xff;
		if (status != 255) {
			committed++;
			restarts += status;
		}
	}
	printf("dlock: %d of %d committed, %d restarts\n", committed, started, restarts);
	return committed == started ? 0 : 1;
}

/* `dlock stat`: the local server's detection counters. */
int
dlock_stat(void)
{
	struct dlock_stat st;
	struct dlock_req q;
	int me = dist_node();

	memset(&q, 0, sizeof(q));
	q.op = OP_STAT;
	nodes = me + 1;
	server[me] = -1;
	if (me < 0 || ask_raw(me, &q, &st, sizeof(st)) != sizeof(st))
		return printf("dlock: no server here\n"), 1;
	printf("dlock: central %u cycles, %u phantoms; edge chasing %u cycles, %u probes; "
	    "banker held back %u\n", (unsigned)st.central_cycles, (unsigned)st.phantoms,
	    (unsigned)st.cmh_cycles, (unsigned)st.probes, (unsigned)st.banker_waits);
	return 0;
}
