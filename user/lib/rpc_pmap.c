/*
 * Finding RPC servers: node numbers to addresses (docs/network.md's
 * node N = 10.0.0.(N+1) convention), and the client side of the portmapper, program
 * 100000 version 2 on UDP port 111 (RFC 1833 section 3).
 */
#include <string.h>
#include <brinch.h>
#include <arpa/inet.h>
#include <rpc/rpc.h>
#include <rpc/pmap.h>

#define LOOPBACK	0x7F000001u	/* 127.0.0.1, host order */

/* The subnet comes from our own interface, so a cluster booted with
 * ip=/netmask= on the command line keeps "node n = host part n + 1"
 * (host part 0 names the subnet itself). */
uint32_t
rpc_node_addr(int node)
{
	static struct net_info ni;
	static int have;

	if (node < 0)
		return htonl(LOOPBACK);
	if (!have) {
		if (net_info(&ni) < 0 || !ni.present || ni.ip == 0) {
			ni.ip = htonl(0x0A000000u);		/* 10.0.0.0 */
			ni.netmask = htonl(0xFFFFFF00u);
		}
		have = 1;
	}
	return (ni.ip & ni.netmask) | (htonl((uint32_t)node + 1) & ~ni.netmask);
}

int
rpc_parse_host(const char *s, uint32_t *addr)
{
	const char *p;
	int node = 0;

	if (strcmp(s, "localhost") == 0) {
		*addr = htonl(LOOPBACK);
		return 0;
	}
	if (inet_aton(s, addr))
		return 0;
	if (*s == '\0')
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9' || node > 253)
			return -1;
		node = node * 10 + (*p - '0');
	}
	if (node > 253)
		return -1;
	*addr = rpc_node_addr(node);
	return 0;
}

int
xdr_pmap_mapping(struct xdr *x, void *obj)
{
	struct pmap_mapping *m = obj;

	return xdr_u_int(x, &m->prog) && xdr_u_int(x, &m->vers) &&
	    xdr_u_int(x, &m->prot) && xdr_u_int(x, &m->port);
}

static int
xdr_u_int_proc(struct xdr *x, void *v)
{
	return xdr_u_int(x, v);
}

static int
xdr_bool_proc(struct xdr *x, void *v)
{
	return xdr_bool(x, v);
}

/* One short-lived client per question: the portmapper is asked rarely
 * (rpc_call caches the answer) and each answer is small. */
static enum rpc_stat
ask(uint32_t addr, uint32_t proc, xdrproc_t xargs, const void *args,
    xdrproc_t xres, void *res, unsigned timeout_ms)
{
	struct rpc_client *c;
	enum rpc_stat st;

	if ((c = rpc_client_create(addr, PMAP_PORT, PMAP_PROG, PMAP_VERS, &st)) == NULL)
		return st;
	rpc_client_timeout(c, timeout_ms, 200);
	st = rpc_client_call(c, proc, xargs, args, xres, res, timeout_ms);
	rpc_client_destroy(c);
	return st;
}

enum rpc_stat
pmap_getport(uint32_t addr, uint32_t prog, uint32_t vers, uint16_t *port,
    unsigned timeout_ms)
{
	struct pmap_mapping m = { prog, vers, IPPROTO_UDP, 0 };
	uint32_t p = 0;
	enum rpc_stat st;

	st = ask(addr, PMAPPROC_GETPORT, xdr_pmap_mapping, &m, xdr_u_int_proc, &p,
	    timeout_ms);
	if (st == RPC_TIMEDOUT)
		return RPC_PMAPFAILURE;
	if (st != RPC_SUCCESS)
		return st;
	if (p == 0 || p > 0xFFFF)
		return RPC_PROGNOTREGISTERED;
	*port = (uint16_t)p;
	return RPC_SUCCESS;
}

/* SET and UNSET go to our own portmapper over loopback: it accepts them
 * only from this machine (RFC 1833 leaves that policy to it). */
enum rpc_stat
pmap_set(uint32_t prog, uint32_t vers, uint16_t port)
{
	struct pmap_mapping m = { prog, vers, IPPROTO_UDP, port };
	bool_t ok = 0;
	enum rpc_stat st;

	st = ask(htonl(LOOPBACK), PMAPPROC_SET, xdr_pmap_mapping, &m, xdr_bool_proc,
	    &ok, 3000);
	if (st == RPC_SUCCESS && !ok)
		return RPC_FAILED;
	return st == RPC_TIMEDOUT ? RPC_PMAPFAILURE : st;
}

enum rpc_stat
pmap_unset(uint32_t prog, uint32_t vers)
{
	struct pmap_mapping m = { prog, vers, IPPROTO_UDP, 0 };
	bool_t ok = 0;
	enum rpc_stat st;

	st = ask(htonl(LOOPBACK), PMAPPROC_UNSET, xdr_pmap_mapping, &m,
	    xdr_bool_proc, &ok, 1000);
	return st == RPC_TIMEDOUT ? RPC_PMAPFAILURE : st;
}

/* DUMP's result is RFC 4506's optional-data list: a bool "another
 * follows", then a mapping, until FALSE (RFC 1833 section 3.2). */
struct dump_res {
	struct pmap_mapping *out;
	int		 max, n;
};

static int
xdr_dump_res(struct xdr *x, void *obj)
{
	struct dump_res *d = obj;
	struct pmap_mapping m;
	bool_t more;

	for (;;) {
		if (!xdr_bool(x, &more))
			return 0;
		if (!more)
			return 1;
		if (!xdr_pmap_mapping(x, &m))
			return 0;
		if (d->n < d->max)
			d->out[d->n++] = m;
	}
}

enum rpc_stat
pmap_dump(uint32_t addr, struct pmap_mapping *out, int max, int *n,
    unsigned timeout_ms)
{
	struct dump_res d = { out, max, 0 };
	enum rpc_stat st;

	st = ask(addr, PMAPPROC_DUMP, (xdrproc_t)xdr_void, NULL, xdr_dump_res, &d,
	    timeout_ms);
	*n = d.n;
	return st == RPC_TIMEDOUT ? RPC_PMAPFAILURE : st;
}
