/*
 * COM2 as an output-only trace port (see traceport.h): polled writes, no
 * interrupts, nothing read.  A missing UART reads back all ones.
 */
#include "kernel.h"
#include "x86.h"
#include "traceport.h"

#define COM2		0x2F8
#define REG_DATA	0
#define REG_IER		1
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define LSR_THR_EMPTY	0x20

static int present;

int
traceport_init(void)
{
	if (inb(COM2 + REG_LSR) == 0xFF)
		return present = 0;
	outb(COM2 + REG_IER, 0x00);
	outb(COM2 + REG_LCR, 0x80);	/* DLAB: 115200 baud */
	outb(COM2 + REG_DATA, 1);
	outb(COM2 + REG_IER, 0);
	outb(COM2 + REG_LCR, 0x03);	/* 8N1 */
	outb(COM2 + REG_MCR, 0x03);	/* DTR, RTS; no IRQ */
	return present = 1;
}

int
traceport_present(void)
{
	return present;
}

void
traceport_write(const char *s, int n)
{
	int spins;

	if (!present)
		return;
	while (n-- > 0) {
		for (spins = 0; spins < 100000 && !(inb(COM2 + REG_LSR) & LSR_THR_EMPTY); spins++)
			;
		outb(COM2 + REG_DATA, *s++);
	}
}
