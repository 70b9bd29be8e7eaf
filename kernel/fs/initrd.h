/*
 * The initial RAM disk: a read-only file tree unpacked (in place, nothing
 * is copied) from the cpio archive that the boot loader loads as a
 * multiboot module.  file.c opens files through it; exec.c loads programs.
 */
#ifndef INITRD_H
#define INITRD_H

#include <stdint.h>
#include <stddef.h>

#define INITRD_MAX_ENTRIES	256

struct initrd_entry {
	char           path[64];	/* normalised: "bin/sh"; root is "" */
	const uint8_t *data;
	uint32_t       size;
	int            type;		/* FT_FILE or FT_DIR */
};

/* Returns the number of entries, or -1 for a malformed archive. */
int	initrd_init(const void *archive, size_t size);

/* Normalise path ("/bin//./sh" -> "bin/sh", ".." handled) into out.
 * Returns 0 or -ENAMETOOLONG. */
int	initrd_normalise(const char *path, char *out, size_t outsize);

const struct initrd_entry *initrd_lookup(const char *path);

/* The index-th entry directly inside dir, or NULL past the last. */
const struct initrd_entry *initrd_child(const struct initrd_entry *dir, uint32_t index);

/* The last component of an entry's path ("sh" for "bin/sh"). */
const char *initrd_basename(const struct initrd_entry *e);

#endif
