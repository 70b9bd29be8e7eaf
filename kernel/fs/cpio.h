/*
 * Reading "newc" cpio archives (the format Linux uses for initramfs; host
 * tools `cpio -t` list it).  Pure parsing, no allocation: tests/unit runs
 * it on the host; kernel/fs/initrd.c builds the file tree from it.
 */
#ifndef CPIO_H
#define CPIO_H

#include <stdint.h>
#include <stddef.h>

struct cpio_entry {
	const char    *name;	/* not NUL-terminated in general: use namelen */
	uint32_t       namelen;	/* without the NUL */
	const uint8_t *data;
	uint32_t       size;
	uint32_t       mode;	/* st_mode: 0040000 dir, 0100000 regular */
};

#define CPIO_MODE_TYPE	0170000
#define CPIO_MODE_DIR	0040000
#define CPIO_MODE_FILE	0100000

/*
 * Read the entry at *offset and advance *offset past it.
 * Returns 1 for an entry, 0 at the trailer, -1 if the archive is malformed
 * (bad magic, bad hex digit, or a name or body running past the end).
 */
int	cpio_next(const void *archive, size_t size, size_t *offset,
	    struct cpio_entry *out);

#endif
