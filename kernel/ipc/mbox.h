/*
 * Mailboxes: message queues with an owner, a capacity (0 = rendezvous,
 * N = bounded, or "unbounded" up to a hard limit) and two wait queues,
 * one for blocked senders and one for blocked receivers.  A process's
 * port is a mailbox too, used by direct send/receive and by call/reply.
 * A message is always a copy in kernel memory, never a reference.
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

int	mbox_create(const char *name, int capacity, int owner, int is_port);
int	mbox_open(const char *name);
int	mbox_close(int id);
int	mbox_destroy(int id);

/* Sender side: queue msg (which the mailbox then owns) on mailbox id,
 * blocking as its capacity says.  On failure msg is freed. */
int	mbox_send_message(int id, struct message *msg, struct wait_limit *w);

/* Receiver side: take the first message (from `from`, or ANY) into the
 * user buffer ubuf of size max; fills *info.  Returns its length.  A
 * message too big for the buffer stays queued (-EMSGSIZE). */
int	mbox_receive_user(int id, int from, uint32_t ubuf, uint32_t max,
	    struct msg_info *info, struct wait_limit *w);

/* Take back a message still queued on mailbox id; 1 if it was there. */
int	mbox_withdraw(int id, struct message *msg);

struct message *message_alloc(uint32_t length);
struct message *message_from_user(uint32_t ubuf, uint32_t length, int *err);
void	message_free(struct message *msg);

int	proc_port(struct proc *p);	/* the port's id, created on first use */
int	mbox_list(struct mbox_info *out, int max);
void	mbox_proc_exit(struct proc *p);

/* call/reply (kernel/ipc/call.c) */
int	ipc_call(int mbox, uint32_t ureq, uint32_t len, uint32_t ureply,
	    uint32_t max, uint32_t timeout_ms);
int	ipc_reply(int pid, uint32_t ubuf, uint32_t len);
int	call_undelivered(struct message *msg);
void	call_proc_exit(struct proc *p);

/* For migration: an object pid owns, or 0. */
int	mbox_owned_by(int pid);

#endif
