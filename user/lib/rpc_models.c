/*
 * rpc_run: the textbook's three server models on one UDP socket.  The
 * service model serves every call itself; the client model hands each
 * caller's calls to a process of its own (through brinch messages); the
 * call model forks a process for every call.  See docs/rpc.md.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>
#include <rpc/rpc.h>
#include "user/lib/rpc_svc.h"

#define MAX_WORKERS	16
#define IDLE_MS		10000	/* a client's process outlives its last call by this */
#define TICK_MS		500	/* how often the dispatcher reaps its workers */

/* A call on its way from the dispatcher to a client's process. */
struct handoff {
	struct sockaddr_in from;
	uint32_t	 len;
	int32_t		 drc_slot;
	uint32_t	 drc_sum;
	uint8_t		 data[RPC_MAX_MSG];
};

static struct worker {
	uint32_t	 addr;
	uint16_t	 port;
	int		 pid;		/* 0: free */
} workers[MAX_WORKERS];

static struct rpc_server *running;

static void
on_term(int sig)
{
	if (running)
		running->stop = 1;
}

static void
on_usr1(int sig)
{
	if (running)
		running->report = 1;
}

/* With more than one process the duplicate cache and the statistics
 * move into shared memory, guarded by a semaphore. */
int
rpc_server_model(struct rpc_server *s, int model)
{
	struct rpc_shared *sh;
	int id, sem;

	if (model < RPC_MODEL_SERVICE || model > RPC_MODEL_CALL) {
		errno = EINVAL;
		return -1;
	}
	s->model = model;
	if (model == RPC_MODEL_SERVICE || s->shm_id >= 0)
		return 0;
	if ((id = shm_create(sizeof(*sh))) < 0)
		return -1;
	if ((sh = shm_attach(id)) == (void *)-1 || (sem = sem_create(1)) < 0) {
		shm_destroy(id);
		return -1;
	}
	memcpy(sh, s->sh, sizeof(*sh));
	free(s->sh);
	s->sh = sh;
	s->sh->sem = sem;
	s->shm_id = id;
	return 0;
}

/* Rebuild the request a handoff carries.  The dispatcher checked the
 * header and entered the call in the cache already. */
static struct rpc_req *
req_from_handoff(struct rpc_server *s, const struct handoff *ho)
{
	struct rpc_req *req = &s->req;
	struct rpc_call_hdr h;

	memcpy(s->rbuf, ho->data, ho->len);
	s->rlen = ho->len;
	req->srv = s;
	req->from = ho->from;
	req->answered = 0;
	xdr_init(&req->args, XDR_DECODE, s->rbuf, s->rlen);
	xdr_set_arena(&req->args, s->arena, sizeof(s->arena));
	if (rpc_decode_call(&req->args, &h) != RPC_HDR_OK)
		return NULL;
	req->xid = h.xid;
	req->prog = h.prog;
	req->vers = h.vers;
	req->proc = h.proc;
	req->cred_flavor = h.cred.flavor;
	req->drc_slot = ho->drc_slot;
	req->drc_sum = ho->drc_sum;
	req->tcp_fd = -1;		/* only UDP calls are handed off */
	return req;
}

/* A client's process: serve what the dispatcher sends, until nothing
 * has come for IDLE_MS. */
static void
client_worker(struct rpc_server *s, struct handoff *ho)
{
	struct rpc_req *req;
	struct msg_info info;

	for (;;) {
		if ((req = req_from_handoff(s, ho)) != NULL)
			rpc_serve_one(req);
		while (receive(getppid(), ho, sizeof(*ho), &info, 0, IDLE_MS) < 0)
			if (errno != EINTR || s->stop)
				_exit(0);
	}
}

static void
handoff_fill(struct rpc_server *s, struct rpc_req *req, struct handoff *ho)
{
	ho->from = req->from;
	ho->len = s->rlen;
	ho->drc_slot = req->drc_slot;
	ho->drc_sum = req->drc_sum;
	memcpy(ho->data, s->rbuf, s->rlen);
}

static void
by_client(struct rpc_server *s, struct rpc_req *req)
{
	static struct handoff ho;
	struct worker *w, *free_slot = NULL;
	int pid;

	/* A brinch message carries at most MSG_MAX bytes: a larger call is
	 * served here, as when no process can be had. */
	if (sizeof(ho) - RPC_MAX_MSG + s->rlen > MSG_MAX) {
		rpc_serve_one(req);
		return;
	}
	handoff_fill(s, req, &ho);
	for (w = workers; w < &workers[MAX_WORKERS]; w++) {
		if (w->pid && w->addr == req->from.sin_addr &&
		    w->port == req->from.sin_port)
			break;
		if (!w->pid && !free_slot)
			free_slot = w;
	}
	if (w < &workers[MAX_WORKERS]) {
		if (send(w->pid, &ho, sizeof(ho) - RPC_MAX_MSG + ho.len, IPC_NOWAIT, 0) == 0) {
			rpc_drc_owner(s, req, w->pid);
			return;
		}
		if (errno != ESRCH) {
			/* Its queue is full: let the client retransmit. */
			rpc_drc_abandon(s, req);
			return;
		}
		w->pid = 0;		/* exited; reaped later */
		free_slot = w;
	}
	if (free_slot == NULL || (pid = fork()) < 0) {
		rpc_serve_one(req);	/* no room for another process */
		return;
	}
	if (pid == 0)
		client_worker(s, &ho);
	free_slot->pid = pid;
	free_slot->addr = req->from.sin_addr;
	free_slot->port = req->from.sin_port;
	rpc_drc_owner(s, req, pid);
	rpc_lock(s);
	s->sh->st.workers++;
	rpc_unlock(s);
}

static void
by_call(struct rpc_server *s, struct rpc_req *req)
{
	int pid = fork();

	if (pid < 0) {
		rpc_serve_one(req);
		return;
	}
	if (pid == 0) {
		rpc_serve_one(req);
		_exit(0);
	}
	rpc_drc_owner(s, req, pid);
	rpc_lock(s);
	s->sh->st.workers++;
	rpc_unlock(s);
}

static void
reap(struct rpc_server *s)
{
	struct worker *w;
	int pid, status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		rpc_drc_reap(s, pid);
		for (w = workers; w < &workers[MAX_WORKERS]; w++)
			if (w->pid == pid)
				w->pid = 0;
	}
}

int
rpc_run(struct rpc_server *s)
{
	struct rpc_req *req;
	struct worker *w;

	running = s;
	signal(SIGTERM, on_term);
	signal(SIGUSR1, on_usr1);
	while (!s->stop) {
		if (s->report) {
			s->report = 0;
			rpc_server_print_stats(s, 1, "rpc");
		}
		if (s->model != RPC_MODEL_SERVICE)
			reap(s);
		if (rpc_receive(s, &req, s->model == RPC_MODEL_SERVICE ? 0 : TICK_MS) < 0)
			continue;	/* timeout, signal, or a call dealt with */
		switch (s->model) {
		case RPC_MODEL_CLIENT:
			by_client(s, req);
			break;
		case RPC_MODEL_CALL:
			by_call(s, req);
			break;
		default:
			rpc_serve_one(req);
		}
	}
	rpc_unregister_all(s);
	for (w = workers; w < &workers[MAX_WORKERS]; w++)
		if (w->pid)
			kill(w->pid, SIGTERM);
	return 0;
}
