/*
 * ps: one line per process from the ps() system call: ids, scheduling
 * state, CPU ticks used, memory, pending and blocked signals (masks in
 * hex, bit n for signal n), and what a waiting process waits on.
 * Migration (docs/migration.md) shows in the last column: "moved to
 * node N" for a process that left (its deputy here), "from H:P" for one
 * that arrived as process P of node H.
 *
 * ps -c: every node's processes, each table after a "node N:" line and
 * made on that node by `rexec N ps`, so it lists that ps as "from H:P"
 * (the rexec child that moved there); cluster() says which nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <brinch.h>
#include <dist.h>

#define MAX_SHOWN	128
#define MAX_PEERS	64
/* How long a node has to answer ps -c's echo.  A node is quick (a round
 * trip is a few ms) but the first one needs ARP, and an emulated node on
 * a busy host can be slow; the last, unanswered probe costs this much. */
#define PROBE_MS	1000

static const char *
state_name(int32_t state)
{
	switch (state) {
	case PSTATE_NEW:	return "NEW";
	case PSTATE_READY:	return "READY";
	case PSTATE_RUNNING:	return "RUNNING";
	case PSTATE_WAITING:	return "WAITING";
	case PSTATE_ZOMBIE:	return "ZOMBIE";
	case PSTATE_SUSPENDED:	return "SUSPENDED";
	case PSTATE_MOVED:	return "MOVED";
	default:		return "?";
	}
}

/* This node's table. */
static int
table(void)
{
	static struct proc_info procs[MAX_SHOWN];
	int n;

	n = ps(procs, MAX_SHOWN);
	if (n < 0) {
		dprintf(2, "ps: %s\n", strerror(errno));
		return 1;
	}
	printf("%5s %5s %-9s %4s %7s %7s %8s %8s %-16s %s\n",
	    "PID", "PPID", "STATE", "PRI", "TICKS", "MEM", "PEND", "BLOCK",
	    "NAME", "WAIT");
	for (int i = 0; i < n; i++) {
		struct proc_info *p = &procs[i];

		/* The kernel fills the strings; make sure they end. */
		p->name[PROC_NAME_LEN - 1] = '\0';
		p->wait_on[WAIT_NAME_LEN - 1] = '\0';
		printf("%5d %5d %-9s %4d %7u %6uK %08x %08x ",
		    (int)p->pid, (int)p->ppid, state_name(p->state),
		    (int)p->priority, (unsigned)(p->user_ticks + p->sys_ticks),
		    (unsigned)(p->mem_bytes / 1024),
		    (unsigned)p->sig_pending, (unsigned)p->sig_blocked);
		/* Waiting, on the job queue, or suspended while blocked. */
		if (p->state == PSTATE_MOVED)
			printf("%-16s moved to node %d\n", p->name, (int)p->node);
		else if (p->home >= 0)
			printf("%-16s %s%sfrom %d:%d\n", p->name, p->wait_on,
			    p->wait_on[0] ? " " : "", (int)p->home, (int)p->home_pid);
		else if (p->wait_on[0])
			printf("%-16s %s\n", p->name, p->wait_on);
		else
			printf("%s\n", p->name);
	}
	return 0;
}

/* Node's table, made on node by `rexec NODE ps`: rexec moves a child
 * there and execs ps from that node's initrd; the output comes home to
 * this console, and rexec's status back here.  When rexec fails it has
 * printed why, in one line. */
static int
remote(int node)
{
	char num[12];
	char *argv[] = { "rexec", num, "ps", NULL };
	int status;
	pid_t pid;

	snprintf(num, sizeof(num), "%d", node);
	if ((pid = fork()) < 0) {
		dprintf(2, "ps: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		exec("/bin/rexec", argv);
		dprintf(2, "ps: /bin/rexec: %s\n", strerror(errno));
		exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		dprintf(2, "ps: waitpid: %s\n", strerror(errno));
		return 1;
	}
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* No kernel is told how many nodes there are, so the list goes up to
 * the highest node kmsg has heard from, and on while the next node
 * answers an echo.  The first that does not, past those, is taken as the
 * end of the cluster, and named: it may be a node that is down.  A node
 * the message layer cannot reach gets that one line. */
static int
cluster(void)
{
	static struct kmsg_peer_info peers[MAX_PEERS];
	int me = dist_node(), last, n, node, r = 0;
	char ping[4] = "ps", pong[4];

	if (me < 0) {
		printf("node ?: no network, so this node only\n");
		return table();
	}
	/* Every node up to the highest one heard from is listed, answering
	 * or not: a gap there is a node that is down, not the end.  Only
	 * heard from: kmsg also keeps a peer for a node it merely tried,
	 * such as the one that ended the last ps -c, and counting those
	 * would push the end one node further at each run. */
	last = me;
	n = kmsg_stats(NULL, peers, MAX_PEERS);
	for (int i = 0; i < n; i++)
		if ((peers[i].state == KMSG_PEER_UP || peers[i].rx_stream != 0) &&
		    peers[i].node > last)
			last = peers[i].node;
	for (node = 0; node <= DIST_NODE_MAX; node++) {
		if (node == me) {
			printf("node %d:\n", node);
			r |= table();
			continue;
		}
		/* Ask first: a migration to a node that is not there would
		 * wait for kmsg to give up, seconds, where an echo waits
		 * PROBE_MS. */
		if (kmsg_echo(node, ping, sizeof(ping), pong, sizeof(pong), PROBE_MS) < 0) {
			if (node > last) {
				printf("node %d: no answer (%s): taken as the end of the cluster\n",
				    node, strerror(errno));
				break;
			}
			printf("node %d: cannot reach it: %s\n", node, strerror(errno));
			r = 1;
			continue;
		}
		printf("node %d:\n", node);
		r |= remote(node);
	}
	return r;
}

int
main(int argc, char *argv[])
{
	if (argc == 1)
		return table();
	if (argc == 2 && strcmp(argv[1], "-c") == 0)
		return cluster();
	dprintf(2, "usage: ps [-c]\n");
	return 2;
}
