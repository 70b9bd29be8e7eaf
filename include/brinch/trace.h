/*
 * The kernel event trace's ABI (kernel/trace.c, docs/tracing.md): the
 * trace() system call's operations, the event classes it switches on, and
 * the record each event leaves in the ring.  tools/trace reads the same
 * records back from the dump, so a field changes only with TRACE_VERSION.
 */
#ifndef BRINCH_TRACE_H
#define BRINCH_TRACE_H

#include <stdint.h>

#define TRACE_VERSION	1
#define TRACE_RING	8192		/* events the ring holds */

/* trace(op, arg) */
#define TRACE_ON	1	/* arg: classes to add (0: TRACE_DEFAULT) */
#define TRACE_OFF	2	/* arg: classes to drop (0: all) */
#define TRACE_CLEAR	3	/* empty the ring, zero the counters */
#define TRACE_DUMP	4	/* write the ring to the trace port (COM2) */
#define TRACE_STATUS	5	/* arg: struct trace_status * */
#define TRACE_MARK	6	/* arg: a user string (up to 11 bytes kept) */

/* Classes: what `trace on WHAT` names (bit n = class n). */
#define TRACE_SCHED	0x01	/* context switches, ready and wait */
#define TRACE_PROC	0x02	/* fork, exec, exit */
#define TRACE_SYSCALL	0x04	/* every system call: many, so not default */
#define TRACE_IRQ	0x08	/* hardware interrupts */
#define TRACE_IPC	0x10	/* mailbox send and receive */
#define TRACE_KMSG	0x20	/* kernel messages between nodes */
#define TRACE_MIGRATE	0x40	/* migration steps */
#define TRACE_USER	0x80	/* marks from user programs */
#define TRACE_ALL	0xFF
/* The classes' names, bit 0 first (trace=, `trace on`, `trace` status). */
#define TRACE_CLASS_NAMES { "sched", "proc", "syscall", "irq", "ipc", "kmsg", "migrate", "user" }
#define TRACE_DEFAULT	(TRACE_ALL & ~TRACE_SYSCALL)

/* Event types.  arg[0], arg[1] and text are per type, as noted. */
enum trace_type {
	TEV_SWITCH = 1,	/* pid left the CPU: arg0 next pid, arg1 pid's new
			 * state (PSTATE_*), text why (the wait queue's name) */
	TEV_READY,	/* pid joined the ready queue; arg0 its MLFQ level */
	TEV_WAIT,	/* pid waits: text the queue */
	TEV_FORK,	/* pid forked arg0 */
	TEV_EXEC,	/* pid runs text (the program's name) */
	TEV_EXIT,	/* pid exited: arg0 status */
	TEV_SYSCALL,	/* pid entered system call arg0 (arg1: first argument) */
	TEV_SYSRET,	/* pid's system call arg0 returned arg1 */
	TEV_IRQ,	/* interrupt arg0 (pid: who was interrupted) */
	TEV_MBOX_SEND,	/* pid sent arg1 bytes to mailbox arg0 */
	TEV_MBOX_RECV,	/* pid received arg1 bytes from mailbox arg0 */
	TEV_KMSG_SEND,	/* message to node arg0 & 0xff, service arg0 >> 8,
			 * Lamport time arg1 (the sender's) */
	TEV_KMSG_RECV,	/* message from node arg0 & 0xff, service arg0 >> 8,
			 * sender's Lamport time arg1, ours after: more[0] */
	TEV_MIGRATE,	/* migration of pid (this node's; at accept, before
			 * there is one, its home's), with node arg0: step */
	TEV_MARK,	/* a user program's mark: text */
	TEV_SUSPEND,	/* pid was swapped out (medium-term scheduling,
			 * `suspend`); `resume` makes it ready again */
	TEV_NTYPES
};

struct trace_event {
	uint64_t time;		/* guest cycle counter (TSC): see calibration */
	uint8_t  type;		/* TEV_* */
	uint8_t  pad;
	int16_t  pid;		/* the process it is about (this node's pid) */
	uint32_t arg[2];
	union {
		char	 text[12];	/* NUL-padded, not always terminated */
		uint32_t more[3];
	};
};

struct trace_status {
	uint32_t classes;	/* TRACE_* switched on */
	uint32_t recorded;	/* events since the last clear */
	uint32_t held;		/* in the ring now (<= TRACE_RING) */
	uint32_t lost;		/* overwritten before a dump: the overflow */
	uint32_t capacity;	/* TRACE_RING */
	int32_t  port;		/* 1 if the trace port (COM2) is there */
};

#endif
