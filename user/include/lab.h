/*
 * System calls added in the labs (docs/labs/), for user programs.  The
 * wrappers (user/lib/lab.c) exist in every tree; the kernel side is what
 * a student writes.  -1 and errno on failure, as usual.
 */
#ifndef _LAB_H
#define _LAB_H

/* How many times system call `num` (a SYS_* number from
 * <brinch/syscall.h>) has been made since boot, by anyone.  EINVAL for a
 * number that is not a system call number; ENOSYS until the kernel has
 * the call (lab syscall). */
int	callcount(int num);

#endif
