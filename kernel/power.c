/*
 * Stopping the machine: QEMU's debug-exit port gives the test harness an
 * exit status; ACPI power-off is the fallback on other machines.
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
