/*
 * The trap frame: what the CPU and kernel/trapentry.asm push on the kernel
 * stack when an interrupt, exception or system call enters the kernel.
 * trap() in trap.c receives a pointer to it; changing it changes what the
 * interrupted code sees when `iret` resumes it.
 */
#ifndef TRAP_H
#define TRAP_H

#include <stdint.h>

struct trapframe {
	/* pushed by `pusha` in trapentry.asm */
	uint32_t edi, esi, ebp, kernel_esp, ebx, edx, ecx, eax;
	/* segment registers, pushed by trapentry.asm */
	uint32_t gs, fs, es, ds;
	uint32_t trapno;	/* vector number */
	uint32_t err;		/* CPU error code, or 0 */
	/* pushed by the CPU */
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;	/* only when coming from user mode */
};

/* Vectors (Intel SDM vol. 3, 6.3.1 for 0-31). */
#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BRKPT		3
#define T_OFLOW		4
#define T_BOUND		5
#define T_ILLOP		6
#define T_DEVICE	7
#define T_DBLFLT	8
#define T_TSS		10
#define T_SEGNP		11
#define T_STACK		12
#define T_GPFLT		13
#define T_PGFLT		14
#define T_FPERR		16
#define T_ALIGN		17
#define T_MCHK		18
#define T_SIMDERR	19
#define T_IRQ0		32	/* IRQ n arrives on vector T_IRQ0 + n */
#define T_SYSCALL	0x80

#define IRQ_TIMER	0
#define IRQ_KEYBOARD	1
#define IRQ_COM1	4

static inline int
trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

void	trap_init(void);
void	trap(struct trapframe *tf);
void	irq_register(int irq, void (*handler)(void));
const char *trap_name(uint32_t trapno);

/* gdt.c */
void	gdt_init(void);
void	tss_set_kernel_stack(uint32_t esp0);

/* syscall.c */
void	syscall(struct trapframe *tf);

#endif
