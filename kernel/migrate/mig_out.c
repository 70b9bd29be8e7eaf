/*
 * Migration, the source's side: offer the process to the target, send
 * its pages (in pre-copy rounds while it runs, or all at once once it is
 * stopped), stop it at a clean point, send its state, and on the
 * target's BUILT commit: tell it to run, and let go of our copy.  Until
 * that commit any failure resumes the process here, unchanged.
 *
 * Who runs what (one CPU, interrupts off in the kernel, so no locks):
 *  - the requester (migrate(pid, ...) in another process) sends OFFER
 *    and sleeps on done_queue until the outcome;
 *  - pump() sends pages.  It runs at the moving process's own returns
 *    to user mode (mig_boundary) and whenever kmsg acknowledges a
 *    batch, so while the process runs, its pages go out between its
 *    time slices; once it is stopped, acknowledgements alone drive it;
 *  - the process stops itself (it "parks") in mig_boundary, on
 *    frozen_queue, with its user registers in its trap frame; a process
 *    that moves itself (migrate(0, ...)) parks inside the call.
 * docs/migration.md draws the states.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "mm/vm.h"
#include "trap.h"
#include "proc.h"
#include "sched.h"
#include "sched_admit.h"
#include "sched_policy.h"
#include "waitq.h"
#include "dist/kmsg.h"
#include "ipc/mbox.h"
#include "migrate.h"
#include "mig_policy.h"
#include "trace.h"

#define MIG_MAX_OUT	8		/* migrations leaving at once */
/* A target that stays silent this long (alive to kmsg, but not
 * answering) is given up on: the process must not stay frozen. */
#define MIG_SILENCE_TICKS (15 * TIMER_HZ)

int mig_noflush;			/* MIGCTL_NOFLUSH: the deliberate bug */

static struct mig_out outs[MIG_MAX_OUT];
static struct wait_queue done_queue;	/* requesters waiting for an outcome */
static struct wait_queue frozen_queue;	/* processes stopped for a move */

/* One message at a time is built here: kmsg_send copies it. */
static uint8_t msgbuf[sizeof(struct mig_hdr) + 4 + MIG_BATCH * (4 + PAGE_SIZE)];

void
mig_out_init(void)
{
	wait_queue_init(&done_queue, "migrate");
	wait_queue_init(&frozen_queue, "migrating");
}

static uint32_t
now_us(void)
{
	return (uint32_t)uptime_us();
}

/* ---- sending ---- */

static uint32_t
cookie_of(struct mig_out *m)
{
	return MIG_COOKIE_PAGES | (uint32_t)(m - outs) << 16 | (m->id & 0xFFFF);
}

static int
send_op(struct mig_out *m, int op, const void *body, uint32_t len, int want_done)
{
	struct mig_hdr *h = (struct mig_hdr *)msgbuf;

	memset(h, 0, sizeof(*h));
	h->op = (uint8_t)op;
	h->version = MIG_VERSION;
	h->mig_id = m->id;
	if (len && body != msgbuf + sizeof(*h))
		memcpy(msgbuf + sizeof(*h), body, len);
	m->rec->bytes_sent += sizeof(*h) + len;
	return mig_send(m->node, msgbuf, sizeof(*h) + len, want_done ? cookie_of(m) : 0);
}

static void finish(struct mig_out *m, int result, int tell_target);
static void freeze(struct mig_out *m, int reason);

/*
 * Fill msgbuf's body with the next batch of this round: every page in
 * a round that sends all, else the pages written since the last look.
 * The dirty bit is cleared (and the TLB entry dropped) before the copy,
 * so a write that races with the copy marks the page for the next round.
 */
static uint32_t
collect_batch(struct mig_out *m, uint32_t *pages_out)
{
	struct mig_pages *b = (struct mig_pages *)(msgbuf + sizeof(struct mig_hdr));
	uint8_t *data = (uint8_t *)&b->va[MIG_BATCH];
	pde_t *pgdir = m->p->pgdir;
	uint32_t va, pte, n = 0;

	while (n < MIG_BATCH) {
		va = vm_next_page(pgdir, m->cursor, &pte);
		if (va >= USER_TOP) {
			m->cursor = USER_TOP;
			break;
		}
		m->cursor = va + PAGE_SIZE;
		/* LAB migrate: BEGIN dirty */
		if (!vm_clear_dirty(pgdir, va, mig_noflush) && !m->round_all)
			continue;
		/* LAB migrate: END dirty */
		b->va[n] = va | ((pte & PTE_W) ? MIG_PAGE_W : 0);
		memcpy(data + n * PAGE_SIZE, vm_page_kaddr(pgdir, va), PAGE_SIZE);
		n++;
	}
	b->count = n;
	/* The data sits after MIG_BATCH slots; close the gap. */
	if (n < MIG_BATCH)
		memmove(&b->va[n], data, n * PAGE_SIZE);
	*pages_out = n;
	return n;
}

static int
send_batch(struct mig_out *m, uint32_t n)
{
	struct mig_pages *b = (struct mig_pages *)(msgbuf + sizeof(struct mig_hdr));
	uint32_t i, first = b->va[0] & ~(PAGE_SIZE - 1);
	int err;

	err = send_op(m, MIG_OP_PAGES, b, mig_pages_len(n) - sizeof(struct mig_hdr), 1);
	if (err == 0) {
		m->inflight++;
		m->round_pages += n;
		m->rec->pages_sent += n;
		return 0;
	}
	/* Not sent: these pages must go later, so they count as dirty. */
	m->rec->bytes_sent -= mig_pages_len(n);
	for (i = 0; i < n; i++)
		vm_mark_dirty(m->p->pgdir, b->va[i] & ~(PAGE_SIZE - 1));
	if (m->round_all)
		m->cursor = first;
	if (err != -ENOBUFS || m->inflight == 0)
		finish(m, err, 1);
	return err;
}

static uint32_t
count_dirty(pde_t *pgdir)
{
	uint32_t va = USER_MIN, pte, n = 0;

	while ((va = vm_next_page(pgdir, va, &pte)) < USER_TOP) {
		if (pte & PTE_D)
			n++;
		va += PAGE_SIZE;
	}
	return n;
}

/* A pre-copy round has gone over the whole address space: log it, and
 * decide, by Xen's and QEMU's rules, whether another is worth it. */
static void
end_round(struct mig_out *m)
{
	struct mig_record *r = m->rec;
	uint32_t dirty = count_dirty(m->p->pgdir);
	struct mig_round *log = &r->round[r->rounds < MIG_ROUNDS_LOGGED ? r->rounds : MIG_ROUNDS_LOGGED - 1];
	int reason;

	log->pages = m->round_pages;
	log->dirtied = dirty;
	log->bytes = r->bytes_sent - m->round_bytes0;
	log->us = now_us() - m->t_round;
	r->rounds++;
	m->rules.rounds = r->rounds;
	m->rules.bytes_sent = r->bytes_sent;
	m->rules.image_bytes = r->image_pages * PAGE_SIZE;
	reason = mig_precopy_stop(&m->rules, dirty);
	m->round_all = 0;		/* from now on only what was written */
	if (reason) {
		freeze(m, reason);
		return;
	}
	m->cursor = USER_MIN;
	m->round_pages = 0;
	m->round_bytes0 = r->bytes_sent;
	m->t_round = now_us();
}

static void send_state(struct mig_out *m);

static void
pump(struct mig_out *m)
{
	uint32_t n;

	while (m->used && m->inflight < MIG_INFLIGHT &&
	    (m->phase == MIG_SENDING || m->phase == MIG_FINAL)) {
		/* Lazy: no page goes now; the target asks for each later. */
		if (m->how != MIG_LAZY && collect_batch(m, &n) > 0) {
			if (send_batch(m, n) < 0)
				return;
			continue;
		}
		if (m->phase == MIG_SENDING) {
			/* A round ends when its pages have landed (the last
			 * acknowledgement pumps again): a freeze decided
			 * earlier would wait, frozen, behind them. */
			if (m->inflight > 0)
				return;
			end_round(m);
			continue;
		}
		/* Final round done.  Output the process sent home while it ran
		 * here must land before it can write from the target. */
		if (m->p->console_inflight == 0)
			send_state(m);
		return;
	}
}

/* ---- the state message (built by mig_state.c) ---- */

static void
send_state(struct mig_out *m)
{
	uint8_t *body = msgbuf + sizeof(struct mig_hdr);
	int why, arg, len;

	if ((len = mig_mbox_offer(m)) < 0) {	/* its mailboxes go first */
		finish(m, len, 1);
		return;
	}
	len = mig_build_state(m->p, m->how, m->self, body, sizeof(msgbuf) - sizeof(struct mig_hdr),
	    &why, &arg);
	if (len < 0) {
		m->rec->why = why;	/* EBUSY: it changed while running */
		m->rec->why_arg = arg;
		finish(m, len, 1);
		return;
	}
	m->sig_snapshot = m->p->sig_pending;
	if (send_op(m, MIG_OP_STATE, body, (uint32_t)len, 0) < 0) {
		finish(m, -ENOBUFS, 1);
		return;
	}
	m->phase = MIG_STATE_SENT;
}

/* ---- stopping, committing, giving up ---- */

static void
freeze(struct mig_out *m, int reason)
{
	struct proc *p = m->p;

	m->rec->stop_reason = reason;
	m->phase = MIG_FREEZING;
	TRACE(TRACE_MIGRATE, TEV_MIGRATE, m->p->pid, m->node, 0, "freeze");
	p->mig_freeze = 1;
	/* Blocked in a call: end the wait; the call restarts after the move
	 * (syscall.c), wherever the process then is. */
	if (p->state == WAITING && p->waiting_on != &frozen_queue && !p->stopped)
		wake_process(p);
}

/* The process stops here: at its return to user mode (or inside
 * migrate(0, ...)), its user registers all in its trap frame. */
static void
park(struct mig_out *m)
{
	struct proc *p = m->p;

	m->phase = MIG_FINAL;
	m->t_freeze = now_us();
	m->cursor = USER_MIN;
	m->round_pages = 0;
	pump(m);
	while (p->mig == m)
		sleep_on_uninterruptible(&frozen_queue);
}

static struct mig_out *
find_out(uint32_t id)
{
	struct mig_out *m;

	for (m = outs; m < &outs[MIG_MAX_OUT]; m++)
		if (m->used && m->id == id)
			return m;
	return NULL;
}

/* The end, either way: record the result and wake the requester.  On
 * failure the process carries on here as if nothing had happened. */
static void
finish(struct mig_out *m, int result, int tell_target)
{
	struct proc *p = m->p;

	if (!m->used)
		return;
	m->rec->result = result;
	if (m->phase != MIG_COMMITTED)
		m->rec->total_us = now_us() - m->t_start;
	if (result < 0 && m->phase != MIG_COMMITTED) {
		if (tell_target)
			send_op(m, MIG_OP_ABORT, NULL, 0, 0);	/* header only */
		mig_count.aborted_out++;
		p->mig = NULL;
		p->mig_freeze = 0;
		if (p->waiting_on == &frozen_queue)
			wake_process(p);
	}
	kmsg_release(m->node);
	m->used = 0;
	wakeup(&done_queue);
}

/*
 * BUILT: the target holds a frozen copy.  This is the commit point:
 * from here the copy there is the process.  Tell it to run (with any
 * signal that reached us since the state was taken) and let go of ours;
 * at its home the PCB stays behind as its deputy.  The requester hears
 * of success once GO is delivered (the target runs it on delivery), so
 * migrate() returns with the process running there.
 */
static void
commit(struct mig_out *m)
{
	struct proc *p = m->p;
	struct mig_go go = { .signals = p->sig_pending & ~m->sig_snapshot };
	uint32_t t = now_us();

	m->phase = MIG_COMMITTED;
	TRACE(TRACE_MIGRATE, TEV_MIGRATE, p->pid, m->node, 0, "commit");
	mig_mbox_commit(m);		/* the queues go ahead of GO */
	if (send_op(m, MIG_OP_GO, &go, sizeof(go), 1) < 0)
		mig_count.dropped++;	/* the queue is full: GO is lost, and so is the process */
	m->rec->freeze_us = t - m->t_freeze;
	m->rec->total_us = t - m->t_start;
	if (m->rec->rounds == 0 && (m->how == MIG_STOP || m->self)) {
		/* Stop-and-copy's one round is the frozen one. */
		m->rec->rounds = 1;
		m->rec->round[0] = (struct mig_round){ .pages = m->rec->pages_sent,
		    .bytes = m->rec->bytes_sent, .us = m->rec->freeze_us };
	}
	mig_count.committed_out++;
	p->mig = NULL;
	p->mig_freeze = 0;
	if (m->how == MIG_LAZY) {		/* the pages stay, for the target to fetch */
		if (mig_pager_start(m->node, m->id, p->pgdir) == 0)
			p->pgdir = NULL;
	}
	/* Parked on frozen_queue, for good; or woken a moment ago (a signal
	 * wakes any sleeper it would act on) and waiting for the CPU. */
	if (p->state == READY) {
		policy_remove(p);
	} else {
		list_remove(&p->queue_node);
		p->waiting_on = NULL;
	}
	timer_disarm(p);
	admit_leave(p);
	if (p->home < 0) {
		mig_left_home(p, m->node);
	} else {
		mig_forward_record(p->home, p->home_pid, m->node);
		proc_release(p);
		proc_free_migrant(p);
	}
	m->p = NULL;
}

void
mig_out_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len)
{
	struct mig_out *m = find_out(h->mig_id);
	struct mig_refuse ref;

	if (!m || m->node != node) {
		mig_count.dropped++;
		return;
	}
	m->heard = ticks;
	switch (h->op) {
	case MIG_OP_ACCEPT:
		if (m->phase != MIG_OFFERED)
			break;
		m->t_round = now_us();
		m->cursor = USER_MIN;
		m->round_all = 1;
		if (m->how == MIG_STOP || m->how == MIG_LAZY || m->self) {
			freeze(m, m->how == MIG_LAZY ? MIG_STOP_LAZY : MIG_STOP_ASKED);
			if (m->self)	/* already stopped, in migrate() */
				m->phase = MIG_FINAL;
		} else {
			m->phase = MIG_SENDING;
		}
		pump(m);
		return;
	case MIG_OP_REFUSE:
		memcpy(&ref, msg + sizeof(*h), sizeof(ref));
		finish(m, ref.err < 0 && ref.err > -200 ? ref.err : -ECONNREFUSED, 0);
		return;
	case MIG_OP_BUILT:
		if (m->phase != MIG_STATE_SENT)
			break;
		if (mig_mbox_built(m, msg, len) < 0) {
			mig_count.bad_msgs++;
			finish(m, -EINVAL, 1);
			return;
		}
		commit(m);
		return;
	}
	mig_count.dropped++;
}

/* kmsg acknowledged a batch (err 0) or gave up on it. */
void
mig_out_sent(uint32_t cookie, int err)
{
	struct mig_out *m = &outs[(cookie >> 16) & 0xFF];

	if (!m->used || (m->id & 0xFFFF) != (cookie & 0xFFFF))
		return;
	if (m->phase == MIG_COMMITTED) {	/* GO: delivered, or lost */
		mbox_settle(m->id, err == 0);	/* and every queue before it */
		finish(m, err, 0);
		return;
	}
	m->inflight--;
	m->heard = ticks;
	if (err < 0) {
		finish(m, err, 1);
		return;
	}
	pump(m);
}

void
mig_out_node_failed(int node)
{
	struct mig_out *m;

	for (m = outs; m < &outs[MIG_MAX_OUT]; m++)
		if (m->used && m->node == node)
			finish(m, -EHOSTUNREACH, 0);
}

/* Console output sent home was acknowledged: a parked process may be
 * waiting for that before its state goes out. */
void
mig_console_drained(struct proc *p)
{
	if (p->mig && p->mig->phase == MIG_FINAL)
		pump(p->mig);
}

/* At p's return to user mode (trap.c), when p->mig or p->mig_freeze. */
void
mig_boundary(struct trapframe *tf)
{
	struct proc *p = current;
	struct mig_out *m = p->mig;

	if (!m) {
		p->mig_freeze = 0;
		return;
	}
	if (m->phase == MIG_SENDING)
		pump(m);
	if (p->mig == m && m->phase == MIG_FREEZING)
		park(m);
}

/* Once a second: a target alive to kmsg but silent this long is given
 * up on (whether or not anyone still waits in migrate()), so the process
 * never stays frozen; after the commit, GO's delivery decides. */
void
mig_out_tick(void)
{
	struct mig_out *m;

	for (m = outs; m < &outs[MIG_MAX_OUT]; m++)
		if (m->used && m->phase != MIG_COMMITTED && ticks - m->heard > MIG_SILENCE_TICKS)
			finish(m, -ETIMEDOUT, 1);
}

/* p exits or execs while a migration is under way, or while it still
 * fetches pages: the migration fails, the source may let go. */
void
mig_proc_gone(struct proc *p)
{
	if (p->mig)
		finish(p->mig, -ESRCH, 1);
	if (p->lazy)
		mig_lazy_gone(p);
}

/*
 * Start moving p to node; wait for the outcome.  out gets the record.
 * self: p is current, in migrate(0, ...): it parks in here, and on
 * success never returns on this node.
 */
int
mig_start(struct proc *p, int node, int how, int self, struct mig_record *out)
{
	struct mig_out *m;
	struct mig_offer offer;
	struct mig_record *r;
	int why, arg, err, rid;

	if (kmsg_node() < 0)
		return -ENETDOWN;
	if (node < 0 || node > DIST_NODE_MAX || node == kmsg_node())
		return -EINVAL;
	if (how != MIG_STOP && how != MIG_PRECOPY && how != MIG_LAZY)
		return -EINVAL;
	if (how == MIG_LAZY && !mig_pager_room())
		return -EAGAIN;
	/* A process that arrived lazily moves on once all its pages are
	 * here: a bounded wait (mig_lazy.c kills it if they cannot come). */
	if (p->lazy && p == current)
		mig_lazy_settle(p);
	while (p->lazy && p->state != ZOMBIE && p->state != UNUSED)
		if (sleep_on_timeout(&done_queue, TIMER_HZ / 10) == -EINTR)
			return -EINTR;
	if (p->state == ZOMBIE || p->state == UNUSED)
		return -ESRCH;
	r = mig_record_new(p, node, how);
	rid = r->id;
	if (p->mig) {
		why = MIG_WHY_MOVING, arg = 0, err = -EBUSY;
	} else {
		err = mig_check_movable(p, &why, &arg);	/* before anything reads pgdir */
	}
	if (!err && vm_user_frames(p->pgdir) > MIG_MAX_PAGES)
		err = -E2BIG;
	for (m = outs; !err && m < &outs[MIG_MAX_OUT] && m->used; m++)
		;
	if (!err && m == &outs[MIG_MAX_OUT])
		err = -EAGAIN;
	if (err) {
		r->result = err;
		r->why = why;
		r->why_arg = arg;
		*out = *r;
		return err;
	}
	memset(m, 0, sizeof(*m));
	m->used = 1;
	m->id = (uint32_t)rid;
	m->p = p;
	m->node = node;
	m->how = how;
	m->self = self;
	m->rec = r;
	m->phase = MIG_OFFERED;
	TRACE(TRACE_MIGRATE, TEV_MIGRATE, p->pid, node, 0, "offer");
	m->t_start = now_us();
	r->image_pages = vm_user_frames(p->pgdir);
	p->mig = m;
	kmsg_hold(node);

	memset(&offer, 0, sizeof(offer));
	offer.who.home = p->home >= 0 ? p->home : kmsg_node();
	offer.who.pid = p->home >= 0 ? p->home_pid : p->pid;
	offer.how = (uint32_t)how;
	offer.npages = r->image_pages;
	strlcpy(offer.name, p->name, sizeof(offer.name));
	if (self)
		m->t_freeze = m->t_start;	/* stopped from the start, in here */
	if ((err = send_op(m, MIG_OP_OFFER, &offer, sizeof(offer), 0)) < 0)
		finish(m, err, 0);

	m->heard = ticks;
	/* The service's tick gives up on a silent target (mig_out_tick), so
	 * nobody here needs a clock. */
	while (m->used && m->id == (uint32_t)rid) {
		if (self)		/* stopped in here until the end */
			sleep_on_uninterruptible(&frozen_queue);
		else if (sleep_on(&done_queue) == -EINTR)
			break;		/* interrupted: it goes on without us */
	}
	r = mig_record_find((uint32_t)rid);
	*out = *r;
	return r->id == rid ? (r->result == 1 ? -EINTR : r->result) : -EINTR;
}
