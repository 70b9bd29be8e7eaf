/*
 * Counting semaphores (see sem.h), on the same wait queues as everything
 * else.  Waiters re-check the value after waking, so sem_post may wake
 * one and a newcomer may still take the unit first; the textbook calls
 * that a weak semaphore, and it is enough for the bounded buffer.
 */
#include "kernel.h"
#include "proc.h"
#include "waitq.h"
#include "sem.h"
#include "idtable.h"

#define NSEM		64
#define SEM_VALUE_MAX	1000000

struct semaphore {
	int		  id;		/* 0 = free */
	int		  owner;	/* pid of the creator */
	int		  value;
	struct wait_queue waiters;
	char		  queue_name[WAIT_NAME_LEN];	/* "sem 3" */
};

static struct semaphore semaphores[NSEM];
static struct id_table semaphore_ids = ID_TABLE(semaphores);
_Static_assert(offsetof(struct semaphore, id) == 0, "idtable.h: id comes first");

static struct semaphore *
lookup(int id)
{
	return id_table_lookup(&semaphore_ids, id);
}

int
sem_create(int value)
{
	struct semaphore *s;

	if (value < 0 || value > SEM_VALUE_MAX)
		return -EINVAL;
	if (!(s = id_table_free_slot(&semaphore_ids)))
		return -ENOSPC;
	id_table_assign(&semaphore_ids, s);
	s->owner = current->pid;
	s->value = value;
	snprintf(s->queue_name, sizeof(s->queue_name), "sem %d", s->id);
	wait_queue_init(&s->waiters, s->queue_name);
	return s->id;
}

int
sem_wait(int id, struct wait_limit *w)
{
	struct semaphore *s = lookup(id);
	int err;

	if (!s)
		return -ENOENT;
	while (s->value == 0) {
		if ((err = sleep_on_limit(&s->waiters, w)) < 0) {
			/* A post may have woken us just before the signal or
			 * timeout did: pass the unit's wakeup on, or it is lost. */
			if ((s = lookup(id)) && s->value > 0)
				wakeup_one(&s->waiters);
			return err;
		}
		if (!(s = lookup(id)))
			return -EPIPE;		/* destroyed while we waited */
	}
	s->value--;
	return 0;
}

int
sem_post(int id)
{
	struct semaphore *s = lookup(id);

	if (!s)
		return -ENOENT;
	if (s->value == SEM_VALUE_MAX)
		return -ERANGE;
	s->value++;
	wakeup_one(&s->waiters);
	return 0;
}

static void
destroy(struct semaphore *s)
{
	s->id = 0;
	wakeup(&s->waiters);
}

int
sem_destroy(int id)
{
	struct semaphore *s = lookup(id);

	if (!s)
		return -ENOENT;
	destroy(s);
	return 0;
}

void
sem_proc_exit(struct proc *p)
{
	struct semaphore *s;

	for (s = semaphores; s < &semaphores[NSEM]; s++)
		if (s->id && s->owner == p->pid)
			destroy(s);
}

/* A semaphore pid created (and would destroy on exit), or 0. */
int
sem_owned_by(int pid)
{
	struct semaphore *s;

	for (s = semaphores; s < &semaphores[NSEM]; s++)
		if (s->id && s->owner == pid)
			return s->id;
	return 0;
}
