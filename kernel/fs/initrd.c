/*
 * The initrd file tree (see initrd.h).  At boot the archive is walked once
 * into a flat table of entries; lookups compare normalised paths.  A tree
 * of a few dozen files needs nothing cleverer, and a student can read it.
 */
#include "lib/string.h"
#include "brinch/errno.h"
#include "brinch/types.h"
#include "cpio.h"
#include "initrd.h"

static struct initrd_entry entries[INITRD_MAX_ENTRIES];
static int nentries;

int
initrd_normalise(const char *path, char *out, size_t outsize)
{
	size_t len = 0, n;
	const char *p = path, *end;

	while (*p) {
		while (*p == '/')
			p++;
		for (end = p; *end && *end != '/'; end++)
			;
		n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* empty or "." component: nothing to add */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;	/* the separating slash */
		} else {
			if (len + (len > 0) + n + 1 > outsize)
				return -ENAMETOOLONG;
			if (len > 0)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p = end;
	}
	if (outsize == 0)
		return -ENAMETOOLONG;
	out[len] = '\0';
	return 0;
}

int
initrd_init(const void *archive, size_t size)
{
	struct cpio_entry ce;
	struct initrd_entry *e;
	size_t offset = 0;
	char name[sizeof(entries[0].path)];
	int r;

	nentries = 0;
	e = &entries[nentries++];	/* the root directory */
	e->path[0] = '\0';
	e->type = FT_DIR;
	while ((r = cpio_next(archive, size, &offset, &ce)) == 1) {
		if (ce.namelen >= sizeof(name) || nentries == INITRD_MAX_ENTRIES)
			continue;	/* too long or too many: skip it */
		memcpy(name, ce.name, ce.namelen);
		name[ce.namelen] = '\0';
		e = &entries[nentries];
		if (initrd_normalise(name, e->path, sizeof(e->path)) < 0 ||
		    e->path[0] == '\0')
			continue;	/* "." or unrepresentable */
		e->data = ce.data;
		e->size = ce.size;
		if ((ce.mode & CPIO_MODE_TYPE) == CPIO_MODE_DIR)
			e->type = FT_DIR;
		else if ((ce.mode & CPIO_MODE_TYPE) == CPIO_MODE_FILE)
			e->type = FT_FILE;
		else
			continue;	/* devices, links: not supported */
		if (e->type == FT_DIR)
			e->size = 0;
		nentries++;
	}
	return r < 0 ? -1 : nentries;
}

const struct initrd_entry *
initrd_lookup(const char *path)
{
	char norm[sizeof(entries[0].path)];
	int i;

	/* POSIX: the empty path names nothing (it is not "."). */
	if (path[0] == '\0' || initrd_normalise(path, norm, sizeof(norm)) < 0)
		return NULL;
	for (i = 0; i < nentries; i++)
		if (strcmp(entries[i].path, norm) == 0)
			return &entries[i];
	return NULL;
}

static int
is_child(const struct initrd_entry *dir, const struct initrd_entry *e)
{
	size_t n = strlen(dir->path);
	const char *rest;

	if (e == dir)
		return 0;
	if (n == 0)
		rest = e->path;
	else if (strncmp(e->path, dir->path, n) == 0 && e->path[n] == '/')
		rest = e->path + n + 1;
	else
		return 0;
	return strchr(rest, '/') == NULL;
}

const struct initrd_entry *
initrd_child(const struct initrd_entry *dir, uint32_t index)
{
	int i;

	for (i = 0; i < nentries; i++)
		if (is_child(dir, &entries[i]) && index-- == 0)
			return &entries[i];
	return NULL;
}

const char *
initrd_basename(const struct initrd_entry *e)
{
	const char *slash = strrchr(e->path, '/');

	return slash ? slash + 1 : e->path;
}
