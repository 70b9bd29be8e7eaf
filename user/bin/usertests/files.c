/*
 * files.c: usertests topic "files": every system call that takes a
 * pointer refuses bad ones with EFAULT, and the file-descriptor calls
 * (open, read, write, lseek, dup, readdir) behave on the initrd.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "user/lib/syscall.h"
#include "usertests.h"

/* ---- bad pointers: EFAULT ----------------------------------------------- */

static void *const bad_pointers[] = { NULL, KERNEL_SPACE, UNMAPPED,
    (void *)0xFFFFF000 };
#define NBAD	(sizeof(bad_pointers) / sizeof(bad_pointers[0]))

static int
test_efault_read(void)
{
	char *edge = heap_edge();
	int fd = open_motd();

	EXPECT(edge != NULL && fd >= 0);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(read(fd, bad_pointers[i], 16), EFAULT);
	EXPECT_ERR(read(fd, edge - 8, 64), EFAULT);		/* overlong */
	close(fd);
	return 0;
}

static int
test_efault_write(void)
{
	char *edge = heap_edge();
	char local = 0;

	EXPECT(edge != NULL);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(write(STDOUT_FILENO, bad_pointers[i], 16), EFAULT);
	EXPECT_ERR(write(STDOUT_FILENO, edge - 8, 64), EFAULT);
	/* From our stack up past the start of kernel space. */
	EXPECT_ERR(write(STDOUT_FILENO, &local,
	    (uintptr_t)KERNEL_SPACE - (uintptr_t)&local + 16), EFAULT);
	/* Valid start, but the length wraps around the address space; as
	 * a signed count it is negative, so EINVAL is fair too. */
	errno = 0;
	EXPECT(write(STDOUT_FILENO, (void *)0x08048000, 0xFFFFFFF0) == -1);
	EXPECT(errno == EFAULT || errno == EINVAL);
	return 0;
}

static int
test_efault_open(void)
{
	char *edge = heap_edge();

	EXPECT(edge != NULL);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(open(bad_pointers[i], O_RDONLY), EFAULT);
	/* "/etc/motd" flush against the edge, with no NUL after it. */
	memcpy(edge - 9, "/etc/motd", 9);
	EXPECT_ERR(open(edge - 9, O_RDONLY), EFAULT);
	return 0;
}

static int
test_efault_exec(void)
{
	char *edge = heap_edge();
	char *argv[] = { "true", NULL };
	char *bad_string_argv[] = { "true", KERNEL_SPACE, NULL };
	char **unterminated;

	EXPECT(edge != NULL);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(exec(bad_pointers[i], argv), EFAULT);
	memcpy(edge - 9, "/bin/true", 9);
	EXPECT_ERR(exec(edge - 9, argv), EFAULT);
	EXPECT_ERR(exec("/bin/true", KERNEL_SPACE), EFAULT);
	EXPECT_ERR(exec("/bin/true", UNMAPPED), EFAULT);
	EXPECT_ERR(exec("/bin/true", bad_string_argv), EFAULT);
	/* An argv array with no NULL before the edge. */
	unterminated = (char **)(edge - 2 * sizeof(char *));
	unterminated[0] = "true";
	unterminated[1] = "x";
	EXPECT_ERR(exec("/bin/true", unterminated), EFAULT);
	return 0;			/* and we are still running */
}

static int
test_efault_waitpid(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(0);
	EXPECT(pid > 0);
	EXPECT_ERR(waitpid(pid, KERNEL_SPACE, 0), EFAULT);
	EXPECT_ERR(waitpid(pid, UNMAPPED, 0), EFAULT);
	/* Whether the failed call reaped the child is up to the kernel;
	 * either way it must be gone after this. */
	waitpid(pid, &status, 0);
	EXPECT_ERR(waitpid(pid, &status, WNOHANG), ECHILD);
	return 0;
}

static int
test_efault_ps(void)
{
	char *edge = heap_edge();

	EXPECT(edge != NULL);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(ps(bad_pointers[i], 8), EFAULT);
	/* Room for one entry, but at least two processes exist (init and
	 * us), so the second one lands past the edge. */
	EXPECT_ERR(ps((struct proc_info *)(edge - sizeof(struct proc_info)), 8),
	    EFAULT);
	return 0;
}

static int
test_efault_meminfo(void)
{
	char *edge = heap_edge();

	EXPECT(edge != NULL);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(meminfo(bad_pointers[i]), EFAULT);
	EXPECT_ERR(meminfo((struct meminfo *)(edge - 4)), EFAULT);
	return 0;
}

static int
test_efault_uptime(void)
{
	char *edge = heap_edge();

	EXPECT(edge != NULL);
	EXPECT(uptime(NULL) >= 0);	/* NULL means "ticks only": fine */
	EXPECT_ERR(uptime(KERNEL_SPACE), EFAULT);
	EXPECT_ERR(uptime(UNMAPPED), EFAULT);
	EXPECT_ERR(uptime((struct timeval64 *)(edge - 4)), EFAULT);
	return 0;
}

static int
test_efault_readdir(void)
{
	char *edge = heap_edge();
	int fd = open("/bin", O_RDONLY);

	EXPECT(edge != NULL && fd >= 0);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(readdir(fd, bad_pointers[i]), EFAULT);
	EXPECT_ERR(readdir(fd, (struct dirent *)(edge - 8)), EFAULT);
	close(fd);
	return 0;
}

static int
test_efault_fstat(void)
{
	char *edge = heap_edge();
	int fd = open_motd();

	EXPECT(edge != NULL && fd >= 0);
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_ERR(fstat(fd, bad_pointers[i]), EFAULT);
	EXPECT_ERR(fstat(fd, (struct stat *)(edge - 4)), EFAULT);
	close(fd);
	return 0;
}

/* ---- system call numbers and file descriptors --------------------------- */

static int
test_enosys(void)
{
	int numbers[] = { 0, NSYSCALL, 999, -1, 0x7fffffff, (int)0x80000000 };

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		int r = syscall5(numbers[i], 1, 2, 3, 4, 5);

		if (r != -ENOSYS)
			return fail("syscall %d returned %d, want -ENOSYS",
			    numbers[i], r);
	}
	return 0;
}

static int
test_ebadf(void)
{
	int fds[] = { -1, NOFILE, 999, 7 };	/* 7: valid number, not open */
	struct stat st;
	struct dirent ent;
	char c;

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		int fd = fds[i];

		EXPECT_ERR(read(fd, &c, 1), EBADF);
		EXPECT_ERR(write(fd, "x", 1), EBADF);
		EXPECT_ERR(close(fd), EBADF);
		EXPECT_ERR(fstat(fd, &st), EBADF);
		EXPECT_ERR(lseek(fd, 0, SEEK_SET), EBADF);
		EXPECT_ERR(readdir(fd, &ent), EBADF);
		EXPECT_ERR(dup(fd), EBADF);
	}
	return 0;
}

static int
test_close_twice(void)
{
	int fd = open_motd();
	char c;

	EXPECT(fd >= 0);
	EXPECT_OK(close(fd));
	EXPECT_ERR(close(fd), EBADF);
	EXPECT_ERR(read(fd, &c, 1), EBADF);
	return 0;
}

static int
test_open_missing(void)
{
	char long_path[MAXPATH + 10];

	EXPECT_ERR(open("/nonexistent", O_RDONLY), ENOENT);
	EXPECT_ERR(open("/etc/nonexistent", O_RDONLY), ENOENT);
	EXPECT_ERR(open("/bin/s", O_RDONLY), ENOENT);	/* prefix of sh */
	EXPECT_ERR(open("", O_RDONLY), ENOENT);

	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	EXPECT_ERR(open(long_path, O_RDONLY), ENAMETOOLONG);
	return 0;
}

static int
test_open_read(void)
{
	struct stat st;
	char buf[64];
	int fd, n, total = 0;

	fd = open_motd();
	EXPECT(fd >= 3);		/* 0, 1 and 2 are the console */
	EXPECT_OK(fstat(fd, &st));
	EXPECT(st.type == FT_FILE);
	EXPECT(st.size > 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	EXPECT(n == 0);
	EXPECT(total == (int)st.size);
	EXPECT(read(fd, buf, sizeof(buf)) == 0);	/* still at the end */
	EXPECT(write(STDOUT_FILENO, buf, 0) == 0);
	close(fd);

	fd = open("/", O_RDONLY);
	EXPECT(fd >= 0);
	EXPECT_OK(fstat(fd, &st));
	EXPECT(st.type == FT_DIR);
	close(fd);

	EXPECT_OK(fstat(STDIN_FILENO, &st));
	EXPECT(st.type == FT_CONSOLE);
	return 0;
}

/* The initrd is read-only: opening for writing or writing must fail. */
static int
test_write_initrd(void)
{
	int fd;

	errno = 0;
	fd = open("/etc/motd", O_WRONLY);
	if (fd >= 0) {
		int r = write(fd, "x", 1);

		EXPECT(r == -1 && (errno == EBADF || errno == EROFS));
		close(fd);
	} else
		EXPECT(errno == EROFS);

	fd = open_motd();
	EXPECT(fd >= 0);
	errno = 0;
	EXPECT(write(fd, "x", 1) == -1);
	EXPECT(errno == EBADF || errno == EROFS);
	close(fd);
	return 0;
}

static int
test_lseek(void)
{
	char contents[512], c;
	struct stat st;
	int fd, size;

	fd = open_motd();
	EXPECT(fd >= 0);
	size = read(fd, contents, sizeof(contents));
	EXPECT(size > 8);
	EXPECT_OK(fstat(fd, &st));

	EXPECT(lseek(fd, 0, SEEK_END) == (off_t)st.size);
	EXPECT(lseek(fd, 5, SEEK_SET) == 5);
	EXPECT(read(fd, &c, 1) == 1 && c == contents[5]);
	EXPECT(lseek(fd, 0, SEEK_CUR) == 6);
	EXPECT(lseek(fd, -2, SEEK_CUR) == 4);
	EXPECT(read(fd, &c, 1) == 1 && c == contents[4]);
	EXPECT(lseek(fd, -1, SEEK_END) >= 0);
	EXPECT(read(fd, &c, 1) == 1);
	EXPECT(read(fd, &c, 1) == 0);
	EXPECT_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_ERR(lseek(fd, 0, 7), EINVAL);		/* bad whence */
	EXPECT_ERR(lseek(STDIN_FILENO, 0, SEEK_SET), ESPIPE);
	EXPECT_ERR(lseek(STDOUT_FILENO, 0, SEEK_CUR), ESPIPE);
	close(fd);
	return 0;
}

static int
test_dup(void)
{
	char a[4], b[4];
	int fd, copy, again;

	fd = open_motd();
	EXPECT(fd >= 0);
	EXPECT(read(fd, a, 3) == 3);
	copy = dup(fd);
	EXPECT(copy >= 0 && copy != fd);
	/* The copy shares the open file, including its offset. */
	EXPECT(lseek(copy, 0, SEEK_CUR) == 3);
	EXPECT(read(copy, b, 2) == 2);
	EXPECT(lseek(fd, 0, SEEK_CUR) == 5);
	/* Closing one leaves the other working. */
	EXPECT_OK(close(fd));
	EXPECT(read(copy, b, 1) == 1);
	/* dup gives the lowest free descriptor: the one just closed. */
	again = dup(copy);
	EXPECT(again == fd);
	close(again);
	close(copy);
	return 0;
}

static int
test_emfile(void)
{
	int fds[NOFILE + 1], n = 0, fd;

	for (;;) {
		fd = open_motd();
		if (fd < 0)
			break;
		if (n == NOFILE)
			return fail("opened more than NOFILE (%d) files", NOFILE);
		fds[n++] = fd;
	}
	EXPECT(errno == EMFILE);
	EXPECT(n == NOFILE - 3);		/* 0, 1, 2 already in use */
	EXPECT_ERR(dup(STDOUT_FILENO), EMFILE);
	while (n > 0)
		close(fds[--n]);
	fd = open_motd();			/* room again */
	EXPECT(fd >= 0);
	close(fd);
	return 0;
}

static int
test_readdir(void)
{
	struct dirent ent;
	struct stat st;
	int fd, r, saw_sh = 0, saw_self = 0, saw_bin = 0, saw_etc = 0;
	uint32_t sh_size = 0;

	fd = open("/bin", O_RDONLY);
	EXPECT(fd >= 0);
	while ((r = readdir(fd, &ent)) == 1) {
		EXPECT(strnlen(ent.name, DIRENT_NAME_LEN) < DIRENT_NAME_LEN);
		if (strcmp(ent.name, "sh") == 0) {
			saw_sh = 1;
			sh_size = ent.size;
			EXPECT(ent.type == FT_FILE);
		}
		if (strcmp(ent.name, "usertests") == 0)
			saw_self = 1;
	}
	EXPECT(r == 0);
	EXPECT(readdir(fd, &ent) == 0);		/* stays at the end */
	close(fd);
	EXPECT(saw_sh && saw_self);

	fd = open("/bin/sh", O_RDONLY);
	EXPECT(fd >= 0);
	EXPECT_OK(fstat(fd, &st));
	EXPECT(st.size == sh_size);
	close(fd);

	fd = open("/", O_RDONLY);
	EXPECT(fd >= 0);
	while (readdir(fd, &ent) == 1) {
		if (strcmp(ent.name, "bin") == 0)
			saw_bin = ent.type == FT_DIR;
		if (strcmp(ent.name, "etc") == 0)
			saw_etc = ent.type == FT_DIR;
	}
	close(fd);
	EXPECT(saw_bin && saw_etc);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test files_tests[] = {
	{ "efault_read",		test_efault_read },
	{ "efault_write",		test_efault_write },
	{ "efault_open",		test_efault_open },
	{ "efault_exec",		test_efault_exec },
	{ "efault_waitpid",		test_efault_waitpid },
	{ "efault_ps",			test_efault_ps },
	{ "efault_meminfo",		test_efault_meminfo },
	{ "efault_uptime",		test_efault_uptime },
	{ "efault_readdir",		test_efault_readdir },
	{ "efault_fstat",		test_efault_fstat },
	{ "enosys",			test_enosys },
	{ "ebadf",			test_ebadf },
	{ "close_twice",		test_close_twice },
	{ "open_missing",		test_open_missing },
	{ "open_read",			test_open_read },
	{ "write_initrd",		test_write_initrd },
	{ "lseek",			test_lseek },
	{ "dup",			test_dup },
	{ "emfile",			test_emfile },
	{ "readdir",			test_readdir },
	{ NULL, NULL }
};
