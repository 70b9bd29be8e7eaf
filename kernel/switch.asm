; kernel/switch.asm: the context switch.
;
;   void context_switch(struct context **save, struct context *load);
;
; Called by schedule() in sched.c, in the kernel, on the kernel stack of
; the process giving up the CPU.  It pushes the registers C expects a
; function call to preserve (ebp, ebx, esi, edi; eip is already there as
; our return address), records where they are in *save, then moves esp to
; `load` - the saved registers of the next process - pops them and
; returns.  That `ret` lands wherever the next process last called
; context_switch, or in fork_return for a process that never ran.
;
; Everything else about a process (user registers, page directory,
; kernel stack for the next trap) is handled in C around this call.

section .text
global context_switch
context_switch:
	mov eax, [esp + 4]	; eax = save  (struct context **)
	mov edx, [esp + 8]	; edx = load  (struct context *)

	; Save the old process: the stack now holds a struct context.
	push ebp
	push ebx
	push esi
	push edi
	mov [eax], esp		; *save = old esp

	; ---- the switch: from here on we are on the new kernel stack ----
	mov esp, edx

	; Restore the new process.
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret			; to the eip saved in the new struct context
