/*
 * System calls for message passing, semaphores and shared memory: copy
 * arguments in, call mbox.c / call.c / sem.c / shm.c, copy results out.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/mmu.h"
#include "mm/vm.h"
#include "mbox.h"
#include "remote.h"
#include "sem.h"
#include "shm.h"
#include "syscall.h"

/* A mailbox name from user space: NULL or "" means anonymous. */
static int
copy_name(uint32_t uname, char *name)
{
	int len;

	name[0] = '\0';
	if (!uname)
		return 0;
	len = copy_string_from_user(current->pgdir, name, uname, MBOX_NAME_LEN);
	return len < 0 ? len : 0;
}

/*
 * The ids a process holds are in its home's id space, as its pids are
 * (docs/migration.md): away from home, a plain id means its home's
 * mailbox, and the ids it is given there are global.  Its own mailboxes,
 * which moved with it, it still knows by the ids it first had: the PCB's
 * alias table says where each is now.
 */
static int
mailbox_of(int id)
{
	struct proc *p = current;
	int i;

	for (i = 0; id && i < MBOX_ALIASES; i++)
		if (p->mbox_alias[i].seen == id)
			return p->mbox_alias[i].actual;
	if (p->home >= 0 && id > 0 && !DIST_IS_GLOBAL(id))
		return DIST_ID(p->home, id);
	return id;
}

static int
handed_out(int id)
{
	int node = remote_node();

	if (id <= 0 || current->home < 0 || DIST_IS_GLOBAL(id) || node < 0)
		return id;
	return DIST_ID(node, id);
}

int
sys_mbox_create(uint32_t uname, uint32_t capacity)
{
	char name[MBOX_NAME_LEN];
	int err;

	if ((err = copy_name(uname, name)) < 0)
		return err;
	return handed_out(mbox_create(name, (int)capacity, current->pid, 0));
}

int
sys_mbox_open(uint32_t uname)
{
	char name[MBOX_NAME_LEN];
	int err;

	if (!uname)
		return -EFAULT;
	if ((err = copy_name(uname, name)) < 0)
		return err;
	if (strchr(name, DIST_NAME_SEP))
		return remote_open(name);	/* "NAME@NODE" */
	return handed_out(mbox_open(name));
}

/* An id (or pid) of another node goes to remote.h; one naming this
 * node by its global form is made local here. */
int
sys_mbox_close(uint32_t id)
{
	int mbox = mailbox_of((int)id);

	if (id_is_remote(&mbox))
		return 0;		/* a remote handle holds nothing here */
	return mbox_close(mbox);
}

int
sys_mbox_destroy(uint32_t id)
{
	int mbox = mailbox_of((int)id);

	if (id_is_remote(&mbox))
		return -EPERM;		/* only its owner, on its node */
	return mbox_destroy(mbox);
}

/* The port of process pid, or a negative errno. */
static int
port_of(int pid)
{
	struct proc *p = proc_find(pid);

	if (!p || p->state == ZOMBIE || pid == 0)
		return -ESRCH;
	return proc_port(p);
}

/*
 * One mailbox operation, made again where the mailbox went if it moved
 * under it: EMOVED, or EPIPE from a mailbox that left while we waited
 * on it (mbox_move.c).  Each try is one of these.
 */
enum { TRY_SEND, TRY_RECEIVE, TRY_CALL };
struct try {
	int		 what;		/* TRY_* */
	uint32_t	 ubuf, len;	/* the message (send, call) */
	uint32_t	 ureply, max;	/* where a reply goes (call) */
	struct mbox_rx	*rx;		/* what a receive takes, and where */
	uint32_t	 flags, timeout;
	struct wait_limit w;
};

#define MOVE_HOPS	4	/* moves followed, at most */

static int
try_once(struct try *t, int id, int is_pid)
{
	struct message *msg;
	int err;

	if (id_is_remote(&id)) {
		switch (t->what) {
		case TRY_SEND:
			return remote_send(id, is_pid, t->ubuf, t->len, t->flags, t->timeout);
		case TRY_RECEIVE:
			return remote_receive(id, t->rx->ubuf, t->rx->max, &t->rx->info, t->flags,
			    t->timeout);
		default:
			return remote_call(id, is_pid, t->ubuf, t->len, t->ureply, t->max, t->timeout);
		}
	}
	switch (t->what) {
	case TRY_SEND:
		if (mbox_send_direct(id, t->ubuf, t->len, 0) > 0)
			return 0;		/* a waiting receiver has it */
		if (!(msg = message_from_user(t->ubuf, t->len, &err)))
			return err;
		return mbox_send_message(id, msg, &t->w);
	case TRY_RECEIVE:
		return mbox_receive_user(id, t->rx, &t->w);
	default:
		return ipc_call(id, t->ubuf, t->len, t->ureply, t->max, &t->w);
	}
}

static int
try_following(struct try *t, int id, int is_pid)
{
	int r, hops, where;

	wait_limit_init(&t->w, t->flags & IPC_NOWAIT, t->timeout);
	mbox_learned(&id, &is_pid);	/* told before: go straight there */
	for (hops = 0; ; hops++) {
		if (id <= 0)
			return -ENOENT;
		if (is_pid && !id_is_remote(&id)) {
			if ((id = port_of(id)) < 0)
				return id;
			is_pid = 0;
		}
		r = try_once(t, id, is_pid);
		if ((r != -EMOVED && r != -EPIPE) || hops == MOVE_HOPS)
			break;
		if ((where = mbox_where(&id, &is_pid, &t->w)) <= 0) {
			if (where < 0)
				r = where;
			break;
		}
	}
	return r == -EMOVED ? -ENOENT : r;
}

static int
send_to(int id, int is_pid, uint32_t ubuf, uint32_t len, uint32_t flags, uint32_t timeout)
{
	struct try t = { .what = TRY_SEND, .ubuf = ubuf, .len = len, .flags = flags,
	    .timeout = timeout };

	return try_following(&t, id, is_pid);
}

/* Is [a, a + n) on the pages that [b, b + m) covers (m > 0)? */
static int
within_pages(uint32_t a, uint32_t n, uint32_t b, uint32_t m)
{
	return m > 0 && a >= PAGE_ROUNDDOWN(b) && a + n > a &&
	    a + n <= PAGE_ROUNDUP(b + m);
}

static int
receive_from(int mbox, int shown, int from, uint32_t ubuf, uint32_t max, uint32_t uinfo,
    uint32_t flags, uint32_t timeout)
{
	struct mbox_rx rx = { .from = from, .ubuf = ubuf, .max = max, .uinfo = uinfo,
	    .shown = shown };
	struct try t = { .what = TRY_RECEIVE, .rx = &rx, .flags = flags,
	    .timeout = timeout };
	int r;

	if (mbox < 0)
		return mbox;
	/* Checked first, so that a bad pointer takes no message; and so
	 * their pages are in when a sender hands one over (direct.c).  The
	 * info is usually beside the buffer, on a page just checked. */
	if (!user_range_ok(current->pgdir, ubuf, max, 1) ||
	    (uinfo && !within_pages(uinfo, sizeof(rx.info), ubuf, max) &&
	    !user_range_ok(current->pgdir, uinfo, sizeof(rx.info), 1)))
		return -EFAULT;
	r = try_following(&t, mbox, 0);
	if (rx.info_out && r >= 0)
		return r;		/* handed over, info and all */
	rx.info.mbox = shown;		/* by the id the caller knows it by */
	if (uinfo && (r >= 0 || r == -EMSGSIZE))
		copy_to_user(current->pgdir, uinfo, &rx.info, sizeof(rx.info));
	return r;
}

int
sys_mbox_send(uint32_t id, uint32_t ubuf, uint32_t len, uint32_t flags, uint32_t timeout)
{
	if ((int)id <= 0)
		return -ENOENT;		/* not to be mistaken for an errno below */
	return send_to(mailbox_of((int)id), 0, ubuf, len, flags, timeout);
}

int
sys_mbox_receive(uint32_t id, uint32_t ubuf, uint32_t max, uint32_t uinfo,
    uint32_t flags, uint32_t timeout)
{
	if ((int)id <= 0)
		return -ENOENT;
	return receive_from(mailbox_of((int)id), (int)id, ANY, ubuf, max, uinfo, flags, timeout);
}

int
sys_send(uint32_t pid, uint32_t ubuf, uint32_t len, uint32_t flags, uint32_t timeout)
{
	if ((int)pid <= 0)
		return -ESRCH;
	return send_to((int)pid, 1, ubuf, len, flags, timeout);
}

int
sys_receive(uint32_t from, uint32_t ubuf, uint32_t max, uint32_t uinfo,
    uint32_t flags, uint32_t timeout)
{
	int f = (int)from, port = proc_port(current);

	if (f != ANY && f < 0)
		return -EINVAL;
	id_is_remote(&f);		/* a sender elsewhere stays global */
	return receive_from(port, port, f, ubuf, max, uinfo, flags, timeout);
}

static int
call_to(int id, int is_pid, uint32_t ureq, uint32_t len, uint32_t ureply, uint32_t max,
    uint32_t timeout)
{
	struct try t = { .what = TRY_CALL, .ubuf = ureq, .len = len, .ureply = ureply,
	    .max = max, .timeout = timeout };

	return try_following(&t, id, is_pid);
}

int
sys_call(uint32_t pid, uint32_t ureq, uint32_t len, uint32_t ureply, uint32_t max,
    uint32_t timeout)
{
	int p = (int)pid;

	int self = p;

	if (p <= 0)
		return -ESRCH;
	id_is_remote(&self);		/* a global pid of this node: made local */
	if (self == current->pid)
		return -EINVAL;		/* it would wait for itself forever */
	return call_to(p, 1, ureq, len, ureply, max, timeout);
}

int
sys_mbox_call(uint32_t id, uint32_t ureq, uint32_t len, uint32_t ureply, uint32_t max,
    uint32_t timeout)
{
	return call_to(mailbox_of((int)id), 0, ureq, len, ureply, max, timeout);
}

int
sys_reply(uint32_t pid, uint32_t ubuf, uint32_t len)
{
	int p = (int)pid;

	/* Global pids (a caller elsewhere, or a call taken by a remote
	 * receive) go to remote.h, which may hand a local one back. */
	if (p > 0 && DIST_IS_GLOBAL(p))
		return remote_reply(p, ubuf, len);
	return ipc_reply(p, ubuf, len);
}

/* A server's loop in one trap instead of two: answer pid, then wait for
 * the next message on our port.  A reply that fails (the caller gave up:
 * ESRCH) is reported and nothing is received. */
int
sys_reply_receive(uint32_t pid, uint32_t rbuf, uint32_t rlen, uint32_t ubuf, uint32_t max,
    uint32_t uinfo)
{
	int r, port;

	if ((r = sys_reply(pid, rbuf, rlen)) < 0)
		return r;
	port = proc_port(current);
	return receive_from(port, port, ANY, ubuf, max, uinfo, 0, 0);
}

static int
fill_mailboxes(void *rows, int max)
{
	return mbox_list(rows, max);
}

int
sys_mbox_list(uint32_t ubuf, uint32_t max)
{
	return copy_table_out(ubuf, max, sizeof(struct mbox_info), fill_mailboxes);
}

int
sys_sem_create(uint32_t value)
{
	return sem_create((int)value);
}

int
sys_sem_wait(uint32_t id, uint32_t flags, uint32_t timeout)
{
	struct wait_limit w;

	wait_limit_init(&w, flags & IPC_NOWAIT, timeout);
	return sem_wait((int)id, &w);
}

int
sys_sem_post(uint32_t id)
{
	return sem_post((int)id);
}

int
sys_sem_destroy(uint32_t id)
{
	return sem_destroy((int)id);
}

int
sys_shm_create(uint32_t size)
{
	return shm_create(size);
}

int
sys_shm_attach(uint32_t id)
{
	uint32_t addr;
	int err;

	if ((err = shm_attach(current, (int)id, &addr)) < 0)
		return err;
	return (int)addr;
}

int
sys_shm_detach(uint32_t addr)
{
	return shm_detach(current, addr);
}

int
sys_shm_destroy(uint32_t id)
{
	return shm_destroy((int)id);
}
