/*
 * The kernel event trace (see trace.c, include/brinch/trace.h): the hooks
 * the rest of the kernel calls.  Each is one test of trace_classes when
 * tracing is off, so hooks stay in the hot paths at almost no cost.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdint.h>
#include "brinch/trace.h"

extern uint32_t trace_classes;		/* TRACE_* classes switched on */
#define TRACE_CUR	(-0x8000)	/* as pid: the process on the CPU */

void	trace_init(void);		/* reads trace= from the command line */
void	trace_record(int type, int pid, uint32_t a0, uint32_t a1, const char *text);
void	trace_record_more(int type, int pid, uint32_t a0, uint32_t a1, uint32_t more);
void	trace_calibrate(void);		/* a second clock point (sched_tick) */
int	trace_parse_classes(const char *words);	/* "sched,ipc" -> mask, -1 bad */
int	sys_trace(uint32_t op, uint32_t arg);

/* The hooks: TRACE(class, type, pid, a0, a1, text). */
#define TRACE(cls, type, pid, a0, a1, text) do {			\
	if (trace_classes & (cls))					\
		trace_record((type), (pid), (uint32_t)(a0), (uint32_t)(a1), (text)); \
} while (0)

/* The same with a third word (more[0]) in place of the text. */
#define TRACE_MORE(cls, type, pid, a0, a1, m0) do {			\
	if (trace_classes & (cls))					\
		trace_record_more((type), (pid), (uint32_t)(a0), (uint32_t)(a1), (uint32_t)(m0)); \
} while (0)

#endif
