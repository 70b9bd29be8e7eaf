/*
 * rpcd's key-value store (kv.x), the service of the rpc lab
 * (docs/labs/rpc.md): KV_SLOTS keys and their values, kept in this
 * process's memory, so the store is rpcd's own (the service model).
 */
#include <string.h>
#include "rpcd.h"

struct kv_entry {
	int		used;
	char		key[KV_KEY_MAX + 1];
	unsigned	len;
	char		value[KV_VALUE_MAX];
};

/* LAB rpc: BEGIN store */
static struct kv_entry table[KV_SLOTS];

/* kv.x's rule: 1 to KV_KEY_MAX characters, printable, none a space.  XDR
 * has already refused a longer string; what it lets through is ours to
 * check. */
static int
valid_key(const char *key)
{
	const char *c;

	if (key == NULL || key[0] == '\0')
		return 0;
	for (c = key; *c; c++)
		if (*c <= ' ' || *c > '~')
			return 0;
	return 1;
}

/* The entry holding key, or with free != 0 and no such entry, a free
 * one; NULL if neither. */
static struct kv_entry *
lookup(const char *key, int free)
{
	struct kv_entry *e, *unused = NULL;

	for (e = table; e < table + KV_SLOTS; e++) {
		if (e->used && strcmp(e->key, key) == 0)
			return e;
		if (!e->used && unused == NULL)
			unused = e;
	}
	return free ? unused : NULL;
}
/* LAB rpc: END store */

int
kv_put_1_svc(kv_put_args *a, kv_status *res, struct rpc_req *req)
{
	/* LAB rpc: BEGIN put */
	struct kv_entry *e;

	if (!valid_key(a->key))
		return GARBAGE_ARGS;
	if ((e = lookup(a->key, 1)) == NULL) {
		*res = KV_FULL;
		return SUCCESS;
	}
	/* Copies: the arguments' memory is the runtime's, reused for the
	 * next call once this one is answered. */
	strcpy(e->key, a->key);
	memcpy(e->value, a->value.kv_value_val, a->value.kv_value_len);
	e->len = a->value.kv_value_len;
	e->used = 1;
	*res = KV_OK;
	return SUCCESS;
	/* LAB rpc: END put */
}

int
kv_get_1_svc(kv_key *key, kv_get_res *res, struct rpc_req *req)
{
	/* LAB rpc: BEGIN get */
	struct kv_entry *e;

	if (!valid_key(*key))
		return GARBAGE_ARGS;
	res->value.kv_value_len = 0;
	res->value.kv_value_val = NULL;
	if ((e = lookup(*key, 0)) == NULL) {
		res->status = KV_NOTFOUND;
		return SUCCESS;
	}
	/* The entry outlives the encoding of the reply: no copy needed. */
	res->status = KV_OK;
	res->value.kv_value_len = e->len;
	res->value.kv_value_val = e->value;
	return SUCCESS;
	/* LAB rpc: END get */
}

int
kv_del_1_svc(kv_key *key, kv_status *res, struct rpc_req *req)
{
	/* LAB rpc: BEGIN del */
	struct kv_entry *e;

	if (!valid_key(*key))
		return GARBAGE_ARGS;
	if ((e = lookup(*key, 0)) == NULL) {
		*res = KV_NOTFOUND;
		return SUCCESS;
	}
	e->used = 0;
	*res = KV_OK;
	return SUCCESS;
	/* LAB rpc: END del */
}
