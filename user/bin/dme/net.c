/*
 * The message side of `dme`: each node's process has a mailbox DME, node
 * 0 also runs a host process with mailbox DMEH (host.c); messages go by
 * remote mailboxes (docs/ipc.md), which the kernel's message layer makes
 * reliable, ordered and exactly-once per pair of nodes even when the wire
 * loses or duplicates frames (docs/protocol.md).  The Lamport clock here
 * is the process's own, ticked by its own events and messages only, so
 * that a run can be made to start at a given time (the worked example)
 * and timestamps do not jump with unrelated kernel traffic.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <brinch.h>
#include <dist.h>
#include "dme.h"

#define OPEN_WAIT_MS	30000
#define SEND_WAIT_MS	15000
#define POLL_MS		500
#define SILENCE_MS	120000	/* nothing at all heard: give up */

int	 dme_me, dme_nodes, dme_pid, dme_verbose;
uint32_t dme_clock;
unsigned dme_sent;
uint32_t dme_done_from;
int	 dme_my_done;
int	 dme_hold_ms;
uint32_t dme_req_ts;
char	 dme_note[32];

static const struct dme_alg *alg;
static int box;				/* ours */
static int peer[DME_MAX_NODES];		/* theirs, by node */
static int host = -1;			/* node 0's host process */
static int host_pid;			/* node 0: it is our child */

static const struct dme_alg *const algs[] = { &dme_central, &dme_ra, &dme_ring };

uint32_t
dme_tick(void)
{
	return ++dme_clock;
}

static void
vline(const char *fmt, va_list ap)
{
	char buf[160];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	printf("dme %d %d %s\n", dme_me, dme_pid, buf);
}

void
dme_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

void
dme_trace(const char *fmt, ...)
{
	va_list ap;

	if (!dme_verbose)
		return;
	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

/* Open NAME@node, waiting for it to be made (nodes start when they start). */
int
dme_open_wait(const char *name, int node)
{
	char full[MBOX_NAME_LEN];
	uint64_t deadline = uptime_us() + OPEN_WAIT_MS * 1000ULL;
	int id;

	dist_name(full, sizeof(full), name, node);
	while ((id = mbox_open(full)) < 0) {
		if (uptime_us() > deadline) {
			printf("dme: open %s: %s\n", full, strerror(errno));
			return -1;
		}
		msleep(50);
	}
	return id;
}

int
dme_send_id(int id, struct dme_msg *m)
{
	m->from = dme_me;
	m->pid = dme_pid;
	m->ts = dme_tick();
	if (m->kind < DME_DONE)
		dme_sent++;
	return mbox_send(id, m, sizeof(*m), 0, SEND_WAIT_MS);
}

int
dme_send(int node, struct dme_msg *m)
{
	if (node < 0 || node >= dme_nodes) {
		errno = EINVAL;
		return -1;
	}
	return dme_send_id(peer[node], m);
}

int
dme_send_host(struct dme_msg *m)
{
	return dme_send_id(host, m);
}

int
dme_open(const char *name, int nodes, uint32_t start_time, int verbose)
{
	unsigned i;
	int k;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(algs[i]->name, name) == 0)
			alg = algs[i];
	if (!alg) {
		printf("dme: no algorithm %s (central, ra, ring)\n", name);
		return -1;
	}
	if ((dme_me = dist_node()) < 0 || nodes < 1 || nodes > DME_MAX_NODES ||
	    dme_me >= nodes) {
		printf("dme: need a network, 1..%d nodes, and to be one of them\n",
		    DME_MAX_NODES);
		return -1;
	}
	dme_nodes = nodes;
	dme_verbose = verbose;
	dme_clock = start_time ? start_time - 1 : 0;
	if (dme_me == 0) {
		if ((host_pid = fork()) < 0) {
			printf("dme: fork: %s\n", strerror(errno));
			return -1;
		}
		if (host_pid == 0)
			_exit(dme_host_main(nodes, alg == &dme_central, verbose));
	}
	dme_pid = getpid();
	if ((box = mbox_create("DME", MBOX_UNBOUNDED)) < 0) {
		printf("dme: create DME: %s\n", strerror(errno));
		return -1;
	}
	for (k = 0; k < nodes; k++)
		if ((peer[k] = k == dme_me ? box : dme_open_wait("DME", k)) < 0)
			return -1;
	if ((host = dme_open_wait("DMEH", 0)) < 0)
		return -1;
	return 0;
}

int
dme_all_done(void)
{
	return (dme_done_from | 1u << dme_me) == (1u << dme_nodes) - 1;
}

/* A message has arrived: the clock jumps past it, then the algorithm. */
static int
arrived(struct dme_msg *m)
{
	if (m->from < 0 || m->from >= dme_nodes)
		return 0;		/* not one of ours: ignore it */
	if (m->ts > dme_clock)
		dme_clock = m->ts;
	dme_tick();
	if (m->kind == DME_DONE) {
		dme_done_from |= 1u << m->from;
		return 0;
	}
	return alg->deliver(m);
}

int
dme_wait(int (*ready)(void))
{
	uint64_t heard = uptime_us();
	struct dme_msg m;
	int n;

	while (!ready()) {
		n = mbox_receive(box, &m, sizeof(m), NULL, 0, POLL_MS);
		if (n == (int)sizeof(m)) {
			heard = uptime_us();
			if (arrived(&m) < 0)
				return -1;
			continue;
		}
		if (n >= 0 || errno != ETIMEDOUT) {
			printf("dme: receive: %s\n", n < 0 ? strerror(errno) : "bad length");
			return -1;
		}
		if (uptime_us() - heard > SILENCE_MS * 1000ULL) {
			printf("dme: nothing heard for %d s\n", SILENCE_MS / 1000);
			return -1;
		}
		if (alg->idle)
			alg->idle();
	}
	return 0;
}

int
dme_enter(void)
{
	return alg->enter();
}

int
dme_exit(void)
{
	return alg->exit();
}

/* Say DONE to everyone, then go on answering until they all have. */
int
dme_close(void)
{
	struct dme_msg m;
	int k, status;

	dme_my_done = 1;
	if (alg->close)
		alg->close();
	memset(&m, 0, sizeof(m));
	m.kind = DME_DONE;
	for (k = 0; k < dme_nodes; k++)
		if (k != dme_me && dme_send(k, &m) < 0)
			dme_trace("done to %d: %s", k, strerror(errno));
	if (dme_wait(alg->finished) < 0)
		return -1;
	if (dme_me == 0) {
		m.kind = DME_STOP;
		if (dme_send_host(&m) < 0 || waitpid(host_pid, &status, 0) < 0) {
			printf("dme: stopping the host: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}
