; Where user space traps into the kernel.  C wrappers in
; user/lib/syscalls.c and user/lib/ipc.c call syscall5() (calls without
; arguments, and those with six, trap inline: syscall0 and syscall6 in
; syscall.h); usertests also calls them directly with bogus numbers and
; pointers.
; See include/brinch/syscall.h for the convention.

section .text
global syscall5

; int syscall5(int num, int a, int b, int c, int d, int e)
; Returns the kernel's eax: a result, or -errno.
syscall5:
	push	ebp
	mov	ebp, esp
	push	ebx			; ebx, esi, edi belong to our caller (cdecl)
	push	esi
	push	edi
	mov	eax, [ebp + 8]		; number
	mov	ebx, [ebp + 12]		; arguments 1..5
	mov	ecx, [ebp + 16]
	mov	edx, [ebp + 20]
	mov	esi, [ebp + 24]
	mov	edi, [ebp + 28]
	int	0x80
	pop	edi
	pop	esi
	pop	ebx
	pop	ebp
	ret

; Tell the linker this code needs no executable stack.
section .note.GNU-stack noalloc noexec nowrite progbits
