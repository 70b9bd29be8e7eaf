/*
 * Remote mailboxes, the asking side's calls taken by a remote receive
 * (rmbox.h): a process of ours took, from another node's mailbox, a call
 * whose caller waits elsewhere.  Its reply goes back through the
 * mailbox's node, which knows the caller and checks that this is the
 * process that took it; if the process dies first, the caller is told.
 */
#include "kernel.h"
#include "proc.h"
#include "ipc/mbox.h"
#include "rmbox.h"

/* Calls our processes took from other nodes' mailboxes by a remote
 * receive: the reply goes back through the mailbox's node, which knows
 * the caller and checks that this is the process that took it. */
#define NFWD	64
static struct fwd {
	int	 caller;	/* global pid; 0 = free */
	int	 node;		/* the mailbox's node */
	int	 server;	/* our process that took it */
} fwd[NFWD];

static uint32_t fwd_refused;	/* a full table: the reply will fail with ESRCH */

int
rmbox_client_serving(int pid)
{
	struct fwd *f;

	for (f = fwd; f < &fwd[NFWD]; f++)
		if (f->caller && f->server == pid)
			return 1;
	return 0;
}

/* Remember a call taken by a remote receive (a full table means the
 * reply will fail with ESRCH, and the caller's own limits apply). */
void
rmbox_forward_taken(int caller, int node)
{
	struct fwd *f;

	for (f = fwd; f < &fwd[NFWD]; f++) {
		if (!f->caller) {
			f->caller = caller;
			f->node = node;
			f->server = current->pid;
			return;
		}
	}
	fwd_refused++;
}

static void
forward(struct fwd *f, int32_t status, const void *data, uint32_t len)
{
	struct rm_hdr h;

	memset(&h, 0, sizeof(h));
	h.op = RM_FWD_REPLY;
	h.flags = status < 0 ? RMF_FAILED : 0;
	h.target = f->caller;
	h.sender = f->server;
	h.status = status;
	rmbox_send_hdr(f->node, &h, data, len);
	f->caller = 0;
}

int
rmbox_reply_forward(int pid, uint32_t ubuf, uint32_t len)
{
	struct message *msg;
	struct fwd *f;
	int err;

	for (f = fwd; f < &fwd[NFWD]; f++)
		if (f->caller == pid && f->server == current->pid)
			break;
	if (f == &fwd[NFWD])
		return -ESRCH;
	if (!(msg = message_from_user(ubuf, len, &err)))
		return err;
	forward(f, (int32_t)len, msg->data, len);
	message_free(msg);
	return 0;
}

/* p exits: the calls it took and never answered fail, as locally. */
void
rmbox_client_proc_exit(struct proc *p)
{
	struct fwd *f;

	for (f = fwd; f < &fwd[NFWD]; f++)
		if (f->caller && f->server == p->pid)
			forward(f, -EPIPE, NULL, 0);
}

/* node failed or reset: its callers have failed there already. */
void
rmbox_forward_node_gone(int node)
{
	struct fwd *f;

	for (f = fwd; f < &fwd[NFWD]; f++)
		if (f->caller && f->node == node)
			f->caller = 0;
}

uint32_t
rmbox_forward_refused(void)
{
	return fwd_refused;
}
