/*
 * migfuzz's messages as a source would send them (docs/migration.md's
 * wire format): the buffer they are made in, the randomness every choice
 * draws on, and one builder per op.  spoil.c makes them wrong afterwards.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "migfuzz.h"

uint8_t msg[INJECT_MAX + 64];
uint32_t msg_len;
const char *what;
uint32_t rng;

/* Ids of our own, from just past ID_BASE on: far from NODE's. */
uint32_t next_id = ID_BASE + 1;

/* An initrd file for the descriptor records, with the size and the
 * FNV-1a sum the target checks. */
static const char file_path[] = "/etc/motd";
static uint32_t file_size, file_sum;
static int have_file;

/* ---- randomness: xorshift32, all of it from the seed ------------------ */

uint32_t
rnd(void)
{
	return xorshift32(&rng);
}

uint32_t
below(uint32_t n)
{
	return xorshift32_below(&rng, n);
}

/* ---- the message buffer ---------------------------------------------- */

void
put32(uint32_t off, uint32_t v)
{
	memcpy(msg + off, &v, 4);
}

uint32_t
get32(uint32_t off)
{
	uint32_t v;

	memcpy(&v, msg + off, 4);
	return v;
}

uint32_t
hdr(int op, uint32_t id)
{
	struct mig_hdr h = { .op = (uint8_t)op, .version = MIG_VERSION, .mig_id = id };

	memcpy(msg, &h, sizeof(h));
	return HDR;
}

static void
small(int op, uint32_t id, const void *body, uint32_t n)
{
	hdr(op, id);
	memcpy(msg + HDR, body, n);
	msg_len = HDR + n;
}

/* ---- well-formed messages ----------------------------------------------- */

void
new_image(struct image *im, uint32_t max)
{
	uint32_t i, stack, text;

	im->id = next_id++;
	im->who.home = peer_node;
	im->who.pid = PID_BASE + (int32_t)below(PID_SPAN);
	im->n = 1 + below(max < IMG_PAGES ? max : IMG_PAGES);
	stack = im->n >= 3 ? 1 + below(2) : 0;
	text = im->n - stack;
	for (i = 0; i < text; i++)
		im->va[i] = (TEXT + i * PAGE_SIZE) | (i > 0 ? MIG_PAGE_W : 0);
	for (i = 0; i < stack; i++)
		im->va[text + i] = (USER_TOP - (stack - i) * PAGE_SIZE) | MIG_PAGE_W;
}

/* The pages of im's first batch, as many as one PAGES message holds. */
uint32_t
batch_of(const struct image *im)
{
	return im->n < MIG_BATCH ? im->n : MIG_BATCH;
}

/* Make im n writable pages in a row, from page `first` past TEXT on: the
 * floods and the pages nobody offered. */
void
run_of_pages(struct image *im, uint32_t first, uint32_t n)
{
	for (im->n = 0; im->n < n; im->n++)
		im->va[im->n] = (TEXT + (first + im->n) * PAGE_SIZE) | MIG_PAGE_W;
}

void
offer_msg(const struct image *im, uint32_t how)
{
	struct mig_offer o;

	memset(&o, 0, sizeof(o));
	o.who = im->who;
	o.how = how;
	o.npages = im->n;
	strlcpy(o.name, "fuzzed", sizeof(o.name));
	small(MIG_OP_OFFER, im->id, &o, sizeof(o));
	what = "OFFER";
}

/* n pages of the image from index first on, last first (a batch need
 * not be sorted), each filled with its page number. */
void
pages_msg(const struct image *im, uint32_t first, uint32_t n)
{
	uint32_t i, va, data = HDR + 4 + 4 * n;

	hdr(MIG_OP_PAGES, im->id);
	put32(HDR, n);
	for (i = 0; i < n; i++) {
		va = im->va[(first + n - 1 - i) % im->n];
		put32(HDR + 4 + 4 * i, va);
		memset(msg + data + i * PAGE_SIZE, (int)(va >> 12), PAGE_SIZE);
	}
	msg_len = data + n * PAGE_SIZE;
	what = "PAGES";
}

/* The image's state: registers a user program could hold, a signal
 * handler, the console on 0-2, an initrd file on 3 and its dup on 4. */
void
state_msg(const struct image *im)
{
	struct mig_state *s = (struct mig_state *)(msg + HDR);
	uint32_t eip = PTE_ADDR(im->va[0]) + 0x10, fd;

	hdr(MIG_OP_STATE, im->id);
	memset(s, 0, sizeof(*s));
	s->who = im->who;
	s->ppid = 1;
	strlcpy(s->name, "fuzzed", sizeof(s->name));
	s->regs.eip = eip;
	s->regs.esp = USER_TOP - 16;
	s->regs.eflags = MIG_EFLAGS_IF | MIG_EFLAGS_FIXED;
	s->regs.cs = USER_CS;
	s->regs.ss = s->regs.ds = s->regs.es = s->regs.fs = s->regs.gs = USER_DS;
	s->sig_blocked = sigmask(SIGUSR1);
	s->sig_actions[SIGINT].sa_handler = eip;
	s->sig_actions[SIGINT].sa_restorer = eip + 8;
	s->image_end = s->brk = TEXT + 4 * PAGE_SIZE;
	for (fd = 0; fd < 3; fd++) {
		s->fds[fd].kind = MIG_FD_CONSOLE;
		s->fds[fd].readable = fd == 0;
		s->fds[fd].writable = fd != 0;
	}
	if (have_file) {
		s->fds[3].kind = MIG_FD_FILE;
		s->fds[3].readable = 1;
		s->fds[3].size = file_size;
		s->fds[3].checksum = file_sum;
		strlcpy(s->fds[3].path, file_path, sizeof(s->fds[3].path));
		s->fds[4].kind = MIG_FD_DUP;
		s->fds[4].readable = 1;
		s->fds[4].ref = 3;
	}
	s->npages = im->n;
	memcpy(msg + HDR + sizeof(*s), im->va, im->n * 4);
	msg_len = HDR + sizeof(*s) + im->n * 4;
	what = "STATE";
}

/* Make the STATE in msg list the largest image there is, MIG_MAX_PAGES
 * pages from TEXT on: more than a small node can hold, most of it never
 * sent (so zero). */
void
state_list_largest(void)
{
	uint32_t i;

	put32(ST(npages), MIG_MAX_PAGES);
	for (i = 0; i < MIG_MAX_PAGES; i++)
		put32(HDR + sizeof(struct mig_state) + 4 * i, (TEXT + i * PAGE_SIZE) | MIG_PAGE_W);
	msg_len = HDR + sizeof(struct mig_state) + 4 * MIG_MAX_PAGES;
}

/* A valid message of one of the other ops, about im. */
void
other_msg(const struct image *im, int op)
{
	struct mig_refuse rf = { .err = -(int32_t)(1 + below(200)) };
	struct mig_go go = { .signals = below(2) ? sigmask(SIGTERM) : 0 };
	struct mig_signal sg = { .who = im->who, .sig = 1 + (int32_t)below(NSIG - 1),
	    .hops = (uint8_t)below(MIG_MAX_HOPS + 2) };
	struct mig_exit ex = { .who = im->who, .status = (int32_t)below(256) << 8 };
	struct mig_location lo = { .who = im->who, .node = peer_node };
	struct mig_console c = { .who = im->who };

	/* Half of these name a process of this node's (none exists). */
	if (below(2))
		sg.who.home = ex.who.home = lo.who.home = this_node;
	switch (op) {
	case MIG_OP_REFUSE:
		small(op, im->id, &rf, sizeof(rf));
		break;
	case MIG_OP_GO:
		small(op, im->id, &go, sizeof(go));
		break;
	case MIG_OP_SIGNAL:
		small(op, 0, &sg, sizeof(sg));
		break;
	case MIG_OP_EXIT:
		small(op, 0, &ex, sizeof(ex));
		break;
	case MIG_OP_LOCATION:
		small(op, 0, &lo, sizeof(lo));
		break;
	case MIG_OP_CONSOLE:
		if (below(4) == 0) {
			c.who.home = this_node;	/* prints nothing */
		} else {
			c.len = 1 + below(MIG_CONSOLE_MAX);
			memset(msg + HDR + sizeof(c), 'z', c.len);
		}
		small(op, 0, &c, sizeof(c));
		msg_len += c.len;
		break;
	default:			/* ACCEPT, BUILT, ABORT */
		small(op, im->id, NULL, 0);
		break;
	}
	what = op_names[op];
}

/* ---- the initrd file STATE names ----------------------------------------- */

static uint32_t
fnv1a(const uint8_t *p, uint32_t n, uint32_t h)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

void
find_file(void)
{
	static uint8_t buf[512];
	int fd, n;

	file_sum = 2166136261u;
	if ((fd = open(file_path, O_RDONLY)) < 0)
		return;
	while ((n = (int)read(fd, buf, sizeof(buf))) > 0) {
		file_sum = fnv1a(buf, (uint32_t)n, file_sum);
		file_size += (uint32_t)n;
	}
	close(fd);
	have_file = n == 0;
}
