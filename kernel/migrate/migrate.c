/*
 * The migration service on the kernel message layer: registers as
 * KMSG_SVC_MIGRATE, checks each message's header and hands it to the
 * source's side (mig_out.c), the target's (mig_in.c) or the home's
 * (mig_home.c); sends for all three and routes kmsg's "done" callbacks
 * back.  Also the counters `migstat -c` prints, and the test door
 * MIGCTL_INJECT, which feeds a message in as if a node had sent it.
 */
#include "kernel.h"
#include "proc.h"
#include "dist/kmsg.h"
#include "migrate.h"

struct mig_counters mig_count;

static void
sent(uint32_t cookie, int err)
{
	if ((cookie & (3u << 30)) == MIG_COOKIE_PAGES)
		mig_out_sent(cookie, err);
	else if ((cookie & (3u << 30)) == MIG_COOKIE_CONSOLE)
		mig_console_sent(cookie, err);
}

int
mig_send(int node, const void *msg, uint32_t len, uint32_t cookie)
{
	return kmsg_send(node, KMSG_SVC_MIGRATE, msg, len, cookie ? sent : NULL, cookie);
}

/* A small message: header (mig_id 0 for SIGNAL, EXIT, LOCATION,
 * CONSOLE), then body of len bytes. */
int
mig_send_op(int node, int op, uint32_t mig_id, const void *body, uint32_t len,
    uint32_t cookie)
{
	uint8_t buf[sizeof(struct mig_hdr) + sizeof(struct mig_console) + MIG_CONSOLE_MAX];
	struct mig_hdr *h = (struct mig_hdr *)buf;

	if (len > sizeof(buf) - sizeof(*h))
		return -EMSGSIZE;
	memset(h, 0, sizeof(*h));
	h->op = (uint8_t)op;
	h->version = MIG_VERSION;
	h->mig_id = mig_id;
	memcpy(buf + sizeof(*h), body, len);
	return mig_send(node, buf, sizeof(*h) + len, cookie);
}

static void
deliver(int node, uint32_t ts, const uint8_t *msg, uint32_t len)
{
	struct mig_hdr h;

	if (mig_check_hdr(msg, len, &h) != MIG_OK) {
		mig_count.bad_msgs++;
		return;
	}
	/* OFFER, PAGES and STATE are checked by mig_in.c, which must also
	 * refuse the migration a bad one belongs to; the rest here. */
	if (h.op != MIG_OP_OFFER && h.op != MIG_OP_PAGES && h.op != MIG_OP_STATE &&
	    mig_check(msg, len, NULL) != MIG_OK) {
		mig_count.bad_msgs++;
		return;
	}
	switch (h.op) {
	case MIG_OP_ACCEPT:
	case MIG_OP_REFUSE:
	case MIG_OP_BUILT:
		mig_out_message(node, &h, msg, len);
		return;
	case MIG_OP_OFFER:
	case MIG_OP_PAGES:
	case MIG_OP_STATE:
	case MIG_OP_GO:
	case MIG_OP_ABORT:
	case MIG_OP_MBOX:
	case MIG_OP_MSGS:
		mig_in_message(node, &h, msg, len);
		return;
	case MIG_OP_WHERE:
		mig_mbox_where(msg);
		return;
	case MIG_OP_FETCH:
	case MIG_OP_RELEASE:
		mig_pager_message(node, &h, msg, len);
		return;
	default:
		mig_home_message(node, &h, msg, len);
	}
	(void)ts;
}

/* node failed (DOWN), rebooted (REBOOT) or lost track of our stream
 * (RESET): what was on its way to or from it may be lost, so migrations
 * with it fail; a node that is down or rebooted took our processes that
 * ran there with it. */
static void
event(int node, int what)
{
	mig_out_node_failed(node);
	mig_in_node_failed(node);
	if (what == KMSG_EVENT_DOWN || what == KMSG_EVENT_REBOOT) {
		mig_home_node_down(node);
		mig_lazy_node_failed(node);
	} else {
		mig_lazy_node_reset(node);
	}
}

/* Once a second, from kmsg's timer. */
static void
tick(void)
{
	mig_in_expire();
	mig_lazy_tick();
	mig_out_tick();
}

/* MIGCTL_INJECT: msg is a kernel copy; node must be a possible member. */
int
mig_inject(int node, const uint8_t *msg, uint32_t len)
{
	if (node < 0 || node > DIST_NODE_MAX || node == kmsg_node())
		return -EINVAL;
	deliver(node, 0, msg, len);
	return 0;
}

void
migrate_init(void)
{
	mig_out_init();
	mig_home_init();
	mig_lazy_init();
	if (kmsg_node() >= 0) {
		kmsg_register(KMSG_SVC_MIGRATE, deliver, event);
		kmsg_register_tick(KMSG_SVC_MIGRATE, tick);
	}
}
