/*
 * Open files (see file.h): the system-wide file table and the operations
 * behind read/write/lseek/readdir/fstat.  Each kind of file is a case in a
 * switch; with four kinds (file, directory, console, socket) that reads
 * better than a table of methods.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "initrd.h"
#include "console.h"
#include "file.h"
#include "net/socket.h"

static struct file file_table[NFILE];

#define CONSOLE_PATH	"dev/console"

struct file *
file_open_kernel(const char *path, int flags, int *err)
{
	const struct initrd_entry *e = NULL;
	struct file *f;
	char norm[MAXPATH];
	int type, mode = flags & O_ACCMODE;

	if ((flags & ~O_ACCMODE) || mode == O_ACCMODE) {
		*err = -EINVAL;
		return NULL;
	}
	if (path[0] == '\0') {
		*err = -ENOENT;
		return NULL;
	}
	if (initrd_normalise(path, norm, sizeof(norm)) < 0) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	if (strcmp(norm, CONSOLE_PATH) == 0) {
		type = FT_CONSOLE;
	} else {
		if (!(e = initrd_lookup(path))) {
			*err = -ENOENT;
			return NULL;
		}
		type = e->type;
		if (mode != O_RDONLY) {
			*err = type == FT_DIR ? -EISDIR : -EROFS;
			return NULL;
		}
	}
	for (f = file_table; f < &file_table[NFILE]; f++)
		if (f->type == 0)
			break;
	if (f == &file_table[NFILE]) {
		*err = -ENFILE;
		return NULL;
	}
	f->type = type;
	f->refs = 1;
	f->readable = mode != O_WRONLY;
	f->writable = mode != O_RDONLY;
	f->offset = 0;
	f->entry = e;
	return f;
}

/* ---- sockets: the socket layer does the work (kernel/net/socket.c) ---- */

struct file *
file_open_socket(struct socket *s, int *err)
{
	struct file *f;

	for (f = file_table; f < &file_table[NFILE]; f++) {
		if (f->type == 0) {
			memset(f, 0, sizeof(*f));
			f->type = FT_SOCKET;
			f->refs = 1;
			f->readable = f->writable = 1;
			f->socket = s;
			return f;
		}
	}
	*err = -ENFILE;
	return NULL;
}

struct file *
file_dup(struct file *f)
{
	f->refs++;
	return f;
}

void
file_close(struct file *f)
{
	assert(f->refs > 0);
	if (--f->refs > 0)
		return;
	if (f->type == FT_SOCKET)
		socket_close(f->socket);
	memset(f, 0, sizeof(*f));
}

/* Console reads go through a small kernel buffer: the line discipline
 * works in kernel memory, and at most one line is returned anyway. */
static int
console_read_user(uint32_t uaddr, uint32_t n)
{
	char buf[256];
	int got;

	if (!user_range_ok(current->pgdir, uaddr, n, 1))
		return -EFAULT;
	got = console_read(buf, MIN(n, sizeof(buf)));
	if (got > 0 && copy_to_user(current->pgdir, uaddr, buf, got) < 0)
		return -EFAULT;
	return got;
}

static int
console_write_user(uint32_t uaddr, uint32_t n)
{
	char buf[256];
	uint32_t done = 0, chunk;

	if (!user_range_ok(current->pgdir, uaddr, n, 0))
		return -EFAULT;
	while (done < n) {
		chunk = MIN(n - done, sizeof(buf));
		if (copy_from_user(current->pgdir, buf, uaddr + done, chunk) < 0)
			return -EFAULT;
		console_write(buf, chunk);
		done += chunk;
	}
	return (int)done;
}

int
file_read(struct file *f, uint32_t uaddr, uint32_t n)
{
	uint32_t avail;

	if (!f->readable)
		return -EBADF;
	switch (f->type) {
	case FT_CONSOLE:
		/* Away from home its terminal is the home node's, and input
		 * does not travel (docs/migration.md). */
		if (current->home >= 0)
			return -EIO;
		current->reads_console = 1;	/* migration leaves it here */
		return console_read_user(uaddr, n);
	case FT_SOCKET:		/* recv(): one datagram (TCP: bytes), no source */
		return socket_recvfrom(f->socket, uaddr, n, 0, 0, 0);
	case FT_DIR:
		return -EISDIR;
	case FT_FILE:
		if (f->offset >= f->entry->size)
			return 0;
		avail = MIN(n, f->entry->size - f->offset);
		if (copy_to_user(current->pgdir, uaddr, f->entry->data + f->offset, avail) < 0)
			return -EFAULT;
		f->offset += avail;
		return (int)avail;
	}
	return -EBADF;
}

int
file_write(struct file *f, uint32_t uaddr, uint32_t n)
{
	if (!f->writable)
		return -EBADF;
	if (f->type == FT_CONSOLE && current->home >= 0 && migrate_hooks)
		return migrate_hooks->console_write(current, uaddr, n);	/* goes home */
	if (f->type == FT_CONSOLE)
		return console_write_user(uaddr, n);
	if (f->type == FT_SOCKET)	/* TCP: send(); others: EDESTADDRREQ */
		return socket_sendto(f->socket, uaddr, n, 0, 0, 0);
	return -EROFS;
}

int
file_seek(struct file *f, int32_t offset, int whence)
{
	int64_t base;

	if (f->type != FT_FILE)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->offset;
		break;
	case SEEK_END:
		base = f->entry->size;
		break;
	default:
		return -EINVAL;
	}
	if (base + offset < 0 || base + offset > INT32_MAX)
		return -EINVAL;
	f->offset = (uint32_t)(base + offset);
	return (int)f->offset;
}

int
file_readdir(struct file *f, struct dirent *out)
{
	const struct initrd_entry *e;

	if (f->type != FT_DIR)
		return -ENOTDIR;
	if (!(e = initrd_child(f->entry, f->offset)))
		return 0;
	f->offset++;
	memset(out, 0, sizeof(*out));
	out->size = e->size;
	out->type = e->type;
	strlcpy(out->name, initrd_basename(e), sizeof(out->name));
	return 1;
}

int
file_stat(struct file *f, struct stat *out)
{
	memset(out, 0, sizeof(*out));
	out->type = f->type;
	out->size = f->entry ? f->entry->size : 0;
	return 0;
}
