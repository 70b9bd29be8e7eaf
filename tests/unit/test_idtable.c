/*
 * Host unit tests for the id tables of mailboxes, semaphores and shared
 * memory (kernel/ipc/idtable.c): ids name one slot and one occupant,
 * stay below a node number's bits, and names find only live slots.
 */
// uses: kernel/ipc/idtable.c lib/string.c
#include "unit.h"
#include "lib/string.h"
#include "brinch/dist.h"
#include "kernel/ipc/idtable.h"

struct thing {
	int  id;
	char name[8];
};

static void
test_ids(void)
{
	struct thing things[4] = { { 0 } };
	struct id_table t = ID_TABLE(things);
	struct thing *a, *b;
	int first, i;

	CHECK(id_table_lookup(&t, 0) == NULL);
	CHECK(id_table_lookup(&t, -1) == NULL);
	a = id_table_free_slot(&t);
	CHECK(a == &things[0]);
	first = id_table_assign(&t, a);
	CHECK(first > 0 && a->id == first);
	CHECK(id_table_lookup(&t, first) == a);
	b = id_table_free_slot(&t);
	CHECK(b == &things[1]);
	id_table_assign(&t, b);
	CHECK(b->id != first && id_table_lookup(&t, b->id) == b);

	/* A freed slot's next occupant gets a new id; the old one fails. */
	a->id = 0;
	CHECK(id_table_free_slot(&t) == a);
	id_table_assign(&t, a);
	CHECK(a->id != first);
	CHECK(id_table_lookup(&t, first) == NULL);
	CHECK(id_table_lookup(&t, a->id) == a);

	/* Being destroyed (-1): lookups fail, the slot stays taken. */
	b->id = -1;
	CHECK(id_table_free_slot(&t) == &things[2]);

	/* Full. */
	id_table_assign(&t, &things[2]);
	id_table_assign(&t, &things[3]);
	CHECK(id_table_free_slot(&t) == NULL);

	/* However many generations, ids stay local (below a node number). */
	for (i = 0; i < 3000000; i++) {
		id_table_assign(&t, &things[3]);
		if (things[3].id <= 0 || DIST_IS_GLOBAL(things[3].id) ||
		    id_table_lookup(&t, things[3].id) != &things[3])
			break;
	}
	CHECK_EQ_INT(i, 3000000);
}

static void
test_names(void)
{
	struct thing things[3] = { { 0 } };
	struct id_table t = ID_TABLE_NAMED(things, name);
	struct id_table unnamed = ID_TABLE(things);

	id_table_assign(&t, &things[0]);
	strcpy(things[0].name, "TABLE");
	id_table_assign(&t, &things[1]);	/* anonymous: "" */
	CHECK(id_table_find_name(&t, "TABLE") == &things[0]);
	CHECK(id_table_find_name(&t, "CHAIR") == NULL);
	CHECK(id_table_find_name(&t, "") == NULL);
	CHECK(id_table_find_name(&t, NULL) == NULL);
	CHECK(id_table_find_name(&unnamed, "TABLE") == NULL);
	things[0].id = -1;			/* being destroyed */
	CHECK(id_table_find_name(&t, "TABLE") == NULL);
}

int
main(void)
{
	test_ids();
	test_names();
	return unit_summary("test_idtable");
}
