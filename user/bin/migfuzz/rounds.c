/*
 * migfuzz's rounds: exchanges as a source would run them, or would not
 * (out of order, crossed, flooding), built from wire.c's messages and
 * spoil.c's faults.  Each round ABORTs what it opened before the next.
 */
#include <errno.h>
#include "migfuzz.h"

/* Send the image's pages in batches, perhaps leaving some out. */
static void
send_pages(const struct image *im)
{
	uint32_t first, n;

	for (first = 0; first < im->n; first += n) {
		n = 1 + below(MIG_BATCH);
		if (n > im->n - first)
			n = im->n - first;
		if (below(8) == 0)
			continue;		/* listed, never sent: zero */
		pages_msg(im, first, n);
		send_msg();
	}
}

/* A whole exchange whose STATE (or one PAGES batch) is wrong; then
 * perhaps one more message out of turn. */
void
round_exchange(void)
{
	struct image im;

	new_image(&im, IMG_PAGES);
	offer_msg(&im, below(2) ? MIG_STOP : MIG_PRECOPY);
	send_msg();
	send_pages(&im);
	if (below(4) == 0) {
		pages_msg(&im, 0, batch_of(&im));
		spoil_pages();
		send_msg();
	}
	state_msg(&im);
	if (below(8) != 0)
		spoil_state();
	if (below(4) == 0)
		mutate();
	send_msg();
	switch (below(6)) {
	case 0:
		state_msg(&im);
		send_as("STATE again");
		break;
	case 1:
		pages_msg(&im, 0, 1);
		send_as("PAGES after STATE");
		break;
	case 2:
		/* What mig_out.c's finish() sends: the result as a body. */
		hdr(MIG_OP_ABORT, im.id);
		put32(HDR, (uint32_t)-EBUSY);
		msg_len = HDR + 4;
		send_as("ABORT with a body");
		break;
	case 3:
		other_msg(&im, MIG_OP_GO);
		send_as("GO after STATE");
		break;
	case 4:
		offer_msg(&im, MIG_STOP);
		send_as("OFFER again");
		break;
	}
	cleanup();
}

/* Exchanges in an order no source follows. */
void
round_disorder(void)
{
	struct image a, b;

	new_image(&a, 16);
	new_image(&b, 16);
	switch (below(8)) {
	case 0:
		pages_msg(&a, 0, 1);
		send_as("PAGES before OFFER");
		offer_msg(&a, MIG_STOP);
		send_msg();
		send_pages(&a);
		state_msg(&a);
		send_msg();
		break;
	case 1:
		state_msg(&a);
		send_as("STATE before OFFER");
		offer_msg(&a, MIG_PRECOPY);
		send_msg();
		state_msg(&a);
		send_msg();
		state_msg(&a);
		send_as("STATE twice");
		break;
	case 2:
		other_msg(&a, MIG_OP_GO);
		send_as("GO before OFFER");
		offer_msg(&a, MIG_STOP);
		send_msg();
		other_msg(&a, MIG_OP_GO);
		send_as("GO before BUILT");
		send_pages(&a);
		other_msg(&a, MIG_OP_GO);
		send_as("GO before BUILT, pages in");
		break;
	case 3:
		offer_msg(&a, MIG_STOP);
		send_msg();
		offer_msg(&a, MIG_STOP);
		send_as("OFFER twice");
		other_msg(&a, MIG_OP_ABORT);
		send_msg();
		pages_msg(&a, 0, 1);
		send_as("PAGES after ABORT");
		state_msg(&a);
		send_as("STATE after ABORT");
		other_msg(&a, MIG_OP_ABORT);
		send_as("ABORT twice");
		break;
	case 4:
		/* The target's answers, sent to a target. */
		offer_msg(&a, MIG_STOP);
		send_msg();
		other_msg(&a, below(2) ? MIG_OP_ACCEPT : MIG_OP_BUILT);
		send_msg();
		other_msg(&a, MIG_OP_REFUSE);
		send_msg();
		break;
	case 5:
		/* Two at once, their messages crossed. */
		offer_msg(&a, MIG_STOP);
		send_msg();
		offer_msg(&b, MIG_PRECOPY);
		send_msg();
		send_pages(&a);
		state_msg(&b);
		send_as("STATE of b, none of its pages sent");
		pages_msg(&b, 0, 1);
		send_as("PAGES of b after its STATE");
		state_msg(&a);
		put32(ST(who.pid), (uint32_t)b.who.pid);
		send_as("STATE of a naming b");
		break;
	case 6:
		/* A source that sends more pages than any image has. */
		offer_msg(&a, MIG_STOP);
		send_msg();
		run_of_pages(&a, (next_id & 0xFF) * MIG_BATCH, MIG_BATCH);
		pages_msg(&a, 0, MIG_BATCH);
		send_as("PAGES of pages never offered");
		state_msg(&a);
		send_msg();
		break;
	default:
		other_msg(&a, MIG_OP_ABORT);
		send_as("ABORT of nothing");
		offer_msg(&a, MIG_STOP);
		spoil_offer();
		send_msg();
		break;
	}
	cleanup();
}

/* A few stagings open, then single messages of every op, each about
 * one of them (or about nothing), each made wrong one to three times. */
void
round_burst(void)
{
	struct image im[3];
	uint32_t i, k, nim = 1 + below(3), n = 4 + below(24), m;
	int op;

	for (i = 0; i < nim; i++) {
		new_image(&im[i], 24);
		offer_msg(&im[i], MIG_PRECOPY);
		send_msg();
		pages_msg(&im[i], 0, batch_of(&im[i]));
		send_msg();
	}
	for (k = 0; k < n; k++) {
		i = below(nim);
		if (below(8) == 0)
			im[i].id = next_id++;	/* about no staging */
		op = 1 + (int)below(MIG_OP_MAX - 1);
		if (below(2))
			op = below(2) ? MIG_OP_STATE : MIG_OP_PAGES;
		if (op == MIG_OP_OFFER)
			offer_msg(&im[i], MIG_PRECOPY);
		else if (op == MIG_OP_PAGES)
			pages_msg(&im[i], below(im[i].n), 1 + below(batch_of(&im[i])));
		else if (op == MIG_OP_STATE)
			state_msg(&im[i]);
		else
			other_msg(&im[i], op);
		if (below(3) == 0 && op == MIG_OP_OFFER)
			spoil_offer();
		else if (below(3) == 0 && op == MIG_OP_PAGES)
			spoil_pages();
		else if (below(3) == 0 && op == MIG_OP_STATE)
			spoil_state();
		else
			for (m = 1 + below(3); m > 0; m--)
				mutate();
		send_msg();
	}
	cleanup();
}

/* A source that never stops sending pages: refused at MIG_MAX_PAGES. */
void
round_flood(void)
{
	struct image im;
	uint32_t first;

	new_image(&im, 1);
	im.n = MIG_MAX_PAGES;
	offer_msg(&im, MIG_STOP);
	send_as("OFFER for the flood");
	for (first = 0; first <= MIG_MAX_PAGES; first += MIG_BATCH) {
		run_of_pages(&im, first, MIG_BATCH);
		pages_msg(&im, 0, MIG_BATCH);
		send_as("flood PAGES");
	}
	run_of_pages(&im, 0, MIG_BATCH);
	state_msg(&im);
	send_as("STATE after the flood");
	cleanup();
}

/* As many stagings as the target takes, each STATE listing the largest
 * image there is, most of it never sent: more memory than a small node
 * has.  Those it cannot hold are refused. */
void
round_pressure(void)
{
	struct image im[10];
	uint32_t i;

	for (i = 0; i < 10; i++) {
		new_image(&im[i], 8);
		offer_msg(&im[i], MIG_STOP);
		send_as("OFFER under pressure");
		pages_msg(&im[i], 0, im[i].n);
		send_msg();
	}
	for (i = 0; i < 10; i++) {
		state_msg(&im[i]);
		state_list_largest();
		send_as("STATE of 4096 pages under pressure");
	}
	cleanup();
}
