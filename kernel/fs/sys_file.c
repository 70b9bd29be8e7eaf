/*
 * File system calls: descriptors to struct file (file.c) and back.  This
 * file only translates: check the descriptor, copy arguments in, call the
 * file layer, copy results out.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "file.h"
#include "fd.h"
#include "syscall.h"

int
sys_open(uint32_t upath, uint32_t flags)
{
	char path[MAXPATH];
	struct file *f;
	int err, fd;

	if ((err = copy_string_from_user(current->pgdir, path, upath, sizeof(path))) < 0)
		return err;
	if (!(f = file_open_kernel(path, (int)flags, &err)))
		return err;
	if ((fd = fd_alloc(f)) < 0)
		file_close(f);
	return fd;
}

int
sys_close(uint32_t fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	current->files[fd] = NULL;
	file_close(f);
	return 0;
}

int
sys_dup(uint32_t fd)
{
	struct file *f = fd_file(fd);
	int newfd;

	if (!f)
		return -EBADF;
	if ((newfd = fd_alloc(f)) >= 0)
		file_dup(f);
	return newfd;
}

int
sys_read(uint32_t fd, uint32_t ubuf, uint32_t n)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if ((int32_t)n < 0)
		return -EINVAL;
	return file_read(f, ubuf, n);
}

int
sys_write(uint32_t fd, uint32_t ubuf, uint32_t n)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if ((int32_t)n < 0)
		return -EINVAL;
	return file_write(f, ubuf, n);
}

int
sys_lseek(uint32_t fd, uint32_t offset, uint32_t whence)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	return file_seek(f, (int32_t)offset, (int)whence);
}

int
sys_readdir(uint32_t fd, uint32_t udirent)
{
	struct file *f = fd_file(fd);
	struct dirent d;
	int r;

	if (!f)
		return -EBADF;
	if (!user_range_ok(current->pgdir, udirent, sizeof(d), 1))
		return -EFAULT;
	if ((r = file_readdir(f, &d)) <= 0)
		return r;
	return copy_to_user(current->pgdir, udirent, &d, sizeof(d)) < 0 ? -EFAULT : r;
}

int
sys_fstat(uint32_t fd, uint32_t ustat)
{
	struct file *f = fd_file(fd);
	struct stat st;

	if (!f)
		return -EBADF;
	file_stat(f, &st);
	return copy_to_user(current->pgdir, ustat, &st, sizeof(st));
}
