/*
 * migfuzz's private header: the one message being made, the run's state
 * and what each file offers the others.  main.c describes the program;
 * wire.c builds messages, spoil.c makes them wrong, inject.c hands them
 * to the kernel, rounds.c strings them into exchanges.
 */
#ifndef MIGFUZZ_H
#define MIGFUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <dist.h>
#include <migrate.h>
#include "kernel/migrate/mig_wire.h"
#include "kernel/mm/mmu.h"

#define HDR		((uint32_t)sizeof(struct mig_hdr))
#define ST(field)	(HDR + (uint32_t)offsetof(struct mig_state, field))
#define INJECT_MAX		(KMSG_MAX + 256)	/* the most MIGCTL_INJECT takes */
#define ID_BASE		0x4D460000u	/* "MF": far from NODE's own ids (1, 2...) */
#define PID_BASE	30000		/* pids no process here or at NODE has */
#define PID_SPAN	2767		/* ... up to 32766 */
#define MAX_OPEN	32		/* stagings tracked until the round ends */
#define IMG_PAGES	48		/* pages of the largest ordinary image */
#define TEXT		0x08048000u	/* where user programs start */

/* A process as NODE would offer it: pages listed in STATE, sorted. */
struct image {
	uint32_t id;
	struct mig_who who;
	uint32_t n;
	uint32_t va[IMG_PAGES];
};

/*
 * The message being made (wire.c).  Builders write a well-formed one
 * into msg, spoilers and mutate() change it in place, send_msg() hands it
 * in.  `what` says how it was made, for -v and for failure lines.
 */
extern uint8_t msg[INJECT_MAX + 64];	/* + room to go past the limit */
extern uint32_t msg_len;
extern const char *what;

/* Every random choice comes from rng, seeded once from SEED: the order of
 * the calls to rnd() and below() is what makes a seed replay. */
extern uint32_t rng;
uint32_t rnd(void);
uint32_t below(uint32_t n);

/* wire.c: the buffer and well-formed messages. */
extern uint32_t next_id;
void put32(uint32_t off, uint32_t v);
uint32_t get32(uint32_t off);
uint32_t hdr(int op, uint32_t id);
uint32_t batch_of(const struct image *im);
void run_of_pages(struct image *im, uint32_t first, uint32_t n);
void new_image(struct image *im, uint32_t max);
void offer_msg(const struct image *im, uint32_t how);
void pages_msg(const struct image *im, uint32_t first, uint32_t n);
void state_msg(const struct image *im);
void state_list_largest(void);
void other_msg(const struct image *im, int op);
void find_file(void);

/* spoil.c: making the message in msg wrong. */
void mutate(void);
void spoil_offer(void);
void spoil_pages(void);
void spoil_state(void);

/*
 * inject.c: the run's state and the door into the kernel.  peer_node is
 * NODE, whom the messages claim to come from; this_node is where we run.
 */
extern int peer_node, this_node, verbose, failed;
extern uint32_t count, sent, cleanups, refused_calls;
extern uint32_t by_op[MIG_OP_MAX + 1];
extern struct mig_counters counters;	/* after the last message */
extern uint32_t open_ids[MAX_OPEN], nopen;
void read_counters(struct mig_counters *c);
int inject(void);
int send_msg(void);
int send_as(const char *label);
void cleanup(void);

/* rounds.c: exchanges, each ending in cleanup(). */
void round_exchange(void);
void round_disorder(void);
void round_burst(void);
void round_flood(void);
void round_pressure(void);

/* main.c: names for the counters and ops. */
extern const char *const counter_names[];
#define NCOUNTERS	(sizeof(struct mig_counters) / sizeof(uint32_t))
extern const char *const op_names[MIG_OP_MAX + 1];

#endif
