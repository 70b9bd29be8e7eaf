/*
 * portmap: the portmapper, RPC program 100000 on UDP and TCP port 111
 * (RFC 1833; over TCP with RFC 5531's record marking, which Linux's
 * `rpcinfo -p` uses).
 * Servers register (program, version) -> port here; clients, brinch's or
 * Linux's `rpcinfo`, ask.  Versions 2 (portmap) and 3, 4 (rpcbind).
 *
 *   portmap [-v]     (started by init when the machine has a network)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <arpa/inet.h>
#include "portmap.h"

struct map maps[NMAP];
static int verbose;

/* The name of the process that owns UDP port `port`, or "?" */
static void
owner_of(uint16_t port, char *out)
{
	static struct sock_info socks[32];
	static struct proc_info procs[64];
	int ns, np, i, j;

	strlcpy(out, "?", OWNER_LEN);
	ns = sock_list(socks, 32);
	for (i = 0; i < ns; i++) {
		if (socks[i].protocol != IPPROTO_UDP || socks[i].local_port != port)
			continue;
		np = ps(procs, 64);
		for (j = 0; j < np; j++)
			if (procs[j].pid == socks[i].owner) {
				procs[j].name[PROC_NAME_LEN - 1] = '\0';
				strlcpy(out, procs[j].name, OWNER_LEN);
			}
	}
}

void
prune(void)
{
	static struct sock_info socks[32];
	int ns, i, k;

	if ((ns = sock_list(socks, 32)) < 0)
		return;
	for (i = 0; i < NMAP; i++) {
		if (!maps[i].used || maps[i].m.prot != IPPROTO_UDP)
			continue;
		for (k = 0; k < ns; k++)
			if (socks[k].protocol == IPPROTO_UDP &&
			    socks[k].local_port == maps[i].m.port)
				break;
		if (k == ns) {
			if (verbose)
				printf("portmap: %u/%u port %u is gone\n",
				    (unsigned)maps[i].m.prog, (unsigned)maps[i].m.vers,
				    (unsigned)maps[i].m.port);
			maps[i].used = 0;
		}
	}
}

struct map *
lookup(uint32_t prog, uint32_t vers, uint32_t prot)
{
	int i;

	for (i = 0; i < NMAP; i++)
		if (maps[i].used && maps[i].m.prog == prog && maps[i].m.vers == vers &&
		    maps[i].m.prot == prot)
			return &maps[i];
	return NULL;
}

int
add_map(const struct pmap_mapping *m, const char *owner)
{
	int i;

	prune();
	if (lookup(m->prog, m->vers, m->prot) || m->port == 0 || m->port > 0xFFFF)
		return 0;
	for (i = 0; i < NMAP; i++) {
		if (!maps[i].used) {
			maps[i].used = 1;
			maps[i].m = *m;
			if (owner)
				strlcpy(maps[i].owner, owner, OWNER_LEN);
			else
				owner_of((uint16_t)m->port, maps[i].owner);
			if (verbose)
				printf("portmap: set %u/%u port %u (%s)\n",
				    (unsigned)m->prog, (unsigned)m->vers,
				    (unsigned)m->port, maps[i].owner);
			return 1;
		}
	}
	return 0;
}

int
remove_maps(uint32_t prog, uint32_t vers)
{
	int i, found = 0;

	for (i = 0; i < NMAP; i++) {
		if (maps[i].used && maps[i].m.prog == prog && maps[i].m.vers == vers) {
			maps[i].used = 0;
			found = 1;
		}
	}
	return found;
}

int
from_local(const struct rpc_req *req)
{
	return (ntohl(req->from.sin_addr) >> 24) == 127;
}

uint32_t
local_addr_for(const struct rpc_req *req)
{
	static struct net_info ni;

	if (from_local(req))
		return req->from.sin_addr;
	if (ni.ip == 0)
		net_info(&ni);
	return ni.ip;
}

/* ---- version 2 (RFC 1833 section 3) ---- */

static int
xdr_u_int_p(struct xdr *x, void *v)
{
	return xdr_u_int(x, v);
}

static int
xdr_bool_p(struct xdr *x, void *v)
{
	return xdr_bool(x, v);
}

/* pmaplist: optional-data (RFC 4506 4.19), a TRUE before each entry
 * and a FALSE at the end. */
static int
xdr_pmaplist(struct xdr *x, void *unused)
{
	bool_t more = TRUE, end = FALSE;
	int i;

	for (i = 0; i < NMAP; i++)
		if (maps[i].used && (!xdr_bool(x, &more) ||
		    !xdr_pmap_mapping(x, &maps[i].m)))
			return 0;
	return xdr_bool(x, &end);
}

static int
pmap2_dispatch(struct rpc_req *req)
{
	struct pmap_mapping m;
	struct map *e;
	uint32_t port;
	bool_t ok;

	switch (req->proc) {
	case PMAPPROC_NULL:
		return rpc_putres(req, xdr_void, NULL);
	case PMAPPROC_SET:
	case PMAPPROC_UNSET:
		if (!rpc_getargs(req, xdr_pmap_mapping, &m))
			return GARBAGE_ARGS;
		if (!from_local(req))
			ok = FALSE;
		else if (req->proc == PMAPPROC_SET)
			ok = add_map(&m, NULL);
		else
			ok = remove_maps(m.prog, m.vers);
		return rpc_putres(req, xdr_bool_p, &ok);
	case PMAPPROC_GETPORT:
		if (!rpc_getargs(req, xdr_pmap_mapping, &m))
			return GARBAGE_ARGS;
		prune();
		e = lookup(m.prog, m.vers, m.prot);
		port = e ? e->m.port : 0;
		return rpc_putres(req, xdr_u_int_p, &port);
	case PMAPPROC_DUMP:
		prune();
		return rpc_putres(req, xdr_pmaplist, NULL);
	}
	/* CALLIT (indirect calls, used for broadcast) is not offered. */
	return PROC_UNAVAIL;
}

int
main(int argc, char *argv[])
{
	struct pmap_mapping self = { PMAP_PROG, 0, IPPROTO_UDP, PMAP_PORT };
	struct rpc_server *s;
	uint32_t v;

	if (argc > 1 && strcmp(argv[1], "-v") == 0)
		verbose = 1;
	if ((s = rpc_server_create(PMAP_PORT)) == NULL) {
		/* No network device is a normal machine, not an error. */
		if (errno != ENETDOWN)
			dprintf(2, "portmap: port %d: %s\n", PMAP_PORT, strerror(errno));
		return errno == ENETDOWN ? 0 : 1;
	}
	rpc_register(s, PMAP_PROG, PMAP_VERS, pmap2_dispatch, RPC_REG_NOPMAP);
	rpc_register(s, PMAP_PROG, RPCB_VERS, rpcb_dispatch, RPC_REG_NOPMAP);
	rpc_register(s, PMAP_PROG, RPCB_VERS4, rpcb_dispatch, RPC_REG_NOPMAP);
	for (v = PMAP_VERS; v <= RPCB_VERS4; v++) {
		self.vers = v;
		add_map(&self, "portmap");
	}
	/* The same procedures on TCP 111; without it only UDP works. */
	if (rpc_server_tcp(s) < 0)
		dprintf(2, "portmap: tcp port %d: %s\n", PMAP_PORT, strerror(errno));
	else
		for (v = PMAP_VERS, self.prot = PMAP_IPPROTO_TCP; v <= RPCB_VERS4; v++) {
			self.vers = v;
			add_map(&self, "portmap");
		}
	if (verbose)
		printf("portmap: listening on port %d\n", PMAP_PORT);
	rpc_run(s);
	return 0;
}
