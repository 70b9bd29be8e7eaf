/*
 * File descriptors (see fd.h): finding and filling slots of the current
 * process's table.  Used by sys_file.c and kernel/net/sys_net.c.
 */
#include "kernel.h"
#include "proc.h"
#include "fd.h"

struct file *
fd_file(uint32_t fd)
{
	return fd < NOFILE ? current->files[fd] : NULL;
}

int
fd_lowest_free(void)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (!current->files[fd])
			return fd;
	return -EMFILE;
}

int
fd_alloc(struct file *f)
{
	int fd = fd_lowest_free();

	if (fd >= 0)
		current->files[fd] = f;
	return fd;
}
