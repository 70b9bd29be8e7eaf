/*
 * Synchronous request/reply on top of mailboxes: call() sends a message
 * marked MSG_CALL and sleeps until the process that receives it answers
 * with reply().  A caller is always in one of these states:
 *
 *	CALL_NONE	not calling
 *	CALL_QUEUED	request sent, not yet received (call_msg, call_mbox)
 *	CALL_TAKEN	a server has it (call_server = its pid)
 *	CALL_REPLIED	the answer is in call_reply, or (none there) already
 *			in the caller's buffer, call_reply_len bytes
 *	CALL_FAILED	the server died first (call_error)
 *
 * Both ways the bytes go straight from one process's memory to the other's
 * when they can (direct.c): a request to a server already waiting in
 * receive, and every reply that fits the caller's buffer.
 *
 * Only the process that took the request may reply, so replies cannot
 * be forged, and a caller that gave up (timeout, signal) makes a late
 * reply fail with ESRCH instead of landing in a later call.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "mm/vm.h"
#include "mbox.h"
#include "remote.h"

enum { CALL_NONE, CALL_QUEUED, CALL_TAKEN, CALL_REPLIED, CALL_FAILED };

static void
call_reset(struct proc *p)
{
	if (p->call_reply)
		message_free(p->call_reply);
	p->call_reply = NULL;
	p->call_msg = NULL;
	p->call_state = CALL_NONE;
	p->call_server = 0;
}

int
ipc_call(int mbox, uint32_t ureq, uint32_t len, uint32_t ureply,
    uint32_t max, struct wait_limit *w)
{
	struct proc *p = current;
	struct message *msg;
	int err;

	if (!user_range_ok(p->pgdir, ureply, max, 1))
		return -EFAULT;
	call_reset(p);
	p->call_ureply = ureply;	/* checked above, so its pages are in */
	p->call_max = max;
	p->call_mbox = mbox;
	if ((err = mbox_send_direct(mbox, ureq, len, MSG_CALL)) > 0) {
		p->call_state = CALL_TAKEN;	/* a waiting server has it */
		p->call_server = err;
	} else {
		if (!(msg = message_from_user(ureq, len, &err)))
			return err;
		msg->flags = MSG_CALL;
		p->call_state = CALL_QUEUED;
		p->call_msg = msg;
		if ((err = mbox_send_message(mbox, msg, w)) < 0) {
			p->call_msg = NULL;	/* freed by the send */
			p->call_state = CALL_NONE;
			return err;
		}
	}
	while (p->call_state == CALL_QUEUED || p->call_state == CALL_TAKEN) {
		if ((err = sleep_on_limit(&p->reply_queue, w)) < 0 &&
		    (p->call_state == CALL_QUEUED || p->call_state == CALL_TAKEN)) {
			/* Giving up: withdraw the request if nobody has it. */
			if (p->call_state == CALL_QUEUED &&
			    mbox_withdraw(p->call_mbox, p->call_msg))
				message_free(p->call_msg);
			call_reset(p);
			return err;
		}
	}
	if (p->call_state == CALL_FAILED) {
		err = p->call_error;
		call_reset(p);
		return err;
	}
	if (!(msg = p->call_reply))
		err = p->call_reply_len;	/* copied in by ipc_reply */
	else if (msg->length > max)
		err = -EMSGSIZE;
	else if (copy_to_user(p->pgdir, ureply, msg->data, msg->length) < 0)
		err = -EFAULT;
	else
		err = (int)msg->length;
	call_reset(p);
	return err;
}

/* mbox.c: a receiver just took a MSG_CALL message.  The receiver may be
 * on another node (remote.h): server is then a global pid.  Only a reply
 * from that process is accepted. */
void
call_taken_by(struct message *msg, int server)
{
	struct proc *caller = proc_find(msg->sender);

	if (caller && caller->call_state == CALL_QUEUED && caller->call_msg == msg) {
		caller->call_state = CALL_TAKEN;
		caller->call_server = server;
		caller->call_msg = NULL;
	}
}

/* Our request, still queued, will not be taken where it is: the call
 * fails with err. */
static int
fail_queued(struct message *msg, int err)
{
	struct proc *caller = proc_find(msg->sender);

	if (DIST_IS_GLOBAL(msg->sender) || !caller || caller->call_state != CALL_QUEUED ||
	    caller->call_msg != msg)
		return 0;
	caller->call_state = CALL_FAILED;
	caller->call_error = err;
	caller->call_msg = NULL;
	wake_process(caller);
	return 1;
}

/* mbox.c: a mailbox died with our request still queued in it. */
int
call_undelivered(struct message *msg)
{
	return fail_queued(msg, -EPIPE);
}

/* mbox_move.c: the mailbox left for another node with our request still
 * queued: the call is made again, there (sys_ipc.c). */
int
call_moved(struct message *msg)
{
	return fail_queued(msg, -EMOVED);
}

/* remote.h: the reply (or, status < 0, the failure) of a call that a
 * process on another node took by a remote receive. */
void
call_forwarded(int pid, int server, int32_t status, const void *data, uint32_t len)
{
	struct proc *caller = proc_find(pid);
	struct message *msg = NULL;

	if (!caller || caller->call_state != CALL_TAKEN || caller->call_server != server)
		return;			/* it gave up meanwhile */
	if (status >= 0 && !(msg = message_alloc(len)))
		status = -ENOMEM;
	if (msg) {
		memcpy(msg->data, data, len);
		caller->call_reply = msg;
		caller->call_state = CALL_REPLIED;
	} else {
		caller->call_state = CALL_FAILED;
		caller->call_error = status;
	}
	wake_process(caller);
}

/* remote.h: node is down or has reset: calls taken there fail. */
void
call_node_gone(int node)
{
	struct proc *c;

	for (c = &proc_table[1]; c < &proc_table[NPROC]; c++) {
		if (c->state != UNUSED && c->call_state == CALL_TAKEN &&
		    c->call_server > 0 && DIST_NODE(c->call_server) == node) {
			c->call_state = CALL_FAILED;
			c->call_error = -EPIPE;
			wake_process(c);
		}
	}
}

int
ipc_reply(int pid, uint32_t ubuf, uint32_t len)
{
	struct proc *caller = proc_find(pid);
	struct message *msg;
	int err;

	if (!caller || caller->call_state != CALL_TAKEN ||
	    caller->call_server != current->pid)
		return -ESRCH;		/* no call from pid is waiting on us */
	/* Straight into the caller's buffer if it fits and is there (it
	 * was checked when the call began); else as a message, and call()
	 * copies it out or says EMSGSIZE. */
	if (len <= MSG_MAX && len <= caller->call_max &&
	    copy_user_to_user(caller->pgdir, caller->call_ureply, current->pgdir,
	    ubuf, len) == 0) {
		caller->call_reply_len = (int)len;
	} else {
		if (!(msg = message_from_user(ubuf, len, &err)))
			return err;
		caller->call_reply = msg;
	}
	caller->call_state = CALL_REPLIED;
	wake_process(caller);
	return 0;
}

/* p is exiting: fail the calls it was serving, drop its own. */
void
call_proc_exit(struct proc *p)
{
	struct proc *c;

	remote_proc_exit(p);		/* calls from other nodes it had taken */
	for (c = &proc_table[1]; c < &proc_table[NPROC]; c++) {
		if (c->state != UNUSED && c->call_state == CALL_TAKEN &&
		    c->call_server == p->pid) {
			c->call_state = CALL_FAILED;
			c->call_error = -EPIPE;
			wake_process(c);
		}
	}
	if (p->call_state == CALL_QUEUED && mbox_withdraw(p->call_mbox, p->call_msg))
		message_free(p->call_msg);
	call_reset(p);
}
