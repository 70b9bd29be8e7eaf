/*
 * kmain: the kernel's first C function, called by boot/multiboot.asm with
 * paging on.  It brings up each subsystem in dependency order, starts
 * init, and then becomes the idle process.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "multiboot.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "trap.h"
#include "proc.h"
#include "sched.h"
#include "fs/initrd.h"
#include "cmdline.h"
#include "console.h"
#include "serial.h"
#include "vga.h"
#include "pic.h"
#include "pit.h"
#include "keyboard.h"
#include "pci.h"
#include "virtio_net.h"
#include "net/net.h"
#include "dist/kmsg.h"
#include "migrate/migrate.h"
#include "dist/rmbox.h"
#include "sched_policy.h"
#include "sched_admit.h"
#include "trace.h"

/* Find the initrd module and keep its frames away from the allocator. */
static void
load_initrd(struct multiboot_info *mb)
{
	struct multiboot_module *mod;
	int n;

	if (!(mb->flags & MB_INFO_MODS) || mb->mods_count == 0)
		panic("no initrd: boot with -initrd build/initrd.cpio (or GRUB's module line)");
	mod = P2V(mb->mods_addr);
	if (mod->end <= mod->start || mod->end > pmm_phys_top())
		panic("initrd module at %#x-%#x is outside memory", mod->start, mod->end);
	pmm_reserve(mod->start, mod->end);
	n = initrd_init(P2V(mod->start), mod->end - mod->start);
	if (n < 0)
		panic("initrd is not a valid newc cpio archive");
	kprintf("brinch: initrd: %u bytes, %d entries\n", mod->end - mod->start, n);
}

/* `make run CMDLINE=kfault` shows what a kernel bug looks like: a NULL
 * write in ring 0 is a page fault the kernel cannot blame on anyone, so
 * it panics with registers and a backtrace.  The tests check that too. */
static void __attribute__((noinline))
demo_kernel_fault(void)
{
	uint32_t *volatile null_pointer = NULL;	/* on the stack: keeps a frame */

	*null_pointer = 0xdead;
}

/* sched=rr|prio|mlfq, quantum=TICKS, maxrun=N on the command line. */
static void
configure_scheduler(void)
{
	char name[16];
	int policy = SCHED_RR, quantum = cmdline_get_int("quantum", 0);

	if (cmdline_get("sched", name, sizeof(name)) && (policy = policy_parse(name)) < 0) {
		kprintf("brinch: unknown sched=%s, using rr\n", name);
		policy = SCHED_RR;
	}
	if (quantum < 0 || policy_set(policy, (uint32_t)quantum) < 0)
		policy_set(policy, 0);
	if (admit_set_maxrun((uint32_t)cmdline_get_int("maxrun", 0)) < 0)
		kprintf("brinch: maxrun= must be 0..%d; no limit\n", NPROC);
	kprintf("brinch: scheduler: %s, quantum %u ticks, maxrun %u\n",
	    policy_name(sched_policy), sched_quantum, admit_maxrun);
}

void
kmain(uint32_t magic, uint32_t mbinfo_pa)
{
	struct multiboot_info *mb = P2V(mbinfo_pa);

	serial_init();
	vga_init();
	console_init();
	kprintf("\nbrinch: booting\n");
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot loader (magic %#x)", magic);
	cmdline_init(mb->flags & MB_INFO_CMDLINE ? (const char *)P2V(mb->cmdline) : "");
	kprintf("brinch: cmdline: %s\n", cmdline_text());

	pmm_init(mb);
	vm_init();
	kprintf("brinch: memory: %u KiB usable, %u frames free\n",
	    pmm_total_frames() * (PAGE_SIZE / 1024), pmm_free_frames());

	gdt_init();
	trap_init();
	pic_init();
	pit_init(TIMER_HZ);		/* its IRQ is unmasked with net_timer below */

	if (cmdline_get("kfault", (char[8]){0}, 8))
		demo_kernel_fault();
	load_initrd(mb);
	kheap_init();			/* frames: only once mb is read */
	proc_init();
	trace_init();				/* trace= (docs/tracing.md) */
	configure_scheduler();
	proc_start_init("/bin/init");
	serial_enable_interrupts();
	keyboard_init();
	pci_init();
	virtio_net_init();			/* registers its card with net/ */
	net_init();				/* docs/network.md */
	/* trap() runs the scheduler's tick on every timer IRQ first; the
	 * network stack's timers (ARP, retransmission) ride on the same IRQ. */
	irq_register(IRQ_TIMER, net_timer);
	kmsg_init();				/* docs/protocol.md */
	rmbox_init();
	migrate_init();				/* docs/migration.md */

	kprintf("brinch: starting init\n");
	idle_loop();
}
