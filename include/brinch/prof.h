/*
 * The profiler's interface (kernel/prof.c, user/bin/prof.c): system call
 * 100, prof(op, a, b).  The kernel keeps what it sampled at each timer
 * tick; the `prof` command reads it and names functions.
 */
#ifndef BRINCH_PROF_H
#define BRINCH_PROF_H

#include <stdint.h>

#define PROF_START	1	/* forget old samples, start sampling       */
#define PROF_STOP	2	/* stop; the samples stay                   */
#define PROF_READ	3	/* (buf, max): copy samples out -> count    */
#define PROF_CLEAR	4	/* stop and give the buffer back            */
#define PROF_KSYM	5	/* (eip, buf of PROF_SYM_LEN): the kernel
				 * function at eip -> offset into it        */
#define PROF_DROPPED	6	/* ticks missed because the buffer was full  */

#define PROF_MAX_SAMPLES 4096	/* about 40 s at 100 Hz */
#define PROF_SYM_LEN	64

/* Where the tick found the CPU. */
#define PROF_USER	0	/* user code: eip is the program's           */
#define PROF_KERNEL	1	/* in a system call or fault: eip is the
				 * kernel function handling it              */
#define PROF_IDLE	2	/* the idle loop                            */

struct prof_sample {
	uint32_t eip;
	int16_t  pid;		/* pids stay below 32768 (proc.c) */
	uint8_t  where;		/* PROF_USER, PROF_KERNEL, PROF_IDLE */
	uint8_t  unused;
	char     name[16];	/* the process's name (its program), PROC_NAME_LEN */
};

#endif
