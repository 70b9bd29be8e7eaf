/*
 * Message passing, semaphores and shared memory for user programs: the
 * calls of docs/ipc.md, included by <brinch.h>.  Constants and structures
 * (IPC_NOWAIT, ANY, MSG_MAX, struct msg_info...) are the ABI's, from
 * <brinch/ipc.h>.  Each call returns -1 and sets errno on failure.
 */
#ifndef _IPC_H
#define _IPC_H

#include <stddef.h>
#include <brinch/ipc.h>

/*
 * Every call that may block takes flags (0 or IPC_NOWAIT: fail with
 * EAGAIN instead of blocking) and a timeout in milliseconds (0: no
 * limit; else ETIMEDOUT when it runs out).  A handled signal makes a
 * blocked call fail with EINTR.
 */

/* Mailboxes (indirect naming).  capacity: 0 (rendezvous), 1..256, or
 * MBOX_UNBOUNDED.  name may be NULL for an anonymous mailbox. */
int	mbox_create(const char *name, int capacity);	/* -> id */
int	mbox_open(const char *name);			/* -> id */
int	mbox_close(int id);		/* the owner's close destroys it */
int	mbox_destroy(int id);		/* owner only */
int	mbox_send(int id, const void *msg, size_t len, int flags,
	    unsigned timeout_ms);
int	mbox_receive(int id, void *buf, size_t max, struct msg_info *info,
	    int flags, unsigned timeout_ms);		/* -> length */

/* Direct naming: every process has a port.  from is a pid (symmetric)
 * or ANY (asymmetric); info.sender says who sent it either way. */
int	send(int pid, const void *msg, size_t len, int flags,
	    unsigned timeout_ms);
int	receive(int from, void *buf, size_t max, struct msg_info *info,
	    int flags, unsigned timeout_ms);		/* -> length */

/* Remote procedure call: send a request, wait for its reply.  The
 * server receives it (MSG_CALL in info.flags) and answers with reply()
 * to info.sender. */
int	call(int pid, const void *req, size_t len, void *reply_buf,
	    size_t max, unsigned timeout_ms);		/* -> reply length */
int	mbox_call(int id, const void *req, size_t len, void *reply_buf,
	    size_t max, unsigned timeout_ms);		/* -> reply length */
int	reply(int pid, const void *msg, size_t len);
/* A server's loop in one system call: reply(pid, msg, len), then
 * receive(ANY, buf, max, info, 0, 0).  If the reply fails (ESRCH: the
 * caller gave up) nothing is received. */
int	reply_receive(int pid, const void *msg, size_t len, void *buf, size_t max,
	    struct msg_info *info);			/* -> length received */

/* Every mailbox in the system (ports included); returns how many. */
int	mbox_list(struct mbox_info *buf, int max);

/* Counting semaphores. */
int	sem_create(int value);				/* -> id */
int	sem_wait(int id);		/* P: blocks while the value is 0 */
int	sem_trywait(int id);		/* EAGAIN instead of blocking */
int	sem_timedwait(int id, unsigned timeout_ms);	/* 0: no limit */
int	sem_post(int id);		/* V */
int	sem_destroy(int id);		/* waiters fail with EPIPE */

/* Shared memory: segments of up to SHM_MAX_SIZE bytes, inherited
 * across fork.  shm_attach returns (void *)-1 on failure. */
int	 shm_create(size_t size);			/* -> id */
void	*shm_attach(int id);
int	 shm_detach(void *addr);
int	 shm_destroy(int id);	/* freed once the last user detaches */

#endif
