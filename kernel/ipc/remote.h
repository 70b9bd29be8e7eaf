/*
 * Mailboxes and processes on other nodes, as ipc/ sees them: a table of
 * operations that the layer above (kernel/dist/rmbox.c) registers at
 * boot, and what ipc/ offers that layer in return.  ipc/ calls up only
 * through this table, so it names no header of kernel/dist/.
 */
#ifndef IPC_REMOTE_H
#define IPC_REMOTE_H

#include <stdint.h>
#include "brinch/dist.h"

struct message;
struct msg_info;
struct proc;

/*
 * Every member must be set.  The asking side runs in system calls and
 * may sleep; the serving side is told, without sleeping, that a local
 * mailbox changed in a way a process elsewhere may be waiting for.
 */
struct ipc_remote_ops {
	/* ---- asking: the mailbox calls on another node's ids ---- */
	/* 1 if *id (a mailbox id or pid) names another node; one naming
	 * this node is made local in place. */
	int	(*is_remote)(int *id);
	int	(*open)(const char *name);		/* "NAME@NODE" */
	int	(*send)(int id, int is_pid, uint32_t ubuf, uint32_t len,
		    uint32_t flags, uint32_t timeout_ms);
	int	(*receive)(int id, uint32_t ubuf, uint32_t max,
		    struct msg_info *info, uint32_t flags, uint32_t timeout_ms);
	int	(*call)(int id, int is_pid, uint32_t ureq, uint32_t len,
		    uint32_t ureply, uint32_t max, uint32_t timeout_ms);
	int	(*reply)(int pid, uint32_t ubuf, uint32_t len);	/* pid is global */

	/* ---- serving: a local mailbox moved ---- */
	void	(*taken)(struct message *msg, int server);	/* a receiver took msg */
	void	(*room)(int mbox);		/* a bounded mailbox has room */
	void	(*arrived)(int mbox);		/* a message was queued */
	void	(*undelivered)(struct message *msg, int mbox);	/* destroyed with msg */
	void	(*mbox_gone)(int mbox);		/* destroyed */
	void	(*proc_exit)(struct proc *p);	/* before its calls are failed */
	/* A message from another node leaves with its mailbox (mbox_move.c)
	 * while its sender still waits on it: 1 if the serving side takes it
	 * back, to have it sent again where the mailbox went. */
	int	(*withdrawn)(struct message *msg);
	int	(*node)(void);			/* this node's number, or -1 */
};

/* One table at a time; the last registered wins. */
void	ipc_remote_register(const struct ipc_remote_ops *ops);

/* The calls ipc/ makes (remote.c): the table's, or without one what a
 * kernel with no network does (see remote.c). */
int	id_global_is_remote(int *id);

/* Does *id (a mailbox id or pid) name something on another node?  A
 * global id naming this node is made local.  Inline for the usual plain
 * id, which every send, receive and call asks about. */
static inline int
id_is_remote(int *id)
{
	if (*id <= 0 || !DIST_IS_GLOBAL(*id))
		return 0;	/* a plain id is this node's, with or without a network */
	return id_global_is_remote(id);
}
int	remote_open(const char *name);
int	remote_send(int id, int is_pid, uint32_t ubuf, uint32_t len,
	    uint32_t flags, uint32_t timeout_ms);
int	remote_receive(int id, uint32_t ubuf, uint32_t max,
	    struct msg_info *info, uint32_t flags, uint32_t timeout_ms);
int	remote_call(int id, int is_pid, uint32_t ureq, uint32_t len,
	    uint32_t ureply, uint32_t max, uint32_t timeout_ms);
int	remote_reply(int pid, uint32_t ubuf, uint32_t len);
void	remote_taken(struct message *msg, int server);
void	remote_room(int mbox);
void	remote_arrived(int mbox);
void	remote_undelivered(struct message *msg, int mbox);
void	remote_mbox_gone(int mbox);
void	remote_proc_exit(struct proc *p);
int	remote_withdrawn(struct message *msg);
int	remote_node(void);

/* ---- what ipc/ offers the serving side (mbox.c, call.c) ---- */

enum { RQ_QUEUED = 0, RQ_RENDEZVOUS = 1 };
/* Queue a message from another node without sleeping: RQ_QUEUED (its
 * sender may go on), RQ_RENDEZVOUS (queued; its sender waits until it is
 * taken), -EAGAIN (full; or NOWAIT and capacity 0 with no receiver),
 * -ENOENT.  On success the mailbox owns msg. */
int	mbox_queue_remote(int id, struct message *msg, int nowait);
/* Take the first message for a receiver on another node (global pid
 * server), as a receive would: 1 and *out (the caller frees it), 0 if
 * none, -EMSGSIZE (stays queued; info->length), -ENOENT. */
int	mbox_take(int id, uint32_t max, int server, struct message **out,
	    struct msg_info *info);
/* call.c: who took a call (a local pid, or a global one); the reply
 * (or failure: status < 0) of a call taken by a remote receive; the
 * processes of node that had taken calls are gone. */
void	call_taken_by(struct message *msg, int server);
void	call_forwarded(int pid, int server, int32_t status, const void *data,
	    uint32_t len);
void	call_node_gone(int node);

#endif
