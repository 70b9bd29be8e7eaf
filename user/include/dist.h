/*
 * Cross-node IPC for user programs (user/lib/dist.c): the Lamport clock,
 * the kernel message layer's echo and counters, and helpers for global
 * ids.  Remote mailboxes need nothing new: mbox_open("NAME@NODE") and
 * the <ipc.h> calls work on the ids it returns (docs/protocol.md).
 */
#ifndef _DIST_H
#define _DIST_H

#include <stddef.h>
#include <stdint.h>
#include <brinch/dist.h>

/* The node's logical clock: read it, or count a local event. */
uint32_t lamport_time(void);
uint32_t lamport_tick(void);

/* Send len bytes (up to KMSG_MAX) to node's kernel and get them back
 * in reply (max bytes): the message layer's own round trip.  Returns
 * the length, or -1 with errno (ETIMEDOUT, EHOSTUNREACH, EPIPE...). */
int	kmsg_echo(int node, const void *buf, size_t len, void *reply,
	    size_t max, unsigned timeout_ms);

/* The layer's counters (stats may be NULL) and up to max peers (peers
 * may be NULL); returns how many peers it filled. */
int	kmsg_stats(struct kmsg_stats *stats, struct kmsg_peer_info *peers,
	    int max);

/* A test door: the remote mailboxes' service (KMSG_SVC_MBOX, 3) takes
 * buf as a message from node (not this one).  For rmfuzz. */
int	kmsg_inject(int node, int service, const void *buf, size_t len);

/* This node's number (node=N at boot), or -1 without a network. */
int	dist_node(void);

/* "NAME@NODE" into buf (size n): the name mbox_open takes. */
char	*dist_name(char *buf, size_t n, const char *name, int node);

#endif
