/*
 * String functions for user programs: the shared freestanding set from
 * lib/string.h plus a few that need the user library (malloc, errno).
 */
#ifndef _STRING_H
#define _STRING_H

#include "lib/string.h"

char	*strerror(int errnum);	/* message for an errno value */
char	*strdup(const char *s);	/* malloc'd copy, NULL if out of memory */

#endif
