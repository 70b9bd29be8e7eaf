/*
 * fstat() for user programs: a file's size and type (FT_FILE, FT_DIR,
 * FT_CONSOLE).  struct stat itself is part of the ABI in <brinch/types.h>.
 */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <brinch/types.h>

int	fstat(int fd, struct stat *st);

#endif
