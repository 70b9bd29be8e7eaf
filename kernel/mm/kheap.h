/*
 * The kernel heap: kmalloc/kfree for variable-sized kernel objects.
 * Small sizes come from per-size-class pages; large ones take whole
 * contiguous frames.  Empty pages go straight back to the frame pool
 * (but for one page per class, taken at boot), so the free-frame count
 * returns to its baseline when objects are freed.
 */
#ifndef KHEAP_H
#define KHEAP_H

#include <stddef.h>

void	 kheap_init(void);		/* after pmm_init, before any kmalloc */
void	*kmalloc(size_t size);
void	 kfree(void *ptr);
size_t	 kheap_bytes_in_use(void);

#endif
