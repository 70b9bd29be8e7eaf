/*
 * Remote mailboxes, the asking side (rmbox.h): a system call on an id or
 * pid of another node becomes one request to that node's kernel, and the
 * calling process sleeps until the answer comes back (rmbox.c hands it
 * over), its timeout runs out, a signal comes, or the message layer says
 * the node is down or has reset.  Blocking is therefore exactly the
 * remote mailbox's: the answer comes when a local sender would wake.
 */
#include "kernel.h"
#include "mm/kheap.h"
#include "proc.h"
#include "sched.h"
#include "mm/vm.h"
#include "ipc/mbox.h"
#include "ipc/remote.h"
#include "rmbox.h"
#include "kmsg.h"
#include "net/byteorder.h"

#define LOOKUP_MS	10000		/* mbox_open("NAME@N") waits this long */
#define CANCEL_GRACE_MS	500		/* for the answer to a cancel */

enum { OP_FREE, OP_WAIT, OP_DONE };

/* A process's one outstanding remote operation (system calls block, so
 * a process has at most one): indexed by its slot in proc_table. */
struct rop {
	int		 state;
	uint32_t	 id;		/* opid: generation * NPROC + slot */
	int		 node;
	int		 held;		/* kmsg_hold taken */
	struct rm_hdr	 ans;		/* the answer's header */
	uint8_t		*data;		/* its data (kmalloc'd), ans_len bytes */
	uint32_t	 len;
	struct wait_queue wq;
	char		 wq_name[WAIT_NAME_LEN];	/* "node 2" in ps */
};

static struct rop ops[NPROC];
static uint32_t generation;
static uint32_t answers, stale, refused_answers;
static uint8_t outbuf[RM_HLEN + MSG_MAX];	/* kmsg_send copies it at once */

/* ---- the wire: every rmbox message is a header and its data ---- */

void
rm_encode(const struct rm_hdr *h, uint8_t *out)
{
	out[0] = h->op;
	out[1] = h->flags;
	out[2] = out[3] = 0;
	put32(out + 4, h->opid);
	put32(out + 8, (uint32_t)h->target);
	put32(out + 12, (uint32_t)h->sender);
	put32(out + 16, (uint32_t)h->status);
	put32(out + 20, h->aux);
}

void
rm_decode(const uint8_t *in, struct rm_hdr *h)
{
	h->op = in[0];
	h->flags = in[1];
	h->opid = get32(in + 4);
	h->target = (int32_t)get32(in + 8);
	h->sender = (int32_t)get32(in + 12);
	h->status = (int32_t)get32(in + 16);
	h->aux = get32(in + 20);
}

void
rmbox_send_hdr(int node, const struct rm_hdr *h, const void *data, uint32_t len)
{
	rm_encode(h, outbuf);
	if (len)
		memcpy(outbuf + RM_HLEN, data, len);
	/* If even this fails the asker's own timeout, or the layer's
	 * verdict on us, ends its wait. */
	if (kmsg_send(node, KMSG_SVC_MBOX, outbuf, RM_HLEN + len, NULL, 0) < 0)
		refused_answers++;
}

void
rmbox_respond(int node, const struct rm_hdr *req, int op, int32_t status,
    int flags, const void *data, uint32_t len)
{
	struct rm_hdr h = *req;

	h.op = (uint8_t)op;
	h.flags = (uint8_t)flags;
	h.status = status;
	h.aux = 0;
	rmbox_send_hdr(node, &h, data, len);
}


static struct rop *
op_find(uint32_t id)
{
	struct rop *op = &ops[id % NPROC];

	return op->state != OP_FREE && op->id == id ? op : NULL;
}

static void
op_finish(struct rop *op, int32_t status)
{
	op->ans.op = RM_RESULT;
	op->ans.flags = 0;
	op->ans.status = status;
	op->state = OP_DONE;
	wakeup(&op->wq);
}

/* The request message has been acknowledged, or never will be. */
static void
request_done(uint32_t id, int err)
{
	struct rop *op = op_find(id);

	if (op && op->state == OP_WAIT && err < 0)
		op_finish(op, err);
}

static struct rop *
op_begin(int node)
{
	int slot = (int)(current - proc_table);
	struct rop *op = &ops[slot];

	memset(op, 0, sizeof(*op));
	op->id = (++generation % 0x3FFFFFF) * NPROC + (uint32_t)slot + NPROC;
	op->node = node;
	snprintf(op->wq_name, sizeof(op->wq_name), "node %d", node);
	wait_queue_init(&op->wq, op->wq_name);
	return op;
}

/* A mailbox operation by the current process: its header, and its op. */
static struct rop *
mbox_op_begin(int node, struct rm_hdr *h, int opcode)
{
	memset(h, 0, sizeof(*h));
	h->op = opcode;
	h->sender = current->pid;
	return op_begin(node);
}

static void
op_end(struct rop *op)
{
	if (op->held)
		kmsg_release(op->node);
	if (op->data)
		kfree(op->data);
	op->data = NULL;
	op->state = OP_FREE;
}

/*
 * Send the request h (opid filled in here) with len bytes of data from
 * the user buffer ubuf or the kernel buffer kbuf, on service svc.
 */
static int
op_request(struct rop *op, int svc, struct rm_hdr *h, uint32_t ubuf,
    const void *kbuf, uint32_t len)
{
	uint32_t hlen = svc == KMSG_SVC_MBOX ? RM_HLEN : 4;
	uint8_t *buf;
	int err;

	if (!(buf = kmalloc(hlen + len)))
		return -ENOMEM;
	h->opid = op->id;
	if (svc == KMSG_SVC_MBOX)
		rm_encode(h, buf);
	else
		memcpy(buf, &op->id, 4);	/* echo: only the opid, echoed back */
	if (kbuf)
		memcpy(buf + hlen, kbuf, len);
	else if (len && copy_from_user(current->pgdir, buf + hlen, ubuf, len) < 0) {
		kfree(buf);
		return -EFAULT;
	}
	op->state = OP_WAIT;		/* before sending: the answer may be quick */
	err = kmsg_send(op->node, svc, buf, hlen + len, request_done, op->id);
	kfree(buf);
	if (err < 0) {
		op->state = OP_FREE;
		return err;
	}
	kmsg_hold(op->node);		/* probe it while we wait */
	op->held = 1;
	return 0;
}

/* Sleep until answered: 0, or -ETIMEDOUT/-EINTR with the op still out. */
static int
op_wait(struct rop *op, struct wait_limit *w)
{
	int err;

	while (op->state == OP_WAIT)
		if ((err = sleep_on_limit(&op->wq, w)) < 0 && op->state == OP_WAIT)
			return err;
	return 0;
}

/*
 * The caller gave up with err: ask the node to withdraw the operation,
 * and wait (a bounded grace, not interruptible) for its last word,
 * which says whether it was withdrawn or had already happened.  Only if
 * that never comes does the caller get err without knowing.
 */
static int
op_cancel(struct rop *op, int err, int wait_answer)
{
	struct rm_hdr h;
	uint8_t buf[RM_HLEN];
	int32_t left;
	uint32_t deadline;

	memset(&h, 0, sizeof(h));
	h.op = RM_CANCEL;
	h.opid = op->id;
	rm_encode(&h, buf);
	if (kmsg_send(op->node, KMSG_SVC_MBOX, buf, RM_HLEN, NULL, 0) < 0 || !wait_answer)
		return err;
	deadline = ticks + ms_to_ticks(CANCEL_GRACE_MS);
	while (op->state == OP_WAIT && (left = (int32_t)(deadline - ticks)) > 0) {
		timer_arm(current, (uint32_t)left);
		sleep_on_uninterruptible(&op->wq);
		timer_disarm(current);
	}
	if (op->state != OP_DONE || (op->ans.op == RM_RESULT && (op->ans.flags & RMF_CANCELLED)))
		return err;
	return 1;			/* it happened after all: use the answer */
}

/* ---- answers from rmbox.c (interrupt context) ---- */

static void
notice(const struct rm_hdr *h)
{
	struct mbox_notice n = { NOTICE_UNDELIVERED, (int32_t)h->aux, (uint32_t)h->status, 0 };
	struct proc *p = proc_find(h->sender);
	struct message *msg;
	int port;

	/* As for a local mailbox: the sender learns, if it is alive. */
	if (!p || p->state == ZOMBIE || (port = proc_port(p)) < 0 ||
	    !(msg = message_alloc(sizeof(n))))
		return;
	msg->sender = 0;
	msg->flags = MSG_NOTICE;
	memcpy(msg->data, &n, sizeof(n));
	if (mbox_queue_remote(port, msg, 1) < 0)
		message_free(msg);
}

void
rmbox_answer(int node, const struct rm_hdr *h, const uint8_t *data, uint32_t len)
{
	struct rop *op;

	if (h->op == RM_NOTICE) {
		notice(h);
		return;
	}
	if (!(op = op_find(h->opid)) || op->state != OP_WAIT || op->node != node) {
		stale++;			/* its asker gave up */
		return;
	}
	answers++;
	op->ans = *h;
	if (len && !(op->data = kmalloc(len))) {
		op_finish(op, -ENOMEM);
		return;
	}
	memcpy(op->data, data, len);
	op->len = len;
	op->state = OP_DONE;
	wakeup(&op->wq);
}

/* Echo replies carry the opid in front of the echoed bytes. */
static void
echo_deliver(int node, uint32_t ts, const uint8_t *data, uint32_t len)
{
	struct rm_hdr h;
	uint32_t id;

	if (len < 4) {
		stale++;
		return;
	}
	memcpy(&id, data, 4);
	memset(&h, 0, sizeof(h));
	h.op = RM_REPLY;
	h.opid = id;
	h.status = (int32_t)(len - 4);
	rmbox_answer(node, &h, data + 4, len - 4);
}

void
rmbox_client_event(int node, int event)
{
	struct rop *op;

	for (op = ops; op < &ops[NPROC]; op++)
		if (op->state == OP_WAIT && op->node == node)
			op_finish(op, event == KMSG_EVENT_DOWN ? -EHOSTUNREACH : -EPIPE);
	rmbox_forward_node_gone(node);
}

void
rmbox_client_stats(struct kmsg_stats *out)
{
	out->rm_answers = answers;
	out->rm_stale = stale;
	out->rm_refused += refused_answers + rmbox_forward_refused();
}

void
rmbox_client_init(void)
{
	kmsg_register(KMSG_SVC_ECHO_REPLY, echo_deliver, NULL);
}

/* ---- the system calls' side ---- */

int
rmbox_is_remote(int *id)
{
	int node;

	if (*id <= 0 || !DIST_IS_GLOBAL(*id))
		return 0;
	node = DIST_NODE(*id);
	if (node == kmsg_node()) {
		*id = DIST_LOCAL(*id);
		return 0;
	}
	return 1;
}

int
rmbox_open(const char *name)
{
	char local[MBOX_NAME_LEN];
	const char *at = strrchr(name, DIST_NAME_SEP);
	struct wait_limit w;
	struct rm_hdr h;
	struct rop *op;
	int node = 0, err, n;

	if (!at)
		return -ENOENT;
	for (n = 1; at[n] >= '0' && at[n] <= '9' && node <= DIST_NODE_MAX; n++)
		node = node * 10 + (at[n] - '0');
	if (n == 1 || at[n] || node > DIST_NODE_MAX || at == name)
		return -EINVAL;
	strlcpy(local, name, MIN((size_t)(at - name) + 1, sizeof(local)));
	if (node == kmsg_node())
		return mbox_open(local);
	op = mbox_op_begin(node, &h, RM_LOOKUP);
	if ((err = op_request(op, KMSG_SVC_MBOX, &h, 0, local, strlen(local) + 1)) < 0)
		return err;
	wait_limit_init(&w, 0, LOOKUP_MS);
	if ((err = op_wait(op, &w)) == 0)
		err = op->ans.status;
	op_end(op);
	return err < 0 ? err : DIST_ID(node, err);
}

/* The answer's status; a mailbox that moved (RMF_MOVED) is remembered
 * where it went, and the call is made again there (sys_ipc.c). */
static int
status_of(const struct rop *op, int id, int is_pid)
{
	if (op->ans.op != RM_RESULT || !(op->ans.flags & RMF_MOVED))
		return op->ans.status;
	mbox_learn(id, is_pid, op->ans.status);
	return -EMOVED;
}

int
rmbox_send(int id, int is_pid, uint32_t ubuf, uint32_t len, uint32_t flags,
    uint32_t timeout_ms)
{
	struct wait_limit w;
	struct rm_hdr h;
	struct rop *op;
	int err;

	if (len > MSG_MAX)
		return -EMSGSIZE;
	op = mbox_op_begin(DIST_NODE(id), &h, is_pid ? RM_SEND_PID : RM_SEND);
	h.flags = flags & IPC_NOWAIT ? RMF_NOWAIT : 0;
	h.target = DIST_LOCAL(id);
	if ((err = op_request(op, KMSG_SVC_MBOX, &h, ubuf, NULL, len)) < 0)
		return err;
	/* IPC_NOWAIT travels to the mailbox; here we wait for its verdict. */
	wait_limit_init(&w, 0, timeout_ms);
	if ((err = op_wait(op, &w)) < 0 && op_cancel(op, err, 1) < 0) {
		op_end(op);
		return err;
	}
	err = status_of(op, id, is_pid);
	op_end(op);
	return err;
}

int
rmbox_receive(int id, uint32_t ubuf, uint32_t max, struct msg_info *info,
    uint32_t flags, uint32_t timeout_ms)
{
	struct wait_limit w;
	struct rm_hdr h;
	struct rop *op;
	int err;

	op = mbox_op_begin(DIST_NODE(id), &h, RM_RECV);
	h.flags = flags & IPC_NOWAIT ? RMF_NOWAIT : 0;
	h.target = DIST_LOCAL(id);
	h.status = (int32_t)MIN(max, (uint32_t)MSG_MAX);
	if ((err = op_request(op, KMSG_SVC_MBOX, &h, 0, NULL, 0)) < 0)
		return err;
	wait_limit_init(&w, 0, timeout_ms);
	if ((err = op_wait(op, &w)) < 0 && op_cancel(op, err, 1) < 0) {
		op_end(op);
		return err;
	}
	info->mbox = id;
	if (op->ans.op != RM_MESSAGE) {
		if ((err = status_of(op, id, 0)) == -EMSGSIZE)
			info->length = op->ans.aux;
		op_end(op);
		return err;
	}
	info->sender = op->ans.sender;
	info->length = op->len;
	info->flags = op->ans.aux;
	if (info->flags & MSG_CALL)
		rmbox_forward_taken(op->ans.sender, op->node);
	err = copy_to_user(current->pgdir, ubuf, op->data, op->len) < 0 ? -EFAULT : (int)op->len;
	op_end(op);
	return err;
}

/* Answers with data (a reply, an echo) are copied to ureply. */
static int
answer_to_user(struct rop *op, uint32_t ureply, uint32_t max)
{
	if (op->ans.op == RM_RESULT && op->ans.status < 0)
		return op->ans.status;
	if (op->len > max)
		return -EMSGSIZE;
	if (op->len && copy_to_user(current->pgdir, ureply, op->data, op->len) < 0)
		return -EFAULT;
	return (int)op->len;
}

int
rmbox_call(int id, int is_pid, uint32_t ureq, uint32_t len, uint32_t ureply,
    uint32_t max, uint32_t timeout_ms)
{
	struct wait_limit w;
	struct rm_hdr h;
	struct rop *op;
	int err;

	if (len > MSG_MAX)
		return -EMSGSIZE;
	if (!user_range_ok(current->pgdir, ureply, max, 1))
		return -EFAULT;
	op = mbox_op_begin(DIST_NODE(id), &h, is_pid ? RM_CALL_PID : RM_CALL);
	h.target = DIST_LOCAL(id);
	if ((err = op_request(op, KMSG_SVC_MBOX, &h, ureq, NULL, len)) < 0)
		return err;
	wait_limit_init(&w, 0, timeout_ms);
	if ((err = op_wait(op, &w)) < 0) {
		/* As locally: withdraw the request, and a late reply fails
		 * with ESRCH at the server.  No need to wait for that. */
		op_cancel(op, err, 0);
		op_end(op);
		return err;
	}
	err = op->ans.flags & RMF_MOVED ? status_of(op, id, is_pid) :
	    answer_to_user(op, ureply, max);
	op_end(op);
	return err;
}

int
rmbox_echo(int node, uint32_t ubuf, uint32_t len, uint32_t ureply, uint32_t max,
    uint32_t timeout_ms)
{
	struct wait_limit w;
	struct rm_hdr h;
	struct rop *op;
	int err;

	if (len > KMSG_MAX)
		return -EMSGSIZE;
	if (node < 0 || node > DIST_NODE_MAX)
		return -EINVAL;
	if (!user_range_ok(current->pgdir, ureply, max, 1))
		return -EFAULT;
	op = op_begin(node);
	memset(&h, 0, sizeof(h));
	if ((err = op_request(op, KMSG_SVC_ECHO, &h, ubuf, NULL, len)) < 0)
		return err;
	wait_limit_init(&w, 0, timeout_ms);
	if ((err = op_wait(op, &w)) == 0)
		err = answer_to_user(op, ureply, max);
	op_end(op);
	return err;
}
