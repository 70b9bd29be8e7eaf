/*
 * Wrapper for the profiler's system call, 100 (kernel/prof.c), declared
 * in <prof.h>.
 */
#include <errno.h>
#include <prof.h>
#include "user/lib/syscall.h"

int
prof(int op, uintptr_t a, uintptr_t b)
{
	return unix_result(syscall5(SYS_prof, op, (int)a, (int)b, 0, 0));
}
