/*
 * portmap's table of mappings, shared by main.c (the table and
 * version 2 of program 100000) and rpcb.c (versions 3 and 4, rpcbind).
 */
#ifndef PORTMAP_H
#define PORTMAP_H

#include <rpc/rpc.h>
#include <rpc/pmap.h>

#define NMAP		64
#define OWNER_LEN	16

struct map {
	int		 used;
	struct pmap_mapping m;
	char		 owner[OWNER_LEN];	/* who registered it */
};

extern struct map maps[NMAP];

/* Mappings whose UDP port has no socket any more are dropped first
 * (their server died without UNSET), so lookups never name a dead port. */
void	 prune(void);
struct map *lookup(uint32_t prog, uint32_t vers, uint32_t prot);
/* 1 if added, 0 if (prog, vers, prot) is mapped already or no room. */
int	 add_map(const struct pmap_mapping *m, const char *owner);
/* Remove every mapping of prog/vers (any protocol); 1 if there was one. */
int	 remove_maps(uint32_t prog, uint32_t vers);
/* SET and UNSET are accepted from this machine only. */
int	 from_local(const struct rpc_req *req);
/* Our address as a caller on the other side of req sees it. */
uint32_t local_addr_for(const struct rpc_req *req);

int	 rpcb_dispatch(struct rpc_req *req);	/* versions 3 and 4 */

#endif
