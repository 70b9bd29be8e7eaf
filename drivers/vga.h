/*
 * VGA text mode (80x25 at physical 0xb8000): a mirror of the serial
 * console for people watching the QEMU window.
 */
#ifndef VGA_H
#define VGA_H

void	vga_init(void);
void	vga_putc(char c);

#endif
