/*
 * Stopping the machine, and the interrupt-disable nesting used by code
 * that must not be interrupted even if called with interrupts on.
 */
#include "kernel.h"
#include "x86.h"

#define DEBUG_EXIT_PORT	0x501	/* QEMU isa-debug-exit: exits (v << 1) | 1 */
#define ACPI_PM1A_PORT	0x604	/* QEMU pc: writing 0x2000 powers off */

void
machine_halt(int status)
{
	cli();
	outb(DEBUG_EXIT_PORT, (uint8_t)status);
	outw(ACPI_PM1A_PORT, 0x2000);
	for (;;)
		hlt();
}

static int cli_depth;
static int interrupts_were_on;

void
push_cli(void)
{
	int on = (read_eflags() & EFLAGS_IF) != 0;

	cli();
	if (cli_depth++ == 0)
		interrupts_were_on = on;
}

void
pop_cli(void)
{
	assert(cli_depth > 0);
	if (--cli_depth == 0 && interrupts_were_on)
		sti();
}
