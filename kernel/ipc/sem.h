/*
 * Counting semaphores: a value and a wait queue.  sem_wait blocks while
 * the value is 0; sem_post wakes one waiter.  Named by small ids shared
 * across fork; destroyed explicitly or when their creator exits.
 */
#ifndef SEM_H
#define SEM_H

#include <stdint.h>

struct proc;
struct wait_limit;

int	sem_create(int value);
int	sem_wait(int id, struct wait_limit *w);
int	sem_post(int id);
int	sem_destroy(int id);
void	sem_proc_exit(struct proc *p);

/* For migration: an object pid owns, or 0. */
int	sem_owned_by(int pid);

#endif
