/*
 * Inside an RPC server: the structures rpc_svc.c (receive, cache,
 * reply) and rpc_models.c (the three server models) share.  Not for
 * programs; they see struct rpc_server only through <rpc/rpc.h>.
 */
#ifndef USER_LIB_RPC_SVC_H
#define USER_LIB_RPC_SVC_H

#include <rpc/rpc.h>

#define RPC_MAX_PROGS	16
#define DRC_SIZE	64
/* Replies the duplicate cache keeps: one frame's worth, so that 64 of
 * them fit a shared memory segment.  A larger reply is not kept, and a
 * retransmission of its call runs the procedure again (docs/rpc.md). */
#define DRC_REPLY_MAX	UDP_FRAME_PAYLOAD

#define RPC_TCP_CONNS	4	/* connections served at once; the idlest makes room */

#define DRC_FREE	0
#define DRC_IN_PROGRESS	1
#define DRC_DONE	2

struct drc_entry {
	uint32_t	 state;
	uint32_t	 xid;
	uint32_t	 addr;		/* the caller, network order */
	uint16_t	 port;
	uint16_t	 pad;
	uint32_t	 sum;		/* hash of the call's bytes after the xid */
	uint32_t	 stamp;		/* last use, for LRU */
	int32_t		 owner;		/* pid running it while IN_PROGRESS */
	uint32_t	 len;
	uint8_t		 reply[DRC_REPLY_MAX];
};

/* What every process of one server shares: private memory with the
 * service model, a shared memory segment with the others. */
struct rpc_shared {
	int		 sem;		/* -1: one process, no locking */
	uint32_t	 clock;
	struct rpc_server_stats st;
	struct drc_entry drc[DRC_SIZE];
};

struct rpc_prog {
	uint32_t	 prog, vers;
	rpc_dispatch_fn	 fn;
	int		 pmap;		/* registered with the portmapper */
};

/* One TCP connection of a server: bytes as they came, until they hold a
 * whole record. */
struct rpc_conn {
	int		 fd;		/* -1: free */
	struct sockaddr_in peer;
	uint32_t	 used;		/* when last active (a counter), for eviction */
	uint32_t	 have;
	uint8_t		 raw[RPC_MAX_MSG + 64];	/* record marks included */
};

struct rpc_server {
	int		 fd;
	int		 tcp_fd;	/* listening, or -1 */
	uint32_t	 tcp_clock;
	struct rpc_conn	 conns[RPC_TCP_CONNS];
	uint16_t	 port;
	int		 model;
	int		 shm_id;
	int		 pid;		/* of the process that receives */
	volatile int	 stop;		/* SIGTERM seen */
	volatile int	 report;	/* SIGUSR1 seen: print the statistics */
	unsigned	 rcvtimeo;
	int		 nprogs;
	struct rpc_prog	 progs[RPC_MAX_PROGS];
	struct rpc_shared *sh;
	struct rpc_req	 req;
	struct sockaddr_in from;
	uint32_t	 rlen;
	uint8_t		 rbuf[RPC_MAX_MSG];
	uint8_t		 wbuf[RPC_MAX_MSG];
	uint8_t		 arena[RPC_ARENA_SIZE];
};

void	rpc_lock(struct rpc_server *s);
void	rpc_unlock(struct rpc_server *s);
/* The datagram in rbuf (from s->from): 0 and *req for a new call to
 * serve; -1 if it was dropped, denied, or a duplicate dealt with. */
int	rpc_accept(struct rpc_server *s, struct rpc_req **req, int tcp_fd);
/* rpc_tcp.c: wait for a datagram or a whole record (into rbuf, with
 * s->from); returns the TCP connection it came on, -1 for UDP, or -2
 * with errno (ETIMEDOUT, EINTR...). */
int	rpc_tcp_receive(struct rpc_server *s, unsigned timeout_ms);
/* Send a reply on a TCP connection, record-marked. */
int	rpc_tcp_send(struct rpc_server *s, int fd, const uint8_t *msg, uint32_t len);
void	rpc_drc_abandon(struct rpc_server *s, struct rpc_req *req);
/* req is being run by process pid; pid died: forget what it held. */
void	rpc_drc_owner(struct rpc_server *s, struct rpc_req *req, int pid);
void	rpc_drc_reap(struct rpc_server *s, int pid);

#endif
