/*
 * Host unit tests for kernel/fs/cpio.c and kernel/fs/initrd.c: a well-formed
 * newc archive is read entry by entry and becomes a file tree; truncated
 * or corrupt archives are rejected, never read past their end.
 */
// uses: kernel/fs/cpio.c kernel/fs/initrd.c lib/string.c
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/initrd.h"
#include "brinch/types.h"

static unsigned char archive[4096];
static size_t archive_len;

static void
pad4(void)
{
	while (archive_len % 4)
		archive[archive_len++] = 0;
}

/* Append one newc entry, as tools/mkinitrd.py would write it. */
static void
add_entry(const char *name, unsigned mode, const char *body)
{
	size_t namesize = strlen(name) + 1, filesize = body ? strlen(body) : 0;

	archive_len += sprintf((char *)archive + archive_len,
	    "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
	    1u, mode, 0u, 0u, 1u, 0u, filesize, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(archive + archive_len, name, namesize);
	archive_len += namesize;
	pad4();
	if (filesize)
		memcpy(archive + archive_len, body, filesize);
	archive_len += filesize;
	pad4();
}

static void
build_archive(void)
{
	archive_len = 0;
	add_entry("bin", 040755, NULL);
	add_entry("bin/sh", 0100755, "#!not really an ELF");
	add_entry("etc", 040755, NULL);
	add_entry("etc/motd", 0100644, "hello\n");
	add_entry("TRAILER!!!", 0, NULL);
}

static void
test_walk(void)
{
	struct cpio_entry e;
	size_t off = 0;
	int n = 0, r;

	build_archive();
	while ((r = cpio_next(archive, archive_len, &off, &e)) == 1)
		n++;
	CHECK_EQ_INT(r, 0);
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_INT(off, archive_len);

	off = 0;
	cpio_next(archive, archive_len, &off, &e);
	cpio_next(archive, archive_len, &off, &e);
	CHECK_EQ_INT(e.namelen, 6);
	CHECK(memcmp(e.name, "bin/sh", 6) == 0);
	CHECK_EQ_INT(e.size, 19);
	CHECK_EQ_INT(e.mode & CPIO_MODE_TYPE, CPIO_MODE_FILE);
}

static void
test_malformed(void)
{
	struct cpio_entry e;
	size_t off, cut;
	unsigned char saved;
	int r;

	build_archive();
	/* Every truncation either ends cleanly early or reports -1, and
	 * never reports data beyond the cut. */
	for (cut = 0; cut < archive_len; cut++) {
		off = 0;
		while ((r = cpio_next(archive, cut, &off, &e)) == 1)
			CHECK(e.data + e.size <= archive + cut);
		CHECK(r == -1 || r == 0);
	}
	/* Bad magic. */
	off = 0;
	archive[0] = 'X';
	CHECK_EQ_INT(cpio_next(archive, archive_len, &off, &e), -1);
	build_archive();
	/* Bad hex digit in the file size. */
	saved = archive[6 + 8 * 6];
	archive[6 + 8 * 6] = 'g';
	off = 0;
	CHECK_EQ_INT(cpio_next(archive, archive_len, &off, &e), -1);
	archive[6 + 8 * 6] = saved;
	/* A file size far past the end. */
	memcpy(archive + 6 + 8 * 6, "7FFFFFFF", 8);
	off = 0;
	CHECK_EQ_INT(cpio_next(archive, archive_len, &off, &e), -1);
	/* A name size of zero. */
	build_archive();
	memcpy(archive + 6 + 8 * 11, "00000000", 8);
	off = 0;
	CHECK_EQ_INT(cpio_next(archive, archive_len, &off, &e), -1);
	/* Offset beyond the archive. */
	off = archive_len + 10;
	CHECK_EQ_INT(cpio_next(archive, archive_len, &off, &e), -1);
}

static void
test_initrd_tree(void)
{
	const struct initrd_entry *root, *e;
	char buf[64];

	build_archive();
	CHECK_EQ_INT(initrd_init(archive, archive_len), 5);	/* + root */
	root = initrd_lookup("/");
	CHECK(root && root->type == FT_DIR);
	e = initrd_lookup("/bin/sh");
	CHECK(e && e->type == FT_FILE && e->size == 19);
	CHECK(initrd_lookup("bin//./sh") == e);
	CHECK(initrd_lookup("/etc/../bin/sh") == e);
	CHECK(initrd_lookup("/bin/nope") == NULL);
	CHECK(initrd_lookup("") == NULL);	/* empty path: ENOENT, not root */
	e = initrd_lookup("/etc/motd");
	CHECK(e && memcmp(e->data, "hello\n", 6) == 0);
	CHECK_STR(initrd_basename(e), "motd");

	CHECK_STR(initrd_child(root, 0)->path, "bin");
	CHECK_STR(initrd_child(root, 1)->path, "etc");
	CHECK(initrd_child(root, 2) == NULL);
	CHECK_STR(initrd_child(initrd_lookup("bin"), 0)->path, "bin/sh");
	CHECK(initrd_child(initrd_lookup("bin"), 1) == NULL);

	CHECK_EQ_INT(initrd_normalise("/../..//a/./b/", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "a/b");
	CHECK_EQ_INT(initrd_normalise("", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	CHECK_EQ_INT(initrd_normalise("/abcdefgh", buf, 5), -36 /* -ENAMETOOLONG */);

	archive[0] = 'X';
	CHECK_EQ_INT(initrd_init(archive, archive_len), -1);
}

int
main(void)
{
	test_walk();
	test_malformed();
	test_initrd_tree();
	return unit_summary("test_cpio");
}
