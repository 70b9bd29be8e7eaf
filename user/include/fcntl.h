/*
 * open() and its flags for user programs.  The initrd is read-only, so
 * only O_RDONLY succeeds on files; /dev/console accepts O_RDWR.
 */
#ifndef _FCNTL_H
#define _FCNTL_H

#include <brinch/types.h>	/* O_RDONLY, O_WRONLY, O_RDWR */

int	open(const char *path, int flags);

#endif
