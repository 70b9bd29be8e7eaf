/*
 * The client side of ONC RPC over UDP (RFC 5531): calls with a fresh
 * xid, retransmitted with the same xid until the matching reply comes or
 * the caller's timeout passes; several calls may be in flight at once.
 * A call in flight keeps its message, and its reply once filed, in
 * memory of their own size, so that eight 32 KiB slots cost nothing
 * while they hold null calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <arpa/inet.h>
#include <rpc/rpc.h>
#include <rpc/pmap.h>

#define MAX_RETRY_US	1000000u	/* retransmission interval ceiling */

struct rpc_call {
	struct rpc_client *c;
	int		 used;
	int		 done;		/* the reply is in reply[] */
	uint32_t	 xid;
	uint64_t	 started;	/* uptime_us() */
	uint64_t	 deadline;
	uint64_t	 next_send;
	uint32_t	 interval;	/* us until the next retransmission */
	uint32_t	 len, reply_len;
	uint8_t		*msg;		/* kept to retransmit (malloc) */
	uint8_t		*reply;		/* once done (malloc) */
};

struct rpc_client {
	int		 fd;
	struct sockaddr_in srv;
	uint32_t	 prog, vers;
	uint32_t	 next_xid;
	unsigned	 timeout_ms, retry_ms;
	uint32_t	 rcvtimeo;	/* what SO_RCVTIMEO is set to now */
	struct rpc_err	 err;
	struct rpc_client_stats st;
	struct rpc_call	 calls[RPC_MAX_PENDING];
	uint8_t		 rbuf[RPC_MAX_MSG];
	uint8_t		 wbuf[RPC_MAX_MSG];	/* a call being encoded */
	uint8_t		 arena[RPC_ARENA_SIZE];
};

const char *
rpc_strerror(enum rpc_stat stat)
{
	switch (stat) {
	case RPC_SUCCESS:		return "RPC: success";
	case RPC_CANTENCODEARGS:	return "RPC: cannot encode arguments (over 32 KiB?)";
	case RPC_CANTDECODERES:		return "RPC: cannot decode results";
	case RPC_CANTSEND:		return "RPC: cannot send";
	case RPC_CANTRECV:		return "RPC: cannot receive";
	case RPC_TIMEDOUT:		return "RPC: timed out (no reply)";
	case RPC_VERSMISMATCH:		return "RPC: RPC version mismatch";
	case RPC_AUTHERROR:		return "RPC: authentication error";
	case RPC_PROGUNAVAIL:		return "RPC: program unavailable";
	case RPC_PROGVERSMISMATCH:	return "RPC: program version mismatch";
	case RPC_PROCUNAVAIL:		return "RPC: procedure unavailable";
	case RPC_CANTDECODEARGS:	return "RPC: server cannot decode arguments";
	case RPC_SYSTEMERROR:		return "RPC: remote system error";
	case RPC_UNKNOWNHOST:		return "RPC: unknown host";
	case RPC_PMAPFAILURE:		return "RPC: portmapper failure (no answer)";
	case RPC_PROGNOTREGISTERED:	return "RPC: program not registered";
	case RPC_FAILED:		return "RPC: failed (no memory or socket)";
	}
	return "RPC: unknown error";
}

struct rpc_client *
rpc_client_create(uint32_t addr, uint16_t port, uint32_t prog, uint32_t vers,
    enum rpc_stat *err)
{
	struct rpc_client *c;
	enum rpc_stat st;

	if (port == 0 && (st = pmap_getport(addr, prog, vers, &port, 3000))
	    != RPC_SUCCESS) {
		*err = st;
		return NULL;
	}
	if ((c = malloc(sizeof(*c))) == NULL) {
		*err = RPC_FAILED;
		return NULL;
	}
	memset(c, 0, sizeof(*c));
	if ((c->fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
		free(c);
		*err = RPC_FAILED;
		return NULL;
	}
	c->srv.sin_family = AF_INET;
	c->srv.sin_addr = addr;
	c->srv.sin_port = htons(port);
	c->prog = prog;
	c->vers = vers;
	c->timeout_ms = 5000;
	c->retry_ms = 100;
	/* Different processes, and the same one after a restart, should not
	 * start from the same xid: a server's duplicate cache would take
	 * the new calls for retransmissions of old ones. */
	c->next_xid = (uint32_t)uptime_us() * 2654435761u ^ (uint32_t)getpid() << 20;
	*err = RPC_SUCCESS;
	return c;
}

struct rpc_client *
rpc_client_node(int node, uint32_t prog, uint32_t vers, enum rpc_stat *err)
{
	return rpc_client_create(rpc_node_addr(node), 0, prog, vers, err);
}

/* The call's slot is free again. */
static void
release(struct rpc_call *k)
{
	free(k->msg);
	free(k->reply);
	k->msg = k->reply = NULL;
	k->used = 0;
}

void
rpc_client_destroy(struct rpc_client *c)
{
	struct rpc_call *k;

	if (c == NULL)
		return;
	for (k = c->calls; k < &c->calls[RPC_MAX_PENDING]; k++)
		if (k->used)
			release(k);
	close(c->fd);
	free(c);
}

void
rpc_client_timeout(struct rpc_client *c, unsigned timeout_ms, unsigned retry_ms)
{
	if (timeout_ms)
		c->timeout_ms = timeout_ms;
	if (retry_ms)
		c->retry_ms = retry_ms;
}

void
rpc_client_geterr(struct rpc_client *c, struct rpc_err *e)
{
	*e = c->err;
}

void
rpc_client_stats(struct rpc_client *c, struct rpc_client_stats *s)
{
	*s = c->st;
}

static enum rpc_stat
failed(struct rpc_client *c, enum rpc_stat st)
{
	c->err.stat = st;
	if (st == RPC_TIMEDOUT)
		c->st.timeouts++;
	return st;
}

struct rpc_call *
rpc_client_start(struct rpc_client *c, uint32_t proc, xdrproc_t xargs,
    const void *args, unsigned timeout_ms, enum rpc_stat *err)
{
	struct rpc_call_hdr h;
	struct rpc_call *k;
	struct xdr x;
	uint64_t now;

	for (k = c->calls; k < &c->calls[RPC_MAX_PENDING] && k->used; k++)
		;
	if (k == &c->calls[RPC_MAX_PENDING]) {
		*err = failed(c, RPC_FAILED);
		return NULL;
	}
	memset(&h, 0, sizeof(h));
	h.xid = c->next_xid++;
	h.prog = c->prog;
	h.vers = c->vers;
	h.proc = proc;
	h.cred.flavor = h.verf.flavor = AUTH_NONE;
	xdr_init(&x, XDR_ENCODE, c->wbuf, sizeof(c->wbuf));
	if (!rpc_encode_call(&x, &h) || !xargs(&x, (void *)args)) {
		*err = failed(c, RPC_CANTENCODEARGS);
		return NULL;
	}
	k->len = xdr_getpos(&x);
	if ((k->msg = malloc(k->len)) == NULL) {
		*err = failed(c, RPC_FAILED);
		return NULL;
	}
	memcpy(k->msg, c->wbuf, k->len);
	k->reply = NULL;
	k->c = c;
	k->xid = h.xid;
	k->done = 0;
	k->started = now = uptime_us();
	k->deadline = now + (uint64_t)(timeout_ms ? timeout_ms : c->timeout_ms) * 1000;
	k->interval = c->retry_ms * 1000;
	k->next_send = now + k->interval;
	if (sendto(c->fd, k->msg, k->len, 0, (struct sockaddr *)&c->srv,
	    sizeof(c->srv)) < 0) {
		c->err.error = errno;
		release(k);
		*err = failed(c, RPC_CANTSEND);
		return NULL;
	}
	k->used = 1;
	c->st.calls++;
	*err = RPC_SUCCESS;
	return k;
}

/* File one datagram under the call it answers.  Anything else (a reply
 * to a call already answered, a retransmitted reply, a stranger's
 * datagram, garbage) is counted and dropped. */
static void
file_reply(struct rpc_client *c, uint32_t n, const struct sockaddr_in *from)
{
	struct rpc_call *k;
	uint32_t xid, mtype;
	struct xdr x;

	xdr_init(&x, XDR_DECODE, c->rbuf, n);
	if (from->sin_addr != c->srv.sin_addr || from->sin_port != c->srv.sin_port ||
	    !xdr_u_int(&x, &xid) || !xdr_u_int(&x, &mtype) || mtype != RPC_REPLY) {
		c->st.bad++;
		return;
	}
	for (k = c->calls; k < &c->calls[RPC_MAX_PENDING]; k++) {
		if (k->used && !k->done && k->xid == xid) {
			if ((k->reply = malloc(n)) == NULL)
				return;		/* as if lost: retransmission covers it */
			memcpy(k->reply, c->rbuf, n);
			k->reply_len = n;
			k->done = 1;
			c->st.replies++;
			return;
		}
	}
	c->st.stale++;
}

/* Retransmit whatever is due; then wait for one datagram until the
 * earliest of h's deadline and the next retransmission.  0 when
 * something happened or time moved on, -1 on a receive error. */
static int
pump(struct rpc_client *c, struct rpc_call *h, uint64_t now, int nowait)
{
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	struct rpc_call *k;
	uint64_t wake = h->deadline;
	uint32_t ms;
	int n;

	for (k = c->calls; k < &c->calls[RPC_MAX_PENDING]; k++) {
		/* A call past its deadline waits for its own rpc_wait to
		 * report the timeout; it neither sends nor wakes us. */
		if (!k->used || k->done || now >= k->deadline)
			continue;
		if (k->next_send <= now) {
			/* The same bytes, so the same xid: a server that
			 * did the call already answers from its cache. */
			sendto(c->fd, k->msg, k->len, 0, (struct sockaddr *)&c->srv,
			    sizeof(c->srv));
			c->st.retransmits++;
			k->interval = k->interval * 2 > MAX_RETRY_US ?
			    MAX_RETRY_US : k->interval * 2;
			k->next_send = now + k->interval;
		}
		if (k->next_send < wake)
			wake = k->next_send;
	}
	if (wake <= now && !nowait)
		return 0;
	ms = wake > now ? (uint32_t)((wake - now + 999) / 1000) : 1;
	if (!nowait && ms != c->rcvtimeo) {
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof(ms));
		c->rcvtimeo = ms;
	}
	n = recvfrom(c->fd, c->rbuf, sizeof(c->rbuf), nowait ? MSG_DONTWAIT : 0,
	    (struct sockaddr *)&from, &fromlen);
	if (n < 0) {
		if (errno == ETIMEDOUT || errno == EAGAIN)
			return 0;
		c->err.error = errno;
		return -1;
	}
	file_reply(c, (uint32_t)n, &from);
	return 0;
}

int
rpc_ready(struct rpc_call *h)
{
	uint64_t now = uptime_us();

	if (!h->done && now < h->deadline)
		pump(h->c, h, now, 1);
	return h->done || uptime_us() >= h->deadline;
}

/* Map the reply header to a status, decode the results on success. */
static enum rpc_stat
finish(struct rpc_client *c, struct rpc_call *h, xdrproc_t xres, void *res)
{
	struct rpc_reply_hdr r;
	uint32_t mtype;
	struct xdr x;

	xdr_init(&x, XDR_DECODE, h->reply, h->reply_len);
	xdr_set_arena(&x, c->arena, sizeof(c->arena));
	if (!xdr_u_int(&x, &r.xid) || !xdr_u_int(&x, &mtype) ||
	    !rpc_decode_reply(&x, &r))
		return failed(c, RPC_CANTDECODERES);
	if (r.stat == MSG_DENIED) {
		c->err.low = r.low;
		c->err.high = r.high;
		return failed(c, r.reject == RPC_MISMATCH ? RPC_VERSMISMATCH :
		    RPC_AUTHERROR);
	}
	switch (r.accept) {
	case SUCCESS:
		if (xres && !xres(&x, res))
			return failed(c, RPC_CANTDECODERES);
		c->err.stat = RPC_SUCCESS;
		return RPC_SUCCESS;
	case PROG_UNAVAIL:
		return failed(c, RPC_PROGUNAVAIL);
	case PROG_MISMATCH:
		c->err.low = r.low;
		c->err.high = r.high;
		return failed(c, RPC_PROGVERSMISMATCH);
	case PROC_UNAVAIL:
		return failed(c, RPC_PROCUNAVAIL);
	case GARBAGE_ARGS:
		return failed(c, RPC_CANTDECODEARGS);
	}
	return failed(c, RPC_SYSTEMERROR);
}

/* now: the time if the caller has just read the clock, else 0.  Each
 * turn costs a clock reading, so a call answered at once costs one. */
static enum rpc_stat
wait_call(struct rpc_call *h, xdrproc_t xres, void *res, uint64_t now)
{
	struct rpc_client *c = h->c;
	enum rpc_stat st;

	while (!h->done) {
		if (now == 0)
			now = uptime_us();
		if (now >= h->deadline)
			break;
		if (pump(c, h, now, 0) < 0) {
			release(h);
			return failed(c, RPC_CANTRECV);
		}
		now = 0;
	}
	st = h->done ? finish(c, h, xres, res) : failed(c, RPC_TIMEDOUT);
	release(h);
	return st;
}

enum rpc_stat
rpc_wait(struct rpc_call *h, xdrproc_t xres, void *res)
{
	return wait_call(h, xres, res, 0);
}

enum rpc_stat
rpc_client_call(struct rpc_client *c, uint32_t proc, xdrproc_t xargs,
    const void *args, xdrproc_t xres, void *res, unsigned timeout_ms)
{
	struct rpc_call *h;
	enum rpc_stat st;

	if ((h = rpc_client_start(c, proc, xargs, args, timeout_ms, &st)) == NULL)
		return st;
	return wait_call(h, xres, res, h->started);
}

/* ---- calls by node number, through a cache of clients ---- */

#define NCACHE	8

static struct cached {
	struct rpc_client *c;
	uint32_t	 addr, prog, vers;
	uint32_t	 last_use;
	int		 stale;		/* a call timed out: ask the portmapper again */
} cache[NCACHE];
static uint32_t cache_clock;

static int
in_flight(struct rpc_client *c)
{
	int i;

	for (i = 0; i < RPC_MAX_PENDING; i++)
		if (c->calls[i].used)
			return 1;
	return 0;
}

static struct rpc_client *
cached_client(int node, uint32_t prog, uint32_t vers, enum rpc_stat *err)
{
	uint32_t addr = rpc_node_addr(node);
	struct cached *e, *victim = NULL;

	for (e = cache; e < &cache[NCACHE]; e++) {
		if (e->c && e->addr == addr && e->prog == prog && e->vers == vers) {
			if (e->stale && !in_flight(e->c)) {
				rpc_client_destroy(e->c);
				e->c = NULL;
				victim = e;
				break;
			}
			e->last_use = ++cache_clock;
			return e->c;
		}
		if (e->c && in_flight(e->c))
			continue;
		if (victim == NULL || !e->c ||
		    (victim->c && e->last_use < victim->last_use))
			victim = e;
	}
	if (victim == NULL) {
		*err = RPC_FAILED;
		return NULL;
	}
	if (victim->c)
		rpc_client_destroy(victim->c);
	memset(victim, 0, sizeof(*victim));
	if ((victim->c = rpc_client_create(addr, 0, prog, vers, err)) == NULL)
		return NULL;
	victim->addr = addr;
	victim->prog = prog;
	victim->vers = vers;
	victim->last_use = ++cache_clock;
	return victim->c;
}

/* A server that stopped answering may have been restarted on another
 * port: the next call asks the portmapper afresh. */
static void
note_outcome(struct rpc_client *c, enum rpc_stat st)
{
	struct cached *e;

	if (st != RPC_TIMEDOUT && st != RPC_PROGUNAVAIL)
		return;
	for (e = cache; e < &cache[NCACHE]; e++)
		if (e->c == c)
			e->stale = 1;
}

enum rpc_stat
rpc_call(int node, uint32_t prog, uint32_t vers, uint32_t proc, xdrproc_t xargs,
    const void *args, xdrproc_t xres, void *res, unsigned timeout_ms)
{
	struct rpc_client *c;
	enum rpc_stat st;

	if ((c = cached_client(node, prog, vers, &st)) == NULL)
		return st;
	st = rpc_client_call(c, proc, xargs, args, xres, res, timeout_ms);
	note_outcome(c, st);
	return st;
}

struct rpc_call *
rpc_call_start(int node, uint32_t prog, uint32_t vers, uint32_t proc,
    xdrproc_t xargs, const void *args, unsigned timeout_ms, enum rpc_stat *err)
{
	struct rpc_client *c;

	if ((c = cached_client(node, prog, vers, err)) == NULL)
		return NULL;
	return rpc_client_start(c, proc, xargs, args, timeout_ms, err);
}
