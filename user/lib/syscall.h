/*
 * Private to the user library (and usertests): the raw system call traps
 * from user/lib/syscall.asm, which return -errno instead of setting errno.
 * syscall6 is for the calls that take six arguments (the last in ebp).
 */
#ifndef USER_LIB_SYSCALL_H
#define USER_LIB_SYSCALL_H

#include <stdint.h>
#include <errno.h>
#include <brinch/syscall.h>

int	syscall5(int num, int a, int b, int c, int d, int e);
int	syscall6(int num, int a, int b, int c, int d, int e, int f);

/*
 * A call without arguments (getpid, yield, fork...) traps right here:
 * through syscall5 it built a frame of five zero words and cost getpid()
 * 37 user instructions instead of 3.  The kernel reads no argument
 * register for such a call (a trace's "first argument" is whatever ebx
 * held) and gives back only eax: trapret restores every other register,
 * a restarted call (syscall.c) runs this same `int` again.
 */
static inline int
syscall0(int num)
{
	int r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(num) : "memory", "cc");
	return r;
}

/*
 * The kernel's -errno to the Unix convention: set errno, return -1.
 * Errors are -1..-4095, as on Linux.  Checking the range rather than
 * just "< 0" keeps a large result, such as a heap address at or above
 * 2 GiB from sbrk, from being mistaken for an error.
 */
static inline int
unix_result(int r)
{
	if (r < 0 && r >= -4095) {
		errno = -r;
		return -1;
	}
	return r;
}

/* Pointers travel in 32-bit registers. */
#define ARG(p)	((int)(uintptr_t)(p))

#endif
