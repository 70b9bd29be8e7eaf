/*
 * Private to the user library (and usertests): the raw system call trap
 * from user/lib/syscall.asm, which returns -errno instead of setting errno.
 */
#ifndef USER_LIB_SYSCALL_H
#define USER_LIB_SYSCALL_H

#include <brinch/syscall.h>

int	syscall5(int num, int a, int b, int c, int d, int e);

#endif
