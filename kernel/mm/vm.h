/*
 * Virtual memory: the kernel's page directory and one page directory per
 * process.  Every directory shares the kernel half (0xc0000000 and up);
 * the user half is private.  Also the only safe way to touch user memory
 * from the kernel: copy_from_user/copy_to_user (uaccess.c) check every
 * page first.
 */
#ifndef VM_H
#define VM_H

#include <stdint.h>
#include <stddef.h>

typedef uint32_t pde_t;

extern pde_t *kernel_pgdir;

void	 vm_init(void);
void	 vm_switch(pde_t *pgdir);		/* load into CR3 */

pde_t	*vm_create(void);			/* new, empty user half */
void	 vm_destroy(pde_t *pgdir);		/* frees user frames too */
int	 vm_alloc_range(pde_t *pgdir, uint32_t start, uint32_t end, int writable);
void	 vm_free_range(pde_t *pgdir, uint32_t start, uint32_t end);
void	 vm_set_writable(pde_t *pgdir, uint32_t va, int writable);
int	 vm_copy(pde_t *dst, pde_t *src);	/* for fork: copy-on-write share */
uint32_t vm_user_frames(pde_t *pgdir);		/* how many user pages are mapped */
extern int vm_cow;				/* 0: vm_copy copies (cow=0 at boot) */

/* Demand paging and copy-on-write.  vm_reserve marks pages that get a
 * zeroed frame when first touched; vm_fault resolves a fault at va
 * (reserved, copy-on-write, remote): 0, -EFAULT (wild) or -ENOMEM. */
int	 vm_reserve(pde_t *pgdir, uint32_t start, uint32_t end);
int	 vm_fault(pde_t *pgdir, uint32_t va, int write);

struct vm_usage {
	uint32_t mapped;	/* pages with a frame */
	uint32_t cow;		/* ... of which copy-on-write (read-only for now) */
	uint32_t shared;	/* ... whose frame another address space maps too */
	uint32_t reserved;	/* pages reserved, no frame yet */
	uint32_t private;	/* pages with a frame of their own (not shm) */
	uint32_t tables;	/* page tables of the user half */
};
void	 vm_usage(pde_t *pgdir, struct vm_usage *u);

/* Shared memory (shm.c): map frames someone else owns.  Shared pages are
 * never copied by vm_copy nor freed by vm_destroy/vm_free_range. */
int	 vm_map_shared(pde_t *pgdir, uint32_t va, uint32_t pa);
void	 vm_unmap_shared(pde_t *pgdir, uint32_t va, uint32_t npages);

/* Accessing user memory.  Each returns 0 or -EFAULT if any byte of the
 * range is outside user space or not mapped with the needed rights.  They
 * work on any directory, not just the one in CR3. */
int	 copy_from_user(pde_t *pgdir, void *dst, uint32_t usrc, size_t n);
int	 copy_to_user(pde_t *pgdir, uint32_t udst, const void *src, size_t n);
/* Copy a NUL-terminated string of at most max bytes (NUL included).
 * Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL fits. */
int	 copy_string_from_user(pde_t *pgdir, char *dst, uint32_t usrc, size_t max);
/* Check a range without copying (write: also needs PTE_W). */
int	 user_range_ok(pde_t *pgdir, uint32_t uaddr, size_t n, int write);
/* From the running process's memory straight into another's, whose pages
 * must be there and writable already (nothing is faulted in on its side). */
int	 copy_user_to_user(pde_t *dpgdir, uint32_t dst, pde_t *spgdir, uint32_t src,
	    size_t n);
/* The same from the kernel, for at most the rest of a page. */
int	 copy_to_resident(pde_t *pgdir, uint32_t udst, const void *src, size_t n);

/* Migration: walk the pages of an address space, test and clear dirty
 * bits (pre-copy), and fill a new address space page by page. */
uint32_t vm_next_page(pde_t *pgdir, uint32_t va, uint32_t *pte);	/* USER_TOP: none */
int	 vm_clear_dirty(pde_t *pgdir, uint32_t va, int noflush);	/* 1 if it was dirty */
void	 vm_mark_dirty(pde_t *pgdir, uint32_t va);
void	*vm_page_kaddr(pde_t *pgdir, uint32_t va);
void	*vm_page_install(pde_t *pgdir, uint32_t va, int writable);
void	 vm_page_remove(pde_t *pgdir, uint32_t va);
int	 vm_set_remote(pde_t *pgdir, uint32_t va, int writable);
int	 vm_is_remote(pde_t *pgdir, uint32_t va);
/* Lazy migration: a page marked remote is fetched by this hook, which
 * sleeps until it is here (0) or cannot be had (< 0).  The page-fault
 * handler and every copy to or from user memory call it. */
extern int (*vm_fetch_hook)(pde_t *pgdir, uint32_t va);
int	 vm_resolve(pde_t *pgdir, uint32_t va);

#endif
