/*
 * rps: the process list of another node, over RPC (rps.x, served by its
 * rpcd): brinch's version of the textbook's "list current users".
 *
 *   rps [-t timeout_ms] node|address
 */
// rpc: rps_xdr rps_clnt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "rps.h"

static const char *
state_name(int s)
{
	static const char *names[] = { "?", "NEW", "READY", "RUNNING", "WAITING",
	    "ZOMBIE", "SUSPENDED" };

	return s >= 0 && s <= RPS_SUSPENDED ? names[s] : "?";
}

int
main(int argc, char *argv[])
{
	struct rpc_client *c;
	enum rpc_stat st;
	unsigned timeout = 3000;
	uint32_t addr;
	rps_res res;
	int first = 0, argi = 1;
	unsigned i;

	if (argc == 4 && strcmp(argv[1], "-t") == 0) {
		timeout = (unsigned)atoi(argv[2]);
		argi = 3;
	}
	if (argi != argc - 1) {
		dprintf(2, "usage: rps [-t timeout_ms] node|address\n");
		return 2;
	}
	if (rpc_parse_host(argv[argi], &addr) < 0) {
		dprintf(2, "rps: %s: not a node number or address\n", argv[argi]);
		return 2;
	}
	if ((c = rpc_client_create(addr, 0, RPS_PROG, RPS_VERS, &st)) == NULL) {
		dprintf(2, "rps: %s: %s\n", argv[argi], rpc_strerror(st));
		return 1;
	}
	rpc_client_timeout(c, timeout, 0);
	/* One datagram holds RPS_MAX processes: ask again from next_pid. */
	do {
		if ((st = rps_list_1(c, &first, &res)) != RPC_SUCCESS) {
			dprintf(2, "rps: %s: %s\n", argv[argi], rpc_strerror(st));
			return 1;
		}
		if (first == 0) {
			printf("node %d (%s), up %u s\n", res.node, inet_ntoa(addr),
			    res.uptime_s);
			printf("%5s %5s %-9s %6s %6s %s\n", "PID", "PPID", "STATE",
			    "TICKS", "MEM", "NAME");
		}
		for (i = 0; i < res.procs.rps_procs_len; i++) {
			rps_proc *p = &res.procs.rps_procs_val[i];

			printf("%5d %5d %-9s %6u %5uK %s\n", p->pid, p->ppid,
			    state_name(p->state), p->ticks, p->mem_kb, p->name);
		}
		first = res.next_pid;
	} while (res.more);
	rpc_client_destroy(c);
	return 0;
}
