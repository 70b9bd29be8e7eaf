/*
 * 8259A PIC driver (see pic.h).  Initialisation follows the classic
 * ICW1-ICW4 sequence; every line starts masked and is unmasked by
 * irq_register() when a driver wants it.
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "pic.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1
#define PIC_EOI		0x20
#define OCW3_READ_IRR	0x0A
#define OCW3_READ_ISR	0x0B
#define IRQ_CASCADE	2

static uint16_t irq_mask = 0xFFFF & ~(1 << IRQ_CASCADE);

static void
write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xFF);
	outb(PIC2_DATA, irq_mask >> 8);
}

void
pic_init(void)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: edge triggered, cascade, ICW4 */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, T_IRQ0);	/* ICW2: vector offsets */
	outb(PIC2_DATA, T_IRQ0 + 8);
	outb(PIC1_DATA, 1 << IRQ_CASCADE);	/* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, IRQ_CASCADE);
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	write_mask();
}

void
pic_enable(int irq)
{
	irq_mask &= ~(1 << irq);
	write_mask();
}

void
pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

static uint16_t
read_register(uint8_t ocw3)
{
	outb(PIC1_CMD, ocw3);
	outb(PIC2_CMD, ocw3);
	return inb(PIC1_CMD) | (inb(PIC2_CMD) << 8);
}

/* IRQ 7 and 15 may fire with nothing in service (line noise); such an
 * interrupt must not be acknowledged at its own PIC. */
int
pic_is_spurious(int irq)
{
	if (irq != 7 && irq != 15)
		return 0;
	if (read_register(OCW3_READ_ISR) & (1 << irq))
		return 0;
	if (irq == 15)
		outb(PIC1_CMD, PIC_EOI);	/* the master did see it */
	return 1;
}

int
pic_irq_pending(int irq)
{
	return (read_register(OCW3_READ_IRR) >> irq) & 1;
}
