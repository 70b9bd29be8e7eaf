/*
 * errno for brinch user programs: system call wrappers store the error
 * number here when they return -1.  The values live in <brinch/errno.h>.
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <brinch/errno.h>

/* One process, one thread: a plain global is enough. */
extern int errno;

#endif
