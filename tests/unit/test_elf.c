/*
 * Host unit tests for kernel/elf.c: a valid i386 executable is described
 * correctly; every kind of corruption (magic, class, machine, header
 * offsets, segment bounds, entry point, truncation) is -ENOEXEC.
 */
// uses: kernel/elf.c
#include <string.h>
#include "unit.h"
#include "kernel/elf.h"

#define USER_MIN	0x1000u
#define USER_TOP	0xC0000000u
#define ENOEXEC_	(-8)

struct phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

static unsigned char image[8192];

/* A minimal executable: header, two program headers, some bytes. */
static void
build_elf(void)
{
	struct phdr ph[2] = {
		{ 1, 0x1000, 0x08048000, 0x08048000, 0x100, 0x100, 5, 0x1000 },
		{ 1, 0x1100, 0x08049000, 0x08049000, 0x20, 0x400, 6, 0x1000 },
	};
	uint16_t half;
	uint32_t word;

	memset(image, 0, sizeof(image));
	memcpy(image, "\x7f" "ELF\x01\x01\x01", 7);
	half = 2;  memcpy(image + 16, &half, 2);	/* ET_EXEC */
	half = 3;  memcpy(image + 18, &half, 2);	/* EM_386 */
	word = 1;  memcpy(image + 20, &word, 4);	/* version */
	word = 0x08048010; memcpy(image + 24, &word, 4);	/* entry */
	word = 52; memcpy(image + 28, &word, 4);	/* phoff */
	half = 52; memcpy(image + 40, &half, 2);	/* ehsize */
	half = 32; memcpy(image + 42, &half, 2);	/* phentsize */
	half = 2;  memcpy(image + 44, &half, 2);	/* phnum */
	memcpy(image + 52, ph, sizeof(ph));
}

static int
parse(size_t size)
{
	struct elf_info info;

	return elf_parse(image, size, USER_MIN, USER_TOP, &info);
}

static void
set_word(size_t off, uint32_t v)
{
	memcpy(image + off, &v, 4);
}

int
main(void)
{
	struct elf_info info;
	size_t cut;

	build_elf();
	CHECK_EQ_INT(elf_parse(image, sizeof(image), USER_MIN, USER_TOP, &info), 0);
	CHECK_EQ_INT(info.entry, 0x08048010);
	CHECK_EQ_INT(info.nsegments, 2);
	CHECK_EQ_INT(info.segments[0].writable, 0);
	CHECK_EQ_INT(info.segments[1].writable, 1);
	CHECK_EQ_INT(info.segments[1].memsz, 0x400);
	CHECK_EQ_INT(info.segments[1].filesz, 0x20);

	/* Truncated anywhere before the end of the last segment's bytes. */
	for (cut = 0; cut < 0x1120; cut += 7)
		CHECK_EQ_INT(parse(cut), ENOEXEC_);
	CHECK_EQ_INT(parse(0x1120), 0);

	build_elf(); image[0] = 0;                 CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_);
	build_elf(); image[4] = 2;                 CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* 64-bit */
	build_elf(); image[18] = 62;               CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* x86-64 */
	build_elf(); image[16] = 3;                CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* ET_DYN */
	build_elf(); set_word(28, 0xFFFFFFF0);     CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* phoff */
	build_elf(); image[44] = 0xFF; image[45] = 0xFF; CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* phnum */
	build_elf(); set_word(24, 0x10000000);     CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* entry */
	build_elf(); set_word(52 + 8, 0);          CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* vaddr 0 */
	build_elf(); set_word(52 + 8, 0xBFFFFF00); CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* crosses top */
	build_elf(); set_word(52 + 8, 0xC0100000); CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* kernel */
	build_elf(); set_word(52 + 16, 0x200);     CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* filesz > memsz */
	build_elf(); set_word(52 + 4, 0xFFFFFFF0); CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* offset */
	build_elf(); set_word(52 + 20, 0xFFFFFFFF); CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* memsz wraps */
	build_elf(); set_word(52, 0); set_word(52 + 32, 0);  CHECK_EQ_INT(parse(sizeof(image)), ENOEXEC_); /* no PT_LOAD */
	return unit_summary("test_elf");
}
