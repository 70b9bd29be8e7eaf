; Where a signal handler returns to.  sigaction() in user/lib/syscalls.c
; puts this address in sa_restorer; the kernel makes it the handler's
; return address.  When the handler's `ret` lands here, esp points just
; past that return address, at the frame the kernel saved, which is
; where sigreturn expects it: so push nothing, just trap.

section .text
global sigreturn_trampoline

SYS_sigreturn	equ	27		; include/brinch/syscall.h

sigreturn_trampoline:
	mov	eax, SYS_sigreturn
	int	0x80
	ud2				; sigreturn does not come back here

; Tell the linker this code needs no executable stack.
section .note.GNU-stack noalloc noexec nowrite progbits
