/*
 * Paging (see vm.h).  The kernel half of every directory maps physical
 * memory 0..PHYSTOP at KERNBASE with 4 MiB pages, so the kernel reaches
 * any frame at P2V(pa) without temporary mappings.  User memory uses
 * 4 KiB pages in page tables that belong to the process.
 */
#include "kernel.h"
#include "cmdline.h"
#include "mmu.h"
#include "x86.h"
#include "pmm.h"
#include "vm.h"
#include "vm_impl.h"

static pde_t kernel_pgdir_store[NPDENTRIES] __attribute__((aligned(PAGE_SIZE)));
pde_t *kernel_pgdir = kernel_pgdir_store;
int vm_cow = 1;			/* cow=0 at boot: fork copies every page */

void
vm_init(void)
{
	uint32_t pa;

	/* Supervisor-only, so user code can never reach kernel memory. */
	for (pa = 0; pa < pmm_phys_top() || pa < 0x1000000; pa += 0x400000)
		kernel_pgdir[PDX(KERNBASE + pa)] = pa | PTE_P | PTE_W | PTE_PS;
	vm_switch(kernel_pgdir);
	vm_cow = cmdline_get_int("cow", 1) != 0;
}

void
vm_switch(pde_t *pgdir)
{
	write_cr3(V2P(pgdir));
}

pde_t *
vm_create(void)
{
	uint32_t pa = frame_alloc_zeroed();
	pde_t *pgdir;

	if (!pa)
		return NULL;
	pgdir = P2V(pa);
	memcpy(&pgdir[PDX(KERNBASE)], &kernel_pgdir[PDX(KERNBASE)],
	    (NPDENTRIES - PDX(KERNBASE)) * sizeof(pde_t));
	return pgdir;
}

/* Find the page-table entry for va, creating its table if asked. */
uint32_t *
vm_walk(pde_t *pgdir, uint32_t va, int create)
{
	pde_t *pde = &pgdir[PDX(va)];
	uint32_t pt;

	if (!(*pde & PTE_P)) {
		if (!create || !(pt = frame_alloc_zeroed()))
			return NULL;
		/* Rights are decided per page; the directory entry allows all. */
		*pde = pt | PTE_P | PTE_W | PTE_U;
	}
	return (uint32_t *)P2V(PTE_ADDR(*pde)) + PTX(va);
}

/* Drop the TLB's copy of va's entry if pgdir is the live directory. */
static void
flush_page(pde_t *pgdir, uint32_t va)
{
	if (read_cr3() == V2P(pgdir))
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static int
is_cow(uint32_t e)
{
	return (e & (PTE_P | PTE_COW)) == (PTE_P | PTE_COW);
}

static int
is_reserved(uint32_t e)
{
	return (e & (PTE_P | PTE_ZERO)) == PTE_ZERO;
}

/* The first entry of page table pt at or after j that is not 0 (present,
 * reserved or remote), or NPTENTRIES.  A user table is mostly zeros, and
 * fork and exit look at every entry of every table: skip four at a time. */
static uint32_t
next_used(const uint32_t *pt, uint32_t j)
{
	while (j % 4 && j < NPTENTRIES && !pt[j])
		j++;
	while (j + 4 <= NPTENTRIES && !(pt[j] | pt[j + 1] | pt[j + 2] | pt[j + 3]))
		j += 4;
	while (j < NPTENTRIES && !pt[j])
		j++;
	return j;
}

int
vm_alloc_range(pde_t *pgdir, uint32_t start, uint32_t end, int writable)
{
	uint32_t va, pa, *pte;

	if (start >= end)
		return 0;
	if (start < USER_MIN || end > USER_TOP)
		return -EFAULT;
	for (va = PAGE_ROUNDDOWN(start); va < end; va += PAGE_SIZE) {
		pte = vm_walk(pgdir, va, 1);
		if (!pte)
			return -ENOMEM;
		if (*pte & PTE_P)
			continue;
		if (!(pa = frame_alloc_zeroed()))
			return -ENOMEM;	/* caller frees what was mapped */
		/* Born dirty: a new page differs from whatever a migration
		 * sent for this address before (vm_clear_dirty). */
		*pte = pa | PTE_P | PTE_U | PTE_D | (writable ? PTE_W : 0);
	}
	return 0;
}

void
vm_free_range(pde_t *pgdir, uint32_t start, uint32_t end)
{
	uint32_t va, *pte;

	for (va = PAGE_ROUNDUP(start); va < end && va < USER_TOP; va += PAGE_SIZE) {
		if (!(pgdir[PDX(va)] & PTE_P)) {
			va = (va & ~0x3FFFFFu) + 0x400000 - PAGE_SIZE;
			continue;
		}
		pte = pte_of(pgdir, va);
		if (pte && (*pte & PTE_P)) {
			if (!(*pte & PTE_SHARED))
				frame_free(PTE_ADDR(*pte));	/* one reference */
			*pte = 0;
		} else if (pte && is_reserved(*pte)) {
			*pte = 0;
		}
	}
	/* The range may be the live one; drop stale translations. */
	if (read_cr3() == V2P(pgdir))
		write_cr3(V2P(pgdir));
}

void
vm_destroy(pde_t *pgdir)
{
	uint32_t i, j, *pt;

	for (i = 0; i < PDX(USER_TOP); i++) {
		if (!(pgdir[i] & PTE_P))
			continue;
		pt = P2V(PTE_ADDR(pgdir[i]));
		for (j = next_used(pt, 0); j < NPTENTRIES; j = next_used(pt, j + 1))
			if ((pt[j] & PTE_P) && !(pt[j] & PTE_SHARED))
				frame_free(PTE_ADDR(pt[j]));
		frame_free(PTE_ADDR(pgdir[i]));
	}
	frame_free(V2P(pgdir));
}

void
vm_set_writable(pde_t *pgdir, uint32_t va, int writable)
{
	uint32_t *pte = pte_of(pgdir, va);

	if (!pte || !(*pte & PTE_P))
		return;
	if (!writable)
		*pte &= ~(PTE_W | PTE_COW);
	else if (!is_cow(*pte))		/* a shared frame waits for its fault */
		*pte |= PTE_W;
	flush_page(pgdir, va);
}

/* LAB cow: BEGIN share */
/*
 * Fork's page: the child maps the parent's frame, one reference more.  A
 * writable page becomes read-only in both, marked PTE_COW, so whichever
 * writes first faults and gets its own copy (vm_fault).  Both keep their
 * dirty bits: pre-copy migration (vm_clear_dirty) already sent the
 * contents of a clean page, and they have not changed.
 */
static int
share_page(uint32_t *spte, uint32_t *dpte)
{
	if (frame_share(PTE_ADDR(*spte)) < 0)
		return -1;
	if (*spte & (PTE_W | PTE_COW))
		*spte = (*spte & ~PTE_W) | PTE_COW;
	*dpte = *spte;
	return 0;
}
/* LAB cow: END share */

/* Fork: the child's address space is the parent's.  Shared memory maps
 * the same frame; a reservation stays one; any other page is shared
 * copy-on-write, or copied now when booted with cow=0. */
int
vm_copy(pde_t *dst, pde_t *src)
{
	uint32_t i, j, pa, *spt, *dpt = NULL;
	int err = 0;

	for (i = 0; i < PDX(USER_TOP) && !err; i++) {
		if (!(src[i] & PTE_P))
			continue;
		spt = P2V(PTE_ADDR(src[i]));
		/* The child's table for this 4 MiB, made at its first entry:
		 * vm_walk() once per table, not once per page. */
		dpt = NULL;
		for (j = next_used(spt, 0); j < NPTENTRIES; j = next_used(spt, j + 1)) {
			if (!(spt[j] & PTE_P) && !is_reserved(spt[j]))
				continue;
			if (!dpt && !(dpt = vm_walk(dst, i << 22, 1))) {
				err = -ENOMEM;
				break;
			}
			if ((spt[j] & PTE_SHARED) || is_reserved(spt[j])) {
				dpt[j] = spt[j];
				continue;
			}
			if (vm_cow && share_page(&spt[j], &dpt[j]) == 0)
				continue;
			if (!(pa = frame_alloc())) {
				err = -ENOMEM;
				break;
			}
			page_copy(P2V(pa), P2V(PTE_ADDR(spt[j])));
			dpt[j] = pa | (spt[j] & 0xFFF);
			if (is_cow(dpt[j]))	/* a private copy: writable */
				dpt[j] = (dpt[j] & ~PTE_COW) | PTE_W;
		}
	}
	/* The parent's pages just lost PTE_W: drop the TLB's writable copies. */
	if (read_cr3() == V2P(src))
		write_cr3(V2P(src));
	return err;
}

uint32_t
vm_user_frames(pde_t *pgdir)
{
	struct vm_usage u;

	vm_usage(pgdir, &u);
	return u.mapped;
}

void
vm_usage(pde_t *pgdir, struct vm_usage *u)
{
	uint32_t i, j, *pt;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < PDX(USER_TOP); i++) {
		if (!(pgdir[i] & PTE_P))
			continue;
		pt = P2V(PTE_ADDR(pgdir[i]));
		u->tables++;
		for (j = 0; j < NPTENTRIES; j++) {
			if (is_reserved(pt[j]))
				u->reserved++;
			if (!(pt[j] & PTE_P))
				continue;
			u->mapped++;
			if (!(pt[j] & PTE_SHARED))
				u->private++;
			if (is_cow(pt[j]))
				u->cow++;
			if (!(pt[j] & PTE_SHARED) && frame_refs(PTE_ADDR(pt[j])) > 1)
				u->shared++;
		}
	}
}

/* Reserve [start, end): each page not there yet gets a zeroed frame at
 * its first touch (vm_fault).  The stack and the sbrk heap. */
int
vm_reserve(pde_t *pgdir, uint32_t start, uint32_t end)
{
	uint32_t va, *pte;

	if (start < USER_MIN || end > USER_TOP)
		return -EFAULT;
	for (va = PAGE_ROUNDDOWN(start); va < end; va += PAGE_SIZE) {
		if (!(pte = vm_walk(pgdir, va, 1)))
			return -ENOMEM;	/* caller frees what was reserved */
		if (*pte == 0)
			*pte = PTE_ZERO | PTE_W;
	}
	return 0;
}

/* LAB cow: BEGIN fault */
/*
 * A write to a copy-on-write page.  The last reference takes the frame
 * as it is; otherwise the page is copied to a frame of its own and the
 * shared one loses a reference.  Either way the page is now written, so
 * it is marked dirty: pre-copy migration must send it again.
 */
static int
cow_break(pde_t *pgdir, uint32_t va, uint32_t *pte)
{
	uint32_t old = PTE_ADDR(*pte), pa;

	if (frame_refs(old) == 1) {
		*pte = (*pte & ~PTE_COW) | PTE_W | PTE_D;
	} else {
		if (!(pa = frame_alloc()))
			return -ENOMEM;
		page_copy(P2V(pa), P2V(old));
		*pte = pa | (*pte & 0xFFF & ~PTE_COW) | PTE_W | PTE_D;
		frame_free(old);
	}
	flush_page(pgdir, va);
	return 0;
}
/* LAB cow: END fault */

/*
 * A page fault at user address va (write: the access was a write), from
 * the CPU or from the kernel about to touch user memory.  0 when the page
 * is now there with those rights (the access can be tried again), else
 * -EFAULT (a wild access) or -ENOMEM.  The one place that knows the
 * kinds of missing page: remote (lazy migration), reserved, copy-on-write.
 */
int
vm_fault(pde_t *pgdir, uint32_t va, int write)
{
	uint32_t *pte, pa;

	if (va < USER_MIN || va >= USER_TOP || !(pte = pte_of(pgdir, va)))
		return -EFAULT;
	if (!(*pte & PTE_P) && (*pte & PTE_REMOTE))
		return vm_resolve(pgdir, va);
	if (is_reserved(*pte)) {
		if (!(pa = frame_alloc_zeroed()))
			return -ENOMEM;
		/* Born dirty, as in vm_alloc_range. */
		*pte = pa | PTE_P | PTE_U | PTE_W | PTE_D;
		return 0;
	}
	if (write && is_cow(*pte))
		return cow_break(pgdir, PAGE_ROUNDDOWN(va), pte);
	return -EFAULT;
}

int
vm_map_shared(pde_t *pgdir, uint32_t va, uint32_t pa)
{
	uint32_t *pte = vm_walk(pgdir, va, 1);

	if (!pte)
		return -ENOMEM;
	*pte = pa | PTE_P | PTE_W | PTE_U | PTE_SHARED;
	return 0;
}

void
vm_unmap_shared(pde_t *pgdir, uint32_t va, uint32_t npages)
{
	uint32_t *pte;

	for (; npages > 0; npages--, va += PAGE_SIZE)
		if ((pte = pte_of(pgdir, va)) && (*pte & PTE_SHARED))
			*pte = 0;
	if (read_cr3() == V2P(pgdir))
		write_cr3(V2P(pgdir));
}

int (*vm_fetch_hook)(pde_t *pgdir, uint32_t va);

/* A page that lives on another node: fetch it (sleeping) before use. */
int
vm_resolve(pde_t *pgdir, uint32_t va)
{
	uint32_t *pte = pte_of(pgdir, va);

	if (!pte || (*pte & PTE_P) || !(*pte & PTE_REMOTE) || !vm_fetch_hook)
		return -EFAULT;
	return vm_fetch_hook(pgdir, PAGE_ROUNDDOWN(va));
}

/* ---- for migration (kernel/migrate/mig_out.c, mig_in.c) ---- */

uint32_t
vm_next_page(pde_t *pgdir, uint32_t va, uint32_t *pte_out)
{
	uint32_t *pte;

	for (va = PAGE_ROUNDUP(va < USER_MIN ? USER_MIN : va); va < USER_TOP; va += PAGE_SIZE) {
		if (!(pgdir[PDX(va)] & PTE_P)) {
			va = (va & ~0x3FFFFFu) + 0x400000 - PAGE_SIZE;
			continue;
		}
		pte = pte_of(pgdir, va);
		if (*pte & PTE_P) {
			/* What the page is to its owner: a copy-on-write
			 * page is writable (migration sends it so). */
			if (pte_out)
				*pte_out = is_cow(*pte) ? *pte | PTE_W : *pte;
			return va;
		}
	}
	return USER_TOP;
}

/*
 * Pre-copy's step: was the page written since the last call?  Clear the
 * dirty bit, then drop the TLB's copy of the entry: the CPU sets D in
 * memory only when its cached entry says clean, so a stale "dirty" entry
 * would let later writes go unrecorded (SDM vol. 3, 4.8 and 4.10.4.2).
 * Only the address space in CR3 can have cached entries (one CPU, and
 * switching CR3 flushes them).  noflush skips the invlpg: a deliberate
 * bug for the test that proves the oracle can fail.
 */
int
vm_clear_dirty(pde_t *pgdir, uint32_t va, int noflush)
{
	uint32_t *pte = pte_of(pgdir, va);
	int was;

	if (!pte || !(*pte & PTE_P))
		return 0;
	was = (*pte & PTE_D) != 0;
	*pte &= ~PTE_D;
	if (!noflush)
		flush_page(pgdir, va);
	return was;
}

void
vm_mark_dirty(pde_t *pgdir, uint32_t va)
{
	uint32_t *pte = pte_of(pgdir, va);

	if (pte && (*pte & PTE_P))
		*pte |= PTE_D;
}

/* Kernel address of the frame behind user page va (present), or NULL. */
void *
vm_page_kaddr(pde_t *pgdir, uint32_t va)
{
	uint32_t *pte = pte_of(pgdir, va);

	if (!pte || !(*pte & PTE_P))
		return NULL;
	return P2V(PTE_ADDR(*pte));
}

/* Map a frame at va if none is there yet (writable or not), zeroed.
 * The caller writes to it: a shared frame is first made its own. */
void *
vm_page_install(pde_t *pgdir, uint32_t va, int writable)
{
	uint32_t *pte, pa;

	if (va < USER_MIN || va >= USER_TOP || !(pte = vm_walk(pgdir, va, 1)))
		return NULL;
	if (is_cow(*pte) && cow_break(pgdir, va, pte) < 0)
		return NULL;
	if (!(*pte & PTE_P)) {
		if (!(pa = frame_alloc_zeroed()))
			return NULL;
		*pte = pa | PTE_P | PTE_U;
	}
	*pte = (*pte & ~PTE_W) | (writable ? PTE_W : 0);
	return P2V(PTE_ADDR(*pte));
}

/* Unmap and free the page at va, if present. */
void
vm_page_remove(pde_t *pgdir, uint32_t va)
{
	vm_free_range(pgdir, va, va + PAGE_SIZE);
}

/* Lazy migration's placeholder: no frame yet, the contents elsewhere. */
int
vm_set_remote(pde_t *pgdir, uint32_t va, int writable)
{
	uint32_t *pte;

	if (va < USER_MIN || va >= USER_TOP || !(pte = vm_walk(pgdir, va, 1)))
		return -ENOMEM;
	*pte = PTE_REMOTE | (writable ? PTE_W : 0);
	return 0;
}

int
vm_is_remote(pde_t *pgdir, uint32_t va)
{
	uint32_t *pte = pte_of(pgdir, va);

	return pte && !(*pte & PTE_P) && (*pte & PTE_REMOTE);
}
