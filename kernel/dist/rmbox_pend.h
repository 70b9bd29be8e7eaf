/*
 * Remote mailboxes, the serving side's table of waiters (rmbox_pend.c):
 * one entry per request from another node that cannot be answered yet,
 * because a local sender, caller or receiver would sleep where it is.
 * Shared by rmbox.c only.
 */
#ifndef RMBOX_PEND_H
#define RMBOX_PEND_H

#include <stdint.h>
#include "rmbox.h"

#define NPEND	128

/* What a pending entry waits for. */
enum {
	P_FREE,
	P_BLOCKED,	/* a sender, mailbox full: msg is still ours */
	P_QUEUED,	/* a rendezvous sender or a caller: msg is queued */
	P_TAKEN,	/* a call a server has taken: waiting for reply() */
	P_RECV,		/* a receiver, mailbox empty */
};

struct pending {
	int		 state;
	int		 node;		/* the asking node */
	struct rm_hdr	 req;		/* its request: op, opid, sender, flags */
	int		 mbox;		/* local mailbox id */
	int		 is_call;
	struct message	*msg;		/* BLOCKED: ours; QUEUED: the mailbox's */
	int		 server;	/* TAKEN: pid of the taker */
	uint32_t	 order;		/* arrival, to keep waiters FIFO */
};

extern struct pending pend[NPEND];
extern uint32_t pend_in_use;		/* entries allocated and not freed */
extern uint32_t rm_requests, rm_bad;	/* for rmbox_stats_fill */

/* A free entry for request req from node (NULL: full, and counted). */
struct pending *pend_alloc(int node, const struct rm_hdr *req);
void	pend_free(struct pending *pe);
/* The oldest entry in state for mailbox mbox. */
struct pending *pend_oldest(int state, int mbox);
/* The entry whose message msg is (BLOCKED or QUEUED). */
struct pending *pend_by_message(struct message *msg);
/* Answer pe's asker with a RESULT. */
void	pend_result(struct pending *pe, int32_t status, int flags);

#endif
