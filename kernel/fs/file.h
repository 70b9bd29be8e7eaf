/*
 * Open files: what a file descriptor points at.  A struct file is shared
 * by every descriptor that fork or dup copied from the same open(), so
 * they share one offset, as in Unix.  Kinds: initrd files and directories
 * (read-only), the console (dev/console), and sockets of every sort
 * (UDP, TCP, ICMP echo, raw Ethernet), made by socket() and accept().
 */
#ifndef FILE_H
#define FILE_H

#include <stdint.h>
#include "brinch/types.h"

#define NFILE	128			/* open files, system-wide */

struct initrd_entry;
struct socket;

struct file {
	int       type;			/* FT_FILE, FT_DIR, FT_CONSOLE, FT_SOCKET; 0 = free */
	int       refs;			/* descriptors pointing here */
	int       readable, writable;
	uint32_t  offset;		/* byte offset, or entry index for a dir */
	const struct initrd_entry *entry;	/* FT_FILE and FT_DIR */
	struct socket *socket;		/* FT_SOCKET (kernel/net/socket.c) */
};

/* path is a kernel string.  Returns NULL and sets *err on failure. */
struct file *file_open_kernel(const char *path, int flags, int *err);
struct file *file_dup(struct file *f);
/* A new open file for a socket; the file owns it from now on. */
struct file *file_open_socket(struct socket *s, int *err);
void	file_close(struct file *f);

/* Reads and writes move data straight to/from user address uaddr. */
int	file_read(struct file *f, uint32_t uaddr, uint32_t n);
int	file_write(struct file *f, uint32_t uaddr, uint32_t n);
int	file_seek(struct file *f, int32_t offset, int whence);
int	file_readdir(struct file *f, struct dirent *out);
int	file_stat(struct file *f, struct stat *out);

#endif
