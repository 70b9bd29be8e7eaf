/*
 * The portmapper, program 100000 (RFC 1833): version 2 maps a program
 * and version to a UDP or TCP port; versions 3 and 4 ("rpcbind") to a
 * universal address.  Client calls here; the server is /bin/portmap.
 */
#ifndef _RPC_PMAP_H
#define _RPC_PMAP_H

#include <stdint.h>
#include "rpc.h"

#define PMAP_PORT	111
#define PMAP_PROG	100000
#define PMAP_VERS	2		/* RFC 1833 section 3 */
#define RPCB_VERS	3		/* RFC 1833 section 2 */
#define RPCB_VERS4	4

/* Version 2 procedures. */
#define PMAPPROC_NULL		0
#define PMAPPROC_SET		1
#define PMAPPROC_UNSET		2
#define PMAPPROC_GETPORT	3
#define PMAPPROC_DUMP		4
#define PMAPPROC_CALLIT		5

/* Versions 3 and 4 (the ones brinch answers). */
#define RPCBPROC_SET		1
#define RPCBPROC_UNSET		2
#define RPCBPROC_GETADDR	3
#define RPCBPROC_DUMP		4
#define RPCBPROC_GETTIME	6
#define RPCBPROC_GETVERSADDR	9	/* version 4 only */

/* struct mapping: IPPROTO_UDP or IPPROTO_TCP (6) in prot. */
#define PMAP_IPPROTO_TCP	6
struct pmap_mapping {
	uint32_t	prog, vers, prot, port;
};
int	xdr_pmap_mapping(struct xdr *x, void *m);

/* Ask addr's portmapper where prog/vers listens on UDP. */
enum rpc_stat pmap_getport(uint32_t addr, uint32_t prog, uint32_t vers,
	    uint16_t *port, unsigned timeout_ms);
/* Register or remove our own mapping with the local portmapper. */
enum rpc_stat pmap_set(uint32_t prog, uint32_t vers, uint16_t port);
enum rpc_stat pmap_unset(uint32_t prog, uint32_t vers);
/* Up to max mappings of addr's portmapper into out; *n says how many. */
enum rpc_stat pmap_dump(uint32_t addr, struct pmap_mapping *out, int max,
	    int *n, unsigned timeout_ms);

#endif
