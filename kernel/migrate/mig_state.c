/*
 * What travels when a process migrates, and what keeps it here: the
 * checks that refuse a process bound to this node (sockets, children,
 * its console...), and the STATE message that carries the rest
 * (registers, signals, scheduling, descriptors, the page list).  Both are
 * asked by mig_out.c; mig_in.c rebuilds a process from what this writes.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "mm/vm.h"
#include "trap.h"
#include "proc.h"
#include "sched.h"
#include "fs/file.h"
#include "fs/initrd.h"
#include "ipc/mbox.h"
#include "ipc/sem.h"
#include "brinch/net.h"
#include "dist/kmsg.h"
#include "dist/rmbox.h"
#include "migrate.h"

/*
 * FNV-1a of an initrd file, summed once: the initrd never changes, and
 * summing a whole binary byte by byte takes milliseconds under TCG, which
 * a migration would otherwise spend frozen, on both nodes.
 */
uint32_t
mig_file_sum(const struct initrd_entry *e)
{
	static struct {
		const struct initrd_entry *e;
		uint32_t sum;
	} memo[16];
	static uint32_t next;
	int i;

	for (i = 0; i < 16; i++)
		if (memo[i].e == e)
			return memo[i].sum;
	i = (int)(next++ % 16);
	memo[i].e = e;
	memo[i].sum = mig_checksum(e->data, e->size);
	return memo[i].sum;
}

/* A process whose call it took waits for its reply here. */
static int
serving_call(struct proc *p)
{
	struct proc *c;

	for (c = &proc_table[1]; c < &proc_table[NPROC]; c++)
		if (c->state != UNUSED && c->call_state && c->call_server == p->pid)
			return 1;
	return 0;
}

static int
children_of(struct proc *p)
{
	struct proc *c;

	for (c = &proc_table[1]; c < &proc_table[NPROC]; c++)
		if (c->state != UNUSED && c->parent == p)
			return c->pid;
	return 0;
}

/*
 * 0, or -EBUSY with *why and *arg naming what ties p to this node.
 * Checked at the request and again at the freeze, since the process
 * keeps running in between.
 */
int
mig_check_movable(struct proc *p, int *why, int *arg)
{
	struct file *f;
	int fd, i, id;

	*why = MIG_WHY_NONE;
	*arg = 0;
	if (p == init_proc || p->pid == 0)
		*why = MIG_WHY_SYSTEM;
	else if (p->state == NEW || !p->pgdir || p->lazy)
		*why = MIG_WHY_MOVING;	/* still arriving, being born, or fetching pages */
	else if (p->stopped || p->suspend_pending || p->state == SUSPENDED)
		*why = MIG_WHY_STOPPED;
	else if (p->call_state || serving_call(p) || rmbox_serving(p->pid))
		*why = MIG_WHY_CALL;
	else if (p->reads_console)
		*why = MIG_WHY_CONSOLE;	/* a shell, say: its terminal is here */
	/* Children at its home keep their parent there (its deputy, which
	 * answers a moved parent's wait); children it made elsewhere have
	 * only this PCB. */
	else if (p->home >= 0 && (*arg = children_of(p)))
		*why = MIG_WHY_CHILDREN;
	/* Its mailboxes go with it, up to the PCB's aliases (its port,
	 * made at the move if it has none, among them). */
	else if (mbox_owned(p->pid, NULL, 0) + (p->port <= 0) > MBOX_ALIASES) {
		*why = MIG_WHY_MAILBOX;
		*arg = mbox_owned(p->pid, NULL, 0);
	}
	else if ((*arg = sem_owned_by(p->pid)))
		*why = MIG_WHY_SEM;
	for (i = 0; !*why && i < SHM_SLOTS; i++)
		if ((id = p->shm_ids[i])) {
			*why = MIG_WHY_SHM;
			*arg = id;
		}
	for (fd = 0; !*why && fd < NOFILE; fd++) {
		if (!(f = p->files[fd]) || f->type == FT_CONSOLE || f->type == FT_FILE)
			continue;
		*why = f->type == FT_SOCKET ? MIG_WHY_SOCKET : MIG_WHY_FILE;
		*arg = fd;
	}
	return *why ? -EBUSY : 0;
}

static void
describe_files(struct proc *p, struct mig_fd *out)
{
	struct file *f;
	int fd, j;

	memset(out, 0, NOFILE * sizeof(*out));
	for (fd = 0; fd < NOFILE; fd++) {
		if (!(f = p->files[fd]))
			continue;
		for (j = 0; j < fd && p->files[j] != f; j++)
			;
		out[fd].readable = (uint8_t)f->readable;
		out[fd].writable = (uint8_t)f->writable;
		if (j < fd) {
			out[fd].kind = MIG_FD_DUP;
			out[fd].ref = (uint8_t)j;
		} else if (f->type == FT_CONSOLE) {
			out[fd].kind = MIG_FD_CONSOLE;
		} else {		/* FT_FILE: check_movable allows no other */
			out[fd].kind = MIG_FD_FILE;
			out[fd].offset = f->offset;
			out[fd].size = f->entry->size;
			out[fd].checksum = mig_file_sum(f->entry);
			out[fd].path[0] = '/';
			strlcpy(out[fd].path + 1, f->entry->path, MIG_PATH_MAX - 1);
		}
	}
}

/* The alarm's time left, at least 1 ms (it is due), at most the
 * image's limit of 10^9 ms. */
static uint32_t
alarm_ms_left(uint32_t alarm_tick)
{
	int32_t left = (int32_t)(alarm_tick - ticks);
	uint64_t ms = (uint64_t)(left > 0 ? left : 0) * (1000 / TIMER_HZ);

	return ms == 0 ? 1 : ms > 1000000000u ? 1000000000u : (uint32_t)ms;
}

/*
 * The STATE body (after the header) for p, into buf: its length, or
 * -EBUSY (with *why, *arg: p took hold of something that cannot move
 * while it ran) or -E2BIG.  how: the strategy (lazy marks text pages);
 * self: p moves itself and returns 0 from migrate() on the target.
 */
int
mig_build_state(struct proc *p, int how, int self, uint8_t *buf, uint32_t max,
    int *why, int *arg)
{
	struct mig_state *s = (struct mig_state *)buf;
	struct trapframe *tf = p->tf;
	uint32_t va = USER_MIN, pte, n = 0;
	const struct initrd_entry *bin = NULL;
	int err, i;

	if ((err = mig_check_movable(p, why, arg)) < 0)
		return err;
	if (max < mig_state_len(MIG_MAX_PAGES) - sizeof(struct mig_hdr))
		return -EMSGSIZE;
	memset(s, 0, sizeof(*s));
	if (p->home >= 0) {
		s->who.home = p->home;
		s->who.pid = p->home_pid;
		s->ppid = p->home_ppid;
	} else {
		s->who.home = kmsg_node();
		s->who.pid = p->pid;
		s->ppid = p->ppid;
	}
	strlcpy(s->name, p->name, sizeof(s->name));
	/*
	 * Normalised as the target will check them: a pushed segment
	 * register is 16 bits (the CPU may leave the upper half stale), and
	 * RF, which the CPU can leave set when an interrupt stops a `rep
	 * movs` part way, only matters to instruction breakpoints.
	 */
	s->regs = (struct mig_regs){
		.eax = self ? 0 : tf->eax,	/* migrate(0, ...) returns 0 there */
		.ebx = tf->ebx, .ecx = tf->ecx, .edx = tf->edx, .esi = tf->esi,
		.edi = tf->edi, .ebp = tf->ebp, .esp = tf->esp, .eip = tf->eip,
		.eflags = tf->eflags & ~FL_RF, .cs = tf->cs & 0xFFFF,
		.ss = tf->ss & 0xFFFF, .ds = tf->ds & 0xFFFF, .es = tf->es & 0xFFFF,
		.fs = tf->fs & 0xFFFF, .gs = tf->gs & 0xFFFF,
	};
	/* Bit 0 is no signal, though a handler's mask may carry it. */
	s->sig_pending = p->sig_pending & ~1u;
	s->sig_blocked = p->sig_blocked & ~1u;
	memcpy(s->sig_actions, p->sig_actions, sizeof(s->sig_actions));
	for (i = 0; i < NSIG; i++)
		s->sig_actions[i].sa_mask &= ~1u;
	if (p->alarm_tick)
		s->alarm_ms = alarm_ms_left(p->alarm_tick);
	s->nice = p->nice;
	s->level = p->level;
	s->user_ticks = p->user_ticks;
	s->sys_ticks = p->sys_ticks;
	s->image_end = p->image_end;
	s->brk = p->brk;
	describe_files(p, s->fds);
	strlcpy(s->exec_path, p->exec_path, sizeof(s->exec_path));
	if ((bin = initrd_lookup(p->exec_path)) && bin->type == FT_FILE) {
		s->exec_size = bin->size;
		s->exec_sum = mig_file_sum(bin);
	}
	while ((va = vm_next_page(p->pgdir, va, &pte)) < USER_TOP && n < MIG_MAX_PAGES) {
		s->va[n] = va | ((pte & PTE_W) ? MIG_PAGE_W : 0);
		/* Lazy: read-only pages are text, which the target has too. */
		if (how == MIG_LAZY && !(pte & PTE_W) && bin)
			s->va[n] |= MIG_PAGE_TEXT;
		n++;
		va += PAGE_SIZE;
	}
	if (va < USER_TOP)
		return -E2BIG;
	s->npages = n;
	return (int)(mig_state_len(n) - sizeof(struct mig_hdr));
}

