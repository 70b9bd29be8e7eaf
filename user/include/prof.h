/*
 * The kernel profiler for user programs (user/lib/prof.c; the `prof`
 * command, docs/profiling.md).  prof() returns -1 and sets errno on
 * failure.
 */
#ifndef _PROF_H
#define _PROF_H

#include <brinch/prof.h>

/* op is PROF_START, PROF_STOP, PROF_READ (a = buffer, b = max samples),
 * PROF_CLEAR, PROF_KSYM (a = eip, b = PROF_SYM_LEN buffer) or
 * PROF_DROPPED. */
int	prof(int op, uintptr_t a, uintptr_t b);

#endif
