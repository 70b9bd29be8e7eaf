/*
 * dlock: distributed locking and deadlock handling (docs/deadlock.md).
 *   dlock serve [-n NODES] [-c]       this node's lock server (run with &);
 *                                     -c: also the deadlock coordinator
 *   dlock stat                        the local server's detection counters
 *   dlock txn POLICY [-n NODES] [-h MS] [-d MS] NAME:TS:R1,R2,... ...
 *       run each transaction in its own process: lock R1, R2... (resource
 *       r on node r % NODES), hold MS, unlock; -d MS between two locks.
 *       POLICY: none, order (global ordering: EDEADLK), wait-die,
 *       wound-wait, detect (the -c server's global wait-for graph),
 *       cmh (Chandy-Misra-Haas edge chasing), banker (node 0 grants only
 *       safe requests; the claim is the list).  Timestamps 1..15 for the
 *       last three.  Ends with `dlock: N of M committed, R restarts`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dlock.h"

static int
usage(void)
{
	dprintf(2, "usage: dlock serve [-n NODES] [-c] | dlock stat | dlock txn "
	    "none|order|wait-die|wound-wait|detect|cmh|banker [-n NODES] [-h MS] [-d MS] "
	    "NAME:TS:R1,R2,...\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	int nodes = 3, hold_ms = 100, step_ms = 0, policy = -1, i = 2, coordinator = 0;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "txn") == 0) {
		if (argc < 3 || (policy = dlock_policy(argv[2])) < 0)
			return usage();
		i = 3;
	} else if (strcmp(argv[1], "serve") != 0 && strcmp(argv[1], "stat") != 0) {
		return usage();
	}
	if (strcmp(argv[1], "stat") == 0)
		return dlock_stat();
	for (; i < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-c") == 0) {
			coordinator = 1;
			i--;
		} else if (i + 1 >= argc)
			return usage();
		else if (strcmp(argv[i], "-n") == 0)
			nodes = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-h") == 0)
			hold_ms = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-d") == 0)
			step_ms = atoi(argv[i + 1]);
		else
			return usage();
	}
	if (policy < 0)
		return dlock_serve(nodes, coordinator);
	if (i >= argc || nodes < 1 || nodes > DL_MAX)
		return usage();
	return dlock_txns(policy, nodes, argc - i, argv + i, hold_ms, step_ms);
}
