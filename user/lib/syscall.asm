; Where user space traps into the kernel.  C wrappers in
; user/lib/syscalls.c and user/lib/ipc.c call syscall5() or syscall6()
; (calls without arguments use syscall0, inline in syscall.h);
; usertests also calls them directly with bogus numbers and pointers.
; See include/brinch/syscall.h for the convention.

section .text
global syscall5
global syscall6

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

; int syscall6(int num, int a, int b, int c, int d, int e, int f)
; The sixth argument travels in ebp, so ebp cannot hold our frame: the
; arguments are read relative to esp instead, after the four pushes of
; callee-saved registers (16 bytes) and the return address (4 bytes).
syscall6:
	push	ebp
	push	ebx
	push	esi
	push	edi
	mov	eax, [esp + 20]		; number
	mov	ebx, [esp + 24]		; arguments 1..6
	mov	ecx, [esp + 28]
	mov	edx, [esp + 32]
	mov	esi, [esp + 36]
	mov	edi, [esp + 40]
	mov	ebp, [esp + 44]		; last: esp-relative loads don't need it
	int	0x80
	pop	edi
	pop	esi
	pop	ebx
	pop	ebp
	ret

; Tell the linker this code needs no executable stack.
section .note.GNU-stack noalloc noexec nowrite progbits
