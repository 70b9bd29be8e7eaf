/*
 * C wrappers for the brinch system calls, used by all user programs (the
 * message-passing ones are in ipc.c).  The kernel returns -errno on
 * failure; these turn that into the Unix convention: set errno, return -1.
 */
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <brinch.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "user/lib/syscall.h"

static int
call0(int num)
{
	return unix_result(syscall0(num));
}

static int
call1(int num, int a)
{
	return unix_result(syscall5(num, a, 0, 0, 0, 0));
}

static int
call2(int num, int a, int b)
{
	return unix_result(syscall5(num, a, b, 0, 0, 0));
}

static int
call3(int num, int a, int b, int c)
{
	return unix_result(syscall5(num, a, b, c, 0, 0));
}

void
_exit(int status)
{
	syscall5(SYS_exit, status, 0, 0, 0, 0);
	for (;;)		/* the kernel never comes back here */
		;
}

pid_t
fork(void)
{
	return call0(SYS_fork);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	return call3(SYS_read, fd, ARG(buf), n);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	return call3(SYS_write, fd, ARG(buf), n);
}

int
open(const char *path, int flags)
{
	return call2(SYS_open, ARG(path), flags);
}

int
close(int fd)
{
	return call1(SYS_close, fd);
}

pid_t
waitpid(pid_t pid, int *status, int options)
{
	return call3(SYS_waitpid, pid, ARG(status), options);
}

pid_t
wait(int *status)
{
	return waitpid(-1, status, 0);
}

int
exec(const char *path, char *const argv[])
{
	return call2(SYS_exec, ARG(path), ARG(argv));
}

pid_t
getpid(void)
{
	return call0(SYS_getpid);
}

pid_t
getppid(void)
{
	return call0(SYS_getppid);
}

int
yield(void)
{
	return call0(SYS_yield);
}

int
msleep(unsigned int ms)
{
	return call1(SYS_sleep, ms);
}

unsigned int
sleep(unsigned int seconds)
{
	msleep(seconds * 1000);
	return 0;
}

void *
sbrk(intptr_t increment)
{
	int r = call1(SYS_sbrk, increment);

	return r == -1 ? (void *)-1 : (void *)(uintptr_t)r;
}

off_t
lseek(int fd, off_t offset, int whence)
{
	return call3(SYS_lseek, fd, offset, whence);
}

int
uptime(struct timeval64 *tv)
{
	return call1(SYS_uptime, ARG(tv));
}

uint64_t
uptime_us(void)
{
	struct timeval64 tv;

	if (uptime(&tv) < 0)
		return 0;
	return tv.usec;
}

int
kill(pid_t pid, int sig)
{
	return call2(SYS_kill, pid, sig);
}

int
ps(struct proc_info *buf, int max)
{
	return call2(SYS_ps, ARG(buf), max);
}

int
meminfo(struct meminfo *info)
{
	return call1(SYS_meminfo, ARG(info));
}

int
readdir(int fd, struct dirent *ent)
{
	return call2(SYS_readdir, fd, ARG(ent));
}

int
fstat(int fd, struct stat *st)
{
	return call2(SYS_fstat, fd, ARG(st));
}

/* In user/lib/sigtramp.asm: handlers return there to call sigreturn. */
extern void sigreturn_trampoline(void);

int
sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction with_restorer;

	/* A handler needs a way back; fill in ours unless the caller
	 * brought their own. */
	if (act != NULL && act->sa_handler != (uintptr_t)SIG_DFL &&
	    act->sa_handler != (uintptr_t)SIG_IGN && act->sa_restorer == 0) {
		with_restorer = *act;
		with_restorer.sa_restorer = (uintptr_t)sigreturn_trampoline;
		act = &with_restorer;
	}
	return call3(SYS_sigaction, sig, ARG(act), ARG(old));
}

/*
 * SIG_DFL and SIG_IGN go through the simple signal system call; a
 * handler function needs sigaction() and its trampoline.  Handlers stay
 * installed and block their own signal while they run (BSD semantics).
 */
sighandler_t
signal(int sig, sighandler_t handler)
{
	struct sigaction act = { 0 }, old;
	int r;

	if (handler == SIG_DFL || handler == SIG_IGN) {
		r = call2(SYS_signal, sig, ARG(handler));
		return r == -1 ? SIG_ERR : (sighandler_t)(uintptr_t)r;
	}
	act.sa_handler = (uintptr_t)handler;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return (sighandler_t)(uintptr_t)old.sa_handler;
}

int
sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return call3(SYS_sigprocmask, how, ARG(set), ARG(old));
}

int
sigpending(sigset_t *set)
{
	return call1(SYS_sigpending, ARG(set));
}

unsigned int
alarm(unsigned int seconds)
{
	int r = call1(SYS_alarm, seconds);

	return r < 0 ? 0 : (unsigned int)r;
}

int
pause(void)
{
	return call0(SYS_pause);	/* -1 with EINTR once a signal came */
}

int
setfg(pid_t pid)
{
	return call1(SYS_setfg, pid);
}

int
halt(int status)
{
	return call1(SYS_halt, status);
}

int
dup(int fd)
{
	return call1(SYS_dup, fd);
}
