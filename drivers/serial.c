/*
 * COM1 driver (see serial.h).  Output is polled (wait for the transmit
 * holding register to empty; fast under QEMU).  Input is interrupt
 * driven: IRQ 4 drains the receive FIFO into the console line discipline.
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "console.h"
#include "serial.h"

#define COM1		0x3F8
#define REG_DATA	0	/* receive/transmit; divisor low with DLAB */
#define REG_IER		1	/* interrupt enable; divisor high with DLAB */
#define REG_LCR		3	/* line control */
#define REG_MCR		4	/* modem control */
#define REG_LSR		5	/* line status */
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20

static int present;
static int held;	/* input waits in the UART until the console has room */

void
serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);	/* no interrupts yet */
	outb(COM1 + REG_LCR, 0x80);	/* DLAB on: set the baud divisor */
	outb(COM1 + REG_DATA, 1);	/* 115200 baud */
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x03);	/* 8 bits, no parity, 1 stop bit */
	/*
	 * The FIFOs stay as the firmware left them (off after reset, on after
	 * GRUB): turning them on or off empties them, and would drop what was
	 * typed or piped before boot.  Worse, QEMU's console multiplexer
	 * (-serial mon:stdio, as `make run` has it) passes on the input it
	 * holds only when the guest reads a byte: after that loss, nothing
	 * more of a script already waiting in a pipe would ever arrive.
	 */
	outb(COM1 + REG_MCR, 0x0B);	/* DTR, RTS, OUT2 (routes the IRQ) */
	present = inb(COM1 + REG_LSR) != 0xFF;
}

/*
 * Input is taken from the UART only while the console has room for it.
 * When it has none, the receive interrupt goes off and the bytes stay in
 * the UART; QEMU then stops reading its input, and a pipe feeding it
 * fills and waits.  Nothing is dropped however long the script.
 */
static void
serial_interrupt(void)
{
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY) {
		if (!console_input_room()) {
			held = 1;
			outb(COM1 + REG_IER, 0x00);
			return;
		}
		console_input(inb(COM1 + REG_DATA));
	}
}

void
serial_input_resume(void)
{
	uint32_t eflags = read_eflags();

	cli();			/* against serial_interrupt setting held */
	if (held) {
		held = 0;
		/* The UART interrupts at once if a byte is waiting. */
		outb(COM1 + REG_IER, 0x01);
	}
	if (eflags & EFLAGS_IF)
		sti();
}

void
serial_enable_interrupts(void)
{
	if (!present)
		return;
	irq_register(IRQ_COM1, serial_interrupt);
	outb(COM1 + REG_IER, 0x01);	/* interrupt when data arrives */
	serial_interrupt();		/* anything typed during boot */
}

void
serial_putc(char c)
{
	int spins;

	if (!present)
		return;
	for (spins = 0; spins < 100000 && !(inb(COM1 + REG_LSR) & LSR_THR_EMPTY); spins++)
		;
	outb(COM1 + REG_DATA, c);
}
