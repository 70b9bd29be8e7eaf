/*
 * Cross-node IPC: the user/kernel ABI.  How a mailbox id or a pid names
 * a node, the Lamport clock call, and the records the kmsg_stats call
 * fills in.  Kernel side: kernel/dist/kmsg.c (transport), kernel/dist/rmbox.c
 * (remote mailboxes), kernel/dist/sys_dist.c; see docs/protocol.md.
 */
#ifndef BRINCH_DIST_H
#define BRINCH_DIST_H

#include <stdint.h>

/*
 * A global id is (node + 1) << 23 | local id.  Zero in that field means
 * "this node", so every local mailbox id and pid is already a valid
 * global id and nothing local changes.  Nodes are numbered from 0, as
 * distributed algorithms number them: 0..253 (node=N on the kernel
 * command line, address 10.0.0.(N+1)).  A local id is below 2^23
 * (mailbox ids stay below that, pids below 32768), and the result is
 * always positive, so -1 (ANY) and -errno keep their meaning.
 */
#define DIST_NODE_SHIFT		23
#define DIST_NODE_MAX		253
#define DIST_LOCAL_MASK		((1u << DIST_NODE_SHIFT) - 1)

#define DIST_ID(node, local) \
	((int)((((uint32_t)(node) + 1) << DIST_NODE_SHIFT) | \
	    ((uint32_t)(local) & DIST_LOCAL_MASK)))
/* Does id name its node (a global id), or is it a plain local one? */
#define DIST_IS_GLOBAL(id)	((((uint32_t)(id) >> DIST_NODE_SHIFT) & 0xFF) != 0)
/* The node a global id names (-1 for a local id, which names none). */
#define DIST_NODE(id)		((int)(((uint32_t)(id) >> DIST_NODE_SHIFT) & 0xFF) - 1)
#define DIST_LOCAL(id)		((int)((uint32_t)(id) & DIST_LOCAL_MASK))
/* A pid is named the same way: DIST_PID(2, 7) is process 7 on node 2. */
#define DIST_PID(node, pid)	DIST_ID(node, pid)

/* Mailbox names: "TABLE" is local, "TABLE@2" is TABLE on node 2. */
#define DIST_NAME_SEP		'@'

/* lamport(op): the kernel's logical clock. */
#define LAMPORT_READ		0	/* the current time */
#define LAMPORT_TICK		1	/* a local event: advance, return it */

/* The largest message the kernel message layer carries (kmsg_echo). */
#define KMSG_MAX		(64 * 1024)

/* ---- kmsg_stats(): the `kmsg` command ---------------------------- */

/* Transport counters, by name as `kmsg` prints them.  Every packet
 * dropped is counted under exactly one bad_* or drop_* name.  The rm_*
 * ones are the remote mailbox service's (kernel/dist/rmbox.c): requests
 * served, answers taken, malformed ones, answers for operations no
 * longer waiting, requests refused for want of room, and how many
 * remote senders, callers and receivers it holds now. */
#define KMSG_COUNTERS(X) \
	X(msgs_out) X(msgs_in) X(bytes_out) X(bytes_in) \
	X(data_out) X(data_in) X(acks_out) X(acks_in) X(rsts_out) X(rsts_in) \
	X(hellos_out) X(hellos_in) \
	X(retransmits) X(dups) X(out_of_order) X(timeouts) X(resets) \
	X(peer_failures) X(keepalives) \
	X(bad_short) X(bad_magic) X(bad_version) X(bad_type) X(bad_length) \
	X(bad_frag) X(bad_addr) X(bad_stream) X(bad_sequence) \
	X(bad_service) X(drop_window) X(drop_memory) X(drop_peers) \
	X(send_errors) \
	X(rm_requests) X(rm_answers) X(rm_bad) X(rm_stale) X(rm_refused) \
	X(rm_pending)

struct kmsg_stats {
	int32_t  node;			/* this node */
	uint32_t session;		/* this boot's stream id base */
	uint32_t lamport;		/* the clock now */
	uint32_t queued_bytes;		/* messages waiting or in flight */
	uint32_t held_packets;		/* received out of order, kept */
	uint32_t reassembly_bytes;	/* messages being put together */
#define KMSG_COUNTER_FIELD(name) uint32_t name;
	KMSG_COUNTERS(KMSG_COUNTER_FIELD)
#undef KMSG_COUNTER_FIELD
};

/* One peer: a node we have exchanged messages with. */
struct kmsg_peer_info {
	int32_t  node;
	uint32_t state;			/* KMSG_PEER_* */
	uint32_t tx_stream, rx_stream;	/* stream ids each way */
	uint32_t snd_una, snd_nxt;	/* oldest unacknowledged, next seq */
	uint32_t rcv_nxt;		/* next seq expected */
	uint32_t queued;		/* messages not yet fully acknowledged */
	uint32_t srtt_us, rto_us;	/* smoothed round trip, timeout */
	uint32_t retransmits;
	uint32_t holds;			/* operations waiting on the peer */
};

#define KMSG_PEER_IDLE		0
#define KMSG_PEER_UP		1	/* heard from recently */
#define KMSG_PEER_DOWN		2	/* retries ran out; refusing for now */

#endif
