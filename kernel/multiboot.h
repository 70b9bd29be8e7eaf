/*
 * The Multiboot 0.6.96 information block that GRUB and QEMU hand to
 * _start (boot/multiboot.asm); only the fields brinch reads.
 */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002

#define MB_INFO_MEMORY		0x001
#define MB_INFO_CMDLINE		0x004
#define MB_INFO_MODS		0x008
#define MB_INFO_MEM_MAP		0x040

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;	/* KiB below 1 MiB / above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;		/* physical address of a C string */
	uint32_t mods_count;
	uint32_t mods_addr;		/* physical address of module array */
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
} __attribute__((packed));

struct multiboot_module {
	uint32_t start, end;		/* physical, end exclusive */
	uint32_t string;		/* physical address of its command line */
	uint32_t reserved;
} __attribute__((packed));

/* One memory-map entry; `size` does not count itself. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;			/* 1 = usable RAM */
} __attribute__((packed));

#define MB_MEMORY_AVAILABLE	1

#endif
