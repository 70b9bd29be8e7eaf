/*
 * Private to the user library (and usertests): the raw system call traps,
 * which return -errno instead of setting errno.  syscall5 is in
 * user/lib/syscall.asm; syscall0 and syscall6 (the calls that take six
 * arguments, the last in ebp) trap right here, inline.
 */
#ifndef USER_LIB_SYSCALL_H
#define USER_LIB_SYSCALL_H

#include <stdint.h>
#include <errno.h>
#include <brinch/syscall.h>

int	syscall5(int num, int a, int b, int c, int d, int e);

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
 * Six arguments: the messages' calls (receive, call, reply_receive...),
 * inline because a mailbox round trip makes two of them.  The sixth goes
 * in ebp, which may be this function's frame pointer, and every other
 * register already holds an argument: so f is pushed, ebp saved above it
 * and loaded from it, and both popped after the trap.  (A push reading
 * an esp-relative operand computes its address before esp moves.)
 */
static inline int
syscall6(int num, int a, int b, int c, int d, int e, int f)
{
	int r;

	__asm__ volatile("pushl %7\n\t"
	    "pushl %%ebp\n\t"
	    "movl 4(%%esp), %%ebp\n\t"
	    "int $0x80\n\t"
	    "popl %%ebp\n\t"
	    "addl $4, %%esp"
	    : "=a"(r)
	    : "a"(num), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "g"(f)
	    : "memory", "cc");
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
