/*
 * loadbald: the load balancer's daemon (docs/loadbal.md), started by init
 * on every node when the kernel command line holds `loadbal` (master node
 * 0) or `loadbal=N` (master node N).  `loadbald MASTER`.
 *
 * On every node it is an agent: every LB_PERIOD_MS it counts the node's
 * runnable processes and the CPU-bound ones among them, reports that to
 * LOADBAL@MASTER, and carries out the moves the master orders, with
 * migrate().  On the master node it is also the monitor: it keeps the
 * latest report of each node and, when the busiest node has LB_THRESHOLD
 * more runnable processes than the idlest, orders moves from one to the
 * other until the counts are within one.  The `loadbal` command asks
 * either for what it knows.
 *
 * Nothing ping-pongs: moves need a difference of two (a difference of
 * one would only swap the nodes), no decision is taken until every node
 * has reported again after the last move (LB_SETTLE_MS), a job never
 * goes back to the node it last left, and no job moves more than
 * LB_MAX_MOVES times.
 *
 * This file holds what every part shares (who we are, the message header,
 * LOADBAL mailboxes) and the loop: a sample every LB_PERIOD_MS, and in
 * between each message that arrives, checked, to the part it is for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dist.h>
#include "loadbald.h"

int node, master, self;
int mbox;

uint32_t
now_ms(void)
{
	return (uint32_t)(uptime_us() / 1000);
}

/* A message we send or check: the header says what, who and how long. */
void
hdr_init(struct lb_hdr *h, int type, uint32_t len)
{
	h->magic = LB_MAGIC;
	h->type = type;
	h->node = node;
	h->len = len;
}

/* Open LOADBAL on node `at`: a remote id holds nothing, so it needs no
 * close. */
int
open_loadbal(int at)
{
	char name[MBOX_NAME_LEN];

	return mbox_open(dist_name(name, sizeof(name), LB_MBOX, at));
}

/* ---- the loop ----------------------------------------------------------------- */

/* A message is taken only if its header and length agree with its type:
 * any process may send to LOADBAL. */
static int
well_formed(const struct lb_hdr *h, int len)
{
	static const uint32_t sizes[] = {
		[LB_REPORT] = sizeof(struct lb_report), [LB_ORDER] = sizeof(struct lb_order),
		[LB_RESULT] = sizeof(struct lb_result), [LB_QUERY] = sizeof(struct lb_hdr),
	};

	if (len < (int)sizeof(*h) || h->magic != LB_MAGIC || h->len != (uint32_t)len ||
	    h->type < LB_REPORT || h->type > LB_QUERY || sizes[h->type] != (uint32_t)len)
		return 0;
	if (h->type == LB_REPORT)
		return ((const struct lb_report *)h)->ncand >= 0 &&
		    ((const struct lb_report *)h)->ncand <= LB_CANDS;
	if (h->type == LB_ORDER)
		return ((const struct lb_order *)h)->nmoves >= 0 &&
		    ((const struct lb_order *)h)->nmoves <= LB_ORDER_MAX;
	return 1;
}

/* Orders come only from loadbald on the master: the master's own
 * orders come from ourselves, by a local pid; another node's sender is
 * a global pid naming its node. */
static int
from_master(int sender)
{
	if (node == master)
		return sender == self;
	return DIST_IS_GLOBAL(sender) && DIST_NODE(sender) == master;
}

int
main(int argc, char **argv)
{
	static union {
		struct lb_hdr	 hdr;
		struct lb_report report;
		struct lb_order	 order;
		struct lb_result result;
		char		 raw[MSG_MAX];
	} msg;
	struct msg_info info;
	uint32_t next, now;
	int n;

	master = argc > 1 ? atoi(argv[1]) : 0;
	self = getpid();
	if ((node = dist_node()) < 0) {
		printf("loadbald: no network, nothing to balance\n");
		return 1;
	}
	if ((mbox = mbox_create(LB_MBOX, 64)) < 0) {
		printf("loadbald: mailbox %s: %s\n", LB_MBOX, strerror(errno));
		return 1;
	}
	printf("loadbald: node %d, master node %d\n", node, master);
	next = now_ms();
	for (;;) {
		now = now_ms();
		if ((int32_t)(now - next) >= 0) {
			struct lb_report r;

			sample(&r);
			if (node == master) {
				on_report(&r);	/* not through the mailbox: fresh */
				decide();
			} else {
				to_master(&r, sizeof(r));
			}
			next += LB_PERIOD_MS;
			if ((int32_t)(now - next) >= 0)
				next = now + LB_PERIOD_MS;	/* fell behind: no burst */
			continue;
		}
		n = mbox_receive(mbox, &msg, sizeof(msg), &info, 0, next - now);
		if (n < 0) {
			if (errno != ETIMEDOUT && errno != EINTR)
				msleep(LB_PERIOD_MS);	/* should not happen: do not spin */
			continue;
		}
		if (info.flags & MSG_NOTICE)
			continue;
		if (!well_formed(&msg.hdr, n)) {
			if (info.flags & MSG_CALL)
				reply(info.sender, NULL, 0);
			continue;
		}
		switch (msg.hdr.type) {
		case LB_REPORT:
			if (node == master) {
				on_report(&msg.report);
				decide();	/* now, not at our next sample */
			}
			break;
		case LB_ORDER:
			if (from_master(info.sender))
				do_order(&msg.order);
			break;
		case LB_RESULT:
			if (node == master)
				on_result(&msg.result);
			break;
		case LB_QUERY:
			if (info.flags & MSG_CALL)
				answer(info.sender);
			break;
		}
	}
}
