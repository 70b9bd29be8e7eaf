/*
 * Mailboxes that leave with their owner (docs/migration.md, "Messages
 * during a move").  The migration layer asks for what a moving process
 * owns, has the target adopt each mailbox, and at the commit hands the
 * queued messages over.  Each mailbox leaves a stub behind under its old
 * id, so that senders who know that id reach the new one: local senders
 * are sent on, remote ones told where it went (and they remember it).
 *
 * A stub is "settling" from the commit until the target has everything
 * (the migration layer says so: mbox_settle).  Meanwhile senders wait,
 * as at a full mailbox; a sender's later message can therefore never
 * overtake the ones that were queued here and are still on their way.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "mbox_impl.h"
#include "remote.h"

#define NSTUB		32	/* stubs kept; the oldest is forgotten first */
#define NLEARNED	32	/* where remote mailboxes went, as we were told */
#define MAX_HOPS	4	/* a sender follows at most this many moves */

struct stub {
	int		  id;		/* the old id here; 0 = free */
	int		  origin;	/* global id the mailbox was created as */
	int		  now;		/* global id where it is */
	uint32_t	  tag;		/* the migration that moved it */
	int		  settling;	/* until the target has every message */
	uint32_t	  age;		/* for forgetting the oldest */
	char		  name[MBOX_NAME_LEN];
	struct wait_queue settled;	/* local senders waiting for that */
};

static struct stub stubs[NSTUB];
static uint32_t stub_clock;

static struct learned {
	int		  id;		/* a global mailbox id or pid; 0 = free */
	int		  is_pid;
	int		  now;		/* the global mailbox id it went to */
} learned[NLEARNED];
static uint32_t learned_next;
int mbox_learned_used;	/* slots ever filled: learned[0 .. used) */

/* The global id a mailbox was created as. */
static int
origin_of(const struct mailbox *mb)
{
	return mb->origin ? mb->origin : DIST_ID(remote_node(), mb->id);
}

static struct stub *
stub_find(int id)
{
	struct stub *s;

	if (id <= 0)
		return NULL;
	for (s = stubs; s < &stubs[NSTUB]; s++)
		if (s->id == id)
			return s;
	return NULL;
}

static void
stub_free(struct stub *s)
{
	int id = s->id;

	s->id = 0;
	wakeup(&s->settled);	/* its waiters look again, and find nothing */
	remote_room(id);
	remote_arrived(id);
}

/* ---- what a moving process owns ---- */

int
mbox_owned(int pid, struct mbox_meta *out, int max)
{
	struct mailbox *mb;
	int n = 0;

	for (mb = mailboxes; mb < &mailboxes[NMBOX]; mb++) {
		if (mb->id <= 0 || mb->owner != pid)
			continue;
		if (n < max) {
			out[n].id = mb->id;
			out[n].origin = origin_of(mb);
			out[n].capacity = mb->capacity;
			out[n].is_port = mb->is_port;
			out[n].sent = mb->sent;
			out[n].received = mb->received;
			strlcpy(out[n].name, mb->name, sizeof(out[n].name));
		}
		n++;
	}
	return n;
}

/* ---- the target's side ---- */

/*
 * Make the mailbox m describes, owned by owner, empty (its messages come
 * at the commit).  Its name must be free here: a mailbox "jobs" of this
 * node's own is a different mailbox.  A stub's name does not count (a
 * mailbox coming back finds its own): a live mailbox is found first.
 */
int
mbox_adopt(const struct mbox_meta *m, int owner)
{
	struct mailbox *mb;
	int id;

	if ((id = mbox_create(m->name, m->capacity, owner, m->is_port)) < 0)
		return id;
	mb = mbox_lookup(id);
	mb->origin = m->origin;
	mb->sent = m->sent;
	mb->received = m->received;
	return id;
}

/* A message that was queued at the source: it goes in whatever the
 * capacity, since the source had already accepted it. */
void
mbox_queue_moved(int id, struct message *msg)
{
	struct mailbox *mb = mbox_lookup(id);

	if (!mb) {
		message_free(msg);
		return;
	}
	list_push_back(&mb->messages, &msg->node);
	mb->queued++;
	wakeup(&mb->receivers);
	remote_arrived(id);
}

/* An adopted mailbox whose migration was called off: nothing is in it
 * yet, so nobody is told. */
void
mbox_unadopt(int id)
{
	struct mailbox *mb = mbox_lookup(id);

	if (mb && list_empty(&mb->messages))
		mb->id = 0;
}

/* ---- the source's side, at the commit ---- */

/*
 * Mailbox id now lives at global id `now`.  Its plain queued messages
 * move to *out (the migration layer sends them on, in order, before it
 * lets the process run there); a message whose sender still waits on it
 * (a rendezvous, a call, a sender on another node) is given back to that
 * sender, who sends it again through the stub.  The slot is freed and a
 * settling stub takes the id.
 */
int
mbox_hand_over(int id, int now, uint32_t tag, struct list *out)
{
	struct mailbox *mb = mbox_lookup(id);
	struct stub *s, *oldest = &stubs[0];
	struct list_node *n;
	struct message *msg;

	if (!mb)
		return -ENOENT;
	for (s = stubs; s < &stubs[NSTUB] && s->id; s++)
		if ((int32_t)(s->age - oldest->age) < 0)
			oldest = s;
	if (s == &stubs[NSTUB])
		stub_free(s = oldest);	/* senders to it will find ENOENT */
	s->id = id;
	s->origin = origin_of(mb);
	s->now = now;
	s->tag = tag;
	s->settling = 1;
	s->age = ++stub_clock;
	strlcpy(s->name, mb->name, sizeof(s->name));
	wait_queue_init(&s->settled, "mbox moving");

	mb->id = -1;		/* lookups fail from here: senders come to the stub */
	while ((n = list_pop_front(&mb->messages))) {
		msg = container_of(n, struct message, node);
		if (DIST_IS_GLOBAL(msg->sender) && remote_withdrawn(msg))
			continue;	/* its sender elsewhere waits: it sends again */
		if (msg->blocked_sender) {
			msg->blocked_sender->ipc_done = 1;
			msg->blocked_sender->ipc_status = -EMOVED;
			wake_process(msg->blocked_sender);
			message_free(msg);
			continue;
		}
		if ((msg->flags & MSG_CALL) && call_moved(msg)) {
			message_free(msg);	/* not taken: the caller calls again */
			continue;
		}
		list_push_back(out, &msg->node);
	}
	wakeup(&mb->receivers);		/* receivers and blocked senders: */
	wakeup(&mb->senders);		/* EPIPE, then the stub */
	mb->id = 0;
	return 0;
}

/* The migration `tag` is over: its stubs forward from now on (ok), or
 * the process was lost with its target and they go (!ok). */
void
mbox_settle(uint32_t tag, int ok)
{
	struct stub *s;

	for (s = stubs; s < &stubs[NSTUB]; s++) {
		if (!s->id || s->tag != tag || !s->settling)
			continue;
		s->settling = 0;
		wakeup(&s->settled);
		remote_room(s->id);	/* remote senders and receivers held */
		remote_arrived(s->id);	/* here hear where it went */
		if (!ok)
			stub_free(s);
	}
}

/* The mailbox created as `origin` (global) is now at `now`: a stub of
 * it here points there directly, so no sender goes through two stubs. */
void
mbox_retarget(int origin, int now)
{
	struct stub *s;

	for (s = stubs; s < &stubs[NSTUB]; s++)
		if (s->id && s->origin == origin)
			s->now = now;
}

/* ---- senders ---- */

/* 0: id is no stub; 1: it moved to *now (if now); 2: it is moving. */
int
mbox_moved(int id, int *now)
{
	struct stub *s = stub_find(id);

	if (!s)
		return 0;
	if (now)
		*now = s->now;
	return s->settling ? 2 : 1;
}

/* A stub by name: mbox_open of a mailbox that left keeps working. */
int
mbox_stub_named(const char *name)
{
	struct stub *s;

	for (s = stubs; s < &stubs[NSTUB] && name[0]; s++)
		if (s->id && strcmp(s->name, name) == 0)
			return s->id;
	return -ENOENT;
}

/* The stubs, as rows of the `mbox` listing after the live mailboxes. */
int
mbox_stub_list(struct mbox_info *out, int max)
{
	struct stub *s;
	int n = 0;

	for (s = stubs; s < &stubs[NSTUB] && n < max; s++) {
		if (!s->id)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].id = s->id;
		out[n].moved_to = s->now;
		out[n].settling = (uint32_t)s->settling;
		strlcpy(out[n].name, s->name, sizeof(out[n].name));
		n++;
	}
	return n;
}

/* rmbox: the node of global id (or pid) told us it went to now. */
void
mbox_learn(int id, int is_pid, int now)
{
	struct learned *l;

	for (l = learned; l < &learned[NLEARNED]; l++)
		if (l->id == id && l->is_pid == is_pid)
			break;
	if (l == &learned[NLEARNED])
		l = &learned[learned_next++ % NLEARNED];
	if (mbox_learned_used < NLEARNED && l == &learned[mbox_learned_used])
		mbox_learned_used++;
	l->id = id;
	l->is_pid = is_pid;
	l->now = now;
}

/* mbox_learned (mbox.h), once some mailbox has moved. */
void
mbox_learned_follow(int *id, int *is_pid)
{
	struct learned *l, *end = &learned[mbox_learned_used];
	int hops;

	/* Only the slots mbox_learn ever filled are looked at, rather
	 * than 32 slots (~130 instructions) each time. */
	for (hops = 0; hops < MAX_HOPS; hops++) {
		for (l = learned; l < end; l++)
			if (l->id && l->id == *id && l->is_pid == *is_pid)
				break;
		if (l == end)
			return;
		*id = l->now;
		*is_pid = 0;
	}
}

/*
 * A call on *id failed with EMOVED or EPIPE: did the mailbox move?  1
 * with *id where it is now (global; it may be here again), 0 if it did
 * not move, or the error of waiting for a move to settle (w's limits).
 */
int
mbox_where(int *id, int *is_pid, struct wait_limit *w)
{
	struct stub *s;
	int err, here = *id, was = *id, was_pid = *is_pid;

	/* A stub is found by its id here, which a sender may name globally. */
	if (!*is_pid && !id_is_remote(&here)) {
		while ((s = stub_find(here)) && s->settling)
			if ((err = sleep_on_limit(&s->settled, w)) < 0)
				return err;
		if ((s = stub_find(here))) {
			*id = s->now;
			return 1;
		}
	}
	mbox_learned(id, is_pid);
	return *id != was || *is_pid != was_pid;
}
