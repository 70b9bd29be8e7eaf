/*
 * Message passing, semaphores and shared memory: the user/kernel ABI.
 * Kernel side: kernel/ipc/mbox.c, kernel/ipc/sem.c, kernel/ipc/shm.c.  docs/ipc.md
 * explains how the calls map onto the textbook's design choices.
 *
 * Every id here is a small positive integer, never a kernel address, so
 * the same id can later be named across the network (node + id).
 */
#ifndef BRINCH_IPC_H
#define BRINCH_IPC_H

#include <stdint.h>

/* Mailboxes. */
#define MBOX_NAME_LEN		32	/* including the NUL */
#define MSG_MAX			8192	/* largest message, bytes */
#define MBOX_UNBOUNDED		(-1)	/* capacity: "unbounded"... */
#define MBOX_UNBOUNDED_LIMIT	1024	/* ...up to this many messages */
#define MBOX_MAX_CAPACITY	256	/* largest bounded capacity */
#define PORT_CAPACITY		32	/* a process's own (direct) mailbox */

/* Flags for every blocking call.  A timeout is in milliseconds, with
 * 0 meaning "no limit"; IPC_NOWAIT means "fail with EAGAIN rather than
 * block" and wins over any timeout. */
#define IPC_NOWAIT		0x1

#define ANY			(-1)	/* receive(): from any sender */

/* Filled in by every receive. */
struct msg_info {
	int32_t  sender;	/* pid of the sender; 0 = the kernel */
	uint32_t length;	/* bytes in the message */
	int32_t  mbox;		/* mailbox it came through */
	uint32_t flags;		/* MSG_* below */
};

#define MSG_CALL	0x1	/* the sender waits for reply() */
#define MSG_NOTICE	0x2	/* from the kernel: struct mbox_notice */

/* When a mailbox dies with messages in it, each message's sender (if
 * alive) gets this in its own port, from sender 0, so no message is
 * lost silently. */
struct mbox_notice {
	uint32_t what;		/* NOTICE_UNDELIVERED */
	int32_t  mbox;		/* the mailbox that was destroyed */
	uint32_t length;	/* of the message that was not delivered */
	uint32_t reserved;
};
#define NOTICE_UNDELIVERED	1

/* One row of the `mbox` command. */
struct mbox_info {
	int32_t  id;
	int32_t  owner;		/* pid */
	int32_t  capacity;	/* 0, N, or MBOX_UNBOUNDED */
	uint32_t queued;	/* messages waiting */
	uint32_t senders;	/* processes blocked sending */
	uint32_t receivers;	/* processes blocked receiving */
	uint32_t sent;		/* messages accepted, ever */
	uint32_t received;	/* messages taken, ever */
	uint32_t is_port;	/* a process's direct mailbox */
	char     name[MBOX_NAME_LEN];
	int32_t  moved_to;	/* it left with its owner: where it is now (a global
				 * id; this row is the stub its old id keeps); 0 = here */
	uint32_t settling;	/* ...and senders wait until it has settled there */
	uint32_t direct;	/* of `received`, handed straight from sender to a
				 * receiver already waiting (docs/ipc.md) */
};

/* Semaphores and shared memory. */
#define SHM_MAX_SIZE	(256 * 1024)	/* largest segment */
#define SHM_BASE	0x60000000u	/* attach addresses start here */
#define SHM_SLOTS	8		/* attachments per process */

#endif
