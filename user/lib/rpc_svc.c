/*
 * The server side of ONC RPC over UDP (RFC 5531): receive a call, check
 * its header, answer duplicates from a cache so each call runs at most
 * once, dispatch it to the registered program, send the reply.
 * The server models (rpc_run) are in rpc_models.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <arpa/inet.h>
#include <rpc/rpc.h>
#include <rpc/pmap.h>
#include "user/lib/rpc_svc.h"

struct rpc_server *
rpc_server_create(uint16_t port)
{
	struct rpc_server *s;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	uint32_t qlen = 64;
	int err;

	if ((s = malloc(sizeof(*s))) == NULL)
		return NULL;
	memset(s, 0, sizeof(*s));
	if ((s->sh = malloc(sizeof(*s->sh))) == NULL) {
		free(s);
		return NULL;
	}
	memset(s->sh, 0, sizeof(*s->sh));
	s->sh->sem = -1;
	s->shm_id = -1;
	s->tcp_fd = -1;
	if ((s->fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		goto fail;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	if (bind(s->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &len) < 0) {
		close(s->fd);
		goto fail;
	}
	/* A burst of retransmissions from many clients should queue, not
	 * be dropped, while one call is being served. */
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &qlen, sizeof(qlen));
	s->port = ntohs(a.sin_port);
	s->pid = getpid();
	return s;
fail:
	err = errno;			/* what the caller is told, kept */
	free(s->sh);
	free(s);
	errno = err;
	return NULL;
}

uint16_t
rpc_server_port(struct rpc_server *s)
{
	return s->port;
}

int
rpc_register(struct rpc_server *s, uint32_t prog, uint32_t vers,
    rpc_dispatch_fn fn, int flags)
{
	struct rpc_prog *p;
	enum rpc_stat st;

	if (s->nprogs == RPC_MAX_PROGS) {
		errno = ENOSPC;
		return -1;
	}
	p = &s->progs[s->nprogs++];
	p->prog = prog;
	p->vers = vers;
	p->fn = fn;
	p->pmap = !(flags & RPC_REG_NOPMAP);
	if (!p->pmap)
		return 0;
	/* Replace whatever a previous incarnation left behind. */
	pmap_unset(prog, vers);
	if ((st = pmap_set(prog, vers, s->port)) != RPC_SUCCESS) {
		dprintf(2, "rpc: portmapper SET %u/%u: %s\n", (unsigned)prog,
		    (unsigned)vers, rpc_strerror(st));
		p->pmap = 0;
		errno = EIO;
		return -1;
	}
	return 0;
}

void
rpc_unregister_all(struct rpc_server *s)
{
	int i;

	for (i = 0; i < s->nprogs; i++)
		if (s->progs[i].pmap)
			pmap_unset(s->progs[i].prog, s->progs[i].vers);
}

void
rpc_server_stats(struct rpc_server *s, struct rpc_server_stats *st)
{
	*st = s->sh->st;
}

void
rpc_server_print_stats(struct rpc_server *s, int fd, const char *name)
{
	struct rpc_server_stats *t = &s->sh->st;

	dprintf(fd, "%s: port %u: received %u calls %u dup_replayed %u "
	    "dup_dropped %u garbled %u denied %u prog_unavail %u prog_mismatch %u "
	    "proc_unavail %u garbage_args %u system_err %u workers %u\n", name,
	    s->port, t->received, t->calls, t->dup_replayed, t->dup_dropped,
	    t->garbled, t->denied, t->prog_unavail, t->prog_mismatch,
	    t->proc_unavail, t->garbage_args, t->system_err, t->workers);
}

/* ---- the duplicate request cache ---- */

/*
 * RFC 5531 section 9: the xid lets a server "detect retransmissions".
 * An entry is keyed by who sent the call, its xid, and a hash of its
 * bytes (a retransmission is the same datagram again; another call
 * that happens to reuse an xid is not).  While the call runs the entry
 * is IN_PROGRESS and copies of it are dropped; afterwards it holds the
 * reply, which is sent again for each copy.  The least recently used
 * finished entry makes room.  With the client and call models several
 * processes share it (shared memory and a semaphore).
 */
static uint32_t
hash(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

void
rpc_lock(struct rpc_server *s)
{
	if (s->sh->sem >= 0)
		while (sem_wait(s->sh->sem) < 0 && errno == EINTR)
			;
}

void
rpc_unlock(struct rpc_server *s)
{
	if (s->sh->sem >= 0)
		sem_post(s->sh->sem);
}

static int
same_call(const struct drc_entry *e, const struct rpc_req *req, uint32_t sum)
{
	return e->state != DRC_FREE && e->xid == req->xid &&
	    e->addr == req->from.sin_addr && e->port == req->from.sin_port &&
	    e->sum == sum;
}

/* Which entry to give a new call: a free one, else the least recently
 * used finished one; an unfinished one only if nothing else is left. */
static int
better_victim(const struct drc_entry *a, const struct drc_entry *b)
{
	static const int rank[] = { 0, 2, 1 };	/* FREE, IN_PROGRESS, DONE */

	if (rank[a->state] != rank[b->state])
		return rank[a->state] < rank[b->state];
	return a->stamp < b->stamp;
}

/* 0: a new call, now IN_PROGRESS; 1: a duplicate, dealt with. */
static int
drc_check(struct rpc_server *s, struct rpc_req *req)
{
	struct rpc_shared *sh = s->sh;
	struct drc_entry *e, *victim = NULL;
	uint32_t sum = hash(s->rbuf + 4, s->rlen - 4);
	int dup = 1;

	rpc_lock(s);
	for (e = sh->drc; e < &sh->drc[DRC_SIZE]; e++) {
		if (same_call(e, req, sum))
			break;
		if (victim == NULL || better_victim(e, victim))
			victim = e;
	}
	if (e < &sh->drc[DRC_SIZE]) {
		e->stamp = ++sh->clock;
		if (e->state == DRC_DONE) {
			sendto(s->fd, e->reply, e->len, 0, (struct sockaddr *)&req->from,
			    sizeof(req->from));
			sh->st.dup_replayed++;
		} else {
			sh->st.dup_dropped++;
		}
	} else {
		e = victim;
		e->state = DRC_IN_PROGRESS;
		e->xid = req->xid;
		e->addr = req->from.sin_addr;
		e->port = req->from.sin_port;
		e->sum = sum;
		e->stamp = ++sh->clock;
		e->owner = s->pid;
		e->len = 0;
		req->drc_slot = (int)(e - sh->drc);
		req->drc_sum = sum;
		dup = 0;
	}
	rpc_unlock(s);
	return dup;
}

/* Keep the reply for retransmissions (the slot may have been given to
 * another call meanwhile: then this one simply is not cached; nor is a
 * reply over DRC_REPLY_MAX). */
static void
drc_done(struct rpc_server *s, struct rpc_req *req, const uint8_t *reply,
    uint32_t len)
{
	struct drc_entry *e;

	if (req->drc_slot < 0)
		return;
	e = &s->sh->drc[req->drc_slot];
	if (same_call(e, req, req->drc_sum) && e->state == DRC_IN_PROGRESS) {
		if (len > sizeof(e->reply)) {
			/* Too large to keep: like an NFS server's cache, which
			 * keeps status replies and lets a READ run again. */
			e->state = DRC_FREE;
		} else {
			memcpy(e->reply, reply, len);
			e->len = len;
			e->state = DRC_DONE;
		}
	}
	req->drc_slot = -1;
}

/* A call that will not be answered after all (no worker could take it):
 * forget it, so its retransmission is served instead of dropped. */
void
rpc_drc_abandon(struct rpc_server *s, struct rpc_req *req)
{
	struct drc_entry *e;

	if (req->drc_slot < 0)
		return;
	rpc_lock(s);
	e = &s->sh->drc[req->drc_slot];
	if (same_call(e, req, req->drc_sum) && e->state == DRC_IN_PROGRESS)
		e->state = DRC_FREE;
	rpc_unlock(s);
	req->drc_slot = -1;
}

void
rpc_drc_owner(struct rpc_server *s, struct rpc_req *req, int pid)
{
	struct drc_entry *e;

	if (req->drc_slot < 0)
		return;
	rpc_lock(s);
	e = &s->sh->drc[req->drc_slot];
	if (same_call(e, req, req->drc_sum) && e->state == DRC_IN_PROGRESS)
		e->owner = pid;
	rpc_unlock(s);
}

/* A worker that exits without answering (killed, crashed, or gone idle
 * just as a call was handed to it) would leave its calls IN_PROGRESS
 * for ever, and their retransmissions dropped: free them instead. */
void
rpc_drc_reap(struct rpc_server *s, int pid)
{
	struct drc_entry *e;

	rpc_lock(s);
	for (e = s->sh->drc; e < &s->sh->drc[DRC_SIZE]; e++)
		if (e->state == DRC_IN_PROGRESS && e->owner == pid)
			e->state = DRC_FREE;
	rpc_unlock(s);
}

/* ---- replies ---- */

static void
count_stat(struct rpc_server *s, int stat)
{
	struct rpc_server_stats *t = &s->sh->st;

	switch (stat) {
	case PROG_UNAVAIL:	t->prog_unavail++; break;
	case PROG_MISMATCH:	t->prog_mismatch++; break;
	case PROC_UNAVAIL:	t->proc_unavail++; break;
	case GARBAGE_ARGS:	t->garbage_args++; break;
	case SYSTEM_ERR:	t->system_err++; break;
	}
}

/* Send the reply built in the write buffer, remember it, count it. */
static int
send_reply(struct rpc_server *s, struct rpc_req *req, uint32_t len, int stat)
{
	int r;

	if (req->tcp_fd >= 0)
		r = rpc_tcp_send(s, req->tcp_fd, s->wbuf, len);
	else
		r = (int)sendto(s->fd, s->wbuf, len, 0, (struct sockaddr *)&req->from,
		    sizeof(req->from));
	rpc_lock(s);
	drc_done(s, req, s->wbuf, len);
	count_stat(s, stat);
	rpc_unlock(s);
	req->answered = 1;
	return r < 0 ? -1 : 0;
}

/* A reply with no results: an error status, or a denial. */
static int
reply_header_only(struct rpc_server *s, struct rpc_req *req,
    const struct rpc_reply_hdr *h, int stat)
{
	struct xdr x;

	xdr_init(&x, XDR_ENCODE, s->wbuf, sizeof(s->wbuf));
	rpc_encode_reply(&x, h);
	return send_reply(s, req, xdr_getpos(&x), stat);
}

int
rpc_reply_error(struct rpc_req *req, int stat)
{
	struct rpc_server *s = req->srv;
	struct rpc_reply_hdr h;
	int i;

	rpc_reply_hdr_init(&h, req->xid, stat);
	if (stat == PROG_MISMATCH) {
		/* The lowest and highest versions of this program we serve. */
		h.low = 0xFFFFFFFFu;
		for (i = 0; i < s->nprogs; i++) {
			if (s->progs[i].prog != req->prog)
				continue;
			if (s->progs[i].vers < h.low)
				h.low = s->progs[i].vers;
			if (s->progs[i].vers > h.high)
				h.high = s->progs[i].vers;
		}
	}
	return reply_header_only(s, req, &h, stat);
}

/* Start a SUCCESS reply: the dispatcher's results go after this. */
static void
begin_reply(struct rpc_req *req)
{
	struct rpc_server *s = req->srv;
	struct rpc_reply_hdr h;

	rpc_reply_hdr_init(&h, req->xid, SUCCESS);
	xdr_init(&req->res, XDR_ENCODE, s->wbuf, sizeof(s->wbuf));
	rpc_encode_reply(&req->res, &h);
}

int
rpc_getargs(struct rpc_req *req, xdrproc_t xargs, void *args)
{
	return xargs(&req->args, args);
}

/* Results that do not fit one datagram cannot be sent over UDP: the
 * caller hears SYSTEM_ERR rather than nothing at all. */
int
rpc_putres(struct rpc_req *req, xdrproc_t xres, const void *res)
{
	return xres(&req->res, (void *)res) ? SUCCESS : SYSTEM_ERR;
}

void *
rpc_alloc(struct rpc_req *req, uint32_t n)
{
	return xdr_alloc(&req->args, n);
}

int
rpc_reply(struct rpc_req *req, xdrproc_t xres, const void *res)
{
	int stat;

	begin_reply(req);
	if ((stat = rpc_putres(req, xres, res)) != SUCCESS)
		return rpc_reply_error(req, stat);
	return send_reply(req->srv, req, xdr_getpos(&req->res), SUCCESS);
}

int
rpc_serve_one(struct rpc_req *req)
{
	struct rpc_server *s = req->srv;
	int i, stat = PROC_UNAVAIL;

	begin_reply(req);
	for (i = 0; i < s->nprogs; i++) {
		if (s->progs[i].prog == req->prog && s->progs[i].vers == req->vers) {
			stat = s->progs[i].fn(req);
			break;
		}
	}
	if (req->answered)
		return 0;
	if (stat != SUCCESS)
		return rpc_reply_error(req, stat);
	return send_reply(s, req, xdr_getpos(&req->res), SUCCESS);
}

/* ---- receiving ---- */

/* Which of our programs a call is for: SUCCESS, PROG_UNAVAIL (no such
 * program) or PROG_MISMATCH (the program, not that version). */
static int
find_program(struct rpc_server *s, uint32_t prog, uint32_t vers)
{
	int i, stat = PROG_UNAVAIL;

	for (i = 0; i < s->nprogs; i++) {
		if (s->progs[i].prog != prog)
			continue;
		if (s->progs[i].vers == vers)
			return SUCCESS;
		stat = PROG_MISMATCH;
	}
	return stat;
}

/* Set up s->req for the datagram in rbuf; -1 if it is to be dropped
 * or has been answered here already. */
int
rpc_accept(struct rpc_server *s, struct rpc_req **reqp, int tcp_fd)
{
	struct rpc_req *req = &s->req;
	struct rpc_call_hdr h;
	struct rpc_reply_hdr r;
	int stat;

	req->srv = s;
	req->tcp_fd = tcp_fd;
	req->from = s->from;
	req->answered = 0;
	req->drc_slot = -1;
	xdr_init(&req->args, XDR_DECODE, s->rbuf, s->rlen);
	xdr_set_arena(&req->args, s->arena, sizeof(s->arena));
	stat = rpc_decode_call(&req->args, &h);
	req->xid = h.xid;
	if (stat == RPC_HDR_GARBLED || stat == RPC_HDR_NOT_CALL) {
		s->sh->st.garbled++;
		return -1;
	}
	if (stat != RPC_HDR_OK) {
		/* Denied: rpcvers is not 2 (we speak 2 only), or the
		 * credential was over 400 bytes. */
		rpc_reply_hdr_init(&r, h.xid, SUCCESS);
		r.stat = MSG_DENIED;
		if (stat == RPC_HDR_BAD_VERSION) {
			r.reject = RPC_MISMATCH;
			r.low = r.high = RPC_VERSION;
		} else {
			r.reject = AUTH_ERROR;
			r.auth = AUTH_BADCRED;
		}
		s->sh->st.denied++;
		reply_header_only(s, req, &r, -1);
		return -1;
	}
	req->prog = h.prog;
	req->vers = h.vers;
	req->proc = h.proc;
	req->cred_flavor = h.cred.flavor;
	if ((stat = find_program(s, h.prog, h.vers)) != SUCCESS) {
		rpc_reply_error(req, stat);
		return -1;
	}
	if (tcp_fd < 0 && drc_check(s, req))
		return -1;
	s->sh->st.calls++;
	*reqp = req;
	return 0;
}

int
rpc_receive(struct rpc_server *s, struct rpc_req **reqp, unsigned timeout_ms)
{
	socklen_t fromlen;
	int n;

	if (timeout_ms != s->rcvtimeo) {
		setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout_ms,
		    sizeof(timeout_ms));
		s->rcvtimeo = timeout_ms;
	}
	for (;;) {
		if (s->tcp_fd >= 0) {
			/* Datagrams and records from several sockets. */
			if ((n = rpc_tcp_receive(s, timeout_ms)) < -1)
				return -1;
		} else {
			fromlen = sizeof(s->from);
			n = recvfrom(s->fd, s->rbuf, sizeof(s->rbuf), 0,
			    (struct sockaddr *)&s->from, &fromlen);
			if (n < 0)
				return -1;
			s->rlen = (uint32_t)n;
			n = -1;
		}
		s->sh->st.received++;
		if (rpc_accept(s, reqp, n) == 0)
			return 0;
		if (s->stop)
			return -1;
	}
}
