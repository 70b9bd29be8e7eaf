/*
 * Memory allocation, number parsing and process exit for user programs.
 * malloc and friends live in user/lib/malloc.c on top of sbrk().
 */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>
#include <stdint.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1

void	*malloc(size_t size);
void	 free(void *ptr);
void	*calloc(size_t count, size_t size);
void	*realloc(void *ptr, size_t size);

void	 exit(int status) __attribute__((noreturn));

int	 atoi(const char *s);
long	 strtol(const char *s, char **end, int base);
int	 abs(int v);
/* The fuzzers' seeded generator (user/lib/xorshift.c); *state != 0. */
uint32_t xorshift32(uint32_t *state);
uint32_t xorshift32_below(uint32_t *state, uint32_t n);	/* < n; 0 for n = 0 */

#endif
