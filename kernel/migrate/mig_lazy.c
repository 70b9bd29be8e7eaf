/*
 * Lazy migration (copy-on-reference): only the registers, the PCB and the
 * list of pages travel while the process is stopped.  On the target its
 * read-only text is rebuilt from the target's own copy of the binary;
 * every other page is marked remote (PTE_REMOTE) and fetched from the
 * source the first time it is touched (a page fault, or a system call's
 * copy), while a background pull fetches the rest, so that the source can
 * let go within a bounded time.  This is the residual dependency: if the
 * source dies first, the process is killed with a one-line report.
 *
 *   source: the pager, which keeps the address space after the commit,
 *           answers FETCH with PAGES, frees it all on RELEASE;
 *   target: the fetcher (one per lazily arrived process).
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "mm/vm.h"
#include "proc.h"
#include "sched.h"
#include "signal.h"
#include "waitq.h"
#include "exec.h"
#include "dist/kmsg.h"
#include "migrate.h"

#define MIG_MAX_LAZY	8		/* lazily arrived processes still fetching */
#define MIG_PULL_INFLIGHT 2		/* background FETCHes out at once */
#define MIG_FETCH_TICKS	(10 * TIMER_HZ)	/* a page not here by then: the source is gone */
#define MIG_PAGER_IDLE	(60 * TIMER_HZ)	/* a pager not asked for this long gives up */

/* ---- the source: pagers ---- */

struct mig_pager {
	int	 used;
	int	 node;			/* the target that fetches */
	uint32_t id;			/* the migration's number */
	pde_t	*pgdir;			/* the address space it left behind */
	uint32_t last_tick;
};

static struct mig_pager pagers[MIG_MAX_LAZY];
static uint8_t pagebuf[sizeof(struct mig_hdr) + 4 + MIG_BATCH * (4 + PAGE_SIZE)];

/* At the commit of a lazy migration: keep the pages for the target. */
int
mig_pager_start(int node, uint32_t id, pde_t *pgdir)
{
	struct mig_pager *pg;

	for (pg = pagers; pg < &pagers[MIG_MAX_LAZY]; pg++) {
		if (pg->used)
			continue;
		pg->used = 1;
		pg->node = node;
		pg->id = id;
		pg->pgdir = pgdir;
		pg->last_tick = ticks;
		return 0;
	}
	return -EAGAIN;
}

/* Room for one more?  Asked before a lazy migration is offered. */
int
mig_pager_room(void)
{
	struct mig_pager *pg;

	for (pg = pagers; pg < &pagers[MIG_MAX_LAZY]; pg++)
		if (!pg->used)
			return 1;
	return 0;
}

static void
pager_end(struct mig_pager *pg)
{
	vm_destroy(pg->pgdir);
	memset(pg, 0, sizeof(*pg));
}

static struct mig_pager *
find_pager(int node, uint32_t id)
{
	struct mig_pager *pg;

	for (pg = pagers; pg < &pagers[MIG_MAX_LAZY]; pg++)
		if (pg->used && pg->node == node && pg->id == id)
			return pg;
	return NULL;
}

/* FETCH: send what was asked for, in one PAGES message. */
static void
serve(struct mig_pager *pg, const struct mig_fetch *f)
{
	struct mig_hdr *h = (struct mig_hdr *)pagebuf;
	struct mig_pages *b = (struct mig_pages *)(pagebuf + sizeof(*h));
	uint8_t *data = (uint8_t *)&b->va[f->count];
	uint32_t i, n = 0, va, pte;
	void *k;

	for (i = 0; i < f->count; i++) {
		va = f->va[i];
		if (vm_next_page(pg->pgdir, va, &pte) != va || !(k = vm_page_kaddr(pg->pgdir, va)))
			continue;	/* never had it: the target's list said so */
		b->va[n] = va | ((pte & PTE_W) ? MIG_PAGE_W : 0);
		memcpy(data + n * PAGE_SIZE, k, PAGE_SIZE);
		n++;
	}
	if (n == 0)
		return;
	if (n < f->count)	/* close the gap left by pages skipped */
		memmove(&b->va[n], data, n * PAGE_SIZE);
	memset(h, 0, sizeof(*h));
	h->op = MIG_OP_PAGES;
	h->version = MIG_VERSION;
	h->mig_id = pg->id;
	b->count = n;
	if (mig_send(pg->node, pagebuf, mig_pages_len(n), 0) == 0)
		mig_count.pages_served += n;
}

void
mig_pager_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len)
{
	struct mig_pager *pg = find_pager(node, h->mig_id);

	if (!pg) {
		mig_count.dropped++;
		return;
	}
	pg->last_tick = ticks;
	if (h->op == MIG_OP_RELEASE)
		pager_end(pg);
	else
		serve(pg, (const struct mig_fetch *)(msg + sizeof(*h)));
}

/* ---- the target: fetchers ---- */

struct mig_lazy {
	int	 used;
	struct proc *p;
	int	 source;		/* the node with the pages */
	uint32_t id;			/* the migration's number there */
	uint32_t left;			/* pages still remote */
	uint32_t cursor;		/* the background pull's next address */
	int	 inflight;		/* FETCHes unanswered */
	struct wait_queue wq;		/* the process, waiting for a page */
};

static struct mig_lazy lazies[MIG_MAX_LAZY];
int mig_nopull;				/* MIGCTL_NOPULL */

static struct mig_lazy *
lazy_of(struct proc *p)
{
	struct mig_lazy *lz;

	for (lz = lazies; lz < &lazies[MIG_MAX_LAZY]; lz++)
		if (lz->used && lz->p == p)
			return lz;
	return NULL;
}

static struct mig_lazy *
free_lazy(void)
{
	struct mig_lazy *lz;

	for (lz = lazies; lz < &lazies[MIG_MAX_LAZY]; lz++)
		if (!lz->used)
			return lz;
	return NULL;
}

/* Room for one more lazy arrival?  Asked at the offer. */
int
mig_lazy_room(void)
{
	return free_lazy() != NULL;
}

static int
send_fetch(struct mig_lazy *lz, const uint32_t *va, uint32_t n)
{
	uint8_t buf[sizeof(struct mig_fetch) + MIG_BATCH * 4];
	struct mig_fetch *f = (struct mig_fetch *)buf;

	f->count = n;
	memcpy(f->va, va, n * 4);
	if (mig_send_op(lz->source, MIG_OP_FETCH, lz->id, buf, sizeof(*f) + n * 4, 0) < 0)
		return -1;
	lz->inflight++;
	return 0;
}

static void
lazy_end(struct mig_lazy *lz, int release)
{
	if (release)
		mig_send_op(lz->source, MIG_OP_RELEASE, lz->id, NULL, 0, 0);
	lz->p->lazy = 0;
	wakeup(&lz->wq);
	kmsg_release(lz->source);
	lz->used = 0;
}

/* Ask for the next pages nobody has touched yet, so that the source can
 * let go soon whatever the process does. */
static void
pull(struct mig_lazy *lz)
{
	uint32_t va[MIG_BATCH], n;
	pde_t *pgdir = lz->p->pgdir;

	while (!mig_nopull && lz->inflight < MIG_PULL_INFLIGHT && lz->cursor < USER_TOP) {
		for (n = 0; n < MIG_BATCH && lz->cursor < USER_TOP; lz->cursor += PAGE_SIZE) {
			if (!(pgdir[PDX(lz->cursor)] & PTE_P)) {	/* a whole empty table */
				lz->cursor = (lz->cursor & ~0x3FFFFFu) + 0x400000 - PAGE_SIZE;
				continue;
			}
			if (vm_is_remote(pgdir, lz->cursor))
				va[n++] = lz->cursor;
		}
		if (n == 0 || send_fetch(lz, va, n) < 0)
			break;
	}
	if (lz->left == 0)
		lazy_end(lz, 1);
}

/* At GO: p arrived lazily; its remote pages are at source. */
void
mig_lazy_start(struct proc *p, int source, uint32_t id, uint32_t remote)
{
	struct mig_lazy *lz = free_lazy();

	if (!lz) {		/* mig_in.c asked at the offer; taken since */
		kprintf("migrate: pid %d: no fetcher free\n", p->pid);
		signal_force(p, SIGKILL);
		return;
	}
	memset(lz, 0, sizeof(*lz));
	lz->used = 1;
	lz->p = p;
	lz->source = source;
	lz->id = id;
	lz->left = remote;
	lz->cursor = USER_MIN;
	wait_queue_init(&lz->wq, "page");
	p->lazy = 1;
	/* While it depends on the source, kmsg probes it: a source that
	 * dies is noticed even if the process touches no remote page. */
	kmsg_hold(source);
	pull(lz);
}

/* PAGES for a lazily arrived process: put each page where it belongs. */
void
mig_lazy_pages(int node, uint32_t id, const struct mig_pages *b)
{
	const uint8_t *data = (const uint8_t *)&b->va[b->count];
	struct mig_lazy *lz;
	uint32_t i, va;
	void *k;

	for (lz = lazies; lz < &lazies[MIG_MAX_LAZY]; lz++)
		if (lz->used && lz->source == node && lz->id == id)
			break;
	if (lz == &lazies[MIG_MAX_LAZY]) {
		mig_count.dropped++;
		return;
	}
	lz->inflight--;
	for (i = 0; i < b->count; i++) {
		va = b->va[i] & ~(PAGE_SIZE - 1);
		if (!vm_is_remote(lz->p->pgdir, va))
			continue;		/* fetched twice: keep the first */
		if (!(k = vm_page_install(lz->p->pgdir, va, b->va[i] & MIG_PAGE_W)))
			continue;		/* no memory: the fault retries */
		memcpy(k, data + i * PAGE_SIZE, PAGE_SIZE);
		lz->left--;
		mig_count.pages_fetched++;
	}
	wakeup(&lz->wq);
	pull(lz);
}

/* vm_fetch_hook: the process touched a remote page; wait for it. */
static int
fetch_now(pde_t *pgdir, uint32_t va)
{
	struct mig_lazy *lz = lazy_of(current);
	uint32_t deadline = ticks + MIG_FETCH_TICKS;

	if (!lz || current->pgdir != pgdir)
		return -EFAULT;		/* not in its own context: cannot wait */
	if (send_fetch(lz, &va, 1) < 0)
		return -EFAULT;
	mig_count.faults++;
	while (lz->used && vm_is_remote(pgdir, va)) {
		if ((int32_t)(ticks - deadline) >= 0) {
			kprintf("migrate: pid %d (%s) killed: page 0x%08x not fetched from node %d in %d s\n",
			    proc_visible_pid(current), current->name, va, lz->source,
			    MIG_FETCH_TICKS / TIMER_HZ);
			lazy_end(lz, 0);
			signal_force(current, SIGKILL);
			return -EFAULT;
		}
		/* Ask again each second: a reset of the stream may have
		 * lost the FETCH or its answer. */
		timer_arm(current, TIMER_HZ);
		sleep_on_uninterruptible(&lz->wq);
		timer_disarm(current);
		if (lz->used && vm_is_remote(pgdir, va) && current->timed_out)
			send_fetch(lz, &va, 1);
	}
	return vm_is_remote(pgdir, va) ? -EFAULT : 0;
}

/*
 * The process exits, execs or is killed: the source may let go (its
 * pages no longer matter).  And a process must have all its pages here
 * before it forks or moves on: fetch them now.
 */
void
mig_lazy_gone(struct proc *p)
{
	struct mig_lazy *lz = lazy_of(p);

	if (lz)
		lazy_end(lz, 1);
}

int
mig_lazy_settle(struct proc *p)
{
	struct mig_lazy *lz = lazy_of(p);
	uint32_t va = USER_MIN;

	while (lz && lz->used) {
		for (; va < USER_TOP && !vm_is_remote(p->pgdir, va); va += PAGE_SIZE)
			if (!(p->pgdir[PDX(va)] & PTE_P))
				va = (va & ~0x3FFFFFu) + 0x400000 - PAGE_SIZE;
		if (va >= USER_TOP)
			break;
		if (fetch_now(p->pgdir, va) < 0)
			return -EFAULT;
	}
	return 0;
}

/* The source is down: what it held is gone, and so are the processes
 * that still needed it. */
void
mig_lazy_node_failed(int node)
{
	struct mig_lazy *lz;
	struct mig_pager *pg;

	for (lz = lazies; lz < &lazies[MIG_MAX_LAZY]; lz++) {
		if (!lz->used || lz->source != node)
			continue;
		kprintf("migrate: pid %d (%s) killed: its pages were on node %d, which is down\n",
		    proc_visible_pid(lz->p), lz->p->name, node);
		signal_force(lz->p, SIGKILL);
		if (lz->p->state == WAITING)
			wake_process(lz->p);
		lazy_end(lz, 0);
	}
	for (pg = pagers; pg < &pagers[MIG_MAX_LAZY]; pg++)
		if (pg->used && pg->node == node)
			pager_end(pg);
}

/* The source lost track of our stream: FETCHes may be lost; ask again. */
void
mig_lazy_node_reset(int node)
{
	struct mig_lazy *lz;

	for (lz = lazies; lz < &lazies[MIG_MAX_LAZY]; lz++) {
		if (!lz->used || lz->source != node)
			continue;
		lz->inflight = 0;
		lz->cursor = USER_MIN;
		pull(lz);
	}
}

/* Once a second: a pager nobody has asked for a long time gives up. */
void
mig_lazy_tick(void)
{
	struct mig_pager *pg;

	for (pg = pagers; pg < &pagers[MIG_MAX_LAZY]; pg++)
		if (pg->used && ticks - pg->last_tick > MIG_PAGER_IDLE)
			pager_end(pg);
}

void
mig_lazy_init(void)
{
	vm_fetch_hook = fetch_now;
}
