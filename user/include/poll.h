/*
 * poll() for brinch user programs: wait until one of several sockets is
 * ready (struct pollfd and the POLL* bits are in <brinch/net.h>).  Only
 * socket descriptors can be polled; others come back POLLNVAL.
 */
#ifndef _POLL_H
#define _POLL_H

#include <brinch/net.h>

/* At most 32 descriptors.  timeout_ms: 0 looks without waiting, -1
 * waits for ever.  Returns how many have revents set (0: timed out);
 * EINTR if a signal came first. */
int	 poll(struct pollfd *fds, unsigned n, int timeout_ms);

#endif
