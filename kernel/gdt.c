/*
 * The global descriptor table: flat 4 GiB code and data segments for ring
 * 0 and ring 3, and the task-state segment whose only job is to tell the
 * CPU which kernel stack to use when an interrupt arrives in user mode.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "trap.h"

struct segment_descriptor {
	uint16_t limit_low;
	uint16_t base_low;
	uint8_t  base_mid;
	uint8_t  access;	/* present, DPL, type */
	uint8_t  flags_limit;	/* granularity, size, limit 19:16 */
	uint8_t  base_high;
} __attribute__((packed));

/* The fields of the 32-bit TSS we use; the rest stay zero. */
struct tss {
	uint32_t prev_task, esp0, ss0, unused[22];
	uint16_t trap, iomap_base;
} __attribute__((packed));

static struct segment_descriptor gdt[6];
static struct tss tss;

static void
set_segment(int i, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	gdt[i].limit_low = limit & 0xFFFF;
	gdt[i].base_low = base & 0xFFFF;
	gdt[i].base_mid = (base >> 16) & 0xFF;
	gdt[i].access = access;
	gdt[i].flags_limit = (flags << 4) | ((limit >> 16) & 0x0F);
	gdt[i].base_high = (base >> 24) & 0xFF;
}

void
gdt_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };

	/* access: 0x9A = present ring-0 code, 0x92 ring-0 data; 0xFA/0xF2
	 * the same at ring 3; 0x89 = present 32-bit available TSS.
	 * flags 0xC = 4 KiB granularity, 32-bit. */
	set_segment(SEG_KCODE, 0, 0xFFFFF, 0x9A, 0xC);
	set_segment(SEG_KDATA, 0, 0xFFFFF, 0x92, 0xC);
	set_segment(SEG_UCODE, 0, 0xFFFFF, 0xFA, 0xC);
	set_segment(SEG_UDATA, 0, 0xFFFFF, 0xF2, 0xC);
	set_segment(SEG_TSS, (uint32_t)&tss, sizeof(tss) - 1, 0x89, 0x0);
	tss.ss0 = KERNEL_DS;
	/* An I/O map base past the TSS limit means "no I/O ports for ring
	 * 3", so user `in`/`out` raise #GP. */
	tss.iomap_base = sizeof(tss);

	__asm__ volatile(
	    "lgdt %0\n\t"
	    "ljmp %1, $1f\n"
	    "1:\n\t"
	    "movw %w2, %%ax\n\t"
	    "movw %%ax, %%ds\n\t"
	    "movw %%ax, %%es\n\t"
	    "movw %%ax, %%fs\n\t"
	    "movw %%ax, %%gs\n\t"
	    "movw %%ax, %%ss\n\t"
	    "movw %w3, %%ax\n\t"
	    "ltr %%ax"
	    : : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "i"(TSS_SEL) : "eax");
}

void
tss_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}
