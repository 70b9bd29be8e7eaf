/*
 * Wrappers for the cross-node IPC system calls 80-82 (kernel/dist/sys_dist.c)
 * and small helpers for global names; declared in <dist.h>.  Each call
 * returns -1 and sets errno on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <dist.h>
#include "user/lib/syscall.h"

uint32_t
lamport_time(void)
{
	return (uint32_t)syscall5(SYS_lamport, LAMPORT_READ, 0, 0, 0, 0);
}

uint32_t
lamport_tick(void)
{
	return (uint32_t)syscall5(SYS_lamport, LAMPORT_TICK, 0, 0, 0, 0);
}

int
kmsg_echo(int node, const void *buf, size_t len, void *reply, size_t max,
    unsigned timeout_ms)
{
	return unix_result(syscall6(SYS_kmsg_echo, node, ARG(buf), (int)len,
	    ARG(reply), (int)max, (int)timeout_ms));
}

int
kmsg_stats(struct kmsg_stats *stats, struct kmsg_peer_info *peers, int max)
{
	return unix_result(syscall5(SYS_kmsg_stats, ARG(stats), ARG(peers), max,
	    0, 0));
}

int
kmsg_inject(int node, int service, const void *buf, size_t len)
{
	return unix_result(syscall5(SYS_kmsg_inject, node, service, ARG(buf), (int)len, 0));
}

int
dist_node(void)
{
	struct kmsg_stats st;

	if (kmsg_stats(&st, NULL, 0) < 0 || st.node < 0)
		return -1;
	return st.node;
}

char *
dist_name(char *buf, size_t n, const char *name, int node)
{
	snprintf(buf, n, "%s@%d", name, node);
	return buf;
}
