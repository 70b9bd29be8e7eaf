/*
 * The console: kernel and user output go to the serial line and the VGA
 * screen; input from either the serial line or the keyboard passes through
 * a line discipline (echo, backspace, Ctrl-C, Ctrl-D) before read() sees it.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>

void	console_init(void);
void	console_write(const char *buf, size_t n);
void	console_input(char c);		/* from interrupt handlers */
int	console_input_room(void);	/* may console_input be called now? */
int	console_read(char *buf, size_t n);	/* one line at most; 0 at EOF */

/* The process Ctrl-C is sent to (the shell's foreground job). */
void	console_set_foreground(int pid);

#endif
