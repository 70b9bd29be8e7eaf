/*
 * Shared memory segments: the same physical frames mapped into several
 * address spaces (at SHM_BASE + slot * SHM_MAX_SIZE).  Attachments are
 * inherited across fork; a segment is freed once it has been destroyed
 * (explicitly, or by its creator's exit) and the last user has detached.
 */
#ifndef SHM_H
#define SHM_H

#include <stdint.h>

struct proc;

int	shm_create(uint32_t size);
int	shm_attach(struct proc *p, int id, uint32_t *addr);
int	shm_detach(struct proc *p, uint32_t addr);
int	shm_destroy(int id);
void	shm_fork(struct proc *child, struct proc *parent);
void	shm_detach_all(struct proc *p);	/* exec and exit */
void	shm_proc_exit(struct proc *p);

#endif
