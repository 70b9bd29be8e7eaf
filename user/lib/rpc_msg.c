/*
 * ONC RPC message headers (RFC 5531 section 9) in XDR: what every call
 * and reply carries before the procedure's own arguments or results.
 * Pure code, tested on the host by tests/unit/test_xdr.c.
 */
#include "user/include/rpc/rpc_msg.h"

/* opaque_auth: a flavor and up to 400 bytes the flavor interprets.
 * Decoding leaves body pointing into the message: nobody here needs
 * the credentials after the call (brinch authenticates no one). */
static int
xdr_auth(struct xdr *x, struct opaque_auth *a)
{
	uint8_t *body;

	if (!xdr_enum(x, &a->flavor))
		return 0;
	if (x->op == XDR_ENCODE) {
		if (a->len > MAX_AUTH_BYTES) {
			x->error = XDR_ELIMIT;
			return 0;
		}
		return xdr_u_int(x, &a->len) &&
		    xdr_opaque(x, (void *)a->body, a->len);
	}
	if (!xdr_u_int(x, &a->len))
		return 0;
	if (a->len > MAX_AUTH_BYTES) {
		x->error = XDR_ELIMIT;
		return 0;
	}
	if ((body = xdr_inline(x, a->len)) == NULL)
		return 0;
	a->body = body;
	return 1;
}

int
rpc_encode_call(struct xdr *x, const struct rpc_call_hdr *h)
{
	uint32_t mtype = RPC_CALL, rpcvers = RPC_VERSION;
	struct rpc_call_hdr c = *h;

	return xdr_u_int(x, &c.xid) && xdr_u_int(x, &mtype) &&
	    xdr_u_int(x, &rpcvers) && xdr_u_int(x, &c.prog) &&
	    xdr_u_int(x, &c.vers) && xdr_u_int(x, &c.proc) &&
	    xdr_auth(x, &c.cred) && xdr_auth(x, &c.verf);
}

/*
 * The order of the checks follows what a server can still answer: with
 * no xid there is nobody to reply to (drop); a wrong rpcvers means the
 * rest may mean anything, so it is denied before reading further
 * (RPC_MISMATCH, section 9); an oversized credential is denied too.
 */
int
rpc_decode_call(struct xdr *x, struct rpc_call_hdr *h)
{
	uint32_t mtype;

	if (!xdr_u_int(x, &h->xid) || !xdr_u_int(x, &mtype))
		return RPC_HDR_GARBLED;
	if (mtype != RPC_CALL)
		return RPC_HDR_NOT_CALL;
	if (!xdr_u_int(x, &h->rpcvers))
		return RPC_HDR_GARBLED;
	if (h->rpcvers != RPC_VERSION)
		return RPC_HDR_BAD_VERSION;
	if (!xdr_u_int(x, &h->prog) || !xdr_u_int(x, &h->vers) ||
	    !xdr_u_int(x, &h->proc))
		return RPC_HDR_GARBLED;
	if (!xdr_auth(x, &h->cred) || !xdr_auth(x, &h->verf))
		return x->error == XDR_ELIMIT ? RPC_HDR_BAD_AUTH : RPC_HDR_GARBLED;
	return RPC_HDR_OK;
}

void
rpc_reply_hdr_init(struct rpc_reply_hdr *h, uint32_t xid, int32_t accept)
{
	h->xid = xid;
	h->stat = MSG_ACCEPTED;
	h->accept = accept;
	h->reject = 0;
	h->auth = AUTH_OK;
	h->low = h->high = 0;
	h->verf.flavor = AUTH_NONE;
	h->verf.len = 0;
	h->verf.body = NULL;
}

/* reply_body: accepted (a verifier, then accept_stat and what that
 * case carries) or denied (reject_stat and its case). */
int
rpc_encode_reply(struct xdr *x, const struct rpc_reply_hdr *h)
{
	struct rpc_reply_hdr r = *h;
	uint32_t mtype = RPC_REPLY;

	if (!xdr_u_int(x, &r.xid) || !xdr_u_int(x, &mtype) || !xdr_enum(x, &r.stat))
		return 0;
	if (r.stat == MSG_DENIED) {
		if (!xdr_enum(x, &r.reject))
			return 0;
		if (r.reject == RPC_MISMATCH)
			return xdr_u_int(x, &r.low) && xdr_u_int(x, &r.high);
		return xdr_enum(x, &r.auth);
	}
	if (!xdr_auth(x, &r.verf) || !xdr_enum(x, &r.accept))
		return 0;
	if (r.accept == PROG_MISMATCH)
		return xdr_u_int(x, &r.low) && xdr_u_int(x, &r.high);
	return 1;
}

/* Called after the xid and msg_type have been read and found a REPLY. */
int
rpc_decode_reply(struct xdr *x, struct rpc_reply_hdr *h)
{
	rpc_reply_hdr_init(h, h->xid, SUCCESS);
	if (!xdr_enum(x, &h->stat))
		return 0;
	if (h->stat == MSG_DENIED) {
		if (!xdr_enum(x, &h->reject))
			return 0;
		if (h->reject == RPC_MISMATCH)
			return xdr_u_int(x, &h->low) && xdr_u_int(x, &h->high);
		if (h->reject == AUTH_ERROR)
			return xdr_enum(x, &h->auth);
		return 0;
	}
	if (h->stat != MSG_ACCEPTED)
		return 0;
	if (!xdr_auth(x, &h->verf) || !xdr_enum(x, &h->accept))
		return 0;
	if (h->accept == PROG_MISMATCH)
		return xdr_u_int(x, &h->low) && xdr_u_int(x, &h->high);
	return h->accept >= SUCCESS && h->accept <= SYSTEM_ERR;
}

const char *
rpc_accept_name(int32_t accept)
{
	static const char *names[] = {
		"SUCCESS", "PROG_UNAVAIL", "PROG_MISMATCH", "PROC_UNAVAIL",
		"GARBAGE_ARGS", "SYSTEM_ERR",
	};

	if (accept >= 0 && accept <= SYSTEM_ERR)
		return names[accept];
	return "unknown accept_stat";
}
