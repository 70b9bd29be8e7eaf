/*
 * Id tables (see idtable.h), for mailboxes, semaphores and shared memory:
 * one rule for making ids and one for checking them.  Pure logic, so the
 * host tests run it too (tests/unit/test_idtable.c).
 */
#include "lib/string.h"
#include "brinch/dist.h"
#include "idtable.h"

/*
 * Every id stays below ID_LIMIT = 2^23 because a global id keeps the
 * bits above it for a node number (DIST_NODE_SHIFT, brinch/dist.h): a
 * mailbox id must fit below them to be named from another node.
 * Semaphores and segments follow the same rule, so one helper serves
 * all three.  With nslots slots that leaves (ID_LIMIT - 1) / nslots
 * generations (131071 for 64 slots) before a slot's ids come round
 * again: a stale id is mistaken for a live one only after that many
 * creations in its table.
 */
#define ID_LIMIT	(1u << DIST_NODE_SHIFT)

static void *
slot_at(struct id_table *t, uint32_t i)
{
	return (char *)t->slots + i * t->slot_size;
}

/* The id at the start of each element (idtable.h). */
static int *
id_of(void *slot)
{
	return slot;
}

void *
id_table_free_slot(struct id_table *t)
{
	uint32_t i;

	for (i = 0; i < t->nslots; i++)
		if (*id_of(slot_at(t, i)) == 0)
			return slot_at(t, i);
	return NULL;
}

int
id_table_assign(struct id_table *t, void *slot)
{
	uint32_t index = (uint32_t)((char *)slot - (char *)t->slots) / t->slot_size;
	uint32_t generations = (ID_LIMIT - 1) / t->nslots;

	t->generation++;
	*id_of(slot) = (int)(index + 1 + t->nslots * (t->generation % generations));
	return *id_of(slot);
}

void *
id_table_find_name(struct id_table *t, const char *name)
{
	uint32_t i;
	void *slot;

	if (!t->name_offset || !name || !name[0])
		return NULL;
	for (i = 0; i < t->nslots; i++) {
		slot = slot_at(t, i);
		if (*id_of(slot) > 0 &&
		    strcmp((char *)slot + t->name_offset, name) == 0)
			return slot;
	}
	return NULL;
}
