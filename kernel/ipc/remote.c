/*
 * The way up from ipc/ to other nodes (remote.h): each call goes to the
 * registered table.  With none registered the kernel behaves as it does
 * with no network: every id naming a node is out of reach (ENETDOWN, as
 * the message layer says when there is no device), no reply can be for
 * a caller elsewhere (ESRCH), and nobody elsewhere waits on a mailbox.
 */
#include "kernel.h"
#include "remote.h"

static const struct ipc_remote_ops *remote;

void
ipc_remote_register(const struct ipc_remote_ops *ops)
{
	remote = ops;
}

/* id_is_remote (remote.h) for a global id. */
int
id_global_is_remote(int *id)
{
	if (remote)
		return remote->is_remote(id);
	/* Without a network this node has no number, so no global id can
	 * be its own. */
	return *id > 0 && DIST_IS_GLOBAL(*id);
}

int
remote_open(const char *name)
{
	return remote ? remote->open(name) : -ENETDOWN;
}

int
remote_send(int id, int is_pid, uint32_t ubuf, uint32_t len, uint32_t flags,
    uint32_t timeout_ms)
{
	if (!remote)
		return -ENETDOWN;
	return remote->send(id, is_pid, ubuf, len, flags, timeout_ms);
}

int
remote_receive(int id, uint32_t ubuf, uint32_t max, struct msg_info *info,
    uint32_t flags, uint32_t timeout_ms)
{
	if (!remote)
		return -ENETDOWN;
	return remote->receive(id, ubuf, max, info, flags, timeout_ms);
}

int
remote_call(int id, int is_pid, uint32_t ureq, uint32_t len, uint32_t ureply,
    uint32_t max, uint32_t timeout_ms)
{
	if (!remote)
		return -ENETDOWN;
	return remote->call(id, is_pid, ureq, len, ureply, max, timeout_ms);
}

int
remote_reply(int pid, uint32_t ubuf, uint32_t len)
{
	return remote ? remote->reply(pid, ubuf, len) : -ESRCH;
}

void
remote_taken(struct message *msg, int server)
{
	if (remote)
		remote->taken(msg, server);
}

void
remote_room(int mbox)
{
	if (remote)
		remote->room(mbox);
}

void
remote_arrived(int mbox)
{
	if (remote)
		remote->arrived(mbox);
}

void
remote_undelivered(struct message *msg, int mbox)
{
	if (remote)
		remote->undelivered(msg, mbox);
}

void
remote_mbox_gone(int mbox)
{
	if (remote)
		remote->mbox_gone(mbox);
}

void
remote_proc_exit(struct proc *p)
{
	if (remote)
		remote->proc_exit(p);
}

int
remote_withdrawn(struct message *msg)
{
	return remote ? remote->withdrawn(msg) : 0;
}

int
remote_node(void)
{
	return remote ? remote->node() : -1;
}
