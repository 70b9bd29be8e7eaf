/*
 * Remote mailboxes, the serving side (rmbox.h).  Requests from other
 * nodes arrive from the message layer in interrupt context and become
 * ordinary messages on local mailboxes.  Whatever a local sender, caller
 * or receiver would sleep for, a remote one waits for here, as a pending
 * entry; kernel/ipc/mbox.c calls back (taken, room... in the operations
 * rmbox_init registers, kernel/ipc/remote.h) when the mailbox moves, and
 * the entry's answer goes back to the asking node (the table of
 * entries: rmbox_pend.c).  A mailbox that left with its owner for another
 * node answers with where it went (RMF_MOVED; kernel/ipc/mbox_move.c).
 */
#include "kernel.h"
#include "mm/kheap.h"
#include "proc.h"
#include "sched.h"
#include "mm/vm.h"
#include "ipc/mbox.h"
#include "ipc/remote.h"
#include "rmbox.h"
#include "kmsg.h"
#include "rmbox_pend.h"

/* A failure's answer.  EMOVED: the mailbox left with its owner; the
 * asker is told where it is now (RMF_MOVED), and sends there itself. */
static int32_t
failure(int r, int mbox, int *flags)
{
	int now;

	*flags = 0;
	if (r != -EMOVED)
		return r;
	if (mbox_moved(mbox, &now) != 1)
		return -EPIPE;
	*flags = RMF_MOVED;
	return now;
}

/* ---- moving messages between remote senders and remote receivers ---- */

/* A blocked sender's message went in: answer it unless it waits on. */
static void
admitted(struct pending *pe, int r)
{
	if (r == RQ_QUEUED && !pe->is_call) {
		pend_result(pe, 0, 0);	/* in the mailbox: the send is done */
		pend_free(pe);
	}
}

/* Let blocked remote senders in while there is room. */
static int
admit(int mbox)
{
	struct pending *pe;
	int r, n = 0, flags;

	while ((pe = pend_oldest(P_BLOCKED, mbox))) {
		pe->state = P_QUEUED;
		if ((r = mbox_queue_remote(mbox, pe->msg, 0)) == -EAGAIN) {
			pe->state = P_BLOCKED;
			break;
		}
		if (r < 0) {
			r = failure(r == -ENOENT ? -EPIPE : r, mbox, &flags);
			pend_result(pe, r, flags);
			message_free(pe->msg);
			pend_free(pe);
			continue;
		}
		admitted(pe, r);
		n++;
	}
	return n;
}

/*
 * Take a message from mbox for the receiver that asked with req, and
 * send it (or why not) back.  0 when there is nothing to take.
 * gone: the error for a mailbox that does not exist.
 */
static int
take_for(int node, const struct rm_hdr *req, int mbox, int gone)
{
	struct msg_info info;
	struct message *msg;
	struct rm_hdr h = *req;
	int r, flags;

	memset(&info, 0, sizeof(info));
	r = mbox_take(mbox, (uint32_t)req->status, DIST_PID(node, req->sender), &msg, &info);
	if (r == 0)
		return 0;
	h.flags = 0;
	if (r < 0) {
		h.op = RM_RESULT;
		h.status = failure(r == -ENOENT ? gone : r, mbox, &flags);
		h.flags = (uint8_t)flags;
		h.aux = info.length;		/* EMSGSIZE: how big it is */
		rmbox_send_hdr(node, &h, NULL, 0);
		return r;
	}
	h.op = RM_MESSAGE;
	h.status = (int32_t)msg->length;
	/* Name the sender globally, so the receiver can answer it. */
	h.sender = msg->sender > 0 && !DIST_IS_GLOBAL(msg->sender) ?
	    DIST_PID(kmsg_node(), msg->sender) : msg->sender;
	h.aux = msg->flags;
	rmbox_send_hdr(node, &h, msg->data, msg->length);
	message_free(msg);
	return 1;
}

/* Give queued messages to waiting remote receivers, oldest first. */
static int
serve_receivers(int mbox)
{
	struct pending *pe;
	int r, n = 0;

	while ((pe = pend_oldest(P_RECV, mbox))) {
		if ((r = take_for(pe->node, &pe->req, mbox, -EPIPE)) == 0)
			break;
		n += r > 0;
		pend_free(pe);
	}
	return n;
}

/* Something moved on mbox: repeat until neither side can go on (a
 * receiver's take makes room for a blocked sender, whose message feeds
 * the next receiver).  Nested calls just ask the running one to repeat. */
static void
pump(int mbox)
{
	static int running, again;

	/* Every local send and receive comes here (room, arrived): with no
	 * request from another node waiting, there is nothing to pump, and
	 * scanning the table for it cost a local round trip 2,700
	 * instructions. */
	if (pend_in_use == 0)
		return;
	if (running) {
		again = 1;
		return;
	}
	running = 1;
	do {
		again = 0;
		if (admit(mbox) + serve_receivers(mbox))
			again = 1;
	} while (again);
	running = 0;
}

/* ---- requests ---- */

static void
serve_lookup(int node, const struct rm_hdr *h, const uint8_t *data, uint32_t len)
{
	char name[MBOX_NAME_LEN];

	if (len == 0 || len > MBOX_NAME_LEN) {
		rm_bad++;
		rmbox_respond(node, h, RM_RESULT, -EINVAL, 0, NULL, 0);
		return;
	}
	memcpy(name, data, len);
	name[len - 1] = '\0';
	rmbox_respond(node, h, RM_RESULT, mbox_open(name), 0, NULL, 0);
}

/* The port of a local process, as sys_ipc.c finds it. */
static int
port_of(int pid)
{
	struct proc *p = proc_find(pid);

	if (!p || p->state == ZOMBIE)
		return -ESRCH;
	return proc_port(p);
}

static void
serve_send(int node, const struct rm_hdr *h, const uint8_t *data, uint32_t len)
{
	int is_call = h->op == RM_CALL || h->op == RM_CALL_PID;
	int nowait = (h->flags & RMF_NOWAIT) && !is_call;
	int mbox = h->target, r, flags;
	struct pending *pe;
	struct message *msg;

	if (len > MSG_MAX) {
		rmbox_respond(node, h, RM_RESULT, -EMSGSIZE, 0, NULL, 0);
		return;
	}
	if ((h->op == RM_SEND_PID || h->op == RM_CALL_PID) && (mbox = port_of(h->target)) < 0) {
		rmbox_respond(node, h, RM_RESULT, mbox, 0, NULL, 0);
		return;
	}
	if (!(pe = pend_alloc(node, h))) {
		rmbox_respond(node, h, RM_RESULT, -ENOBUFS, 0, NULL, 0);
		return;
	}
	if (!(msg = message_alloc(len))) {
		pend_result(pe, -ENOMEM, 0);
		pend_free(pe);
		return;
	}
	msg->sender = DIST_PID(node, h->sender);
	msg->flags = is_call ? MSG_CALL : 0;
	memcpy(msg->data, data, len);
	pe->mbox = mbox;
	pe->msg = msg;
	pe->is_call = is_call;
	/* Behind remote senders already waiting for room, as a local
	 * sender would be; a rendezvous goes in at once (its sender waits
	 * for the taking, not for room). */
	pe->state = P_QUEUED;
	if (pend_oldest(P_BLOCKED, mbox))
		r = -EAGAIN;
	else
		r = mbox_queue_remote(mbox, msg, nowait && !pend_oldest(P_RECV, mbox));
	if (r == -EAGAIN && !nowait) {
		pe->state = P_BLOCKED;
		return;
	}
	if (r < 0) {
		r = failure(r, mbox, &flags);
		pend_result(pe, r, flags);
		message_free(msg);
		pend_free(pe);
		return;
	}
	admitted(pe, r);
	pump(mbox);
}

static void
serve_recv(int node, const struct rm_hdr *h)
{
	struct pending *pe;
	int r;

	if (h->status < 0) {
		rm_bad++;
		rmbox_respond(node, h, RM_RESULT, -EINVAL, 0, NULL, 0);
		return;
	}
	/* Anything queued would have gone to an earlier remote receiver
	 * already, so this one may take it at once. */
	if ((r = take_for(node, h, h->target, -ENOENT)) != 0) {
		if (r > 0)
			pump(h->target);	/* it made room */
		return;
	}
	if (h->flags & RMF_NOWAIT) {
		rmbox_respond(node, h, RM_RESULT, -EAGAIN, 0, NULL, 0);
		return;
	}
	if (!(pe = pend_alloc(node, h))) {
		rmbox_respond(node, h, RM_RESULT, -ENOBUFS, 0, NULL, 0);
		return;
	}
	pe->mbox = h->target;
	pe->state = P_RECV;
}

/* The asker gave up (timeout, signal): undo what can be undone, and
 * say which happened, cancelled or done.  Nothing pending: the final
 * answer is already on its way. */
static void
serve_cancel(int node, const struct rm_hdr *h)
{
	struct pending *pe;

	for (pe = pend; pe < &pend[NPEND]; pe++)
		if (pe->state != P_FREE && pe->node == node && pe->req.opid == h->opid)
			break;
	if (pe == &pend[NPEND])
		return;
	switch (pe->state) {
	case P_BLOCKED:
		message_free(pe->msg);
		break;
	case P_QUEUED:
		if (mbox_withdraw(pe->mbox, pe->msg))
			message_free(pe->msg);
		break;
	case P_TAKEN:
		pend_free(pe);		/* a late reply now gets ESRCH */
		return;
	}
	pend_result(pe, 0, RMF_CANCELLED);
	pend_free(pe);
}

/* A reply (or its failure) from a process on node that took a call by
 * a remote receive: its caller is here, or on a third node. */
static void
serve_forwarded(int node, const struct rm_hdr *h, const uint8_t *data, uint32_t len)
{
	int server = DIST_PID(node, h->sender), caller = h->target;
	int32_t status = h->flags & RMF_FAILED ? h->status : (int32_t)len;
	struct pending *pe;

	if (DIST_NODE(caller) == kmsg_node()) {
		call_forwarded(DIST_LOCAL(caller), server, status, data, len);
		return;
	}
	for (pe = pend; pe < &pend[NPEND]; pe++) {
		if (pe->state == P_TAKEN && pe->server == server &&
		    DIST_PID(pe->node, pe->req.sender) == caller) {
			if (status < 0)
				pend_result(pe, status, 0);
			else
				rmbox_respond(pe->node, &pe->req, RM_REPLY, status, 0, data, len);
			pend_free(pe);
			return;
		}
	}
}

static void
rmbox_deliver(int node, uint32_t ts, const uint8_t *data, uint32_t len)
{
	struct rm_hdr h;

	if (len < RM_HLEN) {
		rm_bad++;
		return;
	}
	rm_decode(data, &h);
	data += RM_HLEN;
	len -= RM_HLEN;
	if (h.op < RM_RESULT)
		rm_requests++;
	switch (h.op) {
	case RM_LOOKUP:
		serve_lookup(node, &h, data, len);
		break;
	case RM_SEND:
	case RM_SEND_PID:
	case RM_CALL:
	case RM_CALL_PID:
		serve_send(node, &h, data, len);
		break;
	case RM_RECV:
		serve_recv(node, &h);
		break;
	case RM_CANCEL:
		serve_cancel(node, &h);
		break;
	case RM_FWD_REPLY:
		serve_forwarded(node, &h, data, len);
		break;
	case RM_RESULT:
	case RM_REPLY:
	case RM_MESSAGE:
	case RM_NOTICE:
		rmbox_answer(node, &h, data, len);
		break;
	default:
		rm_bad++;
	}
}

/* The asking node is gone or has forgotten us: drop what it waited
 * for.  Messages it sent that were accepted stay: they were delivered. */
static void
rmbox_event(int node, int event)
{
	struct pending *pe;

	call_node_gone(node);		/* local calls taken from there */
	for (pe = pend; pe < &pend[NPEND]; pe++) {
		if (pe->state == P_TAKEN && DIST_NODE(pe->server) == node) {
			pend_result(pe, -EPIPE, 0);	/* its taker is gone */
			pend_free(pe);
		}
		if (pe->state == P_FREE || pe->node != node)
			continue;
		if (pe->state == P_BLOCKED)
			message_free(pe->msg);
		else if (pe->state == P_QUEUED && mbox_withdraw(pe->mbox, pe->msg))
			message_free(pe->msg);
		pend_free(pe);
	}
	rmbox_client_event(node, event);
}

/* ---- ipc_remote_ops: kernel/ipc/ calls these through its table ---- */

static void
rmbox_taken(struct message *msg, int server)
{
	struct pending *pe = pend_by_message(msg);

	if (!pe)
		return;			/* an accepted message: nobody waits */
	if (pe->is_call) {
		pe->state = P_TAKEN;
		pe->server = server;
		pe->msg = NULL;
		return;
	}
	pend_result(pe, 0, 0);		/* rendezvous: taken, so sent */
	pend_free(pe);
}

static void
rmbox_room(int mbox)
{
	pump(mbox);
}

static void
rmbox_arrived(int mbox)
{
	pump(mbox);
}

static void
rmbox_undelivered(struct message *msg, int mbox)
{
	struct pending *pe = pend_by_message(msg);
	struct rm_hdr h;

	if (pe) {
		pend_result(pe, -EPIPE, 0);
		pend_free(pe);
		return;
	}
	/* Accepted, then lost with its mailbox: a notice for its sender. */
	memset(&h, 0, sizeof(h));
	h.op = RM_NOTICE;
	h.sender = DIST_LOCAL(msg->sender);
	h.status = (int32_t)msg->length;
	h.aux = (uint32_t)DIST_ID(kmsg_node(), mbox);
	rmbox_send_hdr(DIST_NODE(msg->sender), &h, NULL, 0);
}

/* Its mailbox is leaving with the message its sender waits on: hold
 * it as for a full mailbox; once the mailbox has settled where it went,
 * the sender is told where that is (admit). */
static int
rmbox_withdrawn(struct message *msg)
{
	struct pending *pe = pend_by_message(msg);

	if (!pe || pe->state != P_QUEUED)
		return 0;
	pe->state = P_BLOCKED;
	return 1;
}

static void
rmbox_mbox_gone(int mbox)
{
	struct pending *pe;

	for (pe = pend; pe < &pend[NPEND]; pe++) {
		if (pe->mbox != mbox || (pe->state != P_BLOCKED && pe->state != P_RECV))
			continue;
		if (pe->state == P_BLOCKED)
			message_free(pe->msg);
		pend_result(pe, -EPIPE, 0);
		pend_free(pe);
	}
}

static int
rmbox_reply(int pid, uint32_t ubuf, uint32_t len)
{
	struct pending *pe;
	struct message *msg;
	int err;

	for (pe = pend; pe < &pend[NPEND]; pe++)
		if (pe->state == P_TAKEN && pe->server == current->pid &&
		    DIST_PID(pe->node, pe->req.sender) == pid)
			break;
	if (pe == &pend[NPEND]) {
		/* Not a call from another node taken here: one taken by a
		 * remote receive, or a local caller named globally. */
		if ((err = rmbox_reply_forward(pid, ubuf, len)) != -ESRCH ||
		    DIST_NODE(pid) != kmsg_node())
			return err;
		return ipc_reply(DIST_LOCAL(pid), ubuf, len);
	}
	if (!(msg = message_from_user(ubuf, len, &err)))
		return err;
	rmbox_respond(pe->node, &pe->req, RM_REPLY, (int32_t)len, 0, msg->data, len);
	message_free(msg);
	pend_free(pe);
	return 0;
}

static void
rmbox_proc_exit(struct proc *p)
{
	struct pending *pe;

	rmbox_client_proc_exit(p);
	for (pe = pend; pe < &pend[NPEND]; pe++) {
		if (pe->state == P_TAKEN && pe->server == p->pid) {
			pend_result(pe, -EPIPE, 0);	/* as a local caller gets */
			pend_free(pe);
		}
	}
}

static const struct ipc_remote_ops rmbox_ops = {
	.is_remote	= rmbox_is_remote,
	.open		= rmbox_open,
	.send		= rmbox_send,
	.receive	= rmbox_receive,
	.call		= rmbox_call,
	.reply		= rmbox_reply,
	.taken		= rmbox_taken,
	.room		= rmbox_room,
	.arrived	= rmbox_arrived,
	.undelivered	= rmbox_undelivered,
	.mbox_gone	= rmbox_mbox_gone,
	.proc_exit	= rmbox_proc_exit,
	.withdrawn	= rmbox_withdrawn,
	.node		= kmsg_node,
};

void
rmbox_init(void)
{
	ipc_remote_register(&rmbox_ops);
	kmsg_register(KMSG_SVC_MBOX, rmbox_deliver, rmbox_event);
	rmbox_client_init();
}
