/*
 * Interrupts, exceptions and system calls all arrive here (from
 * trapentry.asm).  trap() dispatches on the vector; on the way back to
 * user mode it is where signals are delivered and where the timer's
 * preemption takes effect.
 *
 * Interrupts are off whenever the CPU is in the kernel (every IDT entry is
 * an interrupt gate): a system call runs to completion or until it sleeps.
 * They are on in user mode and in the idle loop.  On one CPU this replaces
 * locks: kernel data is only ever touched by one thread of control.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "x86.h"
#include "trap.h"
#include "mm/vm.h"
#include "proc.h"
#include "sched.h"
#include "signal.h"
#include "pic.h"
#include "trace.h"
#include "prof.h"

struct gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t  zero;
	uint8_t  type;		/* present, DPL, 32-bit interrupt gate */
	uint16_t offset_high;
} __attribute__((packed));

#define NVECTORS	256
#define GATE_INTR	0x8E	/* present, DPL 0, interrupt gate */
#define GATE_USER	0xEE	/* same, callable from ring 3 */

extern uint32_t trap_vectors[];	/* trapentry.asm: 48 stubs, then 0x80 */
static struct gate idt[NVECTORS];
static void (*irq_handlers[16])(void);

static void
set_gate(int vector, uint32_t handler, uint8_t type)
{
	idt[vector].offset_low = handler & 0xFFFF;
	idt[vector].selector = KERNEL_CS;
	idt[vector].zero = 0;
	idt[vector].type = type;
	idt[vector].offset_high = handler >> 16;
}

void
trap_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)idt };
	int v;

	for (v = 0; v < 48; v++)
		set_gate(v, trap_vectors[v], GATE_INTR);
	/* int3 and int 0x80 may be raised on purpose from user mode. */
	set_gate(T_BRKPT, trap_vectors[T_BRKPT], GATE_USER);
	set_gate(T_SYSCALL, trap_vectors[48], GATE_USER);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void
irq_register(int irq, void (*handler)(void))
{
	irq_handlers[irq] = handler;
	pic_enable(irq);
}

static const char *const exception_names[] = {
	[T_DIVIDE] = "divide error",	[T_DEBUG] = "debug",
	[T_NMI] = "NMI",		[T_BRKPT] = "breakpoint",
	[T_OFLOW] = "overflow",		[T_BOUND] = "bound range",
	[T_ILLOP] = "invalid opcode",	[T_DEVICE] = "no FPU",
	[T_DBLFLT] = "double fault",	[T_TSS] = "invalid TSS",
	[T_SEGNP] = "segment not present", [T_STACK] = "stack fault",
	[T_GPFLT] = "general protection fault", [T_PGFLT] = "page fault",
	[T_FPERR] = "x87 FPU error",	[T_ALIGN] = "alignment check",
	[T_MCHK] = "machine check",	[T_SIMDERR] = "SIMD error",
};

const char *
trap_name(uint32_t trapno)
{
	if (trapno < ARRAY_SIZE(exception_names) && exception_names[trapno])
		return exception_names[trapno];
	if (trapno >= T_IRQ0 && trapno < T_IRQ0 + 16)
		return "hardware interrupt";
	if (trapno == T_SYSCALL)
		return "system call";
	return "unknown trap";
}

/* Which signal a CPU exception in user mode turns into (as in Unix). */
static int
fault_signal(uint32_t trapno)
{
	switch (trapno) {
	case T_DIVIDE:
	case T_FPERR:
	case T_SIMDERR:
		return SIGFPE;
	case T_ILLOP:
	case T_DEVICE:
		return SIGILL;
	case T_BRKPT:
	case T_DEBUG:
		return SIGTRAP;
	default:
		return SIGSEGV;
	}
}

/* An exception in user mode: the process is at fault, not the kernel.
 * Post the signal; if the process has no handler for it, say so in one
 * line: the signal kills it on the way out of trap(). */
static void
user_fault(struct trapframe *tf)
{
	struct proc *p = current;
	uint32_t addr = tf->trapno == T_PGFLT ? read_cr2() : 0;
	int sig = fault_signal(tf->trapno);

	/* A page not there yet (reserved, copy-on-write, or on the node
	 * it came from in a lazy migration): once it is, the instruction
	 * runs again.  Error code bit 1: the access was a write. */
	if (tf->trapno == T_PGFLT && vm_fault(p->pgdir, addr, tf->err & 2) == 0)
		return;
	signal_force(p, sig);
	if (signal_is_fatal_default(p, sig))
		kprintf("brinch: pid %d (%s) killed: %s at eip 0x%08x addr 0x%08x\n",
		    p->pid, p->name, trap_name(tf->trapno), tf->eip, addr);
}

/* An exception in ring 0 is a kernel bug: show everything and stop. */
static void
kernel_fault(struct trapframe *tf)
{
	uint32_t addr = tf->trapno == T_PGFLT ? read_cr2() : 0;

	kprintf("brinch: kernel %s at eip 0x%08x (%s) addr 0x%08x err %#x\n",
	    trap_name(tf->trapno), tf->eip, symbol_for(tf->eip, NULL), addr, tf->err);
	kprintf("  eax %08x ebx %08x ecx %08x edx %08x\n",
	    tf->eax, tf->ebx, tf->ecx, tf->edx);
	kprintf("  esi %08x edi %08x ebp %08x esp %08x\n",
	    tf->esi, tf->edi, tf->ebp, tf->kernel_esp);
	if (current)
		kprintf("  current process: pid %d (%s)\n", current->pid, current->name);
	panic_at(tf->eip, tf->ebp, "unexpected %s in the kernel", trap_name(tf->trapno));
}

void
trap(struct trapframe *tf)
{
	int from_user = trap_from_user(tf);
	uint32_t irq, sysnum = tf->eax;

	if (from_user)
		current->tf = tf;

	if (tf->trapno == T_SYSCALL) {
		syscall(tf);
	} else if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + 16) {
		irq = tf->trapno - T_IRQ0;
		if (pic_is_spurious(irq))
			return;
		pic_eoi(irq);
		TRACE(TRACE_IRQ, TEV_IRQ, current->pid, irq, from_user, NULL);
		if (irq == IRQ_TIMER && prof_running)
			prof_tick(tf, from_user);
		if (irq == IRQ_TIMER)
			sched_tick(from_user);
		if (irq_handlers[irq])
			irq_handlers[irq]();
	} else if (from_user) {
		user_fault(tf);
	} else {
		kernel_fault(tf);
	}

	/* Back to user mode: the one place where a process gives up the CPU
	 * at the end of its time slice and where signals take effect. */
	if (from_user) {
		if (prof_running)
			prof_trap_exit(tf, sysnum);
		if (sched_should_preempt())
			preempt();
		/* Only a pending signal can need delivering (signal.c looks
		 * at which and whether blocked): no call on the usual way out. */
		if (current->sig_pending)
			signal_deliver(tf);
		/* A migration under way sends pages between time slices, and
		 * stops the process here, where its registers are all in tf. */
		if (current->mig || current->mig_freeze)
			migrate_hooks->boundary(tf);
	}
}
