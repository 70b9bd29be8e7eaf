/*
 * exec (see exec.h).  Everything is built in a new page directory first;
 * only when the program is fully loaded does the process switch to it
 * and free the old one.  So a failed exec leaves the caller running its
 * old program, as Unix promises.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "trap.h"
#include "mm/vm.h"
#include "fs/initrd.h"
#include "elf.h"
#include "proc.h"
#include "signal.h"
#include "exec.h"
#include "ipc/shm.h"
#include "trace.h"

/* Copy argv onto the new stack.  Layout, from the top down:
 *	the strings themselves
 *	argv[0..argc-1], NULL		<- argv
 *	argv (char **)
 *	argc				<- initial esp
 * crt0.asm finds argc at [esp] and argv at [esp+4]. */
static int
build_stack(pde_t *pgdir, char *const argv[], int argc, uint32_t *esp_out)
{
	uint32_t sp = USTACK_TOP, uargv[MAXARG + 1], len, words[2];
	int i;

	for (i = argc - 1; i >= 0; i--) {
		len = strlen(argv[i]) + 1;
		sp -= len;
		if (copy_to_user(pgdir, sp, argv[i], len) < 0)
			return -E2BIG;
		uargv[i] = sp;
	}
	uargv[argc] = 0;
	sp &= ~3u;
	sp -= (argc + 1) * sizeof(uint32_t);
	if (copy_to_user(pgdir, sp, uargv, (argc + 1) * sizeof(uint32_t)) < 0)
		return -E2BIG;
	words[0] = argc;
	words[1] = sp;
	sp -= sizeof(words);
	if (copy_to_user(pgdir, sp, words, sizeof(words)) < 0)
		return -E2BIG;
	*esp_out = sp;
	return 0;
}

/* Does any writable segment touch the page at va? */
static int
page_is_writable(const struct elf_info *elf, uint32_t va)
{
	const struct elf_segment *s;
	int i;

	for (i = 0; i < elf->nsegments; i++) {
		s = &elf->segments[i];
		if (s->writable && va < s->vaddr + s->memsz &&
		    s->vaddr < va + PAGE_SIZE)
			return 1;
	}
	return 0;
}

/* Code and constants become read-only, so a stray write faults. */
static void
protect_text(pde_t *pgdir, const struct elf_info *elf)
{
	const struct elf_segment *s;
	uint32_t va;
	int i;

	for (i = 0; i < elf->nsegments; i++) {
		s = &elf->segments[i];
		if (s->writable)
			continue;
		for (va = PAGE_ROUNDDOWN(s->vaddr); va < s->vaddr + s->memsz; va += PAGE_SIZE)
			if (!page_is_writable(elf, va))
				vm_set_writable(pgdir, va, 0);
	}
}

int
exec_image(struct proc *p, const char *path, char *const argv[], int argc)
{
	const struct initrd_entry *e;
	struct elf_info elf;
	struct elf_segment *s;
	pde_t *pgdir, *old;
	uint32_t image_end = 0, esp;
	int i, err;

	if (argc > MAXARG)
		return -E2BIG;
	if (!(e = initrd_lookup(path)))
		return -ENOENT;
	if (e->type == FT_DIR)
		return -EISDIR;
	if ((err = elf_parse(e->data, e->size, USER_MIN, UHEAP_MAX, &elf)) < 0)
		return err;
	if (!(pgdir = vm_create()))
		return -ENOMEM;

	for (i = 0; i < elf.nsegments; i++) {
		s = &elf.segments[i];
		/* Mapped writable for the copy; made read-only below. */
		if ((err = vm_alloc_range(pgdir, s->vaddr, s->vaddr + s->memsz, 1)) < 0)
			goto fail;
		if (copy_to_user(pgdir, s->vaddr, e->data + s->offset, s->filesz) < 0) {
			err = -ENOEXEC;
			goto fail;
		}
		image_end = MAX(image_end, s->vaddr + s->memsz);
	}
	protect_text(pgdir, &elf);
	/* The stack is reserved, not allocated: build_stack's writes bring
	 * in its top page, and it grows by faults down to USTACK_SIZE. */
	if ((err = vm_reserve(pgdir, USTACK_TOP - USTACK_SIZE, USTACK_TOP)) < 0 ||
	    (err = build_stack(pgdir, argv, argc, &esp)) < 0)
		goto fail;

	/* Point of no return: commit the new image.  A migration under way
	 * (or pages still being fetched) belonged to the old one. */
	if (migrate_hooks && (p->mig || p->lazy))
		migrate_hooks->proc_gone(p);
	shm_detach_all(p);
	old = p->pgdir;
	p->pgdir = pgdir;
	p->image_end = PAGE_ROUNDUP(image_end);
	p->brk = p->image_end;
	p->tf->eip = elf.entry;
	p->tf->esp = esp;
	p->tf->eax = 0;
	proc_set_name(p, path);
	TRACE(TRACE_PROC, TEV_EXEC, p->pid, 0, 0, p->name);
	strlcpy(p->exec_path, path, sizeof(p->exec_path));
	signal_reset_on_exec(p);
	if (p == current)
		vm_switch(pgdir);
	if (old)
		vm_destroy(old);
	return 0;

fail:
	vm_destroy(pgdir);
	return err;
}

/*
 * The contents page va had when the program at path was loaded: for lazy
 * migration, whose target rebuilds a process's read-only (text) pages
 * from its own copy of the binary instead of fetching them.  0, or
 * -ENOENT if no segment of that binary covers va.
 */
int
exec_text_page(const char *path, uint32_t va, void *dst)
{
	const struct initrd_entry *e = initrd_lookup(path);
	struct elf_info elf;
	struct elf_segment *s;
	uint32_t start, end;
	int i;

	if (!e || e->type != FT_FILE || elf_parse(e->data, e->size, USER_MIN, UHEAP_MAX, &elf) < 0)
		return -ENOENT;
	memset(dst, 0, PAGE_SIZE);
	for (i = 0; i < elf.nsegments; i++) {
		s = &elf.segments[i];
		if (va + PAGE_SIZE <= s->vaddr || va >= s->vaddr + s->memsz)
			continue;
		/* The part of the page the segment's file bytes cover. */
		start = MAX(va, s->vaddr);
		end = MIN(va + PAGE_SIZE, s->vaddr + s->filesz);
		if (end > start)
			memcpy((uint8_t *)dst + (start - va), e->data + s->offset + (start - s->vaddr),
			    end - start);
		return 0;
	}
	return -ENOENT;
}
