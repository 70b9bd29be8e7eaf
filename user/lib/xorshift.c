/*
 * xorshift32: the small seeded generator of the fuzzers (fuzz, migfuzz,
 * rpcfuzz, rmfuzz): the same seed gives the same numbers on every run, which is
 * what lets a failure be replayed.  Marsaglia's 13/17/5 shifts; the state
 * must not be 0.
 */
#include <stdlib.h>

uint32_t
xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* A number below n (0 for n = 0), from the same sequence. */
uint32_t
xorshift32_below(uint32_t *state, uint32_t n)
{
	return n ? xorshift32(state) % n : 0;
}
