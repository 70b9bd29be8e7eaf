/*
 * Structures passed between user space and the kernel through system
 * calls.  Only fixed-size integer fields: no pointers, so the same bytes
 * mean the same thing on every node (and could travel in a message).
 */
#ifndef BRINCH_TYPES_H
#define BRINCH_TYPES_H

#include <stdint.h>

/* Process states, as the textbook names them (value of proc_info.state). */
#define PSTATE_UNUSED	0
#define PSTATE_NEW	1	/* being created */
#define PSTATE_READY	2	/* on the ready queue */
#define PSTATE_RUNNING	3	/* on the CPU */
#define PSTATE_WAITING	4	/* on a wait (device) queue */
#define PSTATE_ZOMBIE	5	/* exited, parent has not waited yet */
#define PSTATE_SUSPENDED 6	/* swapped out by the medium-term scheduler */
#define PSTATE_MOVED	7	/* migrated to another node (docs/migration.md) */

#define PROC_NAME_LEN	16
#define WAIT_NAME_LEN	16

/* One row of `ps`: a snapshot of one PCB. */
struct proc_info {
	int32_t  pid;
	int32_t  ppid;
	int32_t  state;			/* PSTATE_* */
	int32_t  priority;		/* nice value: -20 (first) .. 19 (last) */
	uint32_t user_ticks;		/* timer ticks spent in user mode */
	uint32_t sys_ticks;		/* timer ticks spent in the kernel */
	uint32_t start_tick;		/* uptime tick at creation */
	uint32_t mem_bytes;		/* user memory: image + heap + stack */
	uint32_t sig_pending;		/* bit n set: signal n pending */
	uint32_t sig_blocked;		/* bit n set: signal n blocked */
	char     name[PROC_NAME_LEN];
	char     wait_on[WAIT_NAME_LEN];	/* queue name when WAITING */
	uint32_t ready_us;		/* time spent on the ready queue */
	int32_t  level;			/* MLFQ level (0 = top), else 0 */
	int32_t  home;			/* arrived from elsewhere: its home node, else -1 */
	int32_t  home_pid;		/* ... and its pid there */
	int32_t  node;			/* PSTATE_MOVED: the node it runs on now */
};

/* `free`: physical memory in frames of page_size bytes. */
struct meminfo {
	uint32_t page_size;
	uint32_t total_frames;
	uint32_t free_frames;
	uint32_t heap_bytes;		/* kernel heap in use */
	uint32_t nproc;			/* processes in use */
	uint32_t nproc_max;		/* size of the process table */
	uint32_t shared_frames;		/* frames mapped by more than one address space */
	uint32_t shared_refs;		/* mappings beyond each frame's first: frames fork saved */
	uint32_t cow_pages;		/* pages waiting for a copy-on-write fault */
	uint32_t reserved_pages;	/* pages reserved (stack, sbrk), no frame yet */
	uint32_t cow;			/* 1: fork shares copy-on-write; 0: cow=0 */
	uint32_t proc_frames;		/* frames live processes account for: user
					 * pages (a shared frame once), page tables,
					 * directories, kernel stacks */
};

/* Scheduling policies (sched_set / `sched` command / sched= at boot). */
#define SCHED_RR	0	/* round robin */
#define SCHED_PRIO	1	/* static priority (nice), preemptive */
#define SCHED_MLFQ	2	/* multi-level feedback queue with aging */
#define MLFQ_LEVELS	3

struct sched_info {
	int32_t  policy;		/* SCHED_* */
	uint32_t quantum;		/* ticks (RR, PRIO; MLFQ level 0) */
	uint32_t maxrun;		/* admission limit, 0 = none */
	uint32_t hz;			/* timer ticks per second */
	uint32_t admitted;		/* processes past admission */
	uint32_t job_queue;		/* processes waiting in NEW */
	uint32_t switches;		/* context switches since boot */
	uint32_t reserved;
};

/* Uptime with sub-tick resolution. */
struct timeval64 {
	uint64_t usec;			/* microseconds since boot */
};

/* File types in struct stat and struct dirent. */
#define FT_FILE		1
#define FT_DIR		2
#define FT_CONSOLE	3

#define DIRENT_NAME_LEN	60

struct dirent {
	uint32_t size;
	uint32_t type;			/* FT_* */
	char     name[DIRENT_NAME_LEN];
};

struct stat {
	uint32_t size;
	uint32_t type;			/* FT_* */
};

/* open() flags and lseek() whence. */
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_ACCMODE	3

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* waitpid() options and status decoding (Unix encoding). */
#define WNOHANG		1
#define WNOWAIT		2		/* report a zombie but leave it unreaped */
#define WIFEXITED(s)	(((s) & 0x7f) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WIFSIGNALED(s)	(((s) & 0x7f) != 0)
#define WTERMSIG(s)	((s) & 0x7f)

/* Limits user space may rely on. */
#define MAXARG		32		/* argv entries for exec */
#define MAXARGLEN	4096		/* total bytes of argv strings */
#define MAXPATH		128		/* path length including NUL */
#define NOFILE		16		/* open files per process */

#endif
