/*
 * The ONC RPC version 2 message (RFC 5531 section 9): constants and the
 * call and reply headers that come before a procedure's arguments or
 * results.  Encoded and decoded by user/lib/rpc_msg.c.
 */
#ifndef _RPC_RPC_MSG_H
#define _RPC_RPC_MSG_H

#include <stdint.h>
#include "xdr.h"

#define RPC_VERSION	2	/* the only rpcvers a server accepts */

/* enum msg_type */
#define RPC_CALL	0
#define RPC_REPLY	1

/* enum reply_stat */
#define MSG_ACCEPTED	0
#define MSG_DENIED	1

/* enum accept_stat: how an accepted call went */
#define SUCCESS		0	/* results follow */
#define PROG_UNAVAIL	1	/* no such program here */
#define PROG_MISMATCH	2	/* program here, not that version: low, high */
#define PROC_UNAVAIL	3	/* no such procedure in the program */
#define GARBAGE_ARGS	4	/* arguments could not be decoded */
#define SYSTEM_ERR	5	/* e.g. out of memory, result too large */

/* enum reject_stat: why a call was refused */
#define RPC_MISMATCH	0	/* rpcvers was not 2: low, high */
#define AUTH_ERROR	1	/* with an auth_stat */

/* enum auth_flavor (RFC 5531 section 10 and appendix A) */
#define AUTH_NONE	0
#define AUTH_SYS	1
#define AUTH_SHORT	2
#define AUTH_DH		3
#define RPCSEC_GSS	6

/* enum auth_stat */
#define AUTH_OK			0
#define AUTH_BADCRED		1
#define AUTH_REJECTEDCRED	2
#define AUTH_BADVERF		3
#define AUTH_REJECTEDVERF	4
#define AUTH_TOOWEAK		5

#define MAX_AUTH_BYTES	400	/* opaque_auth body<400> */

/* opaque_auth: when decoded, body points into the message buffer. */
struct opaque_auth {
	int32_t		 flavor;
	uint32_t	 len;
	const uint8_t	*body;
};

struct rpc_call_hdr {
	uint32_t	 xid;
	uint32_t	 rpcvers;
	uint32_t	 prog, vers, proc;
	struct opaque_auth cred, verf;
};

struct rpc_reply_hdr {
	uint32_t	 xid;
	int32_t		 stat;		/* MSG_ACCEPTED or MSG_DENIED */
	int32_t		 accept;	/* accept_stat when accepted */
	int32_t		 reject;	/* reject_stat when denied */
	int32_t		 auth;		/* auth_stat for AUTH_ERROR */
	uint32_t	 low, high;	/* PROG_MISMATCH, RPC_MISMATCH */
	struct opaque_auth verf;
};

/* What rpc_decode_call found wrong, for the server to answer or drop. */
#define RPC_HDR_OK		0
#define RPC_HDR_GARBLED		1	/* too short or undecodable: drop */
#define RPC_HDR_NOT_CALL	2	/* a reply or an unknown msg_type: drop */
#define RPC_HDR_BAD_VERSION	3	/* rpcvers != 2: deny RPC_MISMATCH */
#define RPC_HDR_BAD_AUTH	4	/* credential over 400 bytes: deny */

int	rpc_encode_call(struct xdr *x, const struct rpc_call_hdr *h);
/* Decodes up to the arguments, leaving x positioned on them. */
int	rpc_decode_call(struct xdr *x, struct rpc_call_hdr *h);
int	rpc_encode_reply(struct xdr *x, const struct rpc_reply_hdr *h);
/* Returns 1 and leaves x on the results if well formed, else 0. */
int	rpc_decode_reply(struct xdr *x, struct rpc_reply_hdr *h);
/* A reply header for req's xid: accepted with stat, or denied. */
void	rpc_reply_hdr_init(struct rpc_reply_hdr *h, uint32_t xid, int32_t accept);

const char *rpc_accept_name(int32_t accept);	/* "PROG_UNAVAIL"... */

#endif
