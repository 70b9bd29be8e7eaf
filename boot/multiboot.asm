; boot/multiboot.asm: the first code that runs.  GRUB or `qemu -kernel`
; loads the kernel at physical 1 MiB and jumps to _start with paging off.
; We turn on paging with a throw-away page directory that maps the first
; 16 MiB twice (identity, so the next instruction still runs, and at
; KERNBASE, where the kernel is linked), then jump to kmain in C.

MB_MAGIC	equ 0x1BADB002
MB_FLAGS	equ 0x00000003		; bit 0: align modules, bit 1: memory map
KERNBASE	equ 0xC0000000
CR0_PG		equ 0x80000000
CR0_WP		equ 0x00010000
CR4_PSE		equ 0x00000010
PDE_4M		equ 0x83		; present | writable | 4 MiB page

section .multiboot		; first in the file: must be in its first 8 KiB
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

section .data
align 4096
; 1024 entries of 4 MiB each.  Entries 0-3 identity-map 0..16 MiB and
; entries 768-771 map the same memory at 0xC0000000.  kernel/mm/vm.c replaces
; this directory as soon as C code runs.
global boot_page_directory
boot_page_directory:
	%assign i 0
	%rep 4
	dd (i << 22) | PDE_4M
	%assign i i+1
	%endrep
	times (768 - 4) dd 0
	%assign i 0
	%rep 4
	dd (i << 22) | PDE_4M
	%assign i i+1
	%endrep
	times (1024 - 768 - 4) dd 0

section .bss
align 16
global boot_stack_top
boot_stack:
	resb 16384
boot_stack_top:

; Runs before paging, so it is linked at its physical address (section
; .boot, see kernel/kernel.ld): GRUB and QEMU both jump to e_entry as is.
section .boot
global _start
extern kmain
_start:
	; eax = multiboot magic, ebx = physical address of the info block.
	; Paging is off, so every address we touch here must be physical.
	mov ecx, cr4
	or ecx, CR4_PSE			; allow 4 MiB pages
	mov cr4, ecx
	mov ecx, boot_page_directory - KERNBASE
	mov cr3, ecx
	mov ecx, cr0
	or ecx, CR0_PG | CR0_WP		; paging on; ring 0 honours read-only
	mov cr0, ecx

	; Still running at a low address through the identity map: jump to
	; the kernel proper, linked above KERNBASE.
	mov ecx, higher_half
	jmp ecx

section .text
higher_half:
	mov esp, boot_stack_top
	xor ebp, ebp			; ends backtraces here
	push ebx			; multiboot info (physical)
	push eax			; multiboot magic
	call kmain
.hang:
	cli
	hlt
	jmp .hang
