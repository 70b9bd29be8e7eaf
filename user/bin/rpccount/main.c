/*
 * rpccount: calls INCR on a node's counter (counter.x) many times and
 * reports what came back, to show at-most-once semantics: afterwards the
 * counter must equal the number of calls that succeeded.
 *
 *   rpccount [-n calls] [-t timeout_ms] [-r retry_ms] [-q] node|address
 *
 * Resets the counter first.  Every failed call is printed with its
 * error; the summary line is
 *   rpccount: N calls, S ok, E failed, counter C, retransmits R
 */
// rpc: counter_xdr counter_clnt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "counter.h"

int
main(int argc, char *argv[])
{
	unsigned timeout = 5000, retry = 0, one = 1;
	int i, n = 100, quiet = 0, ok = 0, bad = 0;
	struct rpc_client_stats cs;
	struct rpc_client *c;
	enum rpc_stat st;
	uint64_t value, last = 0;
	uint32_t addr;

	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc - 1)
			n = atoi(argv[++i]);
		else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc - 1)
			timeout = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc - 1)
			retry = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else
			break;
	}
	if (i != argc - 1 || rpc_parse_host(argv[i], &addr) < 0) {
		dprintf(2, "usage: rpccount [-n calls] [-t timeout_ms] [-r retry_ms] [-q] node\n");
		return 2;
	}
	if ((c = rpc_client_create(addr, 0, COUNTER_PROG, COUNTER_VERS, &st)) == NULL) {
		dprintf(2, "rpccount: %s: %s\n", argv[i], rpc_strerror(st));
		return 1;
	}
	/* RESET and GET must not fail for a short -t: give them 10 s. */
	rpc_client_timeout(c, 10000, retry);
	if ((st = reset_1(c)) != RPC_SUCCESS) {
		dprintf(2, "rpccount: reset: %s\n", rpc_strerror(st));
		return 1;
	}
	rpc_client_timeout(c, timeout, 0);
	for (i = 0; i < n; i++) {
		if ((st = incr_1(c, &one, &value)) == RPC_SUCCESS) {
			ok++;
			/* Each success added exactly one, so values climb
			 * by one per success unless a failed call added too. */
			if (!quiet && value != last + 1)
				printf("rpccount: call %d: counter %u after %u\n", i,
				    (unsigned)value, (unsigned)last);
			last = value;
		} else {
			bad++;
			printf("rpccount: call %d: %s\n", i, rpc_strerror(st));
		}
	}
	rpc_client_timeout(c, 10000, 0);
	if ((st = get_1(c, &value)) != RPC_SUCCESS) {
		dprintf(2, "rpccount: get: %s\n", rpc_strerror(st));
		return 1;
	}
	rpc_client_stats(c, &cs);
	printf("rpccount: %d calls, %d ok, %d failed, counter %u, retransmits %u, "
	    "stale replies %u\n", n, ok, bad, (unsigned)value, cs.retransmits, cs.stale);
	rpc_client_destroy(c);
	return value == (uint64_t)ok ? 0 : 1;
}
