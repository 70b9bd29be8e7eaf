/*
 * Host unit tests for the free-number search shared by UDP, TCP and ICMP
 * (kernel/net/port_range.c): numbers come in turn and wrap, taken ones
 * are skipped, a full range gives 0, and a range ending at 65535 wraps
 * without overflowing.
 */
// uses: kernel/net/port_range.c
#include "unit.h"
#include "kernel/net/port_range.h"

static uint8_t taken[65536];

static int
is_taken(uint16_t port)
{
	return taken[port];
}

static void
test_in_turn(void)
{
	struct port_range r = PORT_RANGE(10, 13);

	CHECK_EQ_INT(port_pick(&r, is_taken), 10);
	CHECK_EQ_INT(port_pick(&r, is_taken), 11);
	taken[12] = 1;
	CHECK_EQ_INT(port_pick(&r, is_taken), 13);	/* 12 skipped */
	CHECK_EQ_INT(port_pick(&r, is_taken), 10);	/* wrapped */
	taken[10] = taken[11] = taken[13] = 1;
	CHECK_EQ_INT(port_pick(&r, is_taken), 0);	/* all taken */
	taken[11] = 0;
	CHECK_EQ_INT(port_pick(&r, is_taken), 11);
	taken[10] = taken[12] = taken[13] = 0;
}

static void
test_top_of_range(void)
{
	struct port_range r = PORT_RANGE(EPHEMERAL_FIRST, EPHEMERAL_LAST);
	uint32_t p;
	int i;

	r.next = 65534;
	CHECK_EQ_INT(port_pick(&r, is_taken), 65534);
	CHECK_EQ_INT(port_pick(&r, is_taken), 65535);
	CHECK_EQ_INT(port_pick(&r, is_taken), EPHEMERAL_FIRST);
	/* Every number but one taken: the search still finds it. */
	for (p = EPHEMERAL_FIRST; p <= EPHEMERAL_LAST; p++)
		taken[p] = p != 50000;
	for (i = 0; i < 3; i++)
		CHECK_EQ_INT(port_pick(&r, is_taken), 50000);
	taken[50000] = 1;
	CHECK_EQ_INT(port_pick(&r, is_taken), 0);
}

int
main(void)
{
	test_in_turn();
	test_top_of_range();
	return unit_summary("test_port_range");
}
