; Program entry for every brinch user program: linked first (section
; .text.start, see user/user.ld), it calls main(argc, argv) and passes
; main's return value to exit().
;
; The kernel's exec leaves the stack as:
;	[esp]	argc
;	[esp+4]	argv, a pointer to the NULL-terminated array further up
;		the stack, where the strings live too.

section .text.start
global _start
extern main
extern exit

_start:
	xor	ebp, ebp		; frame-pointer chain ends here (backtraces)
	mov	eax, [esp]		; argc
	mov	ecx, [esp + 4]		; argv
	and	esp, -16		; the i386 ABI wants 16-byte alignment at calls
	sub	esp, 8			; ... counting the two pushes below
	push	ecx
	push	eax
	call	main
	mov	[esp], eax		; main's return value is the exit status
	call	exit
.hang:	jmp	.hang			; exit does not return; be safe if it does

; Tell the linker this code needs no executable stack.
section .note.GNU-stack noalloc noexec nowrite progbits
