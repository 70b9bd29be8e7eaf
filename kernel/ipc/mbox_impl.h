/*
 * The mailbox table itself, shared by the files that work on it: mbox.c
 * (create, send, receive, destroy), direct.c (a message handed straight
 * to a waiting receiver) and mbox_move.c (a mailbox leaving with its
 * owner for another node).  Nothing else includes this.
 */
#ifndef IPC_MBOX_IMPL_H
#define IPC_MBOX_IMPL_H

#include "mbox.h"

#define NMBOX		64

struct mailbox {
	int		  id;		/* 0 = slot free */
	int		  owner;	/* pid */
	int		  capacity;	/* 0, N, or MBOX_UNBOUNDED */
	int		  is_port;
	int		  origin;	/* global id it was created as; 0 = here, as id */
	char		  name[MBOX_NAME_LEN];
	struct list	  messages;	/* struct message, FIFO */
	uint32_t	  queued;
	uint32_t	  sent, received;
	uint32_t	  direct;	/* ...of which by direct transfer (direct.c) */
	struct wait_queue receivers;
	struct wait_queue senders;
	char		  receivers_name[WAIT_NAME_LEN];	/* "mbox 3" */
	char		  senders_name[WAIT_NAME_LEN];	/* "mbox 3 send" */
};

extern struct mailbox mailboxes[NMBOX];

struct mailbox *mbox_lookup(int id);	/* live mailbox id, or NULL */

#endif
