/*
 * The free-number search of port_range.h, for udp.c, tcp_user.c and
 * icmp.c.  Pure logic, tested on the host (tests/unit/test_port_range.c).
 */
#include "port_range.h"

uint16_t
port_pick(struct port_range *r, int (*in_use)(uint16_t port))
{
	uint32_t tries, count = (uint32_t)r->last - r->first + 1;
	uint16_t port;

	for (tries = 0; tries < count; tries++) {
		port = r->next;
		r->next = port == r->last ? r->first : port + 1;
		if (!in_use(port))
			return port;
	}
	return 0;
}
