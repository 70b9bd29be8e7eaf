/*
 * ELF32 executables: the header checks exec needs before trusting a file.
 * elf_parse() is pure (no kernel calls), so tests/unit runs it on the host
 * against truncated and corrupt images.
 */
#ifndef ELF_H
#define ELF_H

#include <stdint.h>
#include <stddef.h>

#define ELF_MAX_SEGMENTS	8

struct elf_segment {
	uint32_t vaddr;		/* where it goes in the user address space */
	uint32_t memsz;		/* bytes in memory (filesz + zero fill) */
	uint32_t offset;	/* where its bytes start in the file */
	uint32_t filesz;	/* bytes taken from the file */
	int      writable;
};

struct elf_info {
	uint32_t entry;
	int      nsegments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * Check that image[0..size) is an i386 ELF32 executable whose loadable
 * segments fit in the file and in [user_min, user_top), and describe them.
 * Returns 0 or -ENOEXEC.
 */
int	elf_parse(const void *image, size_t size, uint32_t user_min,
	    uint32_t user_top, struct elf_info *out);

#endif
