/*
 * usertests: the system call test suite, run from the shell and by the
 * integration tests.  `usertests [NAME...]` runs every test (or the named
 * ones), each in its own child so one crash cannot take down the rest,
 * and ends with "usertests: N passed, M failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "user/lib/syscall.h"

#define PAGE_SIZE	4096
#define UNMAPPED	((void *)0x70000000)	/* between heap and stack */
#define KERNEL_SPACE	((void *)0xC0000000)
#define NO_SUCH_PID	99999
#define TEST_TIMEOUT_US	60000000ULL

/*
 * A test child exits with PASSED when every check held.  Not 0: if an
 * exec that should fail wrongly succeeds, the child turns into another
 * program, and /bin/true's 0 must not look like a pass.
 */
#define PASSED		100
#define FAILED		1

static const char *current_test;

/* ---- checking ----------------------------------------------------------- */

/* Print why the current test failed; returns -1 for `return fail(...)`. */
static int __attribute__((format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	printf("usertests: %s FAILED: %s\n", current_test, reason);
	return -1;
}

#define EXPECT(cond) do {						\
	if (!(cond))							\
		return fail("line %d: %s", __LINE__, #cond);		\
} while (0)

/* `call` must fail with -1 and errno == err. */
#define EXPECT_ERR(call, err) do {					\
	int got_;							\
	errno = 0;							\
	got_ = (int)(call);						\
	if (got_ != -1 || errno != (err))				\
		return fail("line %d: %s returned %d, errno %d (%s); "	\
		    "want -1, %s", __LINE__, #call, got_, errno,	\
		    strerror(errno), #err);				\
} while (0)

/* `call` must succeed (not -1). */
#define EXPECT_OK(call) do {						\
	errno = 0;							\
	if ((int)(call) == -1)						\
		return fail("line %d: %s failed: %s", __LINE__, #call,	\
		    strerror(errno));					\
} while (0)

/* ---- helpers ------------------------------------------------------------ */

/*
 * Grow the heap to a page boundary and return it: the bytes just below
 * are mapped, the page at the returned address is not.  Buffers that
 * straddle it are "overlong": they start valid and run off the end.
 */
static char *
heap_edge(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	uintptr_t edge = ((brk + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1)) +
	    PAGE_SIZE;

	if (sbrk(edge - brk) == (void *)-1)
		return NULL;
	memset((char *)edge - PAGE_SIZE, 0, PAGE_SIZE);
	return (char *)edge;
}

/* Fork a child that runs fn and exits with its result; return the
 * wait status (or -1). */
static int
status_of(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* Fork, exec path with argv in the child; return the wait status. */
static int
status_of_exec(const char *path, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		exec(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

#define EXITED_WITH(s, code)	((s) != -1 && WIFEXITED(s) && WEXITSTATUS(s) == (code))
#define KILLED_BY(s, sig)	((s) != -1 && WIFSIGNALED(s) && WTERMSIG(s) == (sig))

static int
contains(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack != '\0'; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return 1;
	return 0;
}

static int
open_motd(void)
{
	return open("/etc/motd", O_RDONLY);
}

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

/* ---- processes ---------------------------------------------------------- */

static int
test_fork_wait_status(void)
{
	int codes[] = { 0, 1, 42, 255, 256 + 7 };	/* only 8 bits survive */
	int status;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(codes[i]);
		EXPECT(pid > 0);
		EXPECT(waitpid(pid, &status, 0) == pid);
		EXPECT(WIFEXITED(status));
		EXPECT(WEXITSTATUS(status) == (codes[i] & 0xff));
	}
	return 0;
}

static int
test_wait_any(void)
{
	pid_t pids[3];
	int status, seen = 0;

	for (int i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(10 + i);
		EXPECT(pids[i] > 0);
	}
	for (int n = 0; n < 3; n++) {
		pid_t pid = wait(&status);

		EXPECT(pid > 0);
		for (int i = 0; i < 3; i++)
			if (pid == pids[i]) {
				EXPECT(WIFEXITED(status) &&
				    WEXITSTATUS(status) == 10 + i);
				seen |= 1 << i;
			}
	}
	EXPECT(seen == 7);
	EXPECT_ERR(wait(&status), ECHILD);
	return 0;
}

static int
test_waitpid_echild(void)
{
	int status;

	EXPECT_ERR(waitpid(-1, &status, 0), ECHILD);
	EXPECT_ERR(waitpid(-1, &status, WNOHANG), ECHILD);
	EXPECT_ERR(waitpid(1, &status, 0), ECHILD);	/* init: not ours */
	EXPECT_ERR(waitpid(getpid(), &status, 0), ECHILD);
	EXPECT_ERR(waitpid(NO_SUCH_PID, NULL, 0), ECHILD);
	return 0;
}

static int
test_wnohang(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		msleep(300);
		_exit(5);
	}
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, &status, WNOHANG) == 0);
	EXPECT(waitpid(-1, &status, WNOHANG) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	return 0;
}

static int
test_getpid_getppid(void)
{
	pid_t me = getpid(), pid;
	int status;

	EXPECT(me > 1);
	EXPECT(getpid() == me);
	EXPECT(getppid() > 0 && getppid() != me);
	pid = fork();
	if (pid == 0) {
		/* Report back in the exit status: 0 for right answers. */
		if (getppid() != me)
			_exit(1);
		if (getpid() == me)
			_exit(2);
		_exit(0);
	}
	EXPECT(pid > 0 && pid != me);
	EXPECT(waitpid(pid, &status, 0) == pid);
	if (!EXITED_WITH(status, 0))
		return fail(WEXITSTATUS(status) == 1 ?
		    "child's getppid() is not the parent's pid" :
		    "child's getpid() equals the parent's");
	return 0;
}

/* fork returns the child's pid: the child's getpid agrees. */
static int
test_fork_returns_child_pid(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(getpid() & 0xff);
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(EXITED_WITH(status, pid & 0xff));
	return 0;
}

/* Look up pid in the process table; 0 and fills *info if present. */
static int
find_proc(pid_t pid, struct proc_info *info)
{
	static struct proc_info procs[128];
	int n = ps(procs, 128);

	for (int i = 0; i < n; i++) {
		if (procs[i].pid == pid) {
			*info = procs[i];
			return 0;
		}
	}
	return -1;
}

/*
 * A child forks a grandchild and exits at once.  The grandchild must be
 * handed to init (getppid() == 1), and init must reap it when it exits.
 * The grandchild only exits after seeing getppid() == 1, so its
 * disappearing from ps proves both.
 */
static int
test_orphan_reparent(void)
{
	struct proc_info info;
	int status;
	pid_t child, grandchild;

	child = fork();
	if (child == 0) {
		pid_t pid = fork();

		if (pid == 0) {
			while (getppid() != 1)
				msleep(10);
			_exit(0);
		}
		/* Tell the test the grandchild's pid (a small offset). */
		_exit(pid > getpid() && pid - getpid() < 256 ?
		    pid - getpid() : 0);
	}
	EXPECT(child > 0);
	EXPECT(waitpid(child, &status, 0) == child);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	grandchild = child + WEXITSTATUS(status);

	for (int waited = 0; find_proc(grandchild, &info) == 0; waited += 20) {
		if (waited > 5000) {
			kill(grandchild, SIGKILL);
			return fail("orphan %d still there after 5 s: ppid %d, "
			    "state %d", grandchild, (int)info.ppid,
			    (int)info.state);
		}
		msleep(20);
	}
	return 0;
}

static int
test_exec_errors(void)
{
	char *argv[] = { "x", NULL };

	EXPECT_ERR(exec("/bin/nonexistent", argv), ENOENT);
	EXPECT_ERR(exec("/etc/motd", argv), ENOEXEC);	/* not ELF */
	EXPECT_ERR(exec("", argv), ENOENT);
	return 0;			/* still running after all that */
}

static int
test_exec_args(void)
{
	char *argv[] = { "usertests", "--check-args", "one", "two words", "",
	    NULL };
	char *many[MAXARG + 2];
	static char big[3000];
	char *huge[] = { "true", big, big, NULL };
	int status;

	status = status_of_exec("/bin/usertests", argv);
	EXPECT(EXITED_WITH(status, 0));

	/* Exactly MAXARG arguments is allowed ... */
	many[0] = "usertests";
	many[1] = "--check-argc";
	for (int i = 2; i < MAXARG; i++)
		many[i] = "arg";
	many[MAXARG] = NULL;
	status = status_of_exec("/bin/usertests", many);
	EXPECT(EXITED_WITH(status, 0));

	/* ... one more is not, nor more than MAXARGLEN bytes of strings. */
	many[MAXARG] = "arg";
	many[MAXARG + 1] = NULL;
	EXPECT_ERR(exec("/bin/true", many), E2BIG);
	memset(big, 'b', sizeof(big) - 1);
	EXPECT_ERR(exec("/bin/true", huge), E2BIG);
	return 0;
}

static int
test_exec_status(void)
{
	char *true_argv[] = { "true", NULL };
	char *false_argv[] = { "false", NULL };

	EXPECT(EXITED_WITH(status_of_exec("/bin/true", true_argv), 0));
	EXPECT(EXITED_WITH(status_of_exec("/bin/false", false_argv), 1));
	return 0;
}

static int
test_kill_errors(void)
{
	EXPECT_ERR(kill(NO_SUCH_PID, SIGTERM), ESRCH);
	EXPECT_ERR(kill(getpid(), NSIG), EINVAL);
	EXPECT_ERR(kill(getpid(), 99), EINVAL);
	EXPECT_ERR(kill(getpid(), -1), EINVAL);
	return 0;
}

static int
test_kill_child(void)
{
	int sigs[] = { SIGKILL, SIGTERM, SIGINT };
	int status;

	/* Whoever started us may have ignored some; we test the default. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)
				msleep(1000);
		}
		EXPECT(pid > 0);
		msleep(20);			/* let it get to sleep */
		EXPECT_OK(kill(pid, sigs[i]));
		EXPECT(waitpid(pid, &status, 0) == pid);
		if (!KILLED_BY(status, sigs[i]))
			return fail("signal %d: wait status %#x", sigs[i],
			    status);
	}
	return 0;
}

/* A process that kills itself dies of that signal. */
static int
test_kill_self(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(0);
	}
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(KILLED_BY(status, SIGTERM));
	return 0;
}

static int
test_signal_ignore(void)
{
	char *argv[] = { "usertests", "--check-sigint-ignored", NULL };
	int status;
	pid_t pid;

	EXPECT(signal(SIGTERM, SIG_IGN) == SIG_DFL);
	EXPECT(signal(SIGTERM, SIG_IGN) == SIG_IGN);
	EXPECT(signal(SIGKILL, SIG_IGN) == SIG_ERR && errno == EINVAL);
	EXPECT(signal(0, SIG_IGN) == SIG_ERR && errno == EINVAL);
	EXPECT(signal(NSIG, SIG_IGN) == SIG_ERR && errno == EINVAL);

	/* The child inherits SIG_IGN: SIGTERM does nothing, SIGKILL works. */
	pid = fork();
	if (pid == 0) {
		for (;;)
			msleep(1000);
	}
	EXPECT(pid > 0);
	EXPECT_OK(kill(pid, SIGTERM));
	msleep(50);
	EXPECT(waitpid(pid, &status, WNOHANG) == 0);
	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(KILLED_BY(status, SIGKILL));

	/* An ignored signal stays ignored across exec, as in Unix. */
	EXPECT(signal(SIGINT, SIG_IGN) != SIG_ERR);
	EXPECT(EXITED_WITH(status_of_exec("/bin/usertests", argv), 0));
	EXPECT(signal(SIGTERM, SIG_DFL) == SIG_IGN);
	return 0;
}

/* ---- signal handlers ---------------------------------------------------- */

static volatile int caught_count, caught_signo;

static void
catch(int sig)
{
	caught_signo = sig;
	caught_count++;
}

static int
test_handler_runs(void)
{
	caught_count = 0;
	EXPECT(signal(SIGUSR1, catch) == SIG_DFL);
	/* Delivered on the way back from kill, whose result (eax) must
	 * survive the handler. */
	EXPECT(kill(getpid(), SIGUSR1) == 0);
	EXPECT(caught_count == 1 && caught_signo == SIGUSR1);
	EXPECT(kill(getpid(), SIGUSR1) == 0);	/* still installed */
	EXPECT(caught_count == 2);
	EXPECT(signal(SIGUSR1, SIG_DFL) == catch);
	return 0;
}

static int
test_sigaction(void)
{
	struct sigaction act = { 0 }, old;

	caught_count = 0;
	act.sa_handler = (uintptr_t)catch;
	act.sa_flags = SA_RESETHAND;
	EXPECT_OK(sigaction(SIGUSR2, &act, NULL));
	EXPECT_OK(sigaction(SIGUSR2, NULL, &old));
	EXPECT(old.sa_handler == (uintptr_t)catch);
	EXPECT(old.sa_flags == SA_RESETHAND);
	EXPECT(kill(getpid(), SIGUSR2) == 0);
	EXPECT(caught_count == 1);
	EXPECT_OK(sigaction(SIGUSR2, NULL, &old));	/* one-shot: reset */
	EXPECT(old.sa_handler == (uintptr_t)SIG_DFL);

	EXPECT_ERR(sigaction(SIGKILL, &act, NULL), EINVAL);
	EXPECT_ERR(sigaction(SIGSTOP, &act, NULL), EINVAL);
	EXPECT_ERR(sigaction(0, &act, NULL), EINVAL);
	EXPECT_ERR(sigaction(NSIG, &act, NULL), EINVAL);
	act.sa_handler = (uintptr_t)KERNEL_SPACE;	/* not a user function */
	EXPECT_ERR(sigaction(SIGUSR1, &act, NULL), EFAULT);
	EXPECT_ERR(sigaction(SIGUSR1, NULL, KERNEL_SPACE), EFAULT);
	/* The raw call, since libc would read a bad act itself. */
	EXPECT(syscall5(SYS_sigaction, SIGUSR1, (int)(uintptr_t)UNMAPPED, 0,
	    0, 0) == -EFAULT);
	return 0;
}

static int
test_sigprocmask(void)
{
	sigset_t usr1 = sigmask(SIGUSR1), all = ~(sigset_t)0, old, pending;

	caught_count = 0;
	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);
	EXPECT_OK(sigprocmask(SIG_BLOCK, &usr1, &old));
	EXPECT((old & usr1) == 0);
	EXPECT(kill(getpid(), SIGUSR1) == 0);
	EXPECT(caught_count == 0);			/* held back */
	EXPECT_OK(sigpending(&pending));
	EXPECT(pending & usr1);
	EXPECT_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
	EXPECT(caught_count == 1);			/* ran on unblock */
	EXPECT_OK(sigpending(&pending));
	EXPECT((pending & usr1) == 0);

	/* SIGKILL and SIGSTOP cannot be blocked: asking is not an error,
	 * but the mask leaves them out. */
	EXPECT_OK(sigprocmask(SIG_SETMASK, &all, NULL));
	EXPECT_OK(sigprocmask(SIG_SETMASK, NULL, &old));
	EXPECT((old & (sigmask(SIGKILL) | sigmask(SIGSTOP))) == 0);
	EXPECT(old & usr1);
	old = 0;
	EXPECT_OK(sigprocmask(SIG_SETMASK, &old, NULL));

	EXPECT_ERR(sigprocmask(99, &usr1, NULL), EINVAL);
	EXPECT_ERR(sigprocmask(SIG_BLOCK, KERNEL_SPACE, NULL), EFAULT);
	EXPECT_ERR(sigprocmask(SIG_BLOCK, NULL, KERNEL_SPACE), EFAULT);
	EXPECT_ERR(sigpending(KERNEL_SPACE), EFAULT);
	return 0;
}

static int
test_alarm_pause(void)
{
	uint64_t start, elapsed;
	unsigned left;

	caught_count = 0;
	EXPECT(signal(SIGALRM, catch) != SIG_ERR);
	start = uptime_us();
	EXPECT(alarm(1) == 0);
	EXPECT_ERR(pause(), EINTR);
	elapsed = uptime_us() - start;
	EXPECT(caught_count == 1 && caught_signo == SIGALRM);
	if (elapsed < 900000 || elapsed > 3000000)
		return fail("alarm(1) fired after %llu us",
		    (unsigned long long)elapsed);
	EXPECT(alarm(10) == 0);
	left = alarm(0);			/* cancel: returns what was left */
	EXPECT(left >= 9 && left <= 10);
	return 0;
}

/* A handled signal cuts a sleep short: the call fails with EINTR. */
static int
test_eintr(void)
{
	uint64_t start = uptime_us();
	int status;
	pid_t pid;

	caught_count = 0;
	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);	/* inherited */
	pid = fork();
	if (pid == 0) {
		int r = msleep(20000);

		_exit(r == -1 && errno == EINTR && caught_count == 1 ? 0 : 1);
	}
	EXPECT(pid > 0);
	msleep(50);
	EXPECT_OK(kill(pid, SIGUSR1));
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(EXITED_WITH(status, 0));
	EXPECT(uptime_us() - start < 10000000);
	return 0;
}

/* exec keeps SIG_IGN but resets handlers: their code is gone. */
static int
test_exec_resets_handlers(void)
{
	char *argv[] = { "usertests", "--check-exec-signals", NULL };

	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);
	EXPECT(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
	EXPECT(EXITED_WITH(status_of_exec("/bin/usertests", argv), 0));
	return 0;
}

/* ---- faults become signals ---------------------------------------------- */

static int
fault_null(void)
{
	return *(volatile int *)0;
}

static int
fault_kernel_write(void)
{
	*(volatile int *)KERNEL_SPACE = 1;
	return 0;
}

static int
fault_privileged(void)
{
	__asm__ volatile("cli");
	return 0;
}

static int
fault_divide(void)
{
	/* Both volatile: gcc computes 1 / x without a divide. */
	volatile int numerator = 42, zero = 0;

	return numerator / zero;
}

static int
fault_undefined(void)
{
	__asm__ volatile("ud2");
	return 0;
}

static int
fault_jump_null(void)
{
	int (*volatile fn)(void) = NULL;

	return fn();
}

/* Never reached in practice; a limit the compiler cannot see keeps
 * it from warning about (or "optimising") endless recursion. */
static volatile int max_depth = 1 << 30;

static int
recurse(int depth)
{
	volatile char frame[512];

	if (depth >= max_depth)
		return 0;
	frame[0] = (char)depth;
	return recurse(depth + 1) + frame[0];	/* not a tail call */
}

static int
fault_stack(void)
{
	return recurse(0);
}

static int
test_faults(void)
{
	static const struct {
		const char	*what;
		int		(*fn)(void);
		int		 signal;
	} faults[] = {
		{ "NULL read", fault_null, SIGSEGV },
		{ "kernel write", fault_kernel_write, SIGSEGV },
		{ "cli (#GP)", fault_privileged, SIGSEGV },
		{ "divide by zero", fault_divide, SIGFPE },
		{ "ud2", fault_undefined, SIGILL },
		{ "call NULL", fault_jump_null, SIGSEGV },
	};

	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		int status = status_of(faults[i].fn);

		if (!KILLED_BY(status, faults[i].signal))
			return fail("%s: wait status %#x, want signal %d",
			    faults[i].what, status, faults[i].signal);
	}
	return 0;
}

static int
test_stack_overflow(void)
{
	int status = status_of(fault_stack);

	if (!KILLED_BY(status, SIGSEGV))
		return fail("wait status %#x, want signal %d", status, SIGSEGV);
	return 0;
}

/* ---- memory ------------------------------------------------------------- */

static int
test_sbrk(void)
{
	char *old, *p;

	old = sbrk(0);
	EXPECT(old != (void *)-1);
	p = sbrk(3 * PAGE_SIZE);
	EXPECT(p == old);
	EXPECT(sbrk(0) == old + 3 * PAGE_SIZE);
	for (int i = 0; i < 3 * PAGE_SIZE; i++)
		p[i] = (char)i;
	for (int i = 0; i < 3 * PAGE_SIZE; i++)
		EXPECT(p[i] == (char)i);
	EXPECT(sbrk(-3 * PAGE_SIZE) == old + 3 * PAGE_SIZE);
	EXPECT(sbrk(0) == old);
	/* Growing again gives usable memory once more. */
	p = sbrk(100);
	EXPECT(p == old);
	p[99] = 1;
	EXPECT(sbrk(-100) == old + 100);
	return 0;
}

static int
test_sbrk_too_much(void)
{
	char *old = sbrk(0);

	EXPECT_ERR((intptr_t)sbrk(0x40000000), ENOMEM);	/* 1 GiB */
	EXPECT_ERR((intptr_t)sbrk(0x7ffff000), ENOMEM);
	EXPECT(sbrk(0) == old);				/* unchanged */
	return 0;
}

/* After shrinking, the memory is gone: touching it faults. */
static int
touch_after_shrink(void)
{
	char *edge = heap_edge();

	sbrk(-PAGE_SIZE);
	edge[-1] = 1;
	return 0;
}

static int
test_sbrk_shrink_unmaps(void)
{
	int status = status_of(touch_after_shrink);

	if (!KILLED_BY(status, SIGSEGV))
		return fail("wait status %#x, want signal %d", status, SIGSEGV);
	return 0;
}

static int
test_malloc(void)
{
	char *blocks[100], *big, *grown, *start_brk;
	int *zeroed;

	/* Lots of small blocks, each holding its own pattern. */
	for (int i = 0; i < 100; i++) {
		blocks[i] = malloc(1000 + i);
		EXPECT(blocks[i] != NULL);
		EXPECT(((uintptr_t)blocks[i] & 7) == 0);
		memset(blocks[i], i, 1000 + i);
	}
	for (int i = 0; i < 100; i++)
		for (int j = 0; j < 1000 + i; j++)
			EXPECT(blocks[i][j] == (char)i);
	/* Free in an awkward order; coalescing must rebuild one large
	 * block, so a big request needs no more heap. */
	for (int i = 0; i < 100; i += 2)
		free(blocks[i]);
	for (int i = 1; i < 100; i += 2)
		free(blocks[i]);
	start_brk = sbrk(0);
	big = malloc(90000);
	EXPECT(big != NULL);
	EXPECT(sbrk(0) == start_brk);
	free(big);

	zeroed = calloc(1000, sizeof(int));
	EXPECT(zeroed != NULL);
	for (int i = 0; i < 1000; i++)
		EXPECT(zeroed[i] == 0);
	grown = malloc(10);
	EXPECT(grown != NULL);
	strcpy(grown, "keep me");
	grown = realloc(grown, 5000);
	EXPECT(grown != NULL && strcmp(grown, "keep me") == 0);
	free(grown);
	free(zeroed);
	EXPECT(malloc(0x7fffffff) == NULL && errno == ENOMEM);
	return 0;
}

static int
test_meminfo(void)
{
	struct meminfo mi;

	EXPECT_OK(meminfo(&mi));
	EXPECT(mi.page_size == PAGE_SIZE);
	EXPECT(mi.total_frames >= 1024);	/* at least 4 MiB */
	EXPECT(mi.free_frames > 0 && mi.free_frames < mi.total_frames);
	EXPECT(mi.nproc >= 2 && mi.nproc <= mi.nproc_max);
	return 0;
}

static int
exit_zero(void)
{
	return 0;
}

/* One fork + exec + exit + wait cycle, and a plain fork + exit. */
static int
process_cycle(void)
{
	char *argv[] = { "true", NULL };

	if (!EXITED_WITH(status_of_exec("/bin/true", argv), 0))
		return -1;
	if (!EXITED_WITH(status_of(exit_zero), 0))
		return -1;
	return 0;
}

static int
test_no_frame_leak(void)
{
	struct meminfo before, after;

	/* Warm up first: our own stack may grow, and the kernel may keep
	 * some memory for good after the first use. */
	EXPECT(process_cycle() == 0);
	EXPECT_OK(meminfo(&before));
	for (int i = 0; i < 5; i++)
		EXPECT(process_cycle() == 0);
	EXPECT_OK(meminfo(&after));
	if (after.free_frames != before.free_frames)
		return fail("free frames %u before, %u after 5 cycles",
		    (unsigned)before.free_frames, (unsigned)after.free_frames);
	EXPECT(after.nproc == before.nproc);
	return 0;
}

/* ---- time, scheduling, information -------------------------------------- */

static int
test_uptime(void)
{
	struct timeval64 a, b;
	int ticks_a, ticks_b;

	ticks_a = uptime(&a);
	ticks_b = uptime(&b);
	EXPECT(ticks_a >= 0 && ticks_b >= ticks_a);
	EXPECT(b.usec >= a.usec);
	/* Ticks are 100 Hz: they agree with the microseconds to a tick
	 * or two. */
	EXPECT((uint64_t)ticks_b * 10000 <= b.usec + 20000);
	EXPECT((uint64_t)ticks_b * 10000 + 20000 >= b.usec);
	return 0;
}

static int
test_sleep(void)
{
	uint64_t start, elapsed;

	start = uptime_us();
	EXPECT_OK(msleep(200));
	elapsed = uptime_us() - start;
	if (elapsed < 190000 || elapsed > 2000000)
		return fail("msleep(200) took %llu us",
		    (unsigned long long)elapsed);
	start = uptime_us();
	EXPECT_OK(msleep(0));
	EXPECT(uptime_us() - start < 100000);
	return 0;
}

static int
test_yield(void)
{
	for (int i = 0; i < 100; i++)
		EXPECT(yield() == 0);
	return 0;
}

static int
test_ps(void)
{
	struct proc_info procs[64], me, parent;
	int n;

	n = ps(procs, 64);
	EXPECT(n >= 2);
	EXPECT(find_proc(getpid(), &me) == 0);
	EXPECT(me.state == PSTATE_RUNNING);
	EXPECT(me.ppid == getppid());
	EXPECT(strnlen(me.name, PROC_NAME_LEN) < PROC_NAME_LEN);
	EXPECT(contains(me.name, "usertests"));	/* maybe a full path */
	EXPECT(me.mem_bytes > 0);
	EXPECT(find_proc(1, &parent) == 0);		/* init is always there */
	EXPECT(ps(procs, 1) == 1);
	EXPECT(ps(procs, 0) == 0);
	return 0;
}

static int
test_setfg(void)
{
	/* Our parent, the suite's main process, is already in the
	 * foreground: setting it again changes nothing. */
	EXPECT_OK(setfg(getppid()));
	errno = 0;
	EXPECT(setfg(NO_SUCH_PID) == -1);
	EXPECT(errno == ESRCH || errno == EINVAL);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

static const struct test {
	const char	*name;
	int		(*run)(void);
} tests[] = {
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
	{ "fork_wait_status",		test_fork_wait_status },
	{ "fork_returns_child_pid",	test_fork_returns_child_pid },
	{ "wait_any",			test_wait_any },
	{ "waitpid_echild",		test_waitpid_echild },
	{ "wnohang",			test_wnohang },
	{ "getpid_getppid",		test_getpid_getppid },
	{ "orphan_reparent",		test_orphan_reparent },
	{ "exec_errors",		test_exec_errors },
	{ "exec_args",			test_exec_args },
	{ "exec_status",		test_exec_status },
	{ "kill_errors",		test_kill_errors },
	{ "kill_child",			test_kill_child },
	{ "kill_self",			test_kill_self },
	{ "signal_ignore",		test_signal_ignore },
	{ "handler_runs",		test_handler_runs },
	{ "sigaction",			test_sigaction },
	{ "sigprocmask",		test_sigprocmask },
	{ "alarm_pause",		test_alarm_pause },
	{ "eintr",			test_eintr },
	{ "exec_resets_handlers",	test_exec_resets_handlers },
	{ "faults",			test_faults },
	{ "stack_overflow",		test_stack_overflow },
	{ "sbrk",			test_sbrk },
	{ "sbrk_too_much",		test_sbrk_too_much },
	{ "sbrk_shrink_unmaps",		test_sbrk_shrink_unmaps },
	{ "malloc",			test_malloc },
	{ "meminfo",			test_meminfo },
	{ "no_frame_leak",		test_no_frame_leak },
	{ "uptime",			test_uptime },
	{ "sleep",			test_sleep },
	{ "yield",			test_yield },
	{ "ps",				test_ps },
	{ "setfg",			test_setfg },
};

#define NTESTS	(sizeof(tests) / sizeof(tests[0]))

/*
 * Run one test in a child and return 1 if it passed.  The child prints
 * its own failure reason; we report what it cannot: crashes, hangs and
 * exits that bypassed the test (an exec that should have failed).
 */
static int
run_test(const struct test *t)
{
	uint64_t deadline = uptime_us() + TEST_TIMEOUT_US;
	int status = 0;
	pid_t pid, r;

	current_test = t->name;
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return 0;
	}
	if (pid == 0)
		_exit(t->run() == 0 ? PASSED : FAILED);

	/* Poll, so a hung test costs a minute instead of the whole run. */
	while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (uptime_us() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail("timed out after %llu s",
			    TEST_TIMEOUT_US / 1000000);
			return 0;
		}
		msleep(5);
	}
	if (r < 0) {
		fail("waitpid: %s", strerror(errno));
		return 0;
	}
	if (EXITED_WITH(status, PASSED)) {
		printf("usertests: %s ok\n", t->name);
		return 1;
	}
	if (WIFSIGNALED(status))
		fail("killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) != FAILED)
		fail("exited with status %d", WEXITSTATUS(status));
	return 0;
}

/* Helper modes: usertests execs itself to see what exec passed on. */
static int
helper_mode(int argc, char *argv[])
{
	if (strcmp(argv[1], "--check-args") == 0)
		return !(argc == 5 && strcmp(argv[0], "usertests") == 0 &&
		    strcmp(argv[2], "one") == 0 &&
		    strcmp(argv[3], "two words") == 0 &&
		    strcmp(argv[4], "") == 0 && argv[5] == NULL);
	if (strcmp(argv[1], "--check-argc") == 0)
		return !(argc == MAXARG && argv[MAXARG] == NULL &&
		    strcmp(argv[MAXARG - 1], "arg") == 0);
	if (strcmp(argv[1], "--check-sigint-ignored") == 0)
		return signal(SIGINT, SIG_DFL) == SIG_IGN ? 0 : 1;
	if (strcmp(argv[1], "--check-exec-signals") == 0) {
		struct sigaction usr1, usr2;

		if (sigaction(SIGUSR1, NULL, &usr1) < 0 ||
		    sigaction(SIGUSR2, NULL, &usr2) < 0)
			return 1;
		return !(usr1.sa_handler == (uintptr_t)SIG_DFL &&
		    usr2.sa_handler == (uintptr_t)SIG_IGN);
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	int passed = 0, failed = 0;

	if (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		int r = helper_mode(argc, argv);

		if (r >= 0)
			return r;
		dprintf(2, "usertests: unknown option %s\n", argv[1]);
		return 2;
	}
	for (size_t i = 0; i < NTESTS; i++) {
		int selected = argc == 1;

		for (int a = 1; a < argc; a++)
			if (strcmp(argv[a], tests[i].name) == 0)
				selected = 1;
		if (!selected)
			continue;
		if (run_test(&tests[i]))
			passed++;
		else
			failed++;
	}
	if (passed + failed == 0) {
		dprintf(2, "usertests: no test named that; tests are:");
		for (size_t i = 0; i < NTESTS; i++)
			dprintf(2, " %s", tests[i].name);
		dprintf(2, "\n");
		return 2;
	}
	printf("usertests: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
