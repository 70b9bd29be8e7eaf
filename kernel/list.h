/*
 * Intrusive doubly-linked circular lists.  The one queue shape in brinch:
 * the ready queue, every wait queue, the free lists.  A node lives inside
 * the object it links (struct proc has a `queue_node`), so queuing never
 * allocates, and container_of() gets the object back.
 */
#ifndef LIST_H
#define LIST_H

#include <stddef.h>

struct list_node {
	struct list_node *next;
	struct list_node *prev;
};

/* A list is a sentinel node: empty when it points to itself. */
struct list {
	struct list_node head;
};

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void
list_init(struct list *l)
{
	l->head.next = l->head.prev = &l->head;
}

static inline void
list_node_init(struct list_node *n)
{
	n->next = n->prev = n;
}

static inline int
list_empty(const struct list *l)
{
	return l->head.next == &l->head;
}

/* True if n is on some list (nodes are self-linked when off every list). */
static inline int
list_node_linked(const struct list_node *n)
{
	return n->next != n;
}

static inline void
list_insert_before(struct list_node *pos, struct list_node *n)
{
	n->next = pos;
	n->prev = pos->prev;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void
list_push_back(struct list *l, struct list_node *n)
{
	list_insert_before(&l->head, n);
}

static inline void
list_push_front(struct list *l, struct list_node *n)
{
	list_insert_before(l->head.next, n);
}

static inline void
list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_node_init(n);
}

/* Remove and return the first node, or NULL if the list is empty. */
static inline struct list_node *
list_pop_front(struct list *l)
{
	struct list_node *n;

	if (list_empty(l))
		return NULL;
	n = l->head.next;
	list_remove(n);
	return n;
}

static inline struct list_node *
list_front(const struct list *l)
{
	return list_empty(l) ? NULL : l->head.next;
}

static inline size_t
list_length(const struct list *l)
{
	size_t n = 0;
	const struct list_node *p;

	for (p = l->head.next; p != &l->head; p = p->next)
		n++;
	return n;
}

/* Iterate over nodes; safe against removing `pos` inside the loop. */
#define list_for_each_safe(pos, tmp, l) \
	for ((pos) = (l)->head.next, (tmp) = (pos)->next; \
	     (pos) != &(l)->head; (pos) = (tmp), (tmp) = (pos)->next)

#define list_for_each(pos, l) \
	for ((pos) = (l)->head.next; (pos) != &(l)->head; (pos) = (pos)->next)

#endif
