/*
 * Formatted and character I/O for user programs, on file descriptors
 * directly (no FILE).  Output is not buffered between calls: each printf
 * formats into a small buffer and hands it to write() in one piece, so
 * lines from different processes do not interleave mid-line.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include "lib/format.h"		/* snprintf, vsnprintf */

#define EOF	(-1)

int	printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	vprintf(const char *fmt, va_list ap);
int	dprintf(int fd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	vdprintf(int fd, const char *fmt, va_list ap);

int	puts(const char *s);		/* s and a newline, to stdout */
int	putchar(int c);
int	getchar(void);			/* EOF at end of input or error */

/*
 * Read one line from fd into buf, like fgets: stops after a newline
 * (which is kept) or when size - 1 bytes have been read, and always
 * terminates.  Returns buf, or NULL at end of input with nothing read.
 */
char	*readline_fd(int fd, char *buf, int size);

#endif
