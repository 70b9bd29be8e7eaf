/*
 * The node's Lamport clock (see lamport.h).  The rules, as in the paper:
 * each event advances the clock; a message carries the sender's time;
 * the receiver's clock jumps past it.  So if event a happened before
 * event b (same node, or linked by messages), C(a) < C(b).  Ties between
 * nodes are broken by node number to get a total order (docs/protocol.md).
 */
#include "lamport.h"

static uint32_t clock;

uint32_t
lamport_now(void)
{
	return clock;
}

uint32_t
lamport_tick(void)
{
	return ++clock;
}

uint32_t
lamport_receive(uint32_t ts)
{
	if (ts > clock)
		clock = ts;
	return ++clock;
}
