/*
 * What a process's home node does for it after it has left, as Sprite
 * and MOSIX do: the PCB stays behind as its deputy (state MOVED, same
 * pid, same parent), so wait(), kill() and ps at home work unchanged.
 * Signals for it are forwarded to where it runs; its exit comes back as
 * EXIT and turns the deputy into the zombie its parent reaps; its console
 * output comes back as CONSOLE and is printed here.  Every node a process
 * leaves keeps a forwarding record, and every arrival tells the home
 * (LOCATION), so a signal takes at most one extra hop.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "signal.h"
#include "console.h"
#include "mm/vm.h"
#include "dist/kmsg.h"
#include "migrate.h"

#define NFORWARD	32		/* forwarding records kept (a ring) */

struct forward {
	struct mig_who who;
	int	 node;			/* where it went from here */
};
static struct forward forwards[NFORWARD];
static uint32_t next_forward;

void
mig_forward_record(int home, int pid, int node)
{
	struct forward *f = &forwards[next_forward++ % NFORWARD];

	f->who.home = home;
	f->who.pid = pid;
	f->node = node;
}

static int
forwarded_to(int home, int pid)
{
	uint32_t i;
	struct forward *f;

	/* Newest first: a process may pass through here more than once. */
	for (i = 1; i <= NFORWARD && i <= next_forward; i++) {
		f = &forwards[(next_forward - i) % NFORWARD];
		if (f->who.home == home && f->who.pid == pid)
			return f->node;
	}
	return -1;
}

/* A process here that arrived from elsewhere, by its home name. */
struct proc *
find_migrant(int home, int pid)
{
	struct proc *p;

	for (p = &proc_table[1]; p < &proc_table[NPROC]; p++)
		if (p->state != UNUSED && p->state != ZOMBIE && p->home == home &&
		    p->home_pid == pid)
			return p;
	return NULL;
}

/* The process just left its home for node: its PCB becomes the deputy. */
void
mig_left_home(struct proc *p, int node)
{
	int port = p->port;	/* now the stub of the port that left */

	proc_release(p);
	p->port = port;
	p->sig_pending = 0;	/* they travelled with the image */
	p->state = MOVED;
	p->moved_to = node;
}

/*
 * node is gone (kmsg gave up on it).  Our processes that were running
 * there are gone with it: their parents here learn it as a death by
 * SIGKILL, with a line on the console, instead of waiting forever.
 */
void
mig_home_node_down(int node)
{
	struct proc *p;

	for (p = &proc_table[1]; p < &proc_table[NPROC]; p++) {
		if (p->state != MOVED || p->moved_to != node)
			continue;
		kprintf("migrate: pid %d (%s) lost with node %d\n", p->pid, p->name, node);
		proc_moved_exit(p, KILLED_STATUS(SIGKILL));
	}
}

/* ---- signals ---- */

/* Send sig toward the process (home, pid), from wherever we are. */
static int
signal_toward(int home, int pid, int sig, int hops)
{
	int me = kmsg_node(), node;
	struct proc *p;
	struct mig_signal s = { .who = { .home = home, .pid = pid }, .sig = sig,
	    .hops = (uint8_t)hops };

	if (home == me) {
		if (!(p = proc_find(pid)) || p->home >= 0 || p->state == ZOMBIE) {
			mig_count.dropped++;
			return -ESRCH;
		}
		if (p->state != MOVED)
			return p == init_proc ? -EPERM : signal_send(p, sig);
		node = p->moved_to;
	} else if ((p = find_migrant(home, pid))) {
		return signal_send(p, sig);
	} else if ((node = forwarded_to(home, pid)) < 0) {
		node = home;		/* the home knows where it is */
	}
	if (hops >= MIG_MAX_HOPS) {
		mig_count.dropped++;
		return -EHOSTUNREACH;	/* a forwarding loop: give up */
	}
	mig_count.signals_forwarded++;
	s.hops = (uint8_t)(hops + 1);
	return mig_send_op(node, MIG_OP_SIGNAL, 0, &s, sizeof(s), 0) < 0 ? -EHOSTUNREACH : 0;
}

static int
hook_signal_moved(struct proc *deputy, int sig)
{
	return signal_toward(kmsg_node(), deputy->pid, sig, 0);
}

/* kill(pid, sig) for a pid that is not plainly local: a global pid, or
 * any pid used by a process away from home (it lives in its home's pid
 * space).  sig 0 asks whether it exists: known only for one here. */
static int
hook_kill(int home, int pid, int sig)
{
	struct proc *p;

	if (sig == 0) {
		if (home != kmsg_node())
			return 0;
		p = proc_find(pid);
		return p && p->home < 0 && p->state != ZOMBIE ? 0 : -ESRCH;
	}
	return signal_toward(home, pid, sig, 0);
}

/* ---- exit, location, console ---- */

static void
hook_exit_away(struct proc *p, int status)
{
	struct mig_exit e = { .who = { .home = p->home, .pid = p->home_pid },
	    .status = status };

	if (mig_send_op(p->home, MIG_OP_EXIT, 0, &e, sizeof(e), 0) == 0)
		mig_count.exits_forwarded++;
}

void
mig_send_location(int home, int pid, int node)
{
	struct mig_location l = { .who = { .home = home, .pid = pid }, .node = node };

	mig_send_op(home, MIG_OP_LOCATION, 0, &l, sizeof(l), 0);
}

/*
 * write() to the console by a process away from home: its output goes
 * home, in order.  The source counts what is unacknowledged, so a
 * migration can wait for it to land before the process writes from its
 * next node (messages from two nodes are not ordered with each other).
 */
static int
hook_console_write(struct proc *p, uint32_t uaddr, uint32_t n)
{
	uint8_t buf[sizeof(struct mig_console) + MIG_CONSOLE_MAX];
	struct mig_console *c = (struct mig_console *)buf;
	uint32_t done = 0, chunk;
	/* The slot and the pid: an ack that comes after the slot was
	 * reused must not count for its new process. */
	uint32_t cookie = MIG_COOKIE_CONSOLE | (uint32_t)p->pid << 8 | (uint32_t)(p - proc_table);

	c->who.home = p->home;
	c->who.pid = p->home_pid;
	while (done < n) {
		chunk = MIN(n - done, MIG_CONSOLE_MAX);
		if (copy_from_user(p->pgdir, c->data, uaddr + done, chunk) < 0)
			return done ? (int)done : -EFAULT;
		c->len = chunk;
		if (mig_send_op(p->home, MIG_OP_CONSOLE, 0, c, sizeof(*c) + chunk, cookie) < 0)
			return done ? (int)done : -EIO;
		p->console_inflight++;
		mig_count.console_forwarded++;
		done += chunk;
	}
	return (int)done;
}

void
mig_console_sent(uint32_t cookie, int err)
{
	struct proc *p = &proc_table[(cookie & 0xFF) % NPROC];

	if (p->pid != (int)((cookie >> 8) & 0x7FFF))
		return;
	if (p->console_inflight > 0 && --p->console_inflight == 0)
		mig_console_drained(p);
}

/* ---- wait() by a parent away from home ---- */

/*
 * Its children from before it left stayed here, children of its deputy.
 * The parent asks (WAIT), the home reaps one if it can and answers
 * (WAITED); a child exiting later sends CHILD, which wakes the parent's
 * wait() to ask again (SIGCHLD would not: by default it is ignored).
 */
#define NWAITS		8
#define WAIT_TICKS	(10 * TIMER_HZ)	/* home silent this long: EHOSTUNREACH */

struct home_wait {
	struct proc *p;			/* asking; NULL = free */
	int	 answered;
	struct mig_waited ans;
	struct wait_queue wq;
};
static struct home_wait waits[NWAITS];

static int
hook_wait_home(struct proc *p, int pid, int *status, int options)
{
	struct mig_wait w = { .who = { .home = p->home, .pid = p->home_pid },
	    .pid = pid, .options = options };
	struct home_wait *hw;
	uint32_t deadline = ticks + WAIT_TICKS;
	int r;

	for (hw = waits; hw < &waits[NWAITS] && hw->p; hw++)
		;
	if (hw == &waits[NWAITS])
		return -EAGAIN;
	memset(hw, 0, sizeof(*hw));
	hw->p = p;
	wait_queue_init(&hw->wq, "wait home");
	if (mig_send_op(p->home, MIG_OP_WAIT, 0, &w, sizeof(w), 0) < 0) {
		hw->p = NULL;
		return -EHOSTUNREACH;
	}
	r = 0;
	while (!hw->answered && r == 0) {
		if ((int32_t)(ticks - deadline) >= 0)
			r = -EHOSTUNREACH;
		else
			r = sleep_on_timeout(&hw->wq, deadline - ticks);
		if (r == -ETIMEDOUT)
			r = 0;		/* the loop says why */
	}
	hw->p = NULL;
	if (!hw->answered)
		return r;
	if (hw->ans.result > 0)
		*status = hw->ans.status;
	return hw->ans.result;
}

static void
on_waited(const struct mig_waited *a)
{
	struct home_wait *hw;

	for (hw = waits; hw < &waits[NWAITS]; hw++)
		if (hw->p && hw->p->home == a->who.home && hw->p->home_pid == a->who.pid &&
		    !hw->answered) {
			hw->ans = *a;
			hw->answered = 1;
			wakeup(&hw->wq);
			return;
		}
	mig_count.dropped++;
}

/* At home: a WAIT from our process, wherever it is now. */
static void
on_wait(int node, const struct mig_wait *w)
{
	struct mig_waited a = { .who = w->who, .result = -ECHILD };
	struct proc *deputy = proc_find(w->who.pid);
	int status = 0;

	if (w->who.home == kmsg_node() && deputy && deputy->state == MOVED)
		a.result = proc_reap_child(deputy, w->pid, &status, w->options);
	a.status = status;
	mig_send_op(node, MIG_OP_WAITED, 0, &a, sizeof(a), 0);
}

static void
hook_child_exited(struct proc *deputy)
{
	struct mig_who who = { .home = kmsg_node(), .pid = deputy->pid };

	mig_send_op(deputy->moved_to, MIG_OP_CHILD, 0, &who, sizeof(who), 0);
}

/* A CHILD message: the process it names, if here, asks home again. */
static void
on_child(const struct mig_who *who)
{
	struct proc *p = find_migrant(who->home, who->pid);

	if (p)
		wakeup(&p->child_exit);
	else
		mig_count.dropped++;
}

void
mig_home_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len)
{
	const void *body = msg + sizeof(*h);
	struct mig_signal s;
	struct mig_exit e;
	struct mig_location l;
	struct mig_console c;
	struct mig_wait w;
	struct mig_waited wd;
	struct mig_who who;
	struct proc *p;
	int me = kmsg_node();

	switch (h->op) {
	case MIG_OP_SIGNAL:
		memcpy(&s, body, sizeof(s));
		if (mig_check_who(&s.who) != MIG_OK || !signal_valid(s.sig))
			break;
		signal_toward(s.who.home, s.who.pid, s.sig, s.hops);
		return;
	case MIG_OP_EXIT:
		memcpy(&e, body, sizeof(e));
		if (e.who.home != me || !(p = proc_find(e.who.pid)) || p->state != MOVED)
			break;
		proc_moved_exit(p, e.status);
		return;
	case MIG_OP_LOCATION:
		memcpy(&l, body, sizeof(l));
		if (l.who.home != me || !(p = proc_find(l.who.pid)) || p->state != MOVED ||
		    l.node < 0 || l.node > DIST_NODE_MAX)
			break;
		p->moved_to = l.node;
		return;
	case MIG_OP_WAIT:
		memcpy(&w, body, sizeof(w));
		on_wait(node, &w);
		return;
	case MIG_OP_WAITED:
		memcpy(&wd, body, sizeof(wd));
		on_waited(&wd);
		return;
	case MIG_OP_CHILD:
		memcpy(&who, body, sizeof(who));
		on_child(&who);
		return;
	case MIG_OP_CONSOLE:
		memcpy(&c, body, sizeof(c));
		if (c.who.home != me || c.len > MIG_CONSOLE_MAX ||
		    len != sizeof(*h) + sizeof(c) + c.len)
			break;
		console_write((const char *)body + sizeof(c), c.len);
		return;
	}
	mig_count.dropped++;
	(void)node;
}

/* The hooks the core calls (proc.h). */
static const struct migrate_hooks hooks = {
	.signal_moved = hook_signal_moved,
	.exit_away = hook_exit_away,
	.boundary = mig_boundary,
	.proc_gone = mig_proc_gone,
	.settle = mig_lazy_settle,
	.console_write = hook_console_write,
	.kill = hook_kill,
	.wait_home = hook_wait_home,
	.child_exited = hook_child_exited,
};

void
mig_home_init(void)
{
	migrate_hooks = &hooks;
}
