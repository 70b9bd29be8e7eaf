/*
 * Wrappers for the trace() system call (kernel/trace.c), declared in
 * <trace.h>: switch classes of events on and off, clear, dump, mark.
 */
#include <trace.h>
#include "user/lib/syscall.h"

int
trace_ctl(int op, const char *words)
{
	return unix_result(syscall5(SYS_trace, op, ARG(words), 0, 0, 0));
}

int
trace_status(struct trace_status *st)
{
	return unix_result(syscall5(SYS_trace, TRACE_STATUS, ARG(st), 0, 0, 0));
}
