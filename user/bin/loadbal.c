/*
 * loadbal: what the load balancer sees and did (docs/loadbal.md).
 *   loadbal            the master's table, its decisions and the jobs
 *                      it moved (asking this node's loadbald who the
 *                      master is)
 *   loadbal -n NODE    what loadbald on NODE knows: on an agent, its own
 *                      last sample and the moves it carried out
 * tests/integration/test_loadbal.py reads it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dist.h>
#include <loadbal.h>
#include <migrate.h>

#define QUERY_MS	3000

static struct lb_status st;

static void
usage(void)
{
	dprintf(2, "usage: loadbal [-n NODE]\n");
	exit(2);
}

/* Ask loadbald on node (-1: this one) for its status. */
static int
query(int node)
{
	struct lb_hdr q = { LB_MAGIC, LB_QUERY, -1, sizeof(q) };
	char name[MBOX_NAME_LEN];
	int id, n;

	q.node = dist_node();
	if (node < 0)
		strlcpy(name, LB_MBOX, sizeof(name));
	else
		dist_name(name, sizeof(name), LB_MBOX, node);
	if ((id = mbox_open(name)) < 0) {
		if (errno == ENOENT)
			printf("loadbal: no %s: loadbald runs only when the kernel "
			    "command line says loadbal\n", name);
		else
			printf("loadbal: open %s: %s\n", name, strerror(errno));
		return -1;
	}
	n = mbox_call(id, &q, sizeof(q), &st, sizeof(st), QUERY_MS);
	if (n < 0) {
		printf("loadbal: ask %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (n != sizeof(st) || st.hdr.magic != LB_MAGIC || st.hdr.type != LB_STATUS ||
	    st.nnodes < 0 || st.nnodes > LB_NODES || st.nlog < 0 || st.nlog > LB_LOG ||
	    st.njobs < 0 || st.njobs > LB_JOBS) {
		printf("loadbal: %s answered something else (%d bytes)\n", name, n);
		return -1;
	}
	return 0;
}

static void
print_move(const struct lb_event *e)
{
	const struct lb_move *m = &e->move;
	char who[16];

	snprintf(who, sizeof(who), "%d:%d", DIST_NODE(m->gpid), DIST_LOCAL(m->gpid));
	printf("  %4u.%02u s  %-7s %-10s node %d", e->t_ms / 1000, e->t_ms % 1000 / 10,
	    who, m->name, m->from);
	if (e->load_from >= 0)
		printf(" (load %d)", e->load_from);
	printf(" -> node %d", m->to);
	if (e->load_to >= 0)
		printf(" (load %d)", e->load_to);
	printf(", move %d: ", m->moves + 1);
	if (e->result == LB_PENDING)
		printf("under way\n");
	else if (e->result == 0)
		printf("ok, %u ms\n", e->ms);
	else if (e->result == EBUSY && e->why)
		printf("cannot move: %s\n", mig_why_name(e->why));
	else
		printf("%s\n", strerror(e->result));
}

static void
print_status(void)
{
	int i;

	if (st.is_master)
		printf("loadbal: master node %d, up %u s; every %d ms, move when loads "
		    "differ by >= %d, settle %d ms, at most %d moves a job\n",
		    st.master, st.uptime_ms / 1000, LB_PERIOD_MS, LB_THRESHOLD,
		    LB_SETTLE_MS, LB_MAX_MOVES);
	else
		printf("loadbal: agent on node %d, master node %d, up %u s\n",
		    st.hdr.node, st.master, st.uptime_ms / 1000);
	printf("node  ready  load  cpu%%  cpu-bound  heard\n");
	for (i = 0; i < st.nnodes; i++)
		printf("%4d  %5d  %4d  %4d  %9d  %u ms ago%s\n", st.nodes[i].node,
		    st.nodes[i].ready, st.nodes[i].load, st.nodes[i].cpu, st.nodes[i].ncand,
		    st.nodes[i].age_ms,
		    st.is_master && st.nodes[i].age_ms >= LB_STALE_MS ? " (left out)" : "");
	printf("%s (oldest first):%s\n", st.is_master ? "decisions" : "moves carried out",
	    st.nlog ? "" : " none");
	for (i = 0; i < st.nlog; i++)
		print_move(&st.log[i]);
	for (i = 0; i < st.njobs; i++) {
		const struct lb_job *j = &st.jobs[i];

		printf("job %d:%d %s moves %d", DIST_NODE(j->gpid), DIST_LOCAL(j->gpid),
		    j->name, j->moves);
		if (j->pinned)
			printf(", stays: %s", mig_why_name(j->pinned));
		printf("\n");
	}
	printf("moves: %u ok, %u failed\n", st.moves_ok, st.moves_failed);
}

int
main(int argc, char **argv)
{
	int node = -1;

	if (argc == 3 && strcmp(argv[1], "-n") == 0)
		node = atoi(argv[2]);
	else if (argc != 1)
		usage();
	if (query(node) < 0)
		return 1;
	/* Asked our own agent: the master knows the whole picture. */
	if (node < 0 && !st.is_master && query(st.master) < 0) {
		printf("loadbal: the master does not answer; this node's view:\n");
		if (query(-1) < 0)
			return 1;
	}
	print_status();
	return 0;
}
