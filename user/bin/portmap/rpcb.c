/*
 * portmap, versions 3 and 4 of program 100000 ("rpcbind", RFC 1833
 * section 2): the same table, with addresses as strings.  Linux's
 * rpcinfo and libtirpc clients ask these before version 2.
 */
#include <stdio.h>
#include <string.h>
#include <brinch.h>
#include <arpa/inet.h>
#include "portmap.h"

#define NETID_LEN	16
#define UADDR_LEN	32

/* struct rpcb, decoded into fixed buffers. */
struct rpcb {
	uint32_t	 prog, vers;
	char		 netid[NETID_LEN];
	char		 addr[UADDR_LEN];
	char		 owner[OWNER_LEN];
};

static int
xdr_rpcb(struct xdr *x, void *obj)
{
	struct rpcb *r = obj;

	return xdr_u_int(x, &r->prog) && xdr_u_int(x, &r->vers) &&
	    xdr_string_buf(x, r->netid, sizeof(r->netid)) &&
	    xdr_string_buf(x, r->addr, sizeof(r->addr)) &&
	    xdr_string_buf(x, r->owner, sizeof(r->owner));
}

/* A universal address (RFC 1833, "h1.h2.h3.h4.p1.p2"): the IPv4
 * address dotted, then the port's high and low bytes. */
static void
uaddr(uint32_t ip, uint32_t port, char *out)
{
	char a[16];

	snprintf(out, UADDR_LEN, "%s.%u.%u", inet_ntoa_r(ip, a),
	    (unsigned)(port >> 8) & 255, (unsigned)port & 255);
}

/* The port in a universal address; 0 if it is not one. */
static uint32_t
uaddr_port(const char *s)
{
	uint32_t part[6] = { 0 };
	int i = 0, digits = 0;

	for (; *s; s++) {
		if (*s == '.') {
			if (digits == 0 || ++i == 6)
				return 0;
			digits = 0;
		} else if (*s >= '0' && *s <= '9' && digits < 3) {
			part[i] = part[i] * 10 + (uint32_t)(*s - '0');
			digits++;
		} else {
			return 0;
		}
	}
	if (i != 5 || digits == 0 || part[4] > 255 || part[5] > 255)
		return 0;
	return part[4] << 8 | part[5];
}

static uint32_t
netid_prot(const char *netid)
{
	if (strcmp(netid, "udp") == 0)
		return IPPROTO_UDP;
	if (strcmp(netid, "tcp") == 0)
		return PMAP_IPPROTO_TCP;
	return 0;
}

/* Results are encoded here rather than through a struct: each is one
 * pass over the table. */
static const struct rpc_req *cur;

static int
xdr_one_rpcb(struct xdr *x, const struct map *e)
{
	char addr[UADDR_LEN], netid[NETID_LEN], owner[OWNER_LEN];
	uint32_t prog = e->m.prog, vers = e->m.vers;

	uaddr(local_addr_for(cur), e->m.port, addr);
	strlcpy(netid, e->m.prot == IPPROTO_UDP ? "udp" : "tcp", sizeof(netid));
	strlcpy(owner, e->owner, sizeof(owner));
	return xdr_u_int(x, &prog) && xdr_u_int(x, &vers) &&
	    xdr_string_buf(x, netid, sizeof(netid)) &&
	    xdr_string_buf(x, addr, sizeof(addr)) &&
	    xdr_string_buf(x, owner, sizeof(owner));
}

/* rpcblist_ptr: optional-data, as in version 2's DUMP. */
static int
xdr_rpcblist(struct xdr *x, void *unused)
{
	bool_t more = TRUE, end = FALSE;
	int i;

	for (i = 0; i < NMAP; i++)
		if (maps[i].used && (!xdr_bool(x, &more) ||
		    !xdr_one_rpcb(x, &maps[i])))
			return 0;
	return xdr_bool(x, &end);
}

static int
xdr_string_p(struct xdr *x, void *s)
{
	return xdr_string_buf(x, s, UADDR_LEN);
}

static int
xdr_bool_p(struct xdr *x, void *v)
{
	return xdr_bool(x, v);
}

static int
xdr_u_int_p(struct xdr *x, void *v)
{
	return xdr_u_int(x, v);
}

/* GETADDRLIST (version 4): rpcb_entry_list_ptr, one rpcb_entry per
 * transport the program is on: address, netid, semantics, family,
 * protocol.  Ours is only ever UDP (NC_TPI_CLTS = 1). */
static struct rpcb want;

static int
xdr_entry_list(struct xdr *x, void *unused)
{
	char addr[UADDR_LEN], udp[] = "udp", inet[] = "inet";
	bool_t more = TRUE, end = FALSE;
	uint32_t clts = 1;
	int i;

	for (i = 0; i < NMAP; i++) {
		if (!maps[i].used || maps[i].m.prog != want.prog ||
		    maps[i].m.vers != want.vers || maps[i].m.prot != IPPROTO_UDP)
			continue;
		uaddr(local_addr_for(cur), maps[i].m.port, addr);
		if (!xdr_bool(x, &more) || !xdr_string_buf(x, addr, sizeof(addr)) ||
		    !xdr_string_buf(x, udp, sizeof(udp)) || !xdr_u_int(x, &clts) ||
		    !xdr_string_buf(x, inet, sizeof(inet)) ||
		    !xdr_string_buf(x, udp, sizeof(udp)))
			return 0;
	}
	return xdr_bool(x, &end);
}

int
rpcb_dispatch(struct rpc_req *req)
{
	struct pmap_mapping m;
	char addr[UADDR_LEN];
	struct map *e;
	uint32_t secs;
	bool_t ok;

	cur = req;
	switch (req->proc) {
	case 0:
		return rpc_putres(req, xdr_void, NULL);
	case RPCBPROC_SET:
	case RPCBPROC_UNSET:
		if (!rpc_getargs(req, xdr_rpcb, &want))
			return GARBAGE_ARGS;
		ok = FALSE;
		if (from_local(req) && req->proc == RPCBPROC_UNSET)
			ok = remove_maps(want.prog, want.vers);
		else if (from_local(req) && netid_prot(want.netid)) {
			m.prog = want.prog;
			m.vers = want.vers;
			m.prot = netid_prot(want.netid);
			m.port = uaddr_port(want.addr);
			ok = add_map(&m, want.owner[0] ? want.owner : NULL);
		}
		return rpc_putres(req, xdr_bool_p, &ok);
	case RPCBPROC_GETADDR:
	case RPCBPROC_GETVERSADDR:
		if (req->proc == RPCBPROC_GETVERSADDR && req->vers != RPCB_VERS4)
			return PROC_UNAVAIL;
		if (!rpc_getargs(req, xdr_rpcb, &want))
			return GARBAGE_ARGS;
		prune();
		addr[0] = '\0';		/* "" means not registered */
		if ((e = lookup(want.prog, want.vers, netid_prot(want.netid))))
			uaddr(local_addr_for(req), e->m.port, addr);
		return rpc_putres(req, xdr_string_p, addr);
	case RPCBPROC_DUMP:
		prune();
		return rpc_putres(req, xdr_rpcblist, NULL);
	case RPCBPROC_GETTIME:
		/* brinch has no calendar clock: seconds since boot. */
		secs = (uint32_t)(uptime_us() / 1000000);
		return rpc_putres(req, xdr_u_int_p, &secs);
	case 11:	/* RPCBPROC_GETADDRLIST, version 4 */
		if (req->vers != RPCB_VERS4)
			return PROC_UNAVAIL;
		if (!rpc_getargs(req, xdr_rpcb, &want))
			return GARBAGE_ARGS;
		prune();
		return rpc_putres(req, xdr_entry_list, NULL);
	}
	return PROC_UNAVAIL;
}
