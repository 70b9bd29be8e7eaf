/*
 * The mailboxes a process owns travel with it (docs/migration.md,
 * "Messages during a move").  Source: once the process has parked, one
 * MBOX per mailbox before STATE; the target makes them empty and answers
 * their new ids in BUILT; at the commit the queues follow as MSGS, ahead
 * of GO on the same ordered stream, and a stub takes each old id here
 * (kernel/ipc/mbox_move.c).  When GO is delivered, so is every message,
 * and the stubs start forwarding.  Target: stage, adopt, fill, and tell
 * each mailbox's node of origin where it is now (WHERE).
 */
#include "kernel.h"
#include "proc.h"
#include "ipc/mbox.h"
#include "dist/kmsg.h"
#include "migrate.h"

static uint8_t msgsbuf[KMSG_MAX];	/* one MSGS at a time (no sleeping here) */

/* The id the process knows mailbox id by. */
static int
seen_as(struct proc *p, int id)
{
	int i;

	for (i = 0; i < MBOX_ALIASES; i++)
		if (p->mbox_alias[i].seen && p->mbox_alias[i].actual == id)
			return p->mbox_alias[i].seen;
	return p->home < 0 ? id : DIST_ID(kmsg_node(), id);
}

/* ---- the source ---- */

/*
 * Parked: tell the target what mailboxes come (a port first made if it
 * has none, so that its deputy can pass on what is sent to its pid).
 * 0, or -EBUSY with the record's why, or kmsg's error.
 */
int
mig_mbox_offer(struct mig_out *m)
{
	struct mbox_meta meta[MIG_MAX_MBOX];
	struct mig_mbox b;
	struct proc *p = m->p;
	int n, i, err;

	proc_port(p);		/* a full table: it goes without one */
	if ((n = mbox_owned(p->pid, meta, MIG_MAX_MBOX)) > MIG_MAX_MBOX) {
		m->rec->why = MIG_WHY_MAILBOX;
		m->rec->why_arg = n;
		return -EBUSY;
	}
	for (i = 0; i < n; i++) {
		memset(&b, 0, sizeof(b));
		b.id = meta[i].id;
		b.seen = seen_as(p, meta[i].id);
		b.origin = meta[i].origin;
		b.capacity = meta[i].capacity;
		b.is_port = (uint32_t)meta[i].is_port;
		b.sent = meta[i].sent;
		b.received = meta[i].received;
		strlcpy(b.name, meta[i].name, sizeof(b.name));
		m->rec->bytes_sent += sizeof(struct mig_hdr) + sizeof(b);
		if ((err = mig_send_op(m->node, MIG_OP_MBOX, m->id, &b, sizeof(b), 0)) < 0)
			return err;
	}
	return 0;
}

/* BUILT's answer: every id in it must be one we sent. */
int
mig_mbox_built(struct mig_out *m, const uint8_t *msg, uint32_t len)
{
	struct mbox_meta meta[MIG_MAX_MBOX];
	struct mig_built b = { 0 };
	int n, i, k;

	if (len > sizeof(struct mig_hdr))
		memcpy(&b, msg + sizeof(struct mig_hdr), sizeof(b));
	n = mbox_owned(m->p->pid, meta, MIG_MAX_MBOX);
	m->nmbox = 0;
	for (i = 0; i < (int)b.count; i++) {
		memcpy(&m->mbox[i], msg + sizeof(struct mig_hdr) + sizeof(b) +
		    i * sizeof(m->mbox[i]), sizeof(m->mbox[i]));
		for (k = 0; k < n && meta[k].id != m->mbox[i].id; k++)
			;
		if (k == n)
			return -EINVAL;
		m->nmbox++;
	}
	return 0;
}

/* Send what list holds for mailbox now (the target's id) as MSGS. */
static void
send_queue(struct mig_out *m, int now, struct list *list)
{
	struct mig_msgs *b = (struct mig_msgs *)(msgsbuf + sizeof(struct mig_hdr));
	uint32_t at = sizeof(struct mig_hdr) + sizeof(*b);
	struct list_node *n;
	struct message *msg;
	struct mig_msg r;

	b->mbox = now;
	b->count = 0;
	while ((n = list_pop_front(list)) || b->count) {
		msg = n ? container_of(n, struct message, node) : NULL;
		if (b->count && (!msg || b->count == MIG_MAX_MSGS ||
		    at + sizeof(r) + msg->length > sizeof(msgsbuf))) {
			m->rec->bytes_sent += at;
			if (mig_send_op(m->node, MIG_OP_MSGS, m->id, b, at - sizeof(struct mig_hdr), 0) < 0)
				mig_count.dropped++;	/* kmsg's queue is full: lost */
			b->count = 0;
			at = sizeof(struct mig_hdr) + sizeof(*b);
		}
		if (!msg)
			break;
		r.sender = msg->sender > 0 && !DIST_IS_GLOBAL(msg->sender) ?
		    DIST_PID(kmsg_node(), msg->sender) : msg->sender;
		r.flags = msg->flags & MSG_NOTICE;
		r.length = msg->length;
		memcpy(msgsbuf + at, &r, sizeof(r));
		memcpy(msgsbuf + at + sizeof(r), msg->data, msg->length);
		at += sizeof(r) + msg->length;
		b->count++;
		message_free(msg);
	}
}

/* The commit, before GO: hand each mailbox over and send its queue. */
void
mig_mbox_commit(struct mig_out *m)
{
	struct list queue;
	int i;

	for (i = 0; i < m->nmbox; i++) {
		list_init(&queue);
		if (mbox_hand_over(m->mbox[i].id, DIST_ID(m->node, m->mbox[i].now), m->id,
		    &queue) == 0)
			send_queue(m, m->mbox[i].now, &queue);
	}
}

/* ---- the target ---- */

int
mig_mbox_stage(struct mig_mboxes *mb, const uint8_t *msg)
{
	if (mb->n == MIG_MAX_MBOX)
		return -E2BIG;
	memcpy(&mb->meta[mb->n++], msg + sizeof(struct mig_hdr), sizeof(mb->meta[0]));
	return 0;
}

/* STATE: make them, owned by owner; the BUILT body goes in out. */
int
mig_mbox_adopt(struct mig_mboxes *mb, int owner, uint8_t *out, uint32_t *len)
{
	struct mig_built b = { .count = (uint32_t)mb->n };
	struct mig_mbox_map pair;
	struct mbox_meta meta;
	int i, id;

	for (i = 0; i < mb->n; i++) {
		memset(&meta, 0, sizeof(meta));
		meta.origin = mb->meta[i].origin;
		meta.capacity = mb->meta[i].capacity;
		meta.is_port = (int)mb->meta[i].is_port;
		meta.sent = mb->meta[i].sent;
		meta.received = mb->meta[i].received;
		strlcpy(meta.name, mb->meta[i].name, sizeof(meta.name));
		if ((id = mbox_adopt(&meta, owner)) < 0)
			return id;	/* a name taken here (EEXIST), no slot (ENOSPC) */
		mb->now[i] = id;
		pair = (struct mig_mbox_map){ mb->meta[i].id, id };
		memcpy(out + sizeof(b) + i * sizeof(pair), &pair, sizeof(pair));
	}
	memcpy(out, &b, sizeof(b));
	*len = mb->n ? sizeof(b) + mb->n * sizeof(pair) : 0;
	return 0;
}

/* MSGS: the queue of one of them, in the order it had. */
void
mig_mbox_messages(struct mig_mboxes *mb, const uint8_t *msg, uint32_t len)
{
	const uint8_t *at = msg + sizeof(struct mig_hdr) + sizeof(struct mig_msgs);
	struct message *copy;
	struct mig_msgs b;
	struct mig_msg r;
	uint32_t i;
	int k;

	memcpy(&b, msg + sizeof(struct mig_hdr), sizeof(b));
	for (k = 0; k < mb->n && mb->now[k] != b.mbox; k++)
		;
	if (k == mb->n) {
		mig_count.bad_msgs++;
		return;
	}
	for (i = 0; i < b.count; i++, at += sizeof(r) + r.length) {
		memcpy(&r, at, sizeof(r));
		if (!(copy = message_alloc(r.length))) {
			mig_count.dropped++;	/* no memory: counted, not silent */
			continue;
		}
		copy->sender = r.sender;
		copy->flags = r.flags;
		memcpy(copy->data, at + sizeof(r), r.length);
		mbox_queue_moved(mb->now[k], copy);
	}
	(void)len;
}

/* GO: the process knows its mailboxes by the ids it had; each one's
 * node of origin learns where it is (the source knows already). */
void
mig_mbox_arrived(struct mig_mboxes *mb, struct proc *p, int source)
{
	struct mig_where w;
	int i, me = kmsg_node();

	memset(p->mbox_alias, 0, sizeof(p->mbox_alias));
	for (i = 0; i < mb->n; i++) {
		if (mb->meta[i].is_port)
			p->port = mb->now[i];
		else
			p->mbox_alias[i] = (typeof(p->mbox_alias[0])){ mb->meta[i].seen, mb->now[i] };
		w = (struct mig_where){ mb->meta[i].origin, DIST_ID(me, mb->now[i]) };
		if (DIST_NODE(w.origin) == me)
			mbox_retarget(w.origin, w.now);
		else if (DIST_NODE(w.origin) != source)
			mig_send_op(DIST_NODE(w.origin), MIG_OP_WHERE, 0, &w, sizeof(w), 0);
	}
	mb->n = 0;		/* theirs now: nothing for discard to undo */
}

void
mig_mbox_discard(struct mig_mboxes *mb)
{
	int i;

	for (i = 0; i < mb->n; i++)
		if (mb->now[i])
			mbox_unadopt(mb->now[i]);
	mb->n = 0;
}

/* WHERE, at a mailbox's node of origin. */
void
mig_mbox_where(const uint8_t *msg)
{
	struct mig_where w;

	memcpy(&w, msg + sizeof(struct mig_hdr), sizeof(w));
	mbox_retarget(w.origin, w.now);
}
