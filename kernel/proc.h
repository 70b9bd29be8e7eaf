/*
 * The process control block and the process table.  proc.c creates and
 * destroys processes (fork, exit, wait); sched.c decides which runs.
 *
 * The PCB is split in two on purpose: the first part describes the process
 * itself and could be written to a message and rebuilt on another node
 * (process migration); the second part only makes sense on this machine
 * (kernel stack, saved kernel registers, queue links).
 */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>
#include "list.h"
#include "waitq.h"
#include "mm/vm.h"
#include "brinch/types.h"
#include "brinch/signal.h"
#include "brinch/ipc.h"

#define NPROC		64		/* size of the process table */
#define KSTACK_SIZE	(2 * 4096)
#define INIT_PID	1

enum proc_state {
	UNUSED = PSTATE_UNUSED,
	NEW = PSTATE_NEW,		/* being built by fork */
	READY = PSTATE_READY,		/* on the ready queue */
	RUNNING = PSTATE_RUNNING,	/* current */
	WAITING = PSTATE_WAITING,	/* on a wait queue */
	ZOMBIE = PSTATE_ZOMBIE,		/* exited; parent has not waited */
	SUSPENDED = PSTATE_SUSPENDED,	/* swapped out (medium-term) */
	MOVED = PSTATE_MOVED,		/* migrated away from its home node: the
					 * PCB stays as its deputy (kernel/migrate/) */
};

/* Callee-saved registers, as context_switch (switch.asm) pushes them. */
struct context {
	uint32_t edi, esi, ebx, ebp;
	uint32_t eip;			/* where context_switch returns to */
};

struct file;
struct trapframe;
struct mig_out;
struct mbox_rx;

#define MBOX_ALIASES	8	/* mailboxes a process takes along, its port included */

struct proc {
	/* ---- the process itself (what would travel) ---- */
	int		 pid;
	int		 ppid;
	char		 name[PROC_NAME_LEN];
	char		 exec_path[64];	/* the program it runs (initrd path) */
	enum proc_state	 state;
	int		 exit_status;	/* wait() encoding, valid when ZOMBIE */

	/* scheduling information */
	int		 nice;		/* static priority: -20 (first) .. 19 */
	int		 level;		/* MLFQ level, 0 = top */
	uint32_t	 slice_used;	/* ticks used of the current slice */
	uint32_t	 ready_since;	/* tick it last became READY */
	uint32_t	 ready_ticks;	/* total ticks spent READY (waiting time) */
	int		 suspend_pending;	/* suspend when it next becomes READY */

	/* memory-management information */
	pde_t		*pgdir;		/* page directory (user half private) */
	uint32_t	 image_end;	/* end of the loaded ELF image */
	uint32_t	 brk;		/* end of the heap (sbrk) */

	/* accounting */
	uint32_t	 user_ticks;
	uint32_t	 sys_ticks;
	uint32_t	 start_tick;

	/* I/O status */
	struct file	*files[NOFILE];	/* open files, indexed by fd */

	/* signals */
	uint32_t	 sig_pending;	/* bit n: signal n posted */
	uint32_t	 sig_blocked;	/* bit n: signal n held back */
	struct sigaction sig_actions[NSIG];	/* what each signal does */
	uint32_t	 alarm_tick;	/* SIGALRM due at this tick; 0 = none */
	int		 stopped;	/* SIGSTOP'd, waiting for SIGCONT */

	/* interprocess communication */
	int		 port;		/* own mailbox id (direct send); 0 = none yet */
	struct {			/* its mailboxes that moved with it: */
		int	 seen;		/* the id it knows one by (0 = unused) */
		int	 actual;	/* where that mailbox is now */
	} mbox_alias[MBOX_ALIASES];
	int		 shm_ids[SHM_SLOTS];	/* attached segments by slot; 0 = free */

	/* identity across the cluster (kernel/migrate/): a process that
	 * arrived from elsewhere keeps the name its home node gave it, and
	 * lives in that node's pid space (getpid, getppid, kill) */
	int		 home;		/* node it was born on; -1 = this node */
	int		 home_pid;	/* its pid there (valid when home >= 0) */
	int		 home_ppid;	/* its parent's pid there */

	/* ---- node-local state ---- */
	struct proc	*parent;
	struct proc	*pid_next;	/* next in its pid bucket (proc_find) */
	uint8_t		*kstack;	/* bottom of the kernel stack */
	struct context	*context;	/* saved kernel registers when not running */
	struct trapframe *tf;		/* user registers at the last trap */
	struct list_node queue_node;	/* on the ready queue or one wait queue */
	struct wait_queue *waiting_on;	/* which queue, when WAITING */
	struct list_node timer_node;	/* on the timer list during a timed wait */
	uint32_t	 timeout_tick;	/* when that wait times out */
	int		 timed_out;	/* the wait ended by timing out */
	int		 ipc_done;	/* rendezvous send: message taken (or failed) */
	int		 ipc_status;	/* ...with this result */
	int		 call_state;	/* CALL_* in call.c */
	int		 call_server;	/* pid that took our call */
	int		 call_error;	/* why the call failed */
	struct message	*call_msg;	/* our request while still queued */
	int		 call_mbox;	/* ...and where */
	struct message	*call_reply;	/* the answer, until call() copies it out */
	uint32_t	 call_ureply;	/* where call() wants the answer... */
	uint32_t	 call_max;	/* ...and its room: a reply goes straight there */
	int		 call_reply_len;	/* REPLIED with no call_reply: copied, this long */
	struct mbox_rx	*rx;		/* a receive waiting for a message (direct.c) */
	struct wait_queue reply_queue;	/* where a caller waits for its answer */
	struct wait_queue child_exit;	/* where this process waits for children */
	struct mig_out	*mig;		/* migration in progress, or NULL */
	int		 mig_freeze;	/* stop at the next return to user mode */
	int		 moved_to;	/* MOVED: the node it runs on now */
	int		 console_inflight;	/* console output sent home, not yet acked */
	int		 lazy;		/* arrived lazily: some pages still remote */
	int		 reads_console;	/* has read the console here (it stays) */
};

extern struct proc proc_table[NPROC];
extern struct proc *current;		/* the process on the CPU */
extern struct proc *init_proc;

void	 proc_init(void);
struct proc *proc_find(int pid);
int	 proc_count(void);
void	 proc_start_init(const char *path);

int	 proc_fork(void);
void	 proc_exit(int status) __attribute__((noreturn));
int	 proc_wait(int pid, int *status, int options);
void	 proc_snapshot(struct proc *p, struct proc_info *out);
void	 proc_set_name(struct proc *p, const char *path);

/* Migration (kernel/migrate/): a PCB for a process arriving from another
 * node (or its deputy, when it comes home), a process that left turning
 * into its deputy, and a deputy's process exiting elsewhere. */
struct proc *proc_alloc_migrant(struct proc *deputy, int *err);
void	 proc_free_migrant(struct proc *p);
void	 proc_release(struct proc *p);
void	 proc_moved_exit(struct proc *deputy, int status);
int	 proc_reap_child(struct proc *parent, int pid, int *status, int options);
/* Local pid, or the home pid for a process away from home.  Inline:
 * it is the whole of getpid(), the cheapest system call. */
static inline int
proc_visible_pid(const struct proc *p)
{
	return p->home >= 0 ? p->home_pid : p->pid;
}

/*
 * What the migration layer does for the core, registered at boot
 * (migrate_init); NULL hooks when it is not there.  The core calls up
 * only through these.
 */
struct migrate_hooks {
	/* sig for a process that left (a MOVED deputy): forward it */
	int  (*signal_moved)(struct proc *deputy, int sig);
	/* a process that arrived from elsewhere exits: tell its home */
	void (*exit_away)(struct proc *p, int status);
	/* p->mig or p->mig_freeze set: at its return to user mode */
	void (*boundary)(struct trapframe *tf);
	/* p is exiting or exec'ing while a migration is in progress, or
	 * while it still fetches pages (p->lazy) */
	void (*proc_gone)(struct proc *p);
	/* p->lazy: fetch every remote page now (before fork) */
	int  (*settle)(struct proc *p);
	/* console output of a process away from home: send it home */
	int  (*console_write)(struct proc *p, uint32_t uaddr, uint32_t n);
	/* kill(pid, sig) for the process (home, pid): a global pid, or
	 * any pid used by a process away from home */
	int  (*kill)(int home, int pid, int sig);
	/* wait() by a process away from home: its children at home (as
	 * proc_reap_child: a pid, 0, -ECHILD; or -EINTR, -EHOSTUNREACH) */
	int  (*wait_home)(struct proc *p, int pid, int *status, int options);
	/* a child of a deputy exited: wake its process's wait() */
	void (*child_exited)(struct proc *deputy);
};
extern const struct migrate_hooks *migrate_hooks;

#endif
