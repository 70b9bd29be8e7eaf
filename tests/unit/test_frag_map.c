/*
 * Host unit tests for the bookkeeping of IPv4 reassembly
 * (kernel/net/frag_map.c): which fragments are refused on their own,
 * duplicates, overlaps, disagreement about the end, the fragment limit,
 * and completion in any order of arrival, checked against a byte map.
 */
// uses: kernel/net/frag_map.c
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "kernel/net/frag_map.h"

static enum frag_verdict
add(struct frag_map *m, uint32_t start, uint32_t len, int more)
{
	uint32_t at;

	return frag_map_add(m, start, len, more, &at);
}

static void
test_check(void)
{
	CHECK_EQ_INT(frag_check(0, 1480, 1, 20), FRAG_ADDED);
	CHECK_EQ_INT(frag_check(1480, 13, 0, 20), FRAG_ADDED);	/* the last: any length */
	CHECK_EQ_INT(frag_check(0, 13, 1, 20), FRAG_BAD_SIZE);	/* a middle one: 8s */
	CHECK_EQ_INT(frag_check(8, 0, 0, 20), FRAG_BAD_SIZE);	/* empty */
	CHECK_EQ_INT(frag_check(65512, 40, 0, 20), FRAG_TOO_LONG);
	CHECK_EQ_INT(frag_check(65512, 3, 0, 20), FRAG_ADDED);	/* 65535 exactly */
	CHECK_EQ_INT(frag_check(65512, 3, 0, 24), FRAG_TOO_LONG);	/* options count */
}

static void
test_in_order_and_reversed(void)
{
	struct frag_map m;
	uint32_t at;
	int i;

	memset(&m, 0, sizeof(m));
	CHECK_EQ_INT(add(&m, 0, 1480, 1), FRAG_ADDED);
	CHECK(!frag_map_complete(&m));
	CHECK_EQ_INT(add(&m, 1480, 1480, 1), FRAG_ADDED);
	CHECK_EQ_INT(add(&m, 2960, 100, 0), FRAG_ADDED);
	CHECK(frag_map_complete(&m));
	CHECK_EQ_INT(m.total, 3060);

	memset(&m, 0, sizeof(m));
	for (i = 10; i >= 0; i--) {
		CHECK(!frag_map_complete(&m));
		CHECK_EQ_INT(frag_map_add(&m, i * 8, 8, i < 10, &at), FRAG_ADDED);
		CHECK_EQ_INT(at, 0);		/* each lands in front */
	}
	CHECK(frag_map_complete(&m));
	for (i = 0; i <= 10; i++)
		CHECK_EQ_INT(m.r[i].start, i * 8);
}

static void
test_duplicates_and_overlaps(void)
{
	struct frag_map m;

	memset(&m, 0, sizeof(m));
	CHECK_EQ_INT(add(&m, 16, 16, 1), FRAG_ADDED);
	CHECK_EQ_INT(add(&m, 16, 16, 1), FRAG_DUPLICATE);
	CHECK_EQ_INT(m.have, 16);
	CHECK_EQ_INT(add(&m, 8, 16, 1), FRAG_OVERLAP);	/* over the front */
	CHECK_EQ_INT(add(&m, 24, 16, 1), FRAG_OVERLAP);	/* over the back */
	CHECK_EQ_INT(add(&m, 0, 48, 1), FRAG_OVERLAP);	/* around it */
	CHECK_EQ_INT(add(&m, 16, 8, 1), FRAG_OVERLAP);	/* inside it */
	CHECK_EQ_INT(add(&m, 0, 16, 1), FRAG_ADDED);		/* touching is fine */
	CHECK_EQ_INT(add(&m, 32, 8, 1), FRAG_ADDED);
	CHECK_EQ_INT(m.n, 3);
}

static void
test_the_end(void)
{
	struct frag_map m;

	memset(&m, 0, sizeof(m));
	CHECK_EQ_INT(add(&m, 80, 10, 0), FRAG_ADDED);
	CHECK_EQ_INT(add(&m, 80, 10, 0), FRAG_DUPLICATE);
	CHECK_EQ_INT(add(&m, 64, 20, 0), FRAG_OVERLAP);	/* a second end */
	CHECK_EQ_INT(add(&m, 96, 8, 1), FRAG_OVERLAP);	/* data past the end */
	CHECK_EQ_INT(add(&m, 88, 8, 0), FRAG_OVERLAP);

	memset(&m, 0, sizeof(m));
	CHECK_EQ_INT(add(&m, 80, 16, 1), FRAG_ADDED);
	CHECK_EQ_INT(add(&m, 0, 40, 0), FRAG_OVERLAP);	/* ends before data held */
	CHECK_EQ_INT(add(&m, 96, 4, 0), FRAG_ADDED);
	CHECK(!frag_map_complete(&m));
	CHECK_EQ_INT(m.total, 100);
}

static void
test_too_many(void)
{
	struct frag_map m;
	int i;

	memset(&m, 0, sizeof(m));
	for (i = 0; i < FRAG_MAP_MAX; i++)
		CHECK_EQ_INT(add(&m, i * 16, 8, 1), FRAG_ADDED);
	CHECK_EQ_INT(add(&m, FRAG_MAP_MAX * 16, 8, 0), FRAG_TOO_MANY);
	CHECK_EQ_INT(add(&m, 0, 8, 1), FRAG_DUPLICATE);	/* still told apart */
}

/*
 * Random datagrams cut into 8-byte-aligned fragments, delivered shuffled
 * with copies: complete exactly when the last missing one arrives, and
 * every verdict agrees with a byte map kept alongside.
 */
static void
test_shuffled(void)
{
	static uint8_t held[70000];
	uint32_t starts[64], lens[64], order[128], n, total, i, j, k, t, left;
	struct frag_map m;
	enum frag_verdict v;
	int round, ok = 1;

	srand(5722);
	for (round = 0; round < 2000 && ok; round++) {
		memset(&m, 0, sizeof(m));
		memset(held, 0, sizeof(held));
		total = 1 + (uint32_t)rand() % 60000;
		for (n = 0, i = 0; i < total && n < 64; n++) {
			starts[n] = i;
			lens[n] = 8 * (1 + (uint32_t)rand() % 185);
			if (i + lens[n] >= total || n == 63)
				lens[n] = total - i;
			i += lens[n];
		}
		for (i = 0; i < 2 * n; i++)
			order[i] = i % n;
		for (i = 2 * n - 1; i > 0; i--) {
			j = (uint32_t)rand() % (i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		left = n;
		for (i = 0; i < 2 * n; i++) {
			k = order[i];
			v = add(&m, starts[k], lens[k], starts[k] + lens[k] < total);
			if (held[starts[k]]) {
				ok &= v == FRAG_DUPLICATE;
			} else {
				ok &= v == FRAG_ADDED;
				memset(held + starts[k], 1, lens[k]);
				left--;
			}
			ok &= frag_map_complete(&m) == (left == 0);
		}
		ok &= m.have == total && m.total == total;
	}
	CHECK(ok);
	if (!ok)
		printf("shuffled round %d went wrong\n", round);
}

int
main(void)
{
	test_check();
	test_in_order_and_reversed();
	test_duplicates_and_overlaps();
	test_the_end();
	test_too_many();
	test_shuffled();
	return unit_summary("test_frag_map");
}
