/*
 * kmsg: the kernel message layer (docs/protocol.md) from user space.
 *   kmsg                          counters, then one line per peer
 *   kmsg echo NODE [SIZE [COUNT [TIMEOUT_MS]]]
 *                                 SIZE bytes (up to 65536) to NODE's kernel
 *                                 and back, COUNT times, every byte checked
 *   kmsg bench NODE [COUNT [SIZE]]
 *                                 the same, timed: a JSON line for make bench
 * tests/integration/test_dist.py runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include <dist.h>

#define MAX_SAMPLES	2000

static const char *const state_names[] = { "idle", "up", "down" };

static const char *const counter_names[] = {
#define NAME(x) #x,
	KMSG_COUNTERS(NAME)
#undef NAME
};

static int
show(void)
{
	struct kmsg_peer_info peers[64];
	struct kmsg_stats st;
	const uint32_t *c = &st.msgs_out;
	int i, n;

	if ((n = kmsg_stats(&st, peers, 64)) < 0) {
		dprintf(2, "kmsg: %s\n", strerror(errno));
		return 1;
	}
	printf("kmsg: node %d, boot %08x, lamport %u, queued %u bytes, "
	    "held %u packets, reassembling %u bytes\n", (int)st.node,
	    (unsigned)st.session, (unsigned)st.lamport, (unsigned)st.queued_bytes,
	    (unsigned)st.held_packets, (unsigned)st.reassembly_bytes);
	for (i = 0; i < (int)(sizeof(counter_names) / sizeof(counter_names[0])); i++)
		printf("%s %u\n", counter_names[i], (unsigned)c[i]);
	for (i = 0; i < n; i++)
		printf("peer %d: %s, stream %u/%u, una %u nxt %u rcv %u, queued %u, "
		    "srtt %u us, rto %u us, retransmits %u, holds %u\n",
		    (int)peers[i].node, peers[i].state < 3 ? state_names[peers[i].state] : "?",
		    (unsigned)peers[i].tx_stream, (unsigned)peers[i].rx_stream,
		    (unsigned)peers[i].snd_una, (unsigned)peers[i].snd_nxt,
		    (unsigned)peers[i].rcv_nxt, (unsigned)peers[i].queued,
		    (unsigned)peers[i].srtt_us, (unsigned)peers[i].rto_us,
		    (unsigned)peers[i].retransmits, (unsigned)peers[i].holds);
	return 0;
}

/* Insertion sort: the libc has no qsort, and a few thousand samples
 * sort in no time. */
static void
sort_u32(uint32_t *v, int n)
{
	uint32_t x;
	int i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* COUNT round trips of SIZE bytes, each a different pattern so that a
 * stale or misplaced fragment shows. */
static int
echo(int node, int size, int count, unsigned timeout, int json)
{
	static uint32_t samples[MAX_SAMPLES];
	uint8_t *out = malloc(size + 1), *in = malloc(size + 1);
	uint64_t t0, total = 0;
	int i, j, n;

	if (!out || !in || count < 1 || count > MAX_SAMPLES || size < 0 || size > KMSG_MAX) {
		dprintf(2, "kmsg: echo: bad size or count\n");
		return 1;
	}
	for (i = 0; i < count; i++) {
		for (j = 0; j < size; j++)
			out[j] = (uint8_t)(j * 7 + i * 13 + (j >> 8));
		memset(in, 0xEE, size);
		t0 = uptime_us();
		n = kmsg_echo(node, out, size, in, size, timeout);
		samples[i] = (uint32_t)(uptime_us() - t0);
		total += samples[i];
		if (n < 0) {
			printf("kmsg echo: FAILED: round trip %d to node %d: %s\n", i + 1,
			    node, strerror(errno));
			return 1;
		}
		if (n != size || memcmp(in, out, size) != 0) {
			for (j = 0; j < size && in[j] == out[j]; j++)
				;
			printf("kmsg echo: FAILED: round trip %d: %d bytes back, first "
			    "difference at byte %d\n", i + 1, n, j);
			return 1;
		}
	}
	sort_u32(samples, count);
	if (json)
		printf("{\"bench\": \"kmsg_rtt\", \"us\": %u, \"min_us\": %u, "
		    "\"count\": %d, \"bytes\": %d, \"node\": %d}\n",
		    (unsigned)samples[count / 2], (unsigned)samples[0], count, size, node);
	else
		printf("kmsg echo: %d x %d bytes to node %d and back: ok (median %u us, "
		    "mean %u us)\n", count, size, node, (unsigned)samples[count / 2],
		    (unsigned)(total / count));
	return 0;
}

int
main(int argc, char *argv[])
{
	int node;

	if (argc == 1)
		return show();
	if (argc >= 3 && strcmp(argv[1], "echo") == 0) {
		node = atoi(argv[2]);
		return echo(node, argc > 3 ? atoi(argv[3]) : 64, argc > 4 ? atoi(argv[4]) : 1,
		    argc > 5 ? (unsigned)atoi(argv[5]) : 30000, 0);
	}
	if (argc >= 3 && strcmp(argv[1], "bench") == 0) {
		node = atoi(argv[2]);
		return echo(node, argc > 4 ? atoi(argv[4]) : 0, argc > 3 ? atoi(argv[3]) : 200,
		    30000, 1);
	}
	dprintf(2, "usage: kmsg | kmsg echo NODE [SIZE [COUNT [TIMEOUT_MS]]] | "
	    "kmsg bench NODE [COUNT [SIZE]]\n");
	return 2;
}
