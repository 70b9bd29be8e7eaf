/*
 * migrate: move a running process to another node (docs/migration.md).
 *   migrate PID NODE [stop|precopy|lazy] [-v]
 *                      PID is a pid here, or HOME:PID for a process that
 *                      arrived from node HOME; -v prints every round
 *   migrate -a NODE [stop|precopy]
 *                      availability: move every process that can go, and
 *                      say for each one that cannot why not
 * tests/integration/test_migrate.py runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dist.h>
#include <migrate.h>

static int verbose;

static void
usage(void)
{
	dprintf(2, "usage: migrate PID NODE [stop|precopy|lazy] [-v]\n"
	    "       migrate -a NODE [stop|precopy]\n");
	exit(2);
}

static int
parse_how(const char *s)
{
	if (strcmp(s, "stop") == 0)
		return MIG_STOP;
	if (strcmp(s, "precopy") == 0)
		return MIG_PRECOPY;
	if (strcmp(s, "lazy") == 0)
		return MIG_LAZY;
	usage();
	return -1;
}

/* "17" or "0:17" (process 17 of node 0, as a global pid). */
static int
parse_pid(const char *s)
{
	const char *colon = strchr(s, ':');

	if (colon)
		return DIST_PID(atoi(s), atoi(colon + 1));
	return atoi(s);
}

static void
report(const struct mig_record *r)
{
	uint32_t i;

	printf("migrate: %d (%s) -> node %d: %s, %u round%s, %u pages, %u bytes, "
	    "freeze %u us, total %u us (%s)\n", DIST_LOCAL(r->pid), r->name, r->to,
	    mig_how_name(r->how), r->rounds, r->rounds == 1 ? "" : "s",
	    r->pages_sent, r->bytes_sent, r->freeze_us, r->total_us,
	    mig_stop_name(r->stop_reason));
	for (i = 0; verbose && i < r->rounds && i < MIG_ROUNDS_LOGGED; i++)
		printf("  round %u: %u pages sent, %u dirtied meanwhile, %u bytes, %u us\n",
		    i + 1, r->round[i].pages, r->round[i].dirtied, r->round[i].bytes,
		    r->round[i].us);
}

static int
move(int pid, int node, int how, const char *name)
{
	struct mig_record r;

	memset(&r, 0, sizeof(r));
	if (migrate(pid, node, how, &r) == 0) {
		report(&r);
		return 0;
	}
	if (!name)
		name = r.id ? r.name : "?";	/* refused before a record was made */
	if (errno == EBUSY && r.why)
		printf("migrate: %d (%s): cannot move: %s (%d)\n", pid, name,
		    mig_why_name(r.why), r.why_arg);
	else
		printf("migrate: %d (%s): %s\n", pid, name, strerror(errno));
	return -1;
}

/* Drain this node: everything that can move goes to node. */
static int
move_all(int node, int how)
{
	static struct proc_info procs[64];
	int i, n, failed = 0, moved = 0;

	if ((n = ps(procs, 64)) < 0) {
		dprintf(2, "migrate: ps: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (procs[i].pid == 0 || procs[i].pid == getpid() ||
		    procs[i].state == PSTATE_ZOMBIE || procs[i].state == PSTATE_MOVED)
			continue;
		if (move(procs[i].pid, node, how, procs[i].name) == 0)
			moved++;
		else
			failed++;
	}
	printf("migrate: %d moved to node %d, %d stay\n", moved, node, failed);
	return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	int how = MIG_PRECOPY, i, nargs = 0, all = 0;
	char *args[3];

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-a") == 0)
			all = 1;
		else if (nargs < 3)
			args[nargs++] = argv[i];
		else
			usage();
	}
	if (all) {
		if (nargs < 1 || nargs > 2)
			usage();
		if (nargs == 2)
			how = parse_how(args[1]);
		return move_all(atoi(args[0]), how);
	}
	if (nargs < 2)
		usage();
	if (nargs == 3)
		how = parse_how(args[2]);
	return move(parse_pid(args[0]), atoi(args[1]), how, NULL) == 0 ? 0 : 1;
}
