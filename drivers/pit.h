/*
 * The 8253/8254 programmable interval timer, channel 0: the tick that
 * drives preemption and sleep, plus a microsecond clock read from its
 * counter between ticks.
 */
#ifndef PIT_H
#define PIT_H

#include <stdint.h>

#define PIT_HZ		1193182		/* input clock of the PIT */

void		pit_init(uint32_t hz);
uint32_t	pit_hz(void);
uint64_t	pit_clock_us(uint32_t ticks);	/* ticks: the tick count now */

#endif
