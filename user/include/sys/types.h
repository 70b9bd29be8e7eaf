/*
 * Basic POSIX-style types for brinch user programs.  Everything is
 * 32 bits wide on i686, matching what the kernel puts in eax.
 */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int	pid_t;
typedef int	ssize_t;	/* a byte count, or -1 for error */
typedef int32_t	off_t;

#endif
