/*
 * File descriptors: the small numbers a process holds for its open files,
 * slots of current->files[] (NOFILE of them).  The file and socket
 * system calls all go through here, so every new descriptor is the lowest
 * free one, as Unix promises.
 */
#ifndef FD_H
#define FD_H

#include <stdint.h>

struct file;

/* The open file behind fd in the current process, or NULL. */
struct file *fd_file(uint32_t fd);

/* The lowest free descriptor, or -EMFILE; for a call that must know
 * before it does something it cannot undo (accept). */
int	fd_lowest_free(void);

/* Put f at the lowest free descriptor and return it; -EMFILE if there
 * is none (f is then still the caller's). */
int	fd_alloc(struct file *f);

#endif
