/*
 * Things nearly every kernel file needs: kprintf, panic, assertions and a
 * few arithmetic helpers.  Hardware-specific pieces live in x86.h/mmu.h.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include "lib/string.h"
#include "lib/format.h"
#include "brinch/errno.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* console.c: formatted output to the serial line and the VGA screen. */
int	kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	vkprintf(const char *fmt, va_list ap);

/* panic.c: print a message and a symbolic backtrace, then stop.
 * panic_at() starts the backtrace at a given eip/ebp (a trap frame's). */
void	panic(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
void	panic_at(uint32_t eip, uint32_t ebp, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 3, 4)));
void	print_backtrace(uint32_t eip, uint32_t ebp);
const char *symbol_for(uint32_t addr, uint32_t *offset);

#define assert(cond) do { \
	if (!(cond)) \
		panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
} while (0)

/* power.c: leave QEMU with an exit status (isa-debug-exit), or stop. */
void	machine_halt(int status) __attribute__((noreturn));

#endif
