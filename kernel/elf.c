/*
 * ELF32 validation (see elf.h).  Every field that becomes an address or a
 * length is range-checked before use, because an executable is just bytes
 * a user put in the initrd.  Field layout: System V ABI, "Object Files".
 */
#include "elf.h"
#include "brinch/errno.h"

#define EI_NIDENT	16
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PF_W		2

struct elf_header {
	unsigned char ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

/* Copy bytes without assuming the image is aligned. */
static void
copy_bytes(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

int
elf_parse(const void *image, size_t size, uint32_t user_min, uint32_t user_top,
    struct elf_info *out)
{
	const unsigned char *bytes = image;
	struct elf_header eh;
	struct elf_phdr ph;
	uint32_t i, off;

	if (size < sizeof(eh))
		return -ENOEXEC;
	copy_bytes(&eh, bytes, sizeof(eh));
	if (eh.ident[0] != 0x7F || eh.ident[1] != 'E' || eh.ident[2] != 'L' ||
	    eh.ident[3] != 'F' || eh.ident[4] != ELFCLASS32 ||
	    eh.ident[5] != ELFDATA2LSB || eh.type != ET_EXEC ||
	    eh.machine != EM_386 || eh.phentsize != sizeof(ph))
		return -ENOEXEC;
	if (eh.phoff > size || eh.phnum > (size - eh.phoff) / sizeof(ph))
		return -ENOEXEC;

	out->entry = eh.entry;
	out->nsegments = 0;
	for (i = 0; i < eh.phnum; i++) {
		off = eh.phoff + i * sizeof(ph);
		copy_bytes(&ph, bytes + off, sizeof(ph));
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (out->nsegments == ELF_MAX_SEGMENTS)
			return -ENOEXEC;
		if (ph.filesz > ph.memsz ||
		    ph.offset > size || ph.filesz > size - ph.offset ||
		    ph.vaddr < user_min || ph.vaddr >= user_top ||
		    ph.memsz > user_top - ph.vaddr)
			return -ENOEXEC;
		out->segments[out->nsegments].vaddr = ph.vaddr;
		out->segments[out->nsegments].memsz = ph.memsz;
		out->segments[out->nsegments].offset = ph.offset;
		out->segments[out->nsegments].filesz = ph.filesz;
		out->segments[out->nsegments].writable = (ph.flags & PF_W) != 0;
		out->nsegments++;
	}
	if (out->nsegments == 0)
		return -ENOEXEC;
	/* The entry point must lie inside something we load. */
	for (i = 0; i < (uint32_t)out->nsegments; i++)
		if (eh.entry >= out->segments[i].vaddr &&
		    eh.entry - out->segments[i].vaddr < out->segments[i].memsz)
			return 0;
	return -ENOEXEC;
}
