/*
 * The errno variable, set by the system call wrappers in syscalls.c and
 * read by user programs through <errno.h>.
 */
#include <errno.h>

int errno;
