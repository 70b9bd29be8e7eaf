/*
 * Direct transfer: a message handed straight from its sender's memory to
 * a receiver that is already waiting for it, copied once, with no struct
 * message, no queue and no second copy (mbox.h; the idea is L4's).  It is
 * only a shortcut: mbox.c's queue stays the one path for everything else,
 * and a message sent either way is received the same.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "mm/vm.h"
#include "mbox.h"
#include "mbox_impl.h"
#include "trace.h"

/* May p take a message now, into its own memory, while it sleeps?  Not
 * if it is being frozen to move (its pages may be on their way) or will
 * be suspended when it wakes: those take the queue's path, and so the
 * message stays in the mailbox, where a move carries it along. */
static int
can_take_now(struct proc *p, struct mailbox *mb)
{
	return p->rx && p->state == WAITING && p->waiting_on == &mb->receivers &&
	    !p->mig_freeze && !p->mig && !p->suspend_pending;
}

int
mbox_send_direct(int id, uint32_t ubuf, uint32_t len, uint32_t flags)
{
	struct mailbox *mb = mbox_lookup(id);
	struct list_node *n;
	struct mbox_rx *rx;
	struct proc *p;

	/* Messages queued ahead would be overtaken. */
	if (!mb || !list_empty(&mb->messages) || len > MSG_MAX)
		return 0;
	list_for_each(n, &mb->receivers.waiters) {
		p = container_of(n, struct proc, queue_node);
		if (!can_take_now(p, mb))
			continue;
		rx = p->rx;
		if (rx->from != ANY && rx->from != current->pid)
			continue;		/* it waits for someone else */
		/* Too big for its buffer (EMSGSIZE), or the buffer or the
		 * message not in memory: the queue's path says so. */
		if (len > rx->max ||
		    copy_user_to_user(p->pgdir, rx->ubuf, current->pgdir, ubuf, len) < 0)
			return 0;
		rx->info.sender = current->pid;
		rx->info.length = len;
		rx->info.mbox = rx->shown;
		rx->info.flags = flags;
		/* The info too, while we are here: it saves the receiver
		 * another walk of its page tables when it wakes. */
		rx->info_out = rx->uinfo && copy_to_resident(p->pgdir, rx->uinfo,
		    &rx->info, sizeof(rx->info)) == 0;
		rx->result = (int)len;
		p->rx = NULL;
		mb->sent++;
		mb->received++;
		mb->direct++;
		TRACE(TRACE_IPC, TEV_MBOX_SEND, current->pid, id, len, NULL);
		TRACE(TRACE_IPC, TEV_MBOX_RECV, p->pid, id, len, NULL);
		/* Its wait is over: a timeout due before it runs must not
		 * make it wait again (sleep_on_limit). */
		timer_disarm(p);
		wake_process(p);
		return p->pid;
	}
	return 0;
}
