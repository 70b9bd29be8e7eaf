/*
 * Id tables: how mailboxes, semaphores and shared-memory segments turn a
 * slot of their fixed array into the number a user holds, and back.  An
 * id is slot + 1 + nslots * generation, so an id that outlives its object
 * does not name the slot's next occupant (see idtable.c for how long).
 */
#ifndef IDTABLE_H
#define IDTABLE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The table's elements must start with `int id`: 0 = slot free, -1 =
 * being destroyed (lookups fail, but the slot stays taken), otherwise
 * the user's id.  Elements with a name give its offset (ID_TABLE_NAMED).
 */
struct id_table {
	void	 *slots;		/* the array */
	uint32_t  slot_size;		/* sizeof one element */
	uint32_t  nslots;
	uint32_t  name_offset;		/* of a char[] in each; 0 = unnamed */
	uint32_t  generation;		/* ids handed out so far */
};

#define ID_TABLE(array) \
	{ (array), sizeof((array)[0]), sizeof(array) / sizeof((array)[0]), 0, 0 }
#define ID_TABLE_NAMED(array, name_member) \
	{ (array), sizeof((array)[0]), sizeof(array) / sizeof((array)[0]), \
	    offsetof(__typeof__((array)[0]), name_member), 0 }

/* The first free slot, or NULL. */
void	*id_table_free_slot(struct id_table *t);

/* Give slot (of t) a new id, store it in the slot and return it. */
int	 id_table_assign(struct id_table *t, void *slot);

/* The slot that id names now, or NULL (never used, freed, reused).
 * Inline: every message asks it two or three times. */
static inline void *
id_table_lookup(struct id_table *t, int id)
{
	void *slot;

	if (id <= 0)
		return NULL;
	slot = (char *)t->slots + ((uint32_t)(id - 1) % t->nslots) * t->slot_size;
	return *(int *)slot == id ? slot : NULL;
}

/* The live slot named name, or NULL; "" names nothing. */
void	*id_table_find_name(struct id_table *t, const char *name);

#endif
