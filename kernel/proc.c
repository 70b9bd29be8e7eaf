/*
 * Processes: the process table, and the life cycle it records -
 * fork creates (NEW -> READY), exit ends (-> ZOMBIE), wait reaps
 * (-> UNUSED).  Scheduling decisions are sched.c's; loading programs is
 * exec.c's.
 */
#include "kernel.h"
#include "cmdline.h"
#include "mm/mmu.h"
#include "trap.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "fs/file.h"
#include "proc.h"
#include "sched.h"
#include "signal.h"
#include "exec.h"
#include "ipc/mbox.h"
#include "ipc/sem.h"
#include "ipc/shm.h"
#include "sched_admit.h"
#include "trace.h"

extern char boot_stack_top[];		/* boot/multiboot.asm */
extern void fork_return(void);		/* trapentry.asm */

struct proc proc_table[NPROC];
struct proc *current;
struct proc *init_proc;
const struct migrate_hooks *migrate_hooks;
static int next_pid = 1;

/* Live processes by pid, chained in buckets: proc_find is asked on every
 * call, reply and signal, and a scan of the table cost a mailbox round
 * trip a tenth of its instructions.  Pids are handed out in order, so
 * NPROC buckets hold about one each. */
static struct proc *pid_bucket[NPROC];
#define PID_BUCKET(pid)	(&pid_bucket[(uint32_t)(pid) % NPROC])

/* The boot thread becomes process 0, the idle process. */
void
proc_init(void)
{
	struct proc *idle = &proc_table[0];

	idle->pid = 0;
	idle->home = -1;
	idle->state = RUNNING;
	strlcpy(idle->name, "idle", sizeof(idle->name));
	idle->kstack = (uint8_t *)((uint32_t)boot_stack_top - KSTACK_SIZE);
	list_node_init(&idle->queue_node);
	list_node_init(&idle->timer_node);
	wait_queue_init(&idle->child_exit, "child");
	wait_queue_init(&idle->reply_queue, "reply");
	current = idle;
	sched_init();
	signal_init();
}

struct proc *
proc_find(int pid)
{
	struct proc *p;

	if (pid <= 0)
		return NULL;
	for (p = *PID_BUCKET(pid); p; p = p->pid_next)
		if (p->pid == pid)
			return p;
	return NULL;
}

int
proc_count(void)
{
	int n = 0;
	struct proc *p;

	for (p = proc_table; p < &proc_table[NPROC]; p++)
		if (p->state != UNUSED)
			n++;
	return n;
}

/* Lowest pid not in use, counting up from the last one handed out, so a
 * pid is not reused right after its process is reaped. */
static int
alloc_pid(void)
{
	int pid;

	for (;;) {
		pid = next_pid++;
		if (next_pid > 32767)
			next_pid = 2;
		if (!proc_find(pid))
			return pid;
	}
}

/*
 * A fresh PCB in state NEW with a kernel stack laid out so that the first
 * context_switch to it "returns" into fork_return (trapentry.asm), which
 * delivers early signals and pops the trap frame into user mode:
 *
 *	kstack + KSTACK_SIZE ->	+-------------------+
 *				| struct trapframe  |  user registers
 *				+-------------------+
 *				| struct context    |  eip = fork_return
 *	p->context ------->	+-------------------+
 */
/* Lay out p's kernel stack for its first switch (the picture above). */
static void
proc_frame_init(struct proc *p)
{
	uint8_t *sp = p->kstack + KSTACK_SIZE;

	sp -= sizeof(struct trapframe);
	p->tf = (struct trapframe *)sp;
	memset(p->tf, 0, sizeof(*p->tf));
	sp -= sizeof(struct context);
	p->context = (struct context *)sp;
	memset(p->context, 0, sizeof(*p->context));
	p->context->eip = (uint32_t)fork_return;
}

static struct proc *
proc_alloc(int *err)
{
	struct proc *p;
	uint32_t pa;

	for (p = &proc_table[1]; p < &proc_table[NPROC]; p++)
		if (p->state == UNUSED)
			break;
	if (p == &proc_table[NPROC]) {
		*err = -EAGAIN;
		return NULL;
	}
	if (!(pa = frames_alloc(KSTACK_SIZE / PAGE_SIZE))) {
		*err = -ENOMEM;
		return NULL;
	}
	memset(p, 0, sizeof(*p));
	p->kstack = P2V(pa);
	p->pid = alloc_pid();
	p->pid_next = *PID_BUCKET(p->pid);
	*PID_BUCKET(p->pid) = p;
	p->home = -1;
	p->state = NEW;
	p->start_tick = ticks;
	list_node_init(&p->queue_node);
	list_node_init(&p->timer_node);
	wait_queue_init(&p->child_exit, "child");
	wait_queue_init(&p->reply_queue, "reply");
	proc_frame_init(p);
	return p;
}

/* Give back what proc_alloc and the rest of the life cycle took. */
static void
proc_free(struct proc *p)
{
	struct proc **link = PID_BUCKET(p->pid);

	while (*link != p)
		link = &(*link)->pid_next;
	*link = p->pid_next;
	if (p->pgdir)
		vm_destroy(p->pgdir);
	frames_free(V2P(p->kstack), KSTACK_SIZE / PAGE_SIZE);
	memset(p, 0, sizeof(*p));
	p->state = UNUSED;
}

void
proc_set_name(struct proc *p, const char *path)
{
	const char *base = strrchr(path, '/');

	strlcpy(p->name, base ? base + 1 : path, sizeof(p->name));
}

/* The first user process.  Its trap frame is built by hand; exec fills
 * in the entry point and stack.  Its argv is "init" followed by the
 * words of the kernel command line, as Linux hands init the words it
 * does not use itself: that is how user space reads a boot option
 * (init starts loadbald for `loadbal`, docs/loadbal.md). */
void
proc_start_init(const char *path)
{
	static char words[CMDLINE_MAX];	/* off the stack; exec copies them out */
	char *argv[MAXARG + 1] = { "init" }, *w = words;
	struct proc *p;
	int argc = 1, err, fd;

	strlcpy(words, cmdline_text(), sizeof(words));
	while (argc < MAXARG) {
		while (*w == ' ')
			w++;
		if (!*w)
			break;
		argv[argc++] = w;
		while (*w && *w != ' ')
			w++;
		if (*w)
			*w++ = '\0';
	}
	argv[argc] = NULL;

	if (!(p = proc_alloc(&err)) || !(p->pgdir = vm_create()))
		panic("cannot create init");
	p->ppid = 0;
	p->parent = NULL;
	p->tf->cs = USER_CS;
	p->tf->ds = p->tf->es = p->tf->fs = p->tf->gs = p->tf->ss = USER_DS;
	p->tf->eflags = 0x200;		/* interrupts on in user mode */
	for (fd = 0; fd < 3; fd++) {
		p->files[fd] = file_open_kernel("/dev/console", O_RDWR, &err);
		if (!p->files[fd])
			panic("cannot open the console for init: %d", err);
	}
	if ((err = exec_image(p, path, argv, argc)) < 0)
		panic("cannot run %s: error %d", path, err);
	init_proc = p;
	admit(p);
}

int
proc_fork(void)
{
	struct proc *parent = current, *child;
	int err, fd;

	/* A lazily arrived parent fetches all its pages first: the copy
	 * must be of the whole address space. */
	if (migrate_hooks && parent->lazy && (err = migrate_hooks->settle(parent)) < 0)
		return err;
	if (!(child = proc_alloc(&err)))
		return err;
	if (!(child->pgdir = vm_create()) || vm_copy(child->pgdir, parent->pgdir) < 0) {
		proc_free(child);
		return -ENOMEM;
	}
	*child->tf = *parent->tf;
	child->tf->eax = 0;		/* fork() returns 0 in the child */
	strlcpy(child->name, parent->name, sizeof(child->name));
	strlcpy(child->exec_path, parent->exec_path, sizeof(child->exec_path));
	child->nice = parent->nice;
	child->image_end = parent->image_end;
	child->brk = parent->brk;
	signal_fork(child, parent);
	shm_fork(child, parent);
	for (fd = 0; fd < NOFILE; fd++)
		if (parent->files[fd])
			child->files[fd] = file_dup(parent->files[fd]);
	child->parent = parent;
	child->ppid = parent->pid;
	TRACE(TRACE_PROC, TEV_FORK, parent->pid, child->pid, 0, child->name);
	admit(child);			/* long-term scheduler: ready or job queue */
	return child->pid;
}

/* A child of parent has exited: wake the parent's wait(), wherever the
 * parent runs (a deputy's process hears it from mig_home.c). */
static void
wake_parent(struct proc *parent)
{
	wakeup(&parent->child_exit);
	if (parent->state == MOVED && migrate_hooks)
		migrate_hooks->child_exited(parent);
}

/* Orphans go to init, which reaps whatever is already dead. */
static void
give_children_to_init(struct proc *p)
{
	struct proc *c;

	for (c = &proc_table[1]; c < &proc_table[NPROC]; c++) {
		if (c->state == UNUSED || c->parent != p)
			continue;
		c->parent = init_proc;
		c->ppid = INIT_PID;
		if (c->state == ZOMBIE)
			wakeup(&init_proc->child_exit);
	}
}

/*
 * Give back what a process holds on this node besides its PCB and kernel
 * stack: IPC state, open files, the address space.  For exit, and for a
 * process that has just migrated away (then p is not current).
 */
void
proc_release(struct proc *p)
{
	int fd;

	signal_exit(p);
	call_proc_exit(p);
	mbox_proc_exit(p);
	sem_proc_exit(p);
	shm_proc_exit(p);
	for (fd = 0; fd < NOFILE; fd++) {
		if (p->files[fd]) {
			file_close(p->files[fd]);
			p->files[fd] = NULL;
		}
	}
	if (p == current)
		vm_switch(kernel_pgdir);
	if (p->pgdir)
		vm_destroy(p->pgdir);
	p->pgdir = NULL;
}

void
proc_exit(int status)
{
	struct proc *p = current;

	if (p == init_proc)
		panic("init exited (status %#x)", status);
	if (migrate_hooks && (p->mig || p->lazy))
		migrate_hooks->proc_gone(p);	/* a migration in progress fails */
	if (migrate_hooks && p->home >= 0)
		migrate_hooks->exit_away(p, status);	/* its home's deputy reaps */
	/* The kernel stack we are running on is freed by the parent in
	 * wait(). */
	proc_release(p);

	give_children_to_init(p);
	p->exit_status = status;
	p->state = ZOMBIE;
	TRACE(TRACE_PROC, TEV_EXIT, p->pid, status, 0, NULL);
	admit_leave(p);			/* room for a process on the job queue */
	signal_send(p->parent, SIGCHLD);
	wake_parent(p->parent);
	schedule("exit");
	panic("zombie %d was scheduled", p->pid);
}

/*
 * One look at parent's children, never sleeping: the pid of a zombie
 * child reaped (its status in *status; left in place with WNOWAIT), 0 if
 * it has children (matching pid, if pid > 0) but none has exited, or
 * -ECHILD.  wait() here, and a home answering a moved parent's wait.
 */
int
proc_reap_child(struct proc *parent, int pid, int *status, int options)
{
	struct proc *c;
	int have_children = 0, found;

	for (c = &proc_table[1]; c < &proc_table[NPROC]; c++) {
		if (c->state == UNUSED || c->parent != parent)
			continue;
		if (pid > 0 && c->pid != pid)
			continue;
		have_children = 1;
		if (c->state == ZOMBIE) {
			found = c->pid;
			*status = c->exit_status;
			if (!(options & WNOWAIT))
				proc_free(c);
			return found;
		}
	}
	return have_children ? 0 : -ECHILD;
}

int
proc_wait(int pid, int *status, int options)
{
	int here, home = -ECHILD;

	for (;;) {
		if ((here = proc_reap_child(current, pid, status, options)) > 0)
			return here;
		/* Away from home, its children from before it left are at
		 * home, children of its deputy: ask there too. */
		if (current->home >= 0 && migrate_hooks) {
			home = migrate_hooks->wait_home(current, pid, status, options);
			if (home > 0 || home == -EINTR)
				return home;
		}
		if (here == -ECHILD && home < 0)
			return home;	/* -ECHILD, or why home could not answer */
		if (options & WNOHANG)
			return 0;
		if (sleep_on(&current->child_exit) < 0)
			return -EINTR;
	}
}

/* A process that exited elsewhere: its deputy becomes the zombie its
 * parent here reaps, as if it had exited on this node. */
void
proc_moved_exit(struct proc *deputy, int status)
{
	give_children_to_init(deputy);
	deputy->exit_status = status;
	deputy->state = ZOMBIE;
	signal_send(deputy->parent, SIGCHLD);
	wake_parent(deputy->parent);
}

/*
 * A PCB for a process arriving by migration, state NEW, not yet
 * runnable.  Coming home, it takes back its deputy's PCB (and so its pid
 * and parent); otherwise a fresh one whose parent here is init, which
 * reaps it if it exits on this node (its real parent, at home, hears of
 * the exit from mig_home.c).
 */
struct proc *
proc_alloc_migrant(struct proc *deputy, int *err)
{
	struct proc *p = deputy;

	if (p) {
		p->state = NEW;
		p->moved_to = 0;
		proc_frame_init(p);
		return p;
	}
	if (!(p = proc_alloc(err)))
		return NULL;
	p->parent = init_proc;
	p->ppid = INIT_PID;
	return p;
}

/* Undo proc_alloc_migrant for a process that never ran here. */
void
proc_free_migrant(struct proc *p)
{
	proc_free(p);
}

void
proc_snapshot(struct proc *p, struct proc_info *out)
{
	memset(out, 0, sizeof(*out));
	out->pid = p->pid;
	out->ppid = p->ppid;
	out->state = p->state;
	/* Suspended while blocked (or not yet admitted): the textbook's
	 * "suspended blocked"; wait_on still names what it waits for. */
	if (p->suspend_pending && (p->state == WAITING || p->state == NEW))
		out->state = SUSPENDED;
	out->priority = p->nice;
	out->level = p->level;
	out->ready_us = p->ready_ticks * (1000000 / TIMER_HZ);
	out->user_ticks = p->user_ticks;
	out->sys_ticks = p->sys_ticks;
	out->start_tick = p->start_tick;
	out->mem_bytes = p->pgdir ? vm_user_frames(p->pgdir) * PAGE_SIZE : 0;
	out->sig_pending = p->sig_pending;
	out->sig_blocked = p->sig_blocked;
	out->home = p->home;
	out->home_pid = p->home >= 0 ? p->home_pid : 0;
	out->node = p->state == MOVED ? p->moved_to : -1;
	strlcpy(out->name, p->name, sizeof(out->name));
	if (p->waiting_on)	/* a wait queue, or the job queue when NEW */
		strlcpy(out->wait_on, p->waiting_on->name, sizeof(out->wait_on));
}
