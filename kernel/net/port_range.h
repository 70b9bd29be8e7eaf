/*
 * Handing out free port numbers in turn: UDP's and TCP's ephemeral ports
 * (bind to port 0) and ICMP's echo identifiers (ping's ports).  Each
 * protocol keeps a range and says which numbers are taken; the search is
 * the same for all three.
 */
#ifndef NET_PORT_RANGE_H
#define NET_PORT_RANGE_H

#include <stdint.h>

#define EPHEMERAL_FIRST		49152	/* IANA dynamic range (RFC 6335) */
#define EPHEMERAL_LAST		65535

struct port_range {
	uint16_t first, last;		/* inclusive; first > 0 */
	uint16_t next;			/* where the next search starts */
};

#define PORT_RANGE(first, last)	{ (first), (last), (first) }

/*
 * The first number from r->next on, wrapping from last to first, that
 * in_use() says is free; 0 if every one is taken.  The next search
 * starts after it, so a number just given up is not handed out again
 * at once (a late packet for the old user would reach the new one).
 */
uint16_t port_pick(struct port_range *r, int (*in_use)(uint16_t port));

#endif
