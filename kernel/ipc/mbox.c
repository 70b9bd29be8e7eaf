/*
 * Mailboxes (see mbox.h).  The table is fixed: NMBOX slots, numbered by
 * an id table (idtable.h), so an id that outlives its mailbox does not
 * name the slot's next occupant.
 *
 * Message path: the sender's bytes are copied into a kmalloc'd struct
 * message (message_from_user), queued on the mailbox, and copied out to
 * the receiver's buffer when taken.  Who sleeps where:
 *	receiver, nothing queued		mailbox->receivers
 *	sender, bounded mailbox full		mailbox->senders
 *	sender, capacity 0, until taken		mailbox->senders
 */
#include "kernel.h"
#include "mm/kheap.h"
#include "proc.h"
#include "sched.h"
#include "mm/vm.h"
#include "mbox.h"
#include "idtable.h"
#include "remote.h"
#include "mbox_impl.h"
#include "trace.h"

struct mailbox mailboxes[NMBOX];
static struct id_table mailbox_ids = ID_TABLE_NAMED(mailboxes, name);
_Static_assert(offsetof(struct mailbox, id) == 0, "idtable.h: id comes first");

struct mailbox *
mbox_lookup(int id)
{
	return id_table_lookup(&mailbox_ids, id);
}

#define lookup(id)	mbox_lookup(id)

/* Why id names no live mailbox: it left with its owner (EMOVED), or is
 * leaving (then `moving`, each caller's own answer for "not yet"), or
 * there is no such mailbox. */
static int
not_here(int id, int moving)
{
	switch (mbox_moved(id, NULL)) {
	case 2:
		return moving;
	case 1:
		return -EMOVED;
	default:
		return -ENOENT;
	}
}

/* ---- messages ---- */

struct message *
message_alloc(uint32_t length)
{
	struct message *msg;

	if (length > MSG_MAX)
		return NULL;
	if (!(msg = kmalloc(sizeof(*msg) + length)))
		return NULL;
	list_node_init(&msg->node);
	msg->sender = current ? current->pid : 0;
	msg->flags = 0;
	msg->length = length;
	msg->blocked_sender = NULL;
	return msg;
}

struct message *
message_from_user(uint32_t ubuf, uint32_t length, int *err)
{
	struct message *msg;

	if (length > MSG_MAX) {
		*err = -EMSGSIZE;
		return NULL;
	}
	if (!(msg = message_alloc(length))) {
		*err = -ENOMEM;
		return NULL;
	}
	if (copy_from_user(current->pgdir, msg->data, ubuf, length) < 0) {
		message_free(msg);
		*err = -EFAULT;
		return NULL;
	}
	return msg;
}

void
message_free(struct message *msg)
{
	kfree(msg);
}

/* ---- creating and destroying ---- */

int
mbox_create(const char *name, int capacity, int owner, int is_port)
{
	struct mailbox *mb;

	if (capacity != MBOX_UNBOUNDED && (capacity < 0 || capacity > MBOX_MAX_CAPACITY))
		return -EINVAL;
	if (id_table_find_name(&mailbox_ids, name))
		return -EEXIST;
	if (!(mb = id_table_free_slot(&mailbox_ids)))
		return -ENOSPC;
	memset(mb, 0, sizeof(*mb));
	id_table_assign(&mailbox_ids, mb);
	mb->owner = owner;
	mb->capacity = capacity;
	mb->is_port = is_port;
	if (name)
		strlcpy(mb->name, name, sizeof(mb->name));
	list_init(&mb->messages);
	snprintf(mb->receivers_name, sizeof(mb->receivers_name), "mbox %d", mb->id);
	snprintf(mb->senders_name, sizeof(mb->senders_name), "mbox %d send", mb->id);
	wait_queue_init(&mb->receivers, mb->receivers_name);
	wait_queue_init(&mb->senders, mb->senders_name);
	return mb->id;
}

/* Ports have no name, so only a mailbox is ever found. */
int
mbox_open(const char *name)
{
	struct mailbox *mb = id_table_find_name(&mailbox_ids, name);

	return mb ? mb->id : mbox_stub_named(name);	/* or one that left */
}

/* Tell a message's sender that it will never be delivered. */
static void
notify_undelivered(struct message *msg, int mbox_id)
{
	struct mbox_notice notice = { NOTICE_UNDELIVERED, mbox_id, msg->length, 0 };
	struct message *note;
	struct mailbox *port;
	struct proc *sender;

	if (DIST_IS_GLOBAL(msg->sender)) {		/* its sender is on another node */
		remote_undelivered(msg, mbox_id);
		return;
	}
	if (msg->blocked_sender) {		/* still waiting: just fail it */
		msg->blocked_sender->ipc_done = 1;
		msg->blocked_sender->ipc_status = -EPIPE;
		wake_process(msg->blocked_sender);
		return;
	}
	if ((msg->flags & MSG_CALL) && call_undelivered(msg))
		return;				/* the caller's call() fails */
	if (msg->sender <= 0 || !(sender = proc_find(msg->sender)) ||
	    sender->state == ZOMBIE || sender->port < 0)
		return;				/* nobody left to tell */
	if (proc_port(sender) < 0 || !(port = lookup(sender->port)) ||
	    !(note = message_alloc(sizeof(notice))))
		return;
	note->sender = 0;
	note->flags = MSG_NOTICE;
	memcpy(note->data, &notice, sizeof(notice));
	/* Notices go in regardless of capacity: there are at most as many
	 * as the sender had messages queued. */
	list_push_back(&port->messages, &note->node);
	port->queued++;
	wakeup(&port->receivers);
}

static void
destroy(struct mailbox *mb)
{
	struct list_node *n;
	struct message *msg;
	int id = mb->id;

	/* From now on lookups fail (waiters see EPIPE), but the slot stays
	 * taken until we are done: a notice below may create a port, and it
	 * must not land in this very slot. */
	mb->id = -1;
	while ((n = list_pop_front(&mb->messages))) {
		msg = container_of(n, struct message, node);
		notify_undelivered(msg, id);
		message_free(msg);
	}
	wakeup(&mb->receivers);
	wakeup(&mb->senders);
	remote_mbox_gone(id);		/* remote senders and receivers: EPIPE */
	mb->id = 0;
}

int
mbox_destroy(int id)
{
	struct mailbox *mb = lookup(id);

	if (!mb)
		return -ENOENT;
	if (mb->owner != current->pid)
		return -EPERM;
	destroy(mb);
	return 0;
}

/* Closing is "I am done with it": for the owner that ends the mailbox. */
int
mbox_close(int id)
{
	struct mailbox *mb = lookup(id);

	if (!mb || mb->is_port)
		return -ENOENT;
	if (mb->owner == current->pid)
		destroy(mb);
	return 0;
}

int
proc_port(struct proc *p)
{
	int id;

	if (p->port > 0 && (lookup(p->port) || mbox_moved(p->port, NULL)))
		return p->port;		/* a deputy's is the stub of the port that left */
	if (p->port < 0)
		return -EPIPE;		/* exiting */
	if (p->state == MOVED)
		return -ESRCH;
	if ((id = mbox_create(NULL, PORT_CAPACITY, p->pid, 1)) < 0)
		return id;
	p->port = id;
	return id;
}

/* The owner's death ends its mailboxes and its port. */
void
mbox_proc_exit(struct proc *p)
{
	struct mailbox *mb;

	p->port = -1;
	for (mb = mailboxes; mb < &mailboxes[NMBOX]; mb++)
		if (mb->id > 0 && mb->owner == p->pid)
			destroy(mb);
}

/* ---- sending and receiving ---- */

int
mbox_send_message(int id, struct message *msg, struct wait_limit *w)
{
	struct mailbox *mb = lookup(id);
	int limit, err;

	if (!mb) {
		message_free(msg);
		return not_here(id, -EMOVED);	/* sys_ipc.c waits for it */
	}
	limit = mb->capacity == MBOX_UNBOUNDED ? MBOX_UNBOUNDED_LIMIT : mb->capacity;

	/* Rendezvous: the message waits in the queue with its sender
	 * blocked beside it until a receiver takes it. */
	if (limit == 0) {
		if (w->nowait && list_empty(&mb->receivers.waiters)) {
			message_free(msg);
			return -EAGAIN;
		}
		msg->blocked_sender = current;
		current->ipc_done = 0;
		list_push_back(&mb->messages, &msg->node);
		mb->queued++;
		mb->sent++;
		TRACE(TRACE_IPC, TEV_MBOX_SEND, msg->sender, id, msg->length, NULL);
		wakeup(&mb->receivers);
		remote_arrived(id);	/* a receiver on another node may take it */
		w->nowait = 0;		/* a receiver is there: wait for it */
		while (!current->ipc_done) {
			if ((err = sleep_on_limit(&mb->senders, w)) < 0 && !current->ipc_done) {
				/* Given up: take the message back. */
				list_remove(&msg->node);
				mb->queued--;
				mb->sent--;
				message_free(msg);
				return err;
			}
		}
		return current->ipc_status;
	}

	/* Bounded (or "unbounded" up to its limit): wait for room. */
	/* LAB mbox: BEGIN send-waits */
	while (mb->queued >= (uint32_t)limit) {
		if ((err = sleep_on_limit(&mb->senders, w)) < 0) {
			message_free(msg);
			return err;
		}
		if (!(mb = lookup(id))) {
			message_free(msg);
			return -EPIPE;
		}
	}
	/* LAB mbox: END send-waits */
	list_push_back(&mb->messages, &msg->node);
	mb->queued++;
	mb->sent++;
	TRACE(TRACE_IPC, TEV_MBOX_SEND, msg->sender, id, msg->length, NULL);
	wakeup(&mb->receivers);
	remote_arrived(id);
	return 0;
}

static struct message *
first_from(struct mailbox *mb, int from)
{
	struct list_node *n;
	struct message *msg;

	list_for_each(n, &mb->messages) {
		msg = container_of(n, struct message, node);
		if (from == ANY || msg->sender == from)
			return msg;
	}
	return NULL;
}

/* Take msg out of mb for the process `taker` (a pid, maybe on another
 * node) and tell whoever waits on it: a rendezvous sender that it was
 * taken, blocked senders that there is room, a caller who has its call,
 * a sender on another node that its message arrived. */
static void
dequeue(struct mailbox *mb, struct message *msg, int taker)
{
	list_remove(&msg->node);
	mb->queued--;
	mb->received++;
	TRACE(TRACE_IPC, TEV_MBOX_RECV, taker, mb->id, msg->length, NULL);
	if (msg->blocked_sender) {
		msg->blocked_sender->ipc_done = 1;
		msg->blocked_sender->ipc_status = 0;
		wake_process(msg->blocked_sender);
	} else {
		/* LAB mbox: BEGIN receive-wakes */
		wakeup(&mb->senders);	/* there is room now */
		/* LAB mbox: END receive-wakes */
	}
	if (msg->flags & MSG_CALL)
		call_taken_by(msg, taker);
	if (DIST_IS_GLOBAL(msg->sender))
		remote_taken(msg, taker);	/* its sender waits on another node */
}

int
mbox_receive_user(int id, struct mbox_rx *rx, struct wait_limit *w)
{
	struct mailbox *mb = lookup(id);
	struct message *msg;
	int err, len;

	if (!mb)
		return not_here(id, -EMOVED);	/* sys_ipc.c waits for it */
	while (!(msg = first_from(mb, rx->from))) {
		/* While it sleeps, a sender may hand it a message directly
		 * (direct.c): then it is done, whatever ended the sleep. */
		rx->result = -1;
		current->rx = rx;
		err = sleep_on_limit(&mb->receivers, w);
		current->rx = NULL;
		if (rx->result >= 0)
			return rx->result;
		if (err < 0)
			return err;
		if (!(mb = lookup(id)))
			return -EPIPE;
	}
	rx->info.sender = msg->sender;
	rx->info.length = msg->length;
	rx->info.mbox = id;
	rx->info.flags = msg->flags;
	if (msg->length > rx->max)
		return -EMSGSIZE;	/* stays queued: retry with a bigger buffer */
	if (copy_to_user(current->pgdir, rx->ubuf, msg->data, msg->length) < 0)
		return -EFAULT;
	dequeue(mb, msg, current->pid);
	remote_room(id);		/* remote senders waiting for room */
	len = (int)msg->length;
	message_free(msg);
	return len;
}

/* Withdraw a message that is still queued (a caller giving up). */
int
mbox_withdraw(int id, struct message *msg)
{
	struct mailbox *mb = lookup(id);
	struct list_node *n;

	if (!mb)
		return 0;
	list_for_each(n, &mb->messages) {
		if (n == &msg->node) {
			list_remove(n);
			mb->queued--;
			mb->sent--;
			wakeup(&mb->senders);
			remote_room(id);
			return 1;
		}
	}
	return 0;
}

int
mbox_list(struct mbox_info *out, int max)
{
	struct mailbox *mb;
	int n = 0;

	for (mb = mailboxes; mb < &mailboxes[NMBOX] && n < max; mb++) {
		if (mb->id <= 0)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].id = mb->id;
		out[n].owner = mb->owner;
		out[n].capacity = mb->capacity;
		out[n].queued = mb->queued;
		out[n].senders = (uint32_t)list_length(&mb->senders.waiters);
		out[n].receivers = (uint32_t)list_length(&mb->receivers.waiters);
		out[n].sent = mb->sent;
		out[n].received = mb->received;
		out[n].direct = mb->direct;
		out[n].is_port = mb->is_port;
		strlcpy(out[n].name, mb->name, sizeof(out[n].name));
		n++;
	}
	return n + mbox_stub_list(out + n, max - n);
}

/* ---- for senders and receivers on other nodes (remote.h) ---- */

/* Queue msg now or say why not: remote.h.  Never sleeps. */
int
mbox_queue_remote(int id, struct message *msg, int nowait)
{
	struct mailbox *mb = lookup(id);
	int limit;

	if (!mb)	/* one moving takes nothing until it has settled */
		return not_here(id, -EAGAIN);	/* as if full until it has settled */
	limit = mb->capacity == MBOX_UNBOUNDED ? MBOX_UNBOUNDED_LIMIT : mb->capacity;
	if (limit == 0 && nowait && list_empty(&mb->receivers.waiters))
		return -EAGAIN;
	if (limit > 0 && mb->queued >= (uint32_t)limit)
		return -EAGAIN;
	list_push_back(&mb->messages, &msg->node);
	mb->queued++;
	mb->sent++;
	wakeup(&mb->receivers);
	return limit == 0 ? RQ_RENDEZVOUS : RQ_QUEUED;
}

/* A receive on behalf of a process elsewhere (remote.h), without
 * sleeping; the same bookkeeping as mbox_receive_user. */
int
mbox_take(int id, uint32_t max, int server, struct message **out,
    struct msg_info *info)
{
	struct mailbox *mb = lookup(id);
	struct message *msg;

	if (!mb)
		return not_here(id, 0);	/* as if empty until it has settled */
	if (!(msg = first_from(mb, ANY)))
		return 0;
	info->length = msg->length;
	if (msg->length > max)
		return -EMSGSIZE;
	dequeue(mb, msg, server);
	*out = msg;
	return 1;
}
