/*
 * Memory layout and x86 paging/segmentation constants.  The kernel lives
 * in the top gigabyte of every address space; user programs below.
 *
 *   0x00000000 - 0x00000fff   never mapped (NULL pointer faults)
 *   0x08048000 - ...          user program image, then its heap (sbrk)
 *   USTACK_TOP - USTACK_SIZE  user stack, growing down on demand (a
 *                             page arrives at its first touch) to this
 *                             limit; the page below is an unmapped guard
 *   0xc0000000 - ...          physical memory 0..PHYSTOP, kernel image
 *                             at 0xc0100000; identical in every process
 */
#ifndef MMU_H
#define MMU_H

#define PAGE_SIZE	4096
#define PAGE_SHIFT	12
#define KERNBASE	0xC0000000u
#define PHYSTOP_MAX	0x30000000u	/* map at most 768 MiB of RAM */

#define USER_MIN	0x00001000u
#define USER_TOP	KERNBASE	/* first address user code may not touch */
#define USTACK_SIZE	(256 * PAGE_SIZE)	/* the limit: 1 MiB */
#define USTACK_TOP	USER_TOP
#define UHEAP_MAX	(USTACK_TOP - USTACK_SIZE - PAGE_SIZE)	/* guard page */

#define P2V(pa)		((void *)((uintptr_t)(pa) + KERNBASE))
#define V2P(va)		((uintptr_t)(va) - KERNBASE)

#define PAGE_ROUNDUP(a)	 (((uintptr_t)(a) + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1))
#define PAGE_ROUNDDOWN(a) ((uintptr_t)(a) & ~(uintptr_t)(PAGE_SIZE - 1))

/* Page directory / table entry bits (Intel SDM vol. 3, 4.3). */
#define PTE_P		0x001	/* present */
#define PTE_W		0x002	/* writable */
#define PTE_U		0x004	/* user may access */
#define PTE_A		0x020	/* accessed: set by the CPU on any use */
#define PTE_D		0x040	/* dirty: set by the CPU on a write (SDM 4.8) */
#define PTE_PS		0x080	/* 4 MiB page (in a directory entry) */
#define PTE_G		0x100	/* global */
#define PTE_SHARED	0x200	/* OS bit: frame belongs to a shm segment */
#define PTE_REMOTE	0x400	/* OS bit, with P clear: the page is on another
				 * node (lazy migration); PTE_W says how to map it */
#define PTE_COW		0x800	/* OS bit, with P set: writable to its owner but
				 * mapped read-only, the frame shared since a fork:
				 * the first write copies it (vm_fault) */
#define PTE_ZERO	0x800	/* the same bit with P clear: reserved (stack,
				 * sbrk), a zeroed frame arrives on first touch */
#define PTE_ADDR(e)	((e) & ~0xFFFu)

/* EFLAGS (SDM vol. 1, 3.4.3). */
#define FL_RF		0x00010000u	/* resume: suppress one instruction breakpoint */

#define PDX(va)		(((uintptr_t)(va) >> 22) & 0x3FF)
#define PTX(va)		(((uintptr_t)(va) >> 12) & 0x3FF)
#define NPDENTRIES	1024
#define NPTENTRIES	1024

/* Segment selectors: index << 3 | requested privilege level. */
#define SEG_KCODE	1
#define SEG_KDATA	2
#define SEG_UCODE	3
#define SEG_UDATA	4
#define SEG_TSS		5
#define KERNEL_CS	(SEG_KCODE << 3)
#define KERNEL_DS	(SEG_KDATA << 3)
#define USER_CS		((SEG_UCODE << 3) | 3)
#define USER_DS		((SEG_UDATA << 3) | 3)
#define TSS_SEL		(SEG_TSS << 3)

#endif
