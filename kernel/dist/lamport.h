/*
 * Lamport's logical clock (1978), one per node: kernel/dist/kmsg.c stamps
 * every message it sends and applies the receive rule to every message
 * it delivers; the lamport() system call reads or ticks it.  lamport.c
 * is pure, so tests/unit/test_kmsg.c checks the rules on the host.
 */
#ifndef LAMPORT_H
#define LAMPORT_H

#include <stdint.h>

uint32_t lamport_now(void);
/* A local event, or a send: advance the clock and return the new time,
 * which is the event's (and the message's) timestamp. */
uint32_t lamport_tick(void);
/* A message stamped ts arrived: clock = max(clock, ts) + 1; returns it. */
uint32_t lamport_receive(uint32_t ts);

#endif
