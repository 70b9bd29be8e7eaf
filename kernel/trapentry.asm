; kernel/trapentry.asm: the way into the kernel.  Every interrupt vector
; has a tiny stub that makes the stack look the same (an error code, real
; or a dummy 0, then the vector number) and jumps to trap_common, which
; saves the rest of the registers as a struct trapframe (kernel/trap.h)
; and calls trap() in C.  trapret undoes it all and `iret`s.

%define KERNEL_DS 0x10

section .text

; Vectors where the CPU pushes an error code itself (SDM vol. 3, 6.13).
%macro STUB_ERR 1
trap_stub_%1:
	push dword %1
	jmp trap_common
%endmacro

%macro STUB_NOERR 1
trap_stub_%1:
	push dword 0
	push dword %1
	jmp trap_common
%endmacro

%assign v 0
%rep 48
%if v == 8 || (v >= 10 && v <= 14) || v == 17
	STUB_ERR v
%else
	STUB_NOERR v
%endif
%assign v v+1
%endrep
	STUB_NOERR 128

extern trap
trap_common:
	push ds
	push es
	push fs
	push gs
	pusha
	mov ax, KERNEL_DS		; user segments may be loaded: use ours
	mov ds, ax
	mov es, ax
	cld				; user mode may have set DF; C code and
					; rep movs/stos assume it clear (iret
					; restores the user's EFLAGS)
	push esp			; argument: struct trapframe *
	call trap
	add esp, 4
	jmp trapret			; trap() has delivered signals itself:
					; falling into fork_return delivered a
					; second, and cost every system call
					; ~35 instructions

; A new process starts in fork_return (its first context_switch
; "returns" here, see proc_alloc in proc.c) with its trap frame on the
; stack: deliver any signal posted before it ever ran, then leave as any
; trap does.
global fork_return
extern signal_deliver_first
fork_return:
	call signal_deliver_first
	; fall through

global trapret
trapret:
	popa
	pop gs
	pop fs
	pop es
	pop ds
	add esp, 8			; vector number and error code
	iret

; Table of stub addresses for trap_init() to put into the IDT.
section .rodata
global trap_vectors
trap_vectors:
%assign v 0
%rep 48
	dd trap_stub_ %+ v
%assign v v+1
%endrep
	dd trap_stub_128
