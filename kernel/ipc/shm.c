/*
 * Shared memory (see shm.h).  A segment owns its frames; page tables
 * only borrow them, marked PTE_SHARED so that fork shares instead of
 * copying and address-space teardown leaves them alone.  attached counts
 * the mappings; the frames go back to the pool when the segment has been
 * destroyed and that count reaches zero.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "mm/pmm.h"
#include "proc.h"
#include "mm/vm.h"
#include "shm.h"
#include "idtable.h"
#include "brinch/ipc.h"

#define NSHM		32
#define SHM_PAGES	(SHM_MAX_SIZE / PAGE_SIZE)

struct shm_segment {
	int      id;			/* 0 = free */
	int      owner;			/* creator's pid */
	int      destroyed;		/* no new attachments; free when unused */
	uint32_t attached;		/* mappings in address spaces */
	uint32_t npages;
	uint32_t frames[SHM_PAGES];	/* physical addresses */
};

static struct shm_segment segments[NSHM];
static struct id_table segment_ids = ID_TABLE(segments);
_Static_assert(offsetof(struct shm_segment, id) == 0, "idtable.h: id comes first");

static struct shm_segment *
lookup(int id)
{
	return id_table_lookup(&segment_ids, id);
}

static void
free_segment(struct shm_segment *s)
{
	uint32_t i;

	for (i = 0; i < s->npages; i++)
		if (s->frames[i])
			frame_free(s->frames[i]);
	memset(s, 0, sizeof(*s));
}

static void
maybe_free(struct shm_segment *s)
{
	if (s->destroyed && s->attached == 0)
		free_segment(s);
}

int
shm_create(uint32_t size)
{
	struct shm_segment *s;
	uint32_t i;

	if (size == 0 || size > SHM_MAX_SIZE)
		return -EINVAL;
	if (!(s = id_table_free_slot(&segment_ids)))
		return -ENOSPC;
	memset(s, 0, sizeof(*s));
	s->npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	for (i = 0; i < s->npages; i++) {
		if (!(s->frames[i] = frame_alloc_zeroed())) {
			free_segment(s);
			return -ENOMEM;
		}
	}
	id_table_assign(&segment_ids, s);
	s->owner = current->pid;
	return s->id;
}

static uint32_t
slot_address(int slot)
{
	return SHM_BASE + (uint32_t)slot * SHM_MAX_SIZE;
}

int
shm_attach(struct proc *p, int id, uint32_t *addr)
{
	struct shm_segment *s = lookup(id);
	uint32_t i;
	int slot;

	if (!s || s->destroyed)
		return -ENOENT;
	for (slot = 0; slot < SHM_SLOTS && p->shm_ids[slot]; slot++)
		;
	if (slot == SHM_SLOTS)
		return -EMFILE;
	for (i = 0; i < s->npages; i++) {
		if (vm_map_shared(p->pgdir, slot_address(slot) + i * PAGE_SIZE,
		    s->frames[i]) < 0) {
			vm_unmap_shared(p->pgdir, slot_address(slot), i);
			return -ENOMEM;
		}
	}
	p->shm_ids[slot] = id;
	s->attached++;
	*addr = slot_address(slot);
	return 0;
}

static void
detach_slot(struct proc *p, int slot)
{
	struct shm_segment *s = lookup(p->shm_ids[slot]);

	p->shm_ids[slot] = 0;
	if (!s)
		return;
	if (p->pgdir)
		vm_unmap_shared(p->pgdir, slot_address(slot), s->npages);
	s->attached--;
	maybe_free(s);
}

int
shm_detach(struct proc *p, uint32_t addr)
{
	int slot;

	if (addr < SHM_BASE || (addr - SHM_BASE) % SHM_MAX_SIZE)
		return -EINVAL;
	slot = (int)((addr - SHM_BASE) / SHM_MAX_SIZE);
	if (slot >= SHM_SLOTS || !p->shm_ids[slot])
		return -EINVAL;
	detach_slot(p, slot);
	return 0;
}

int
shm_destroy(int id)
{
	struct shm_segment *s = lookup(id);

	if (!s || s->destroyed)
		return -ENOENT;
	s->destroyed = 1;
	maybe_free(s);
	return 0;
}

/* vm_copy already shared the frames; count the child's mappings. */
void
shm_fork(struct proc *child, struct proc *parent)
{
	struct shm_segment *s;
	int slot;

	for (slot = 0; slot < SHM_SLOTS; slot++) {
		child->shm_ids[slot] = parent->shm_ids[slot];
		if ((s = lookup(parent->shm_ids[slot])))
			s->attached++;
	}
}

void
shm_detach_all(struct proc *p)
{
	int slot;

	for (slot = 0; slot < SHM_SLOTS; slot++)
		if (p->shm_ids[slot])
			detach_slot(p, slot);
}

/* A creator's exit destroys its segments, as with mailboxes; the frames
 * stay until every other user has detached. */
void
shm_proc_exit(struct proc *p)
{
	struct shm_segment *s;

	shm_detach_all(p);
	for (s = segments; s < &segments[NSHM]; s++) {
		if (s->id && s->owner == p->pid && !s->destroyed) {
			s->destroyed = 1;
			maybe_free(s);
		}
	}
}
