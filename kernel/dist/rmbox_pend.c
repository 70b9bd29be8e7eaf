/*
 * Remote mailboxes, the serving side's table of waiters (rmbox_pend.h).
 * The table is fixed: a flood of requests is refused, never stored.
 */
#include "kernel.h"
#include "ipc/mbox.h"
#include "rmbox_pend.h"
#include "kmsg.h"

struct pending pend[NPEND];
uint32_t pend_in_use;		/* entries between pend_alloc and pend_free */
static uint32_t arrivals;
uint32_t rm_requests, rm_bad;
static uint32_t refused;

void
pend_result(struct pending *pe, int32_t status, int flags)
{
	rmbox_respond(pe->node, &pe->req, RM_RESULT, status, flags, NULL, 0);
}

struct pending *
pend_alloc(int node, const struct rm_hdr *req)
{
	struct pending *pe;

	for (pe = pend; pe < &pend[NPEND]; pe++) {
		if (pe->state == P_FREE) {
			memset(pe, 0, sizeof(*pe));
			pe->node = node;
			pe->req = *req;
			pe->order = ++arrivals;
			pend_in_use++;
			/* While we hold it, the layer probes the asker: an
			 * entry whose asker died is cleared by its event. */
			kmsg_hold(node);
			return pe;
		}
	}
	refused++;
	return NULL;
}

void
pend_free(struct pending *pe)
{
	kmsg_release(pe->node);
	pend_in_use--;
	pe->state = P_FREE;
	pe->msg = NULL;
}

struct pending *
pend_oldest(int state, int mbox)
{
	struct pending *pe, *best = NULL;

	for (pe = pend; pe < &pend[NPEND]; pe++)
		if (pe->state == state && pe->mbox == mbox &&
		    (!best || (int32_t)(pe->order - best->order) < 0))
			best = pe;
	return best;
}

struct pending *
pend_by_message(struct message *msg)
{
	struct pending *pe;

	for (pe = pend; pe < &pend[NPEND]; pe++)
		if ((pe->state == P_QUEUED || pe->state == P_BLOCKED) && pe->msg == msg)
			return pe;
	return NULL;
}

/* Has local process pid taken a call from another node, and not yet
 * answered it?  (Migration refuses to move a server in the middle.) */
int
rmbox_serving(int pid)
{
	struct pending *pe;

	for (pe = pend; pe < &pend[NPEND]; pe++)
		if (pe->state == P_TAKEN && pe->server == pid)
			return 1;
	return rmbox_client_serving(pid);
}

void
rmbox_stats_fill(struct kmsg_stats *out)
{
	struct pending *pe;

	rmbox_client_stats(out);
	out->rm_requests = rm_requests;
	out->rm_bad = rm_bad;
	out->rm_refused = refused;
	out->rm_pending = 0;
	for (pe = pend; pe < &pend[NPEND]; pe++)
		if (pe->state != P_FREE)
			out->rm_pending++;
}
