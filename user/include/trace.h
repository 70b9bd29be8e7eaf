/*
 * The kernel event trace for user programs (user/lib/trace.c; the kernel
 * side is kernel/trace.c, docs/tracing.md).  -1 and errno on failure.
 */
#ifndef _TRACE_H
#define _TRACE_H

#include <brinch/trace.h>

/* op TRACE_ON / TRACE_OFF: classes "sched,ipc" or NULL (default / all);
 * TRACE_CLEAR, TRACE_DUMP (-> events written); TRACE_MARK: text. */
int	trace_ctl(int op, const char *words);
int	trace_status(struct trace_status *st);

#endif
