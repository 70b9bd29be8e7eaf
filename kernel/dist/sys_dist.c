/*
 * System calls for cross-node IPC (numbers 80-89): the Lamport clock,
 * the message layer's echo (a 64 KiB round trip, for tests and `kmsg`)
 * and its counters.  Remote mailboxes need none of their own: the
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
