/*
 * ONC RPC version 2 over UDP for brinch user programs (docs/rpc.md):
 * clients (rpc_call, and an asynchronous start/wait form), servers
 * (register a program, then receive/reply or a dispatch loop), node
 * addressing and the portmapper's client side.  RFC 5531, data in XDR.
 */
#ifndef _RPC_RPC_H
#define _RPC_RPC_H

#include <stdint.h>
#include <sys/socket.h>
#include "xdr.h"
#include "rpc_msg.h"

/*
 * Messages travel as single UDP datagrams, which IP fragments over 1472
 * bytes (docs/network.md): a call or reply, header included, is at most
 * RPC_MAX_MSG = 32 KiB, as NFS's largest over UDP.  Larger arguments fail
 * with RPC_CANTENCODEARGS, larger results with SYSTEM_ERR (docs/rpc.md).
 */
#define RPC_MAX_MSG	(32 * 1024)
/* Decoded variable-size data: strings and opaques take no more room than
 * on the wire, so twice a message leaves space for what has pointers. */
#define RPC_ARENA_SIZE	(2 * RPC_MAX_MSG)

/* Outcomes of a call on the client (values as in Sun's clnt_stat). */
enum rpc_stat {
	RPC_SUCCESS = 0,
	RPC_CANTENCODEARGS = 1,		/* too large for a datagram, or bad */
	RPC_CANTDECODERES = 2,		/* the results did not decode */
	RPC_CANTSEND = 3,		/* sendto failed (errno says why) */
	RPC_CANTRECV = 4,
	RPC_TIMEDOUT = 5,		/* no reply within the timeout */
	RPC_VERSMISMATCH = 6,		/* denied: RPC_MISMATCH */
	RPC_AUTHERROR = 7,		/* denied: AUTH_ERROR */
	RPC_PROGUNAVAIL = 8,		/* accepted: PROG_UNAVAIL */
	RPC_PROGVERSMISMATCH = 9,	/* accepted: PROG_MISMATCH */
	RPC_PROCUNAVAIL = 10,		/* accepted: PROC_UNAVAIL */
	RPC_CANTDECODEARGS = 11,	/* accepted: GARBAGE_ARGS */
	RPC_SYSTEMERROR = 12,		/* accepted: SYSTEM_ERR */
	RPC_UNKNOWNHOST = 13,		/* not a node number or address */
	RPC_PMAPFAILURE = 14,	/* the portmapper did not answer */
	RPC_PROGNOTREGISTERED = 15,	/* ...or knows no such program */
	RPC_FAILED = 16,		/* no memory, no socket, bad handle */
};

const char *rpc_strerror(enum rpc_stat stat);	/* "RPC: timed out" */

/* ---- addressing ------------------------------------------------- */

/* Node n's IPv4 address (network order): our subnet with host part
 * n + 1, so 10.0.0.(n+1) by default (docs/network.md); a negative n is
 * 127.0.0.1. */
uint32_t rpc_node_addr(int node);
/* "3" (a node), "10.0.0.254" or "localhost" -> *addr; 0 or -1. */
int	 rpc_parse_host(const char *s, uint32_t *addr);

/* ---- clients ---------------------------------------------------- */

struct rpc_client;		/* one socket, one program and version */
struct rpc_call;		/* a call in flight (asynchronous form) */

/* port 0: ask the portmapper on addr (GETPORT).  NULL on failure with
 * *err saying why. */
struct rpc_client *rpc_client_create(uint32_t addr, uint16_t port,
	    uint32_t prog, uint32_t vers, enum rpc_stat *err);
struct rpc_client *rpc_client_node(int node, uint32_t prog, uint32_t vers,
	    enum rpc_stat *err);
void	 rpc_client_destroy(struct rpc_client *c);

/* Defaults for calls through c: the total timeout (generated stubs use
 * it) and the first retransmission interval, doubled after each
 * retransmission up to 1 s.  Both in milliseconds. */
void	 rpc_client_timeout(struct rpc_client *c, unsigned timeout_ms,
	    unsigned retry_ms);

/*
 * A call: encode args with xargs, send, retransmit with the same xid
 * until a reply with that xid comes or timeout_ms passes, decode the
 * results into *res with xres.  Variable-size results (strings,
 * arrays) live in memory of c's until the next call through c.
 */
enum rpc_stat rpc_client_call(struct rpc_client *c, uint32_t proc,
	    xdrproc_t xargs, const void *args, xdrproc_t xres, void *res,
	    unsigned timeout_ms);

/* Asynchronous: start sends and returns at once; wait blocks until the
 * reply or the deadline (timeout_ms after the start) and frees the
 * handle.  Up to RPC_MAX_PENDING calls per client may be in flight;
 * waiting on one collects the others' replies as they come. */
#define RPC_MAX_PENDING	8
struct rpc_call *rpc_client_start(struct rpc_client *c, uint32_t proc,
	    xdrproc_t xargs, const void *args, unsigned timeout_ms,
	    enum rpc_stat *err);
enum rpc_stat rpc_wait(struct rpc_call *h, xdrproc_t xres, void *res);
int	 rpc_ready(struct rpc_call *h);	/* 1 if wait would not block */

/* The same by node number, through a small cache of clients (one per
 * node, program and version) that remembers ports from the portmapper
 * and forgets them when a call times out. */
enum rpc_stat rpc_call(int node, uint32_t prog, uint32_t vers, uint32_t proc,
	    xdrproc_t xargs, const void *args, xdrproc_t xres, void *res,
	    unsigned timeout_ms);
struct rpc_call *rpc_call_start(int node, uint32_t prog, uint32_t vers,
	    uint32_t proc, xdrproc_t xargs, const void *args,
	    unsigned timeout_ms, enum rpc_stat *err);

/* What the last failed call through c learned: the versions a
 * PROG_MISMATCH named, the errno of a failed send. */
struct rpc_err {
	enum rpc_stat	stat;
	uint32_t	low, high;
	int		error;
};
void	 rpc_client_geterr(struct rpc_client *c, struct rpc_err *e);

struct rpc_client_stats {
	uint32_t	calls;		/* calls started */
	uint32_t	retransmits;	/* datagrams sent again, same xid */
	uint32_t	replies;	/* replies matched to a call */
	uint32_t	stale;		/* replies to no call in flight */
	uint32_t	bad;		/* undecodable datagrams: dropped */
	uint32_t	timeouts;
};
void	 rpc_client_stats(struct rpc_client *c, struct rpc_client_stats *s);

/* ---- servers ---------------------------------------------------- */

struct rpc_server;

/* One call being served. */
struct rpc_req {
	struct rpc_server	*srv;
	struct sockaddr_in	 from;		/* the caller */
	uint32_t		 xid, prog, vers, proc;
	int32_t			 cred_flavor;
	struct xdr		 args;		/* positioned on the arguments */
	struct xdr		 res;		/* encoder after the reply header */
	int			 answered;
	int			 drc_slot;	/* the runtime's: its cache entry */
	uint32_t		 drc_sum;
	int			 tcp_fd;	/* the runtime's: its TCP connection, or -1 */
};

/* A program's dispatcher: decode the arguments (rpc_getargs), run the
 * procedure, encode the results (rpc_putres); return SUCCESS or another
 * accept_stat, which the server sends instead of results. */
typedef int (*rpc_dispatch_fn)(struct rpc_req *req);

/* The server models of docs/rpc.md: every call handled by the one
 * server process; by a process per client; by a process per call. */
#define RPC_MODEL_SERVICE	0
#define RPC_MODEL_CLIENT	1
#define RPC_MODEL_CALL		2

/* A server on UDP port (0: any free one). */
struct rpc_server *rpc_server_create(uint16_t port);
/* Also serve on TCP, on the same port number, with RFC 5531 section
 * 11's record marking (user/lib/rpc_tcp.c); the service model only.
 * Calls over TCP skip the duplicate cache: TCP does not duplicate. */
int	 rpc_server_tcp(struct rpc_server *s);
uint16_t rpc_server_port(struct rpc_server *s);
/* Serve prog/vers, and tell the local portmapper (SET) unless
 * RPC_REG_NOPMAP; an old mapping of the pair is replaced. */
#define RPC_REG_NOPMAP	0x1
int	 rpc_register(struct rpc_server *s, uint32_t prog, uint32_t vers,
	    rpc_dispatch_fn fn, int flags);
void	 rpc_unregister_all(struct rpc_server *s);	/* UNSET each */
int	 rpc_server_model(struct rpc_server *s, int model);
/* Serve forever (or until SIGTERM: then unregister and return 0). */
int	 rpc_run(struct rpc_server *s);

/*
 * The same by hand: the next call to a registered program (calls to
 * others, bad versions and malformed or duplicate datagrams are
 * answered or dropped inside), -1 with errno ETIMEDOUT or EINTR if none
 * came; then decode, reply.
 */
int	 rpc_receive(struct rpc_server *s, struct rpc_req **req,
	    unsigned timeout_ms);
int	 rpc_getargs(struct rpc_req *req, xdrproc_t xargs, void *args);
int	 rpc_putres(struct rpc_req *req, xdrproc_t xres, const void *res);
void	*rpc_alloc(struct rpc_req *req, uint32_t n);	/* freed after reply */
int	 rpc_reply(struct rpc_req *req, xdrproc_t xres, const void *res);
int	 rpc_reply_error(struct rpc_req *req, int accept_stat);
/* Run the registered dispatcher for req and send its answer. */
int	 rpc_serve_one(struct rpc_req *req);

struct rpc_server_stats {
	uint32_t	received;	/* datagrams */
	uint32_t	calls;		/* dispatched */
	uint32_t	dup_replayed;	/* retransmissions answered from the cache */
	uint32_t	dup_dropped;	/* ...of a call still in progress */
	uint32_t	garbled;	/* undecodable or not a call: dropped */
	uint32_t	denied;		/* RPC_MISMATCH, AUTH_ERROR */
	uint32_t	prog_unavail, prog_mismatch, proc_unavail;
	uint32_t	garbage_args, system_err;
	uint32_t	workers;	/* processes started (client/call models) */
};
void	 rpc_server_stats(struct rpc_server *s, struct rpc_server_stats *st);
/* Print them on fd, one line, prefixed by name. */
void	 rpc_server_print_stats(struct rpc_server *s, int fd, const char *name);

#endif
