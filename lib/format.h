/*
 * The printf engine shared by the kernel's kprintf and the user library's
 * printf family.  It knows nothing about where characters go: the caller
 * passes an emit function that receives each character in order.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#ifdef HOST_TEST
/* Host unit tests compare against glibc's snprintf: avoid the clash. */
#define vsnprintf	brinch_vsnprintf
#define snprintf	brinch_snprintf
#endif

typedef void (*format_emit_fn)(char c, void *arg);

/*
 * Format `fmt` with `ap`, calling emit(c, arg) for each output character.
 * Supports %d %i %u %x %X %o %c %s %p %% with flags '-', '0', '+', ' ',
 * '#', a field width and precision (numbers or '*'), and the length
 * modifiers hh, h, l, ll, z.  Returns the number of characters emitted.
 */
int	format(format_emit_fn emit, void *arg, const char *fmt, va_list ap);

/* Like C's vsnprintf/snprintf: always NUL-terminates when size > 0 and
 * returns the length the full output would have had. */
int	vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int	snprintf(char *buf, size_t size, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
