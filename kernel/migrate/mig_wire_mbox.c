/*
 * The checks of the migration messages that carry a process's mailboxes
 * (MBOX, BUILT's answer, MSGS, WHERE; layout in mig_wire.h).  Pure, like
 * mig_wire.c, so tests/unit/test_mig_wire.c runs them on the host.
 */
#include <stddef.h>
#include <stdint.h>
#include "brinch/dist.h"
#include "brinch/ipc.h"
#include "lib/string.h"
#include "mig_wire.h"

#define HDR	((uint32_t)sizeof(struct mig_hdr))

/* A mailbox id as a node names its own: positive, no node in it. */
static int
local_id(int32_t id)
{
	return id > 0 && !DIST_IS_GLOBAL(id);
}

static int
global_id(int32_t id)
{
	return id > 0 && DIST_IS_GLOBAL(id) && DIST_NODE(id) <= DIST_NODE_MAX &&
	    DIST_LOCAL(id) > 0;
}

int
mig_check_mbox(const void *msg, uint32_t len)
{
	struct mig_mbox b;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_MBOX)) != MIG_OK)
		return err;
	if (len != HDR + sizeof(b))
		return MIG_BAD_LENGTH;
	memcpy(&b, (const uint8_t *)msg + HDR, sizeof(b));
	if (!local_id(b.id) || b.seen <= 0 || !global_id(b.origin) || b.is_port > 1)
		return MIG_BAD_FIELD;
	if (b.capacity != MBOX_UNBOUNDED && (b.capacity < 0 || b.capacity > MBOX_MAX_CAPACITY))
		return MIG_BAD_FIELD;
	if (!mig_name_ok(b.name, sizeof(b.name)) || (b.is_port && b.name[0]))
		return MIG_BAD_FIELD;
	return MIG_OK;
}

/* BUILT: empty, or a count and that many pairs of local ids. */
int
mig_check_built(const void *msg, uint32_t len)
{
	const uint8_t *m = msg;
	struct mig_mbox_map pair;
	uint32_t count, i;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_BUILT)) != MIG_OK)
		return err;
	if (len == HDR)
		return MIG_OK;
	if (len < HDR + sizeof(count))
		return MIG_BAD_LENGTH;
	memcpy(&count, m + HDR, sizeof(count));
	if (count > MIG_MAX_MBOX)
		return MIG_BAD_COUNT;
	if (len != HDR + sizeof(count) + count * sizeof(pair))
		return MIG_BAD_LENGTH;
	for (i = 0; i < count; i++) {
		memcpy(&pair, m + HDR + sizeof(count) + i * sizeof(pair), sizeof(pair));
		if (!local_id(pair.id) || !local_id(pair.now))
			return MIG_BAD_FIELD;
	}
	return MIG_OK;
}

/* MSGS: every record inside the message, the last one ending it. */
int
mig_check_msgs(const void *msg, uint32_t len)
{
	const uint8_t *m = msg;
	struct mig_msgs b;
	struct mig_msg r;
	uint32_t at, i;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_MSGS)) != MIG_OK)
		return err;
	memcpy(&b, m + HDR, sizeof(b));
	if (!local_id(b.mbox))
		return MIG_BAD_FIELD;
	if (b.count < 1 || b.count > MIG_MAX_MSGS)
		return MIG_BAD_COUNT;
	at = HDR + sizeof(b);
	for (i = 0; i < b.count; i++) {
		if (len - at < sizeof(r))
			return MIG_BAD_LENGTH;
		memcpy(&r, m + at, sizeof(r));
		if (r.length > MSG_MAX)
			return MIG_BAD_COUNT;
		if (r.sender < 0 || (r.sender > 0 && !global_id(r.sender)) ||
		    (r.flags & ~(uint32_t)MSG_NOTICE))
			return MIG_BAD_FIELD;
		at += sizeof(r);
		if (len - at < r.length)
			return MIG_BAD_LENGTH;
		at += r.length;
	}
	return at == len ? MIG_OK : MIG_BAD_LENGTH;
}

int
mig_check_where(const void *msg, uint32_t len)
{
	struct mig_where b;
	int err;

	if ((err = mig_check_op(msg, len, MIG_OP_WHERE)) != MIG_OK)
		return err;
	if (len != HDR + sizeof(b))
		return MIG_BAD_LENGTH;
	memcpy(&b, (const uint8_t *)msg + HDR, sizeof(b));
	if (!global_id(b.origin) || !global_id(b.now))
		return MIG_BAD_FIELD;
	return MIG_OK;
}
