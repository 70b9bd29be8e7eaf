/*
 * Migration, the target's side.  OFFER: is there room (memory, a PCB)?
 * PAGES: fill a staging address space that no process uses yet.  STATE:
 * check everything, build the process frozen (a PCB in state NEW that
 * the scheduler never sees), answer BUILT.  GO: the source has
 * committed; the process runs here from now on.  ABORT, or the source
 * failing before GO: throw the staging away; the source still has the
 * process, or, if the source died, the process died with it.  Nothing
 * from the wire is used before mig_wire.c has checked it.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "trap.h"
#include "proc.h"
#include "sched.h"
#include "sched_admit.h"
#include "signal.h"
#include "fs/file.h"
#include "fs/initrd.h"
#include "exec.h"
#include "dist/kmsg.h"
#include "migrate.h"
#include "trace.h"

#define MIG_MAX_IN	8		/* migrations arriving at once */
#define MIG_RESERVE	256		/* frames (1 MiB) an arrival must leave free */
#define MIG_STALE_TICKS	(30 * TIMER_HZ)	/* a silent staging is dropped */

enum { IN_RECEIVING = 1, IN_BUILT };

struct mig_in {
	int		 phase;		/* 0 = free slot */
	int		 node;		/* the source */
	uint32_t	 id;		/* its mig_id */
	struct mig_who	 who;
	uint32_t	 last_tick;	/* last message, for expiry */
	pde_t		*pgdir;		/* the staging address space */
	uint32_t	 pages;		/* pages installed in it */
	struct mig_state *state;	/* the checked STATE, page list dropped */
	struct file	*files[NOFILE];	/* opened at STATE, owned until GO */
	struct proc	*p;		/* the PCB reserved at STATE ... */
	struct proc	*deputy;	/* ... or, coming home, the deputy */
	int		 how;		/* MIG_STOP, MIG_PRECOPY, MIG_LAZY */
	uint32_t	 remote;	/* lazy: pages left on the source */
	struct mig_mboxes mboxes;	/* the mailboxes it owns */
};

static struct mig_in ins[MIG_MAX_IN];

static void
reply(struct mig_in *in, int op, int err)
{
	struct mig_refuse r = { .err = err };

	mig_send_op(in->node, op, in->id, &r, op == MIG_OP_REFUSE ? sizeof(r) : 0, 0);
}

static void
discard(struct mig_in *in)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (in->files[fd])
			file_close(in->files[fd]);
	if (in->pgdir)
		vm_destroy(in->pgdir);
	mig_mbox_discard(&in->mboxes);
	if (in->p)
		proc_free_migrant(in->p);
	if (in->state)
		kfree(in->state);
	memset(in, 0, sizeof(*in));
}

/* Give up after taking part: tell the source, which then resumes the
 * process at home.  The staging goes first: a refusal for want of
 * memory needs the memory back to queue the answer. */
static void
refuse(struct mig_in *in, int err)
{
	struct mig_in gone = { .node = in->node, .id = in->id };

	discard(in);
	reply(&gone, MIG_OP_REFUSE, err);
	mig_count.refused++;
}

static struct mig_in *
find_in(int node, uint32_t id)
{
	struct mig_in *in;

	for (in = ins; in < &ins[MIG_MAX_IN]; in++)
		if (in->phase && in->node == node && in->id == id)
			return in;
	return NULL;
}

/* Once a second (kmsg's timer), and at every offer. */
void
mig_in_expire(void)
{
	struct mig_in *in;

	for (in = ins; in < &ins[MIG_MAX_IN]; in++)
		if (in->phase && ticks - in->last_tick > MIG_STALE_TICKS)
			discard(in);
}

/* A process of this node's that is away: its deputy, in state MOVED. */
static struct proc *
find_deputy(int pid)
{
	struct proc *p = proc_find(pid);

	return p && p->state == MOVED ? p : NULL;
}

static void
on_offer(int node, uint32_t id, const struct mig_offer *o)
{
	struct mig_in probe = { .node = node, .id = id }, *in;
	uint32_t need = o->npages + o->npages / NPTENTRIES + 4 + MIG_RESERVE;

	mig_count.offers_in++;
	mig_in_expire();
	if (find_in(node, id))
		return;			/* a duplicate: already answered */
	if (o->how == MIG_LAZY && !mig_lazy_room()) {	/* a fetcher for it */
		reply(&probe, MIG_OP_REFUSE, -EAGAIN);
		mig_count.refused++;
		return;
	}
	for (in = ins; in < &ins[MIG_MAX_IN] && in->phase; in++)
		;
	if (in == &ins[MIG_MAX_IN] || proc_count() >= NPROC - 2) {
		reply(&probe, MIG_OP_REFUSE, -EAGAIN);
		mig_count.refused++;
		return;
	}
	if (pmm_free_frames() < need) {
		reply(&probe, MIG_OP_REFUSE, -ENOMEM);
		mig_count.refused++;
		return;
	}
	if (o->who.home == kmsg_node() && !find_deputy(o->who.pid)) {
		reply(&probe, MIG_OP_REFUSE, -ESRCH);	/* not one of ours */
		mig_count.refused++;
		return;
	}
	memset(in, 0, sizeof(*in));
	in->node = node;
	in->id = id;
	in->who = o->who;
	in->how = (int)o->how;
	in->last_tick = ticks;
	if (!(in->pgdir = vm_create())) {
		reply(&probe, MIG_OP_REFUSE, -ENOMEM);
		mig_count.refused++;
		return;
	}
	in->phase = IN_RECEIVING;
	TRACE(TRACE_MIGRATE, TEV_MIGRATE, o->who.pid, in->node, 0, "accept");
	mig_count.accepted++;
	reply(in, MIG_OP_ACCEPT, 0);
}

static void
on_pages(struct mig_in *in, const struct mig_pages *b)
{
	const uint8_t *data = (const uint8_t *)&b->va[b->count];
	uint32_t i, va;
	void *k;

	for (i = 0; i < b->count; i++) {
		va = b->va[i] & ~(PAGE_SIZE - 1);
		k = vm_page_kaddr(in->pgdir, va);
		if (!k) {
			/* A hostile source could send pages forever. */
			if (in->pages >= MIG_MAX_PAGES || pmm_free_frames() < MIG_RESERVE) {
				refuse(in, -ENOMEM);
				return;
			}
			if (!(k = vm_page_install(in->pgdir, va, 1))) {
				refuse(in, -ENOMEM);
				return;
			}
			in->pages++;
		}
		memcpy(k, data + i * PAGE_SIZE, PAGE_SIZE);
	}
}

/* Open the image's descriptors here; an initrd file must be the same
 * file (every node boots the same initrd, but check). */
static int
open_files(struct mig_in *in, const struct mig_fd *fds)
{
	const struct initrd_entry *e;
	struct file *f;
	int fd, err;

	for (fd = 0; fd < NOFILE; fd++) {
		switch (fds[fd].kind) {
		case MIG_FD_NONE:
			continue;
		case MIG_FD_DUP:
			in->files[fd] = file_dup(in->files[fds[fd].ref]);
			continue;
		case MIG_FD_CONSOLE:
			f = file_open_kernel("/dev/console", O_RDWR, &err);
			break;
		default:		/* MIG_FD_FILE */
			e = initrd_lookup(fds[fd].path);
			if (!e || e->type != FT_FILE || e->size != fds[fd].size ||
			    mig_file_sum(e) != fds[fd].checksum)
				return -ESTALE;
			f = file_open_kernel(fds[fd].path, O_RDONLY, &err);
			if (f)
				f->offset = fds[fd].offset;
			break;
		}
		if (!f)
			return err;
		f->readable = fds[fd].readable;
		f->writable = fds[fd].writable;
		in->files[fd] = f;
	}
	return 0;
}

/*
 * Lazy: nothing was sent.  Text pages come from this node's copy of the
 * binary, if it is the same file (size and checksum); every other page
 * is a remote placeholder that the first touch, or the background pull,
 * fetches from the source (mig_lazy.c).
 */
static int
lazy_pages(struct mig_in *in, const struct mig_state *s)
{
	const struct initrd_entry *bin = initrd_lookup(s->exec_path);
	int same = bin && bin->type == FT_FILE && bin->size == s->exec_size &&
	    mig_file_sum(bin) == s->exec_sum;
	uint32_t i, va;
	void *k;

	for (i = 0; i < s->npages; i++) {
		va = s->va[i] & ~(PAGE_SIZE - 1);
		if ((s->va[i] & MIG_PAGE_TEXT) && same) {
			if (!(k = vm_page_install(in->pgdir, va, s->va[i] & MIG_PAGE_W)))
				return -ENOMEM;
			if (exec_text_page(s->exec_path, va, k) == 0) {
				in->pages++;
				continue;
			}
			vm_page_remove(in->pgdir, va);	/* not the binary's: fetch it */
		}
		if (vm_set_remote(in->pgdir, va, s->va[i] & MIG_PAGE_W) < 0)
			return -ENOMEM;
		in->remote++;
	}
	return 0;
}

/*
 * The address space must end up exactly as the list says: a page listed
 * but never sent was mapped after the last look and never written (so it
 * is zero, as vm_alloc_range made it); a page sent but not listed was
 * unmapped since (sbrk shrank).  The list may name far more pages than
 * were offered or sent: as in on_pages, MIG_RESERVE stays free.
 */
static int
settle_pages(struct mig_in *in, const struct mig_state *s)
{
	uint32_t i, va, next = USER_MIN, have;

	for (i = 0; i < s->npages; i++) {
		va = s->va[i] & ~(PAGE_SIZE - 1);
		while ((have = vm_next_page(in->pgdir, next, NULL)) < va) {
			vm_page_remove(in->pgdir, have);
			in->pages--;
		}
		if (have != va) {
			if (pmm_free_frames() < MIG_RESERVE)
				return -ENOMEM;
			in->pages++;
		}
		if (!vm_page_install(in->pgdir, va, s->va[i] & MIG_PAGE_W))
			return -ENOMEM;
		next = va + PAGE_SIZE;
	}
	while ((have = vm_next_page(in->pgdir, next, NULL)) < USER_TOP) {
		vm_page_remove(in->pgdir, have);
		in->pages--;
	}
	return 0;
}

static void
on_state(struct mig_in *in, const struct mig_state *s)
{
	uint8_t built[sizeof(struct mig_built) + MIG_MAX_MBOX * sizeof(struct mig_mbox_map)];
	uint32_t len;
	int err;

	if (s->who.home != in->who.home || s->who.pid != in->who.pid) {
		mig_count.bad_images++;
		refuse(in, -EINVAL);
		return;
	}
	err = in->how == MIG_LAZY ? lazy_pages(in, s) : settle_pages(in, s);
	if (err < 0 || (err = open_files(in, s->fds)) < 0) {
		if (err == -ESTALE)
			mig_count.bad_images++;
		refuse(in, err);
		return;
	}
	if (!(in->state = kmalloc(sizeof(*s)))) {
		refuse(in, -ENOMEM);
		return;
	}
	memcpy(in->state, s, sizeof(*s));
	in->state->npages = 0;
	if (s->who.home == kmsg_node()) {
		if (!(in->deputy = find_deputy(s->who.pid))) {
			refuse(in, -ESRCH);
			return;
		}
	} else if (!(in->p = proc_alloc_migrant(NULL, &err))) {
		refuse(in, err);
		return;
	} else {
		strlcpy(in->p->name, s->name, sizeof(in->p->name));
		in->p->home = s->who.home;	/* ps: arriving from there */
		in->p->home_pid = s->who.pid;
	}
	if ((err = mig_mbox_adopt(&in->mboxes, in->p ? in->p->pid : in->deputy->pid,
	    built, &len)) < 0) {
		refuse(in, err);
		return;
	}
	in->phase = IN_BUILT;
	TRACE(TRACE_MIGRATE, TEV_MIGRATE, in->p ? in->p->pid : s->who.pid, in->node, 0, "built");
	mig_count.images_in++;
	mig_send_op(in->node, MIG_OP_BUILT, in->id, built, len, 0);
}

/* Committed at the source: fill the PCB and let it run. */
static void
on_go(struct mig_in *in, const struct mig_go *go)
{
	const struct mig_state *s = in->state;
	const struct mig_regs *r = &s->regs;
	struct proc *p;
	int err, fd;

	p = in->deputy ? proc_alloc_migrant(in->deputy, &err) : in->p;
	in->p = NULL;			/* no longer discard's to free */
	p->pgdir = in->pgdir;
	in->pgdir = NULL;
	*p->tf = (struct trapframe){
		.edi = r->edi, .esi = r->esi, .ebp = r->ebp, .ebx = r->ebx,
		.edx = r->edx, .ecx = r->ecx, .eax = r->eax,
		.gs = r->gs, .fs = r->fs, .es = r->es, .ds = r->ds,
		.trapno = T_SYSCALL, .eip = r->eip, .cs = r->cs,
		.eflags = r->eflags, .esp = r->esp, .ss = r->ss,
	};
	strlcpy(p->name, s->name, sizeof(p->name));
	/* A signal may have reached the PCB while it waited for GO. */
	p->sig_pending = (p->sig_pending | s->sig_pending | go->signals) & ~1u;
	p->sig_blocked = s->sig_blocked;
	memcpy(p->sig_actions, s->sig_actions, sizeof(p->sig_actions));
	if (s->alarm_ms) {
		p->alarm_tick = ticks + ms_to_ticks(s->alarm_ms);
		if (p->alarm_tick == 0)
			p->alarm_tick = 1;
		alarms_armed++;
	}
	p->nice = s->nice;
	p->level = s->level;
	p->user_ticks = s->user_ticks;
	p->sys_ticks = s->sys_ticks;
	p->image_end = s->image_end;
	p->brk = s->brk;
	/* Pages reserved but never touched at the source were not sent:
	 * reserve them again (a page table it cannot get: a later fault). */
	vm_reserve(p->pgdir, USTACK_TOP - USTACK_SIZE, USTACK_TOP);
	vm_reserve(p->pgdir, p->image_end, p->brk);
	for (fd = 0; fd < NOFILE; fd++) {
		p->files[fd] = in->files[fd];
		in->files[fd] = NULL;
	}
	if (in->deputy) {
		p->home = -1;		/* home again: its own pid, its own parent */
	} else {
		p->home = s->who.home;
		p->home_pid = s->who.pid;
		p->home_ppid = s->ppid;
		mig_send_location(s->who.home, s->who.pid, kmsg_node());
	}
	mig_mbox_arrived(&in->mboxes, p, in->node);
	mig_count.committed_in++;
	if (in->how == MIG_LAZY)
		mig_lazy_start(p, in->node, in->id, in->remote);
	discard(in);
	admit(p);
}

void
mig_in_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len)
{
	struct mig_in *in;
	const void *body = msg + sizeof(*h);

	if (h->op == MIG_OP_OFFER) {
		if (mig_check_offer(msg, len) != MIG_OK) {
			mig_count.bad_msgs++;
			return;
		}
		on_offer(node, h->mig_id, body);
		return;
	}
	if (!(in = find_in(node, h->mig_id))) {
		/* PAGES after GO: a lazily arrived process's fetch. */
		if (h->op == MIG_OP_PAGES && mig_check_pages(msg, len) == MIG_OK)
			mig_lazy_pages(node, h->mig_id, body);
		else
			mig_count.dropped++;
		return;
	}
	in->last_tick = ticks;
	switch (h->op) {
	case MIG_OP_PAGES:
		if (in->phase != IN_RECEIVING || mig_check_pages(msg, len) != MIG_OK)
			break;
		on_pages(in, body);
		return;
	case MIG_OP_STATE:
		if (in->phase != IN_RECEIVING)
			break;
		if (mig_check_state(msg, len) != MIG_OK) {
			mig_count.bad_images++;
			refuse(in, -EINVAL);
			return;
		}
		on_state(in, body);
		return;
	case MIG_OP_GO:
		if (in->phase != IN_BUILT)
			break;
		on_go(in, body);
		return;
	case MIG_OP_MBOX:
		if (in->phase != IN_RECEIVING)
			break;
		if (mig_mbox_stage(&in->mboxes, msg) < 0)
			refuse(in, -E2BIG);
		return;
	case MIG_OP_MSGS:
		if (in->phase != IN_BUILT)
			break;
		mig_mbox_messages(&in->mboxes, msg, len);
		return;
	case MIG_OP_ABORT:
		mig_count.aborted_in++;
		discard(in);
		return;
	}
	mig_count.bad_msgs++;
}

/* The source is gone (or rebooted).  Before GO it still held the
 * process (and now it is lost with it): never run a copy whose commit we
 * have not heard, so that there is never more than one. */
void
mig_in_node_failed(int node)
{
	struct mig_in *in;

	for (in = ins; in < &ins[MIG_MAX_IN]; in++)
		if (in->phase && in->node == node) {
			mig_count.aborted_in++;
			discard(in);
		}
}
