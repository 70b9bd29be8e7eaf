/*
 * 16550 UART on COM1: the system console brinch is driven through (QEMU
 * connects it to the terminal or to the test harness's pipes).
 */
#ifndef SERIAL_H
#define SERIAL_H

void	serial_init(void);
void	serial_enable_interrupts(void);	/* once the IDT and PIC are ready */
void	serial_putc(char c);
void	serial_input_resume(void);	/* the console has room for input again */

#endif
