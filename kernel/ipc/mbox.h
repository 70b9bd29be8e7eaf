/*
 * Mailboxes: message queues with an owner, a capacity (0 = rendezvous,
 * N = bounded, or "unbounded" up to a hard limit) and two wait queues,
 * one for blocked senders and one for blocked receivers.  A process's
 * port is a mailbox too, used by direct send/receive and by call/reply.
 * A message is always a copy, never a reference: in kernel memory while
 * it waits in a queue, or copied straight into the buffer of a receiver
 * that is already waiting for it (direct.c).
 */
#ifndef MBOX_H
#define MBOX_H

#include <stdint.h>
#include "list.h"
#include "waitq.h"
#include "brinch/ipc.h"

struct proc;

struct message {
	struct list_node node;		/* in its mailbox's queue */
	int		 sender;	/* pid; 0 = the kernel */
	uint32_t	 flags;		/* MSG_CALL, MSG_NOTICE */
	uint32_t	 length;
	struct proc	*blocked_sender;	/* rendezvous: waits until taken */
	uint8_t		 data[];
};

/*
 * One receive: what it takes and where it goes, on the receiver's kernel
 * stack.  While it waits, its PCB's `rx` points here, for direct transfer
 * (direct.c): the next sender copies the message from its own memory
 * straight into ubuf, and the info straight to uinfo, sets result and
 * wakes the receiver, so the message never sits in kernel memory.
 */
struct mbox_rx {
	int		 from;		/* ANY, or the one sender it takes */
	uint32_t	 ubuf, max;	/* the receiver's buffer */
	uint32_t	 uinfo;		/* its struct msg_info, or 0 */
	int		 shown;		/* the mailbox's id as the receiver knows it */
	struct msg_info	 info;		/* about the message, once it is there */
	int		 result;	/* its length once handed over; -1 until then */
	int		 info_out;	/* ...and the info already at uinfo */
};

int	mbox_create(const char *name, int capacity, int owner, int is_port);
int	mbox_open(const char *name);
int	mbox_close(int id);
int	mbox_destroy(int id);

/* Sender side: queue msg (which the mailbox then owns) on mailbox id,
 * blocking as its capacity says.  On failure msg is freed. */
int	mbox_send_message(int id, struct message *msg, struct wait_limit *w);

/* Receiver side: take the first message (from rx->from, or ANY) into the
 * user buffer rx->ubuf of size rx->max; fills rx->info.  Returns its
 * length.  A message too big for the buffer stays queued (-EMSGSIZE). */
int	mbox_receive_user(int id, struct mbox_rx *rx, struct wait_limit *w);

/* Take back a message still queued on mailbox id; 1 if it was there. */
int	mbox_withdraw(int id, struct message *msg);

struct message *message_alloc(uint32_t length);
struct message *message_from_user(uint32_t ubuf, uint32_t length, int *err);
void	message_free(struct message *msg);

int	proc_port(struct proc *p);	/* the port's id, created on first use */
int	mbox_list(struct mbox_info *out, int max);
void	mbox_proc_exit(struct proc *p);


/* Hand the message (len bytes at ubuf in the running process, MSG_*
 * flags) straight to a process waiting to receive on mailbox id.  Returns
 * the receiver's pid, or 0 when no waiting receiver can take it now (none
 * waits, messages are queued ahead of it, a buffer is too small or not
 * there): the caller then queues it as a struct message, whose path gives
 * every error and every wait. */
int	mbox_send_direct(int id, uint32_t ubuf, uint32_t len, uint32_t flags);

/* call/reply (kernel/ipc/call.c) */
/* w: the limits of the whole call, sys_ipc.c's (set up once per call) */
int	ipc_call(int mbox, uint32_t ureq, uint32_t len, uint32_t ureply,
	    uint32_t max, struct wait_limit *w);
int	ipc_reply(int pid, uint32_t ubuf, uint32_t len);
int	call_undelivered(struct message *msg);
void	call_proc_exit(struct proc *p);

int	call_moved(struct message *msg);

/*
 * Mailboxes that move with their owner (mbox_move.c, docs/migration.md).
 * EMOVED never reaches user space: a call that gets it asks mbox_where()
 * where the mailbox went and is made again there.
 */
#define EMOVED		1000

struct mbox_meta {
	int	 id;		/* here */
	int	 origin;	/* global id it was created as; 0 = here, as id */
	int	 capacity;
	int	 is_port;
	uint32_t sent, received;
	char	 name[MBOX_NAME_LEN];
};

/* The mailboxes pid owns: up to max in out; returns how many there are. */
int	mbox_owned(int pid, struct mbox_meta *out, int max);
/* Target: make the mailbox, empty; its queued messages follow. */
int	mbox_adopt(const struct mbox_meta *m, int owner);
void	mbox_unadopt(int id);
void	mbox_queue_moved(int id, struct message *msg);
/* Source, at the commit: the mailbox is at global id now; its queued
 * messages go to *out, and a settling stub takes the id until
 * mbox_settle(tag). */
int	mbox_hand_over(int id, int now, uint32_t tag, struct list *out);
void	mbox_settle(uint32_t tag, int ok);
void	mbox_retarget(int origin, int now);
/* Senders: 0 no stub, 1 moved (to *now), 2 moving. */
int	mbox_moved(int id, int *now);
int	mbox_stub_named(const char *name);
int	mbox_stub_list(struct mbox_info *out, int max);	/* rows for `mbox` */
void	mbox_learn(int id, int is_pid, int now);
void	mbox_learned_follow(int *id, int *is_pid);
extern int mbox_learned_used;

/* Where we last heard that *id went (mbox_learn): a sender goes there
 * directly.  Inline: every local send, call and receive asks, and nothing
 * is to be found unless some mailbox ever moved. */
static inline void
mbox_learned(int *id, int *is_pid)
{
	if (mbox_learned_used)
		mbox_learned_follow(id, is_pid);
}
int	mbox_where(int *id, int *is_pid, struct wait_limit *w);

#endif
