/*
 * The profiler (kernel/prof.c): trap.c calls these at each timer tick and
 * on the way back to user mode while prof_running.
 */
#ifndef PROF_H
#define PROF_H

#include <stdint.h>

struct trapframe;

extern int prof_running;
void	prof_tick(struct trapframe *tf, int from_user);
void	prof_trap_exit(struct trapframe *tf, uint32_t sysnum);

#endif
