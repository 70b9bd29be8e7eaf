/*
 * The kernel's access to user memory (vm.h): every copy to or from a
 * process goes through here, checking each page's rights in the process's
 * own page tables and reaching the frame through the kernel's map of
 * physical memory, so it works for any address space, not only CR3's.
 */
#include "kernel.h"
#include "mmu.h"
#include "vm.h"
#include "vm_impl.h"

/* The PTE of user page uva if it is there with the rights asked for,
 * without bringing anything in: for another process's memory, which a
 * fault here would change behind its back. */
static inline __attribute__((always_inline)) uint32_t *
present_pte(pde_t *pgdir, uint32_t uva, int write)
{
	uint32_t *pte, need = PTE_P | PTE_U | (write ? PTE_W : 0);

	if (uva < USER_MIN || uva >= USER_TOP)
		return NULL;
	pte = pte_of(pgdir, uva);
	return pte && (*pte & need) == need ? pte : NULL;
}

/* The PTE of user address uva, if its page is there with the rights
 * asked for (brought in if it is only reserved or copy-on-write), else
 * NULL.  Inline in its callers: a mailbox round trip asks 8 times. */
static inline __attribute__((always_inline)) uint32_t *
user_pte(pde_t *pgdir, uint32_t uva, int write)
{
	uint32_t *pte = present_pte(pgdir, uva, write);

	if (!pte && uva >= USER_MIN && uva < USER_TOP && vm_fault(pgdir, uva, write) == 0)
		pte = present_pte(pgdir, uva, write);
	return pte;
}

/* The kernel's address of user byte uva, whose page pte maps. */
static inline char *
kaddr(const uint32_t *pte, uint32_t uva)
{
	return (char *)P2V(PTE_ADDR(*pte)) + (uva & (PAGE_SIZE - 1));
}

/* Bytes from uva to the end of its page. */
static inline size_t
page_room(uint32_t uva)
{
	return PAGE_SIZE - (uva & (PAGE_SIZE - 1));
}

/* Kernel address of user byte uva, or NULL (user_pte). */
static char *
user_byte(pde_t *pgdir, uint32_t uva, int write)
{
	uint32_t *pte = user_pte(pgdir, uva, write);

	return pte ? kaddr(pte, uva) : NULL;
}

int
user_range_ok(pde_t *pgdir, uint32_t uaddr, size_t n, int write)
{
	uint32_t va;

	if (n == 0)
		return 1;
	if (uaddr < USER_MIN || uaddr >= USER_TOP || n > USER_TOP - uaddr)
		return 0;
	if (n <= page_room(uaddr))
		return user_pte(pgdir, uaddr, write) != NULL;	/* one page */
	for (va = PAGE_ROUNDDOWN(uaddr); va < uaddr + n; va += PAGE_SIZE)
		if (!user_byte(pgdir, va, write))
			return 0;
	return 1;
}

/* Move n bytes between kernel buffer k and user address u, page by page,
 * through the kernel's map of physical memory. */
static int
user_copy(pde_t *pgdir, uint32_t u, char *k, size_t n, int to_user)
{
	size_t chunk;
	uint32_t *pte;
	char *p;

	/* A copy that crosses pages checks them all first, so that a bad
	 * address anywhere changes nothing.  One within a page (messages,
	 * arguments: nearly all) is checked by the look below alone: the
	 * same answer for a third of the page-table walks. */
	if (n > page_room(u) && !user_range_ok(pgdir, u, n, to_user))
		return -EFAULT;
	while (n > 0) {
		if (!(pte = user_pte(pgdir, u, to_user)))
			return -EFAULT;
		p = kaddr(pte, u);
		chunk = MIN(n, page_room(u));
		/* The kernel writes through its own mapping, which leaves the
		 * user PTE's dirty bit alone: set it, or pre-copy misses it. */
		if (to_user)
			*pte |= PTE_D;
		if (to_user)
			memcpy(p, k, chunk);
		else
			memcpy(k, p, chunk);
		u += chunk;
		k += chunk;
		n -= chunk;
	}
	return 0;
}

int
copy_from_user(pde_t *pgdir, void *dst, uint32_t usrc, size_t n)
{
	return user_copy(pgdir, usrc, dst, n, 0);
}

int
copy_to_user(pde_t *pgdir, uint32_t udst, const void *src, size_t n)
{
	return user_copy(pgdir, udst, (char *)src, n, 1);
}

int
copy_string_from_user(pde_t *pgdir, char *dst, uint32_t usrc, size_t max)
{
	size_t i;
	char *p;

	for (i = 0; i < max; i++) {
		p = user_byte(pgdir, usrc + i, 0);
		if (!p || usrc + i < usrc)
			return -EFAULT;
		dst[i] = *p;
		if (*p == '\0')
			return (int)i;
	}
	return -ENAMETOOLONG;
}

/* copy_to_user into memory that must be there already, in another
 * process's address space (ipc/direct.c): nothing is brought in, and a
 * page that is not there with write rights is -EFAULT, nothing written. */
int
copy_to_resident(pde_t *pgdir, uint32_t udst, const void *src, size_t n)
{
	uint32_t *pte;

	if (n > page_room(udst))
		return -EFAULT;		/* only within a page is needed */
	if (!(pte = present_pte(pgdir, udst, 1)))
		return -EFAULT;
	*pte |= PTE_D;
	memcpy(kaddr(pte, udst), src, n);
	return 0;
}

/* Is all of [uva, uva + n) there with the rights asked for?  Nothing is
 * brought in, and so nothing sleeps (a lazily migrated page would). */
static int
resident(pde_t *pgdir, uint32_t uva, size_t n, int write)
{
	uint32_t va;

	if (uva < USER_MIN || uva >= USER_TOP || n > USER_TOP - uva)
		return 0;
	for (va = PAGE_ROUNDDOWN(uva); va < uva + n; va += PAGE_SIZE)
		if (!present_pte(pgdir, va, write))
			return 0;
	return 1;
}

/*
 * Copy n bytes from user address src of spgdir (the running process) to
 * user address dst of dpgdir (another, waiting), frame to frame: a message
 * handed straight to the process that waits for it (ipc/direct.c) is
 * copied once, never into the kernel.  Both ranges must be there already
 * (the receiver checked its buffer before it slept, which brought its
 * pages in): if any page is not, -EFAULT and nothing is written, and the
 * caller takes the ordinary path through a kernel copy.  Never sleeps.
 */
int
copy_user_to_user(pde_t *dpgdir, uint32_t dst, pde_t *spgdir, uint32_t src, size_t n)
{
	uint32_t *dpte, *spte;
	size_t chunk;

	if (n == 0)
		return 0;
	/* The usual message, within a page on both sides, on a path of its
	 * own: the loop below cost the mailbox round trip ~35 instructions
	 * more (docs/profiling.md). */
	if (n <= page_room(dst) && n <= page_room(src)) {
		if (!(dpte = present_pte(dpgdir, dst, 1)) ||
		    !(spte = present_pte(spgdir, src, 0)))
			return -EFAULT;
		*dpte |= PTE_D;		/* as in user_copy: pre-copy must see it */
		memcpy(kaddr(dpte, dst), kaddr(spte, src), n);
		return 0;
	}
	if (!resident(dpgdir, dst, n, 1) || !resident(spgdir, src, n, 0))
		return -EFAULT;
	while (n > 0) {
		spte = pte_of(spgdir, src);
		dpte = pte_of(dpgdir, dst);
		chunk = MIN(n, MIN(page_room(src), page_room(dst)));
		*dpte |= PTE_D;
		memcpy(kaddr(dpte, dst), kaddr(spte, src), chunk);
		src += chunk;
		dst += chunk;
		n -= chunk;
	}
	return 0;
}
