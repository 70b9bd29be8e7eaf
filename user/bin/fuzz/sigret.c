/*
 * sigret.c: fuzz_sigreturn(frame) calls sigreturn with esp on a forged
 * signal frame (kernel/signal.c's struct sigframe, 13 words) whose
 * registers, eip and esp are this very call's, so the process resumes
 * after the trap as if from a call; the caller chose its eflags, mask and
 * eax.  Returns the eax the kernel restored.
 */
#include "fuzz.h"

__asm__(
"	.text\n"
"	.globl	fuzz_sigreturn\n"
"fuzz_sigreturn:\n"
"	pushl	%ebp\n"
"	pushl	%ebx\n"
"	pushl	%esi\n"
"	pushl	%edi\n"
"	movl	20(%esp), %eax\n"	/* frame */
"	movl	%edi, 12(%eax)\n"
"	movl	%esi, 16(%eax)\n"
"	movl	%ebp, 20(%eax)\n"
"	movl	%ebx, 24(%eax)\n"
"	movl	$1f, 40(%eax)\n"	/* eip: back here */
"	movl	%esp, 48(%eax)\n"	/* esp: as it is now */
"	leal	4(%eax), %esp\n"	/* the kernel reads from esp - 4 */
"	movl	$27, %eax\n"		/* SYS_sigreturn */
"	int	$0x80\n"
"1:	popl	%edi\n"
"	popl	%esi\n"
"	popl	%ebx\n"
"	popl	%ebp\n"
"	ret\n");
