/*
 * PS/2 keyboard (i8042, IRQ 1): turns scan codes into characters for the
 * console line discipline, so brinch can be used from the QEMU window.
 */
#ifndef KEYBOARD_H
#define KEYBOARD_H

void	keyboard_init(void);

#endif
