/*
 * Host unit tests for kernel/list.h, the one queue shape in brinch (ready
 * queue, wait queues): FIFO order, removal from the middle, safe
 * iteration while removing.
 */
#include "unit.h"
#include "kernel/list.h"

struct item {
	int value;
	struct list_node node;
};

static int
value_at_front(struct list *l)
{
	return container_of(list_front(l), struct item, node)->value;
}

int
main(void)
{
	struct item items[5];
	struct list q;
	struct list_node *n, *tmp;
	int i, sum;

	list_init(&q);
	CHECK(list_empty(&q));
	CHECK(list_pop_front(&q) == NULL);
	CHECK(list_front(&q) == NULL);
	for (i = 0; i < 5; i++) {
		items[i].value = i;
		list_node_init(&items[i].node);
		CHECK(!list_node_linked(&items[i].node));
		list_push_back(&q, &items[i].node);
		CHECK(list_node_linked(&items[i].node));
	}
	CHECK_EQ_INT(list_length(&q), 5);
	CHECK_EQ_INT(value_at_front(&q), 0);

	/* Remove from the middle, then pop in FIFO order. */
	list_remove(&items[2].node);
	CHECK(!list_node_linked(&items[2].node));
	CHECK_EQ_INT(list_length(&q), 4);
	n = list_pop_front(&q);
	CHECK_EQ_INT(container_of(n, struct item, node)->value, 0);
	list_push_front(&q, n);
	CHECK_EQ_INT(value_at_front(&q), 0);

	/* Iterate, removing odd values as we go. */
	sum = 0;
	list_for_each_safe(n, tmp, &q) {
		struct item *it = container_of(n, struct item, node);
		if (it->value % 2)
			list_remove(n);
		else
			sum += it->value;
	}
	CHECK_EQ_INT(sum, 0 + 4);
	CHECK_EQ_INT(list_length(&q), 2);
	CHECK_EQ_INT(container_of(list_pop_front(&q), struct item, node)->value, 0);
	CHECK_EQ_INT(container_of(list_pop_front(&q), struct item, node)->value, 4);
	CHECK(list_empty(&q));
	return unit_summary("test_list");
}
