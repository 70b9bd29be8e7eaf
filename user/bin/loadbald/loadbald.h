/*
 * loadbald's private header: the daemon's state and what each file offers
 * the others.  main.c describes the daemon and runs its loop; agent.c
 * samples this node and carries out moves; policy.c is the master's
 * monitor, which decides them; status.c keeps the log and answers queries.
 */
#ifndef LOADBALD_H
#define LOADBALD_H

#include <stdint.h>
#include <loadbal.h>

/* main.c: who we are, and the messages' common parts. */
extern int node, master, self;
extern int mbox;			/* our LOADBAL */
uint32_t now_ms(void);
void hdr_init(struct lb_hdr *h, int type, uint32_t len);
int open_loadbal(int at);

/* agent.c: every node's side. */
extern struct lb_report last_report;	/* for queries on an agent */
extern uint32_t seen_tick;		/* uptime ticks at that sample */
int to_master(const void *msg, uint32_t len);
void sample(struct lb_report *r);
void do_order(const struct lb_order *o);

/* policy.c: the monitor, on the master node only. */
void decide(void);
void on_report(const struct lb_report *r);
void on_result(const struct lb_result *r);
void monitor_status(struct lb_status *st, uint32_t now);

/* status.c: the log (decisions on the master, moves carried out on an
 * agent) and the answer to `loadbal`'s query. */
extern struct lb_event events[LB_LOG];
extern int nevents;			/* ever logged; the ring holds the last LB_LOG */
extern uint32_t moves_ok, moves_failed;
struct lb_event *log_event(const struct lb_move *m, int load_from, int load_to, int result);
void status_node(struct lb_status *st, int n, const struct lb_report *r, uint32_t age_ms);
void answer(int caller);

#endif
