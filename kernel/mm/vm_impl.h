/*
 * Shared by the two files that read page tables directly: vm.c (address
 * spaces, faults, migration's page walks) and uaccess.c (copies to and
 * from user memory).  Nothing else includes this: the rest of the kernel
 * goes through vm.h.
 */
#ifndef MM_VM_IMPL_H
#define MM_VM_IMPL_H

#include <stdint.h>
#include "mmu.h"
#include "vm.h"

/* The page-table entry for va, its table made if create; NULL if none. */
uint32_t *vm_walk(pde_t *pgdir, uint32_t va, int create);

/* vm_walk without making a table, inline: every copy to or from user
 * memory asks it at least once. */
static inline uint32_t *
pte_of(pde_t *pgdir, uint32_t va)
{
	pde_t pde = pgdir[PDX(va)];

	return (pde & PTE_P) ? (uint32_t *)P2V(PTE_ADDR(pde)) + PTX(va) : NULL;
}

#endif
