/*
 * rmfuzz: a forged peer for the remote mailboxes' service (kernel/dist/
 * rmbox.c): COUNT random and mutated requests, answers and replies, as
 * if node NODE had sent them, handed in through the kmsg_inject() test
 * door (tests/integration/test_rmbox_fuzz.py; docs/testing.md).
 *   rmfuzz NODE COUNT SEED
 * It makes a few mailboxes of its own first (capacity 0, 1 and unbounded)
 * so that many requests name a real one: sends that block, calls that
 * wait for a reply, receivers that wait, cancels of any of them, replies
 * forwarded for calls nobody took, answers for operations nobody asked.
 * Deterministic from SEED.  It ends with the counters it made the kernel
 * move, and destroys its mailboxes (whatever waited on them is answered
 * EPIPE, to NODE, which the message layer then gives up on).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <brinch.h>
#include <dist.h>

#define HLEN		24		/* the rmbox header (kernel/dist/rmbox.h) */
#define SVC_MBOX	3		/* KMSG_SVC_MBOX */
#define NBOXES		3
#define OPS		20		/* the ops the kernel knows are 1..8, 16..19 */

static uint32_t rng;
static uint8_t msg[HLEN + MSG_MAX + 64];
static int boxes[NBOXES];

static uint32_t
below(uint32_t n)
{
	return xorshift32_below(&rng, n);
}

/* The rmbox header is big-endian, as the network's. */
static void
put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

/*
 * An id a request may name: mostly one of ours (a mailbox, or for the
 * ops that name a pid, this process), else one that names nothing here.
 * Never another process's: what the service accepts for a live mailbox
 * is delivered and stays there (init's port, say) until read, which
 * would be no leak but would hide one from the test's count.
 */
static uint32_t
some_id(int op)
{
	static const uint32_t edges[] = { 0, 0x7FFFFF, 0x800000, 0xFFFFFFFF, 0x80000000,
	    32767, 32768, 0x7FFFFFFF };

	if (below(4))
		return op == 3 || op == 5 ? (uint32_t)getpid() : (uint32_t)boxes[below(NBOXES)];
	return below(2) ? edges[below(sizeof(edges) / sizeof(edges[0]))] :
	    xorshift32(&rng) | 0x10000000;	/* far above any id in use */
}

/* One message: a header and data, then maybe a mutation.  Its length. */
static uint32_t
make(void)
{
	uint32_t len, op = below(3) ? 1 + below(8) : below(OPS + 2), n, i;

	msg[0] = (uint8_t)op;
	msg[1] = (uint8_t)(below(4) ? below(2) : xorshift32(&rng));	/* NOWAIT, or junk */
	msg[2] = msg[3] = 0;
	put32(msg + 4, below(2) ? below(16) : xorshift32(&rng));	/* opid */
	put32(msg + 8, some_id((int)op));				/* target */
	/* sender: in an answer (a NOTICE) it names a process here, whose
	 * port the notice goes to: ours, as for the targets. */
	put32(msg + 12, below(2) ? (uint32_t)getpid() : xorshift32(&rng) | 0x10000000);
	put32(msg + 16, below(2) ? below(MSG_MAX + 2) : xorshift32(&rng)); /* status */
	put32(msg + 20, xorshift32(&rng));				/* aux */
	switch (below(8)) {
	case 0:
		n = MSG_MAX + below(64);		/* too long */
		break;
	case 1:
		n = below(MBOX_NAME_LEN + 8);		/* a name, maybe unterminated */
		break;
	default:
		n = below(64);
	}
	for (i = 0; i < n; i++)
		msg[HLEN + i] = (uint8_t)(below(3) ? 'a' + below(26) : xorshift32(&rng));
	len = HLEN + n;
	if (below(10) == 0)
		len = below(HLEN + 1);			/* cut short */
	if (below(10) == 0)
		msg[below(len ? len : 1)] ^= (uint8_t)(1 << below(8));	/* a bit flipped */
	return len;
}

int
main(int argc, char **argv)
{
	int node, count, i, refused = 0;
	struct kmsg_stats before, after;

	if (argc != 4) {
		printf("usage: rmfuzz NODE COUNT SEED\n");
		return 2;
	}
	node = atoi(argv[1]);
	count = atoi(argv[2]);
	rng = (uint32_t)strtol(argv[3], NULL, 0) | 1;
	boxes[0] = mbox_create("rmfuzz0", 0);
	boxes[1] = mbox_create("rmfuzz1", 1);
	boxes[2] = mbox_create("rmfuzz2", MBOX_UNBOUNDED);
	if (boxes[0] < 0 || boxes[1] < 0 || boxes[2] < 0) {
		printf("rmfuzz: mbox_create: %s\n", strerror(errno));
		return 1;
	}
	if (kmsg_inject(node, SVC_MBOX, msg, 0) < 0) {
		printf("rmfuzz: kmsg_inject: %s\n", strerror(errno));
		return 1;
	}
	kmsg_stats(&before, NULL, 0);
	for (i = 0; i < count; i++) {
		if (kmsg_inject(node, SVC_MBOX, msg, make()) < 0)
			refused++;
		if (i % 2000 == 1999)
			yield();	/* let the network run: answers go out */
	}
	kmsg_stats(&after, NULL, 0);
	for (i = 0; i < NBOXES; i++)
		mbox_destroy(boxes[i]);
	printf("rmfuzz: %d messages as node %d, seed %s: %u requests, %u bad, %u refused, "
	    "%u stale answers, %d not taken\n", count, node, argv[3],
	    after.rm_requests - before.rm_requests, after.rm_bad - before.rm_bad,
	    after.rm_refused - before.rm_refused, after.rm_stale - before.rm_stale, refused);
	return 0;
}
