/*
 * Remote mailboxes: the mailbox calls of docs/ipc.md on ids and pids that
 * name another node (include/brinch/dist.h), carried by the kernel
 * message layer (kernel/dist/kmsg.h).  rmbox_client.c is the asking side
 * (the calling process sleeps there); rmbox.c is the serving side, which
 * holds remote senders, callers and receivers on its mailboxes.  Both
 * reach kernel/ipc/ through the operations rmbox_init registers there
 * (kernel/ipc/remote.h).  Wire format in docs/protocol.md.
 */
#ifndef RMBOX_H
#define RMBOX_H

#include <stdint.h>
#include "brinch/dist.h"

struct message;
struct msg_info;
struct proc;
struct kmsg_stats;

/* ---- the rmbox protocol: a header in front of every KMSG_SVC_MBOX message ---- */

#define RM_HLEN		24

enum {
	/* asking side -> serving side */
	RM_LOOKUP = 1,		/* data: a name -> RESULT (mailbox id) */
	RM_SEND = 2,		/* target: mailbox; data: the message -> RESULT */
	RM_SEND_PID = 3,	/* target: pid (its port) -> RESULT */
	RM_CALL = 4,		/* target: mailbox; data: request -> REPLY or RESULT */
	RM_CALL_PID = 5,	/* target: pid -> REPLY or RESULT */
	RM_RECV = 6,		/* target: mailbox; status: max -> MESSAGE or RESULT */
	RM_CANCEL = 7,		/* give up op opid -> RESULT (cancelled or final) */
	RM_FWD_REPLY = 8,	/* reply to a call taken by a remote receive;
				 * target: the caller (global); sender: replier */
	/* serving side -> asking side */
	RM_RESULT = 16,		/* status: result or -errno */
	RM_REPLY = 17,		/* data: the reply to a call */
	RM_MESSAGE = 18,	/* data: a message received; sender, aux = flags */
	RM_NOTICE = 19,		/* sender's message was never delivered: a notice */
};

#define RMF_NOWAIT	0x1	/* the caller's IPC_NOWAIT */
#define RMF_CANCELLED	0x2	/* RESULT: the op was withdrawn, as asked */
#define RMF_FAILED	0x4	/* FWD_REPLY: no reply; status says why */
#define RMF_MOVED	0x8	/* RESULT: the mailbox moved; status: its global id now */

struct rm_hdr {
	uint8_t  op;
	uint8_t  flags;
	uint32_t opid;		/* chosen by the asking side, echoed back */
	int32_t  target;	/* mailbox id or pid, local to the serving node */
	int32_t  sender;	/* the asking process's pid (local to its node);
				 * MESSAGE: the sender, as a global pid */
	int32_t  status;	/* RESULT: result; RECV: buffer size */
	uint32_t aux;		/* MESSAGE: msg_info.flags; NOTICE: mailbox */
};

void	rm_encode(const struct rm_hdr *h, uint8_t *out);
void	rm_decode(const uint8_t *in, struct rm_hdr *h);

/* ---- the asking side (rmbox_client.c), from the system calls ---- */

/* Register with kernel/ipc/ (remote.h) and the message layer. */
void	rmbox_init(void);
/* The ipc_remote_ops of the same names.  Ids <= 0 are never remote. */
int	rmbox_is_remote(int *id);
int	rmbox_open(const char *name);	/* "NAME@NODE" */
int	rmbox_send(int id, int is_pid, uint32_t ubuf, uint32_t len,
	    uint32_t flags, uint32_t timeout_ms);
int	rmbox_receive(int id, uint32_t ubuf, uint32_t max,
	    struct msg_info *info, uint32_t flags, uint32_t timeout_ms);
int	rmbox_call(int id, int is_pid, uint32_t ureq, uint32_t len,
	    uint32_t ureply, uint32_t max, uint32_t timeout_ms);
int	rmbox_echo(int node, uint32_t ubuf, uint32_t len, uint32_t ureply,
	    uint32_t max, uint32_t timeout_ms);
/* rmbox.c hands the asking side its answers and notices. */
void	rmbox_answer(int node, const struct rm_hdr *h, const uint8_t *data,
	    uint32_t len);
void	rmbox_client_event(int node, int event);
void	rmbox_client_init(void);
void	rmbox_client_stats(struct kmsg_stats *out);
void	rmbox_client_proc_exit(struct proc *p);
/* rmbox_fwd.c: calls this node's processes took by a remote receive:
 * remember one, send its reply (or its failure when the taker exits). */
void	rmbox_forward_taken(int caller, int node);
void	rmbox_forward_node_gone(int node);
uint32_t rmbox_forward_refused(void);
int	rmbox_reply_forward(int pid, uint32_t ubuf, uint32_t len);

/* ---- the serving side (rmbox.c) ---- */

/* Send a header and data to node (any context; never sleeps), or an
 * answer to request req. */
void	rmbox_send_hdr(int node, const struct rm_hdr *h, const void *data,
	    uint32_t len);
void	rmbox_respond(int node, const struct rm_hdr *req, int op, int32_t status,
	    int flags, const void *data, uint32_t len);

void	rmbox_stats_fill(struct kmsg_stats *out);
/* 1 if pid holds a call from another node it has not answered: one it
 * took here, or one it took from another node's mailbox (rmbox_client.c). */
int	rmbox_serving(int pid);
int	rmbox_client_serving(int pid);

#endif
