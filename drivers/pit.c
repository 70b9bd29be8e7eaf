/*
 * PIT driver (see pit.h).  Channel 0 runs in mode 2 (rate generator) and
 * raises IRQ 0 `hz` times a second; sched.c counts the ticks.  For finer
 * time we read how far the counter has got into the current tick.
 */
#include "kernel.h"
#include "x86.h"
#include "pic.h"
#include "pit.h"

#define PIT_CH0		0x40
#define PIT_MODE	0x43

static uint32_t tick_hz;
static uint32_t divisor;
static uint64_t last_us;

void
pit_init(uint32_t hz)
{
	tick_hz = hz;
	divisor = PIT_HZ / hz;
	outb(PIT_MODE, 0x34);		/* channel 0, lo/hi byte, mode 2 */
	outb(PIT_CH0, divisor & 0xFF);
	outb(PIT_CH0, divisor >> 8);
}

uint32_t
pit_hz(void)
{
	return tick_hz;
}

uint64_t
pit_clock_us(uint32_t ticks)
{
	uint32_t count, into_tick;
	uint64_t us;

	outb(PIT_MODE, 0x00);		/* latch channel 0's count */
	count = inb(PIT_CH0);
	count |= inb(PIT_CH0) << 8;
	into_tick = divisor - count;	/* counts down from divisor */
	/* With interrupts off, the counter may have wrapped while IRQ 0 is
	 * still pending; that tick has happened even if not yet counted. */
	if (pic_irq_pending(0) && into_tick < divisor / 2)
		ticks++;
	us = (uint64_t)ticks * 1000000 / tick_hz +
	    (uint64_t)into_tick * 1000000 / PIT_HZ;
	/*
	 * The counter can also reload before IRQ 0 is pending at all:
	 * QEMU computes the count from its clock when we read it, but
	 * raises the interrupt from a host timer that may run later.  The
	 * reading then lies up to a tick behind the last one.  Time has
	 * not run backwards; a tick has passed that nobody has counted
	 * yet, so count it here.  (Only clamping, as before, froze the
	 * clock until IRQ 0 came: a round trip across that tick boundary
	 * measured 0 us.)
	 */
	if (us < last_us)
		us += 1000000 / tick_hz;
	if (us < last_us)		/* never let time run backwards */
		us = last_us;
	last_us = us;
	return us;
}
