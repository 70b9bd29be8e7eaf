/*
 * migfuzz's door into the kernel: each message goes in through
 * migctl(MIGCTL_INJECT) as if NODE had sent it, made harmless first, and
 * the counters it moved say which stagings are open or built, so that
 * every round can end by ABORTing them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "migfuzz.h"

int peer_node, this_node, verbose, failed;
uint32_t count, sent, cleanups, refused_calls;
uint32_t by_op[MIG_OP_MAX + 1];
struct mig_counters counters;

/* Stagings this round opened (accepted OFFERs) and built (BUILT sent). */
uint32_t open_ids[MAX_OPEN], nopen;
static uint32_t built_ids[MAX_OPEN], nbuilt;

static int
member(const uint32_t *set, uint32_t n, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (set[i] == id)
			return 1;
	return 0;
}

static void
add(uint32_t *set, uint32_t *n, uint32_t id)
{
	if (!member(set, *n, id) && *n < MAX_OPEN)
		set[(*n)++] = id;
}

static void
drop(uint32_t *set, uint32_t *n, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < *n; i++)
		if (set[i] == id)
			set[i--] = set[--*n];
}

void
read_counters(struct mig_counters *c)
{
	if (migctl(MIGCTL_COUNTERS, c) < 0) {
		printf("migfuzz: FAILED: migctl counters: %s\n", strerror(errno));
		exit(1);
	}
}

int
inject(void)
{
	struct mig_inject inj = { .node = peer_node, .len = msg_len, .data = (uint32_t)msg };

	return migctl(MIGCTL_INJECT, &inj);
}

/*
 * Keep the message from reaching anything real.  A GO for an image the
 * kernel built would start it, so it goes to an id that names none; a
 * SIGNAL (or EXIT, LOCATION) naming a pid a real process may have is
 * moved to one no process has; CONSOLE output for this node is printed
 * on its console, so only an empty one may name it.
 */
static void
defuse(void)
{
	uint32_t op = msg[0], id, pid;

	if (msg_len < HDR)
		return;
	id = get32(4);
	if (op == MIG_OP_GO && member(built_ids, nbuilt, id)) {
		for (id = ID_BASE; member(built_ids, nbuilt, id) || member(open_ids, nopen, id); )
			id--;
		put32(4, id);
	}
	if (op >= MIG_OP_SIGNAL && op <= MIG_OP_CONSOLE && msg_len >= HDR + 8) {
		pid = get32(HDR + 4);
		if ((int32_t)pid >= 1 && pid < PID_BASE)
			put32(HDR + 4, PID_BASE + pid % PID_SPAN);
		/* A signal for another node's process goes there: to a node
		 * that is not up, it would wait in the message layer. */
		if (op == MIG_OP_SIGNAL && get32(HDR) <= DIST_NODE_MAX &&
		    (int)get32(HDR) != this_node)
			put32(HDR, (uint32_t)peer_node);
	}
	if (op == MIG_OP_CONSOLE && msg_len > HDR + sizeof(struct mig_console) &&
	    (int)get32(HDR) == this_node)
		put32(HDR, (uint32_t)peer_node);
}

/* -v: what the last message did to the counters. */
static void
show_moved(const struct mig_counters *before, int err)
{
	const uint32_t *a = (const uint32_t *)before, *b = (const uint32_t *)&counters;
	uint32_t i;

	printf("   ->");
	if (err < 0)
		printf(" migctl: %s", strerror(errno));
	for (i = 0; i < NCOUNTERS; i++)
		if (a[i] != b[i])
			printf(" %s %+d", counter_names[i], (int)(b[i] - a[i]));
	printf("\n");
}

/*
 * Hand the message in and note what it did: an accepted OFFER opened a
 * staging, a BUILT image is one GO must never reach.  Returns migctl's
 * result.  Once COUNT messages are in, the rest of a round is not sent.
 */
int
send_msg(void)
{
	struct mig_counters before = counters;
	uint32_t id;
	int err;

	if (sent >= count)
		return 0;
	defuse();
	id = msg_len >= HDR ? get32(4) : 0;
	sent++;
	by_op[msg_len >= 1 && msg[0] < MIG_OP_MAX ? msg[0] : 0]++;
	if (verbose)
		printf("migfuzz: #%u %s: op %u id %08x len %u\n", sent, what,
		    msg_len ? msg[0] : 0, id, msg_len);
	if ((err = inject()) < 0)
		refused_calls++;
	read_counters(&counters);
	if (verbose)
		show_moved(&before, err);
	if (counters.accepted != before.accepted)
		add(open_ids, &nopen, id);
	if (counters.images_in != before.images_in)
		add(built_ids, &nbuilt, id);
	/* An ABORT made of another message, or a refusal, ended it. */
	if (counters.aborted_in != before.aborted_in || counters.refused != before.refused) {
		drop(open_ids, &nopen, id);
		drop(built_ids, &nbuilt, id);
	}
	if (counters.committed_in != before.committed_in) {
		printf("migfuzz: FAILED: message %u (%s) started an image\n", sent, what);
		failed = 1;
	}
	return err;
}

/* Send the message in msg under a name of its own, for -v and failures. */
int
send_as(const char *label)
{
	what = label;
	return send_msg();
}

/* End of a round: ABORT (header only, as mig_check wants it) every
 * staging the round opened.  A built one must go. */
void
cleanup(void)
{
	struct mig_counters before;
	uint32_t i, id;

	for (i = 0; i < nopen + nbuilt; i++) {
		id = i < nopen ? open_ids[i] : built_ids[i - nopen];
		if (i >= nopen && member(open_ids, nopen, id))
			continue;		/* already aborted */
		before = counters;
		msg_len = hdr(MIG_OP_ABORT, id);
		what = "clean-up ABORT";
		if (verbose)
			printf("migfuzz: clean-up ABORT id %08x\n", id);
		if (inject() < 0)
			refused_calls++;
		cleanups++;
		read_counters(&counters);
		if (member(built_ids, nbuilt, id) && counters.aborted_in == before.aborted_in) {
			printf("migfuzz: FAILED: built image %08x survived its ABORT\n", id);
			failed = 1;
		}
	}
	nopen = nbuilt = 0;
}
