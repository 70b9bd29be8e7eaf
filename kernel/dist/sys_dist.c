/*
 * System calls for cross-node IPC (numbers 80-89): the Lamport clock,
 * the message layer's echo (a 64 KiB round trip, for tests and `kmsg`),
 * its counters, and a test door that hands the remote mailboxes' service
 * a message as if another node had sent it (`rmfuzz`).  Remote mailboxes need none of their own: the
 * mailbox calls route ids of other nodes to kernel/dist/rmbox_client.c.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "lamport.h"
#include "rmbox.h"
#include "syscall.h"
#include "kmsg.h"
#include "kmsg_impl.h"
#include "brinch/dist.h"

#define MAX_PEER_ROWS	64

int
sys_lamport(uint32_t op)
{
	switch (op) {
	case LAMPORT_READ:
		return (int)lamport_now();
	case LAMPORT_TICK:
		return (int)lamport_tick();
	}
	return -EINVAL;
}

int
sys_kmsg_echo(uint32_t node, uint32_t ubuf, uint32_t len, uint32_t ureply,
    uint32_t max, uint32_t timeout)
{
	if (kmsg_node() < 0)
		return -ENETDOWN;
	return rmbox_echo((int)node, ubuf, len, ureply, max, timeout);
}

/* kmsg_stats(&stats or 0, peers or 0, max) -> rows in peers */
int
sys_kmsg_stats(uint32_t ustats, uint32_t upeers, uint32_t max)
{
	struct kmsg_peer_info *rows;
	struct kmsg_stats stats;
	int n = 0;

	if (max > MAX_PEER_ROWS)
		max = MAX_PEER_ROWS;
	if ((ustats && !user_range_ok(current->pgdir, ustats, sizeof(stats), 1)) ||
	    (upeers && !user_range_ok(current->pgdir, upeers, max * sizeof(*rows), 1)))
		return -EFAULT;
	if (ustats) {
		kmsg_stats_fill(&stats);
		rmbox_stats_fill(&stats);
		copy_to_user(current->pgdir, ustats, &stats, sizeof(stats));
	}
	if (upeers && max) {
		if (!(rows = kmalloc(max * sizeof(*rows))))
			return -ENOMEM;
		n = kmsg_peers_fill(rows, (int)max);
		copy_to_user(current->pgdir, upeers, rows, n * sizeof(*rows));
		kfree(rows);
	}
	return n;
}

/*
 * kmsg_inject(node, service, buf, len): the remote mailboxes' service
 * (the one service whose requests any member may send) takes buf as a
 * message from node, exactly as if it had arrived: the forged peer of
 * docs/testing.md's "Fuzzing what listens on the network", without
 * having to forge the message layer's streams too.  Its answers go to
 * node over the real network; a node that does not exist is given up on
 * by the message layer, and what waited for it is dropped.
 */
int
sys_kmsg_inject(uint32_t node, uint32_t service, uint32_t ubuf, uint32_t len)
{
	uint8_t *msg;

	if (kmsg_node() < 0)
		return -ENETDOWN;
	if ((int)node < 0 || node > DIST_NODE_MAX || (int)node == kmsg_node() ||
	    service != KMSG_SVC_MBOX || !kmsg_services[service].deliver)
		return -EINVAL;
	if (len > KMSG_MAX_MSG)
		return -EMSGSIZE;
	if (!(msg = kmalloc(len ? len : 1)))
		return -ENOMEM;
	if (copy_from_user(current->pgdir, msg, ubuf, len) < 0) {
		kfree(msg);
		return -EFAULT;
	}
	kmsg_services[service].deliver((int)node, lamport_now(), msg, len);
	kfree(msg);
	return 0;
}
