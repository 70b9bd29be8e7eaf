/*
 * Distributed mutual exclusion over remote mailboxes (docs/dme.md): one
 * interface, dme_enter() and dme_exit(), and three algorithms behind it,
 * chosen by name.  net.c moves the messages and keeps the Lamport clock;
 * central.c, ra.c and ring.c are the algorithms; main.c is `dme`.
 */
#ifndef DME_H
#define DME_H

#include <stdint.h>
#include "rules.h"

#define DME_MAX_NODES	16

/* What the algorithms say to each other (and, not counted, DONE/STOP). */
enum dme_kind {
	DME_REQUEST = 1,	/* central: to the coordinator; R-A: to everyone */
	DME_REPLY,		/* R-A: permission */
	DME_GRANT,		/* central: coordinator to the requester */
	DME_RELEASE,		/* central: requester back to the coordinator */
	DME_TOKEN,		/* ring: the token */
	DME_PROBE,		/* ring: "has anyone seen the token since?" */
	DME_DONE,		/* a node has made all its entries (not counted) */
	DME_STOP,		/* node 0 to its host process: everyone is done */
};

struct dme_msg {
	int32_t	 kind;
	int32_t	 from;		/* sending node */
	uint32_t ts;		/* sender's Lamport time when it sent this */
	int32_t	 pid;		/* sending process, for the logs */
	uint32_t gen, pass;	/* TOKEN, PROBE: which token, how far it went */
	int32_t	 origin;	/* PROBE: who asks */
	uint32_t dead;		/* TOKEN, PROBE: bit k = node k left the ring */
	uint32_t serial;	/* PROBE: the origin's probe number */
	int32_t	 round;		/* PROBE: 1 or 2 (rules.h) */
};

/* One algorithm: what dme_enter and dme_exit do, and how it answers
 * messages that arrive while the program waits (dme_wait). */
struct dme_alg {
	const char *name;
	int	(*enter)(void);
	int	(*exit)(void);
	int	(*deliver)(struct dme_msg *);	/* 0, or -1 to give up */
	void	(*idle)(void);			/* no message for a while */
	int	(*finished)(void);		/* may this node leave now? */
	void	(*close)(void);			/* entries made: before DONE */
};

extern const struct dme_alg dme_central, dme_ra, dme_ring;

/* ---- the interface programs use (net.c) ---- */
int	dme_open(const char *alg, int nodes, uint32_t start_time, int verbose);
int	dme_enter(void);
int	dme_exit(void);
int	dme_close(void);	/* serve the others until all are done */

/* ---- for the algorithms (net.c) ---- */
extern int	 dme_hold_ms;	/* ring: keep the token this long (-p) */
extern int	 dme_me, dme_nodes, dme_pid, dme_verbose;
extern uint32_t	 dme_clock;	/* this process's Lamport clock */
extern unsigned	 dme_sent;	/* algorithm messages sent (not DONE/STOP) */
extern uint32_t	 dme_done_from;	/* bit k: node k said DONE */
extern int	 dme_my_done;	/* this node has made all its entries */
extern uint32_t	 dme_req_ts;	/* timestamp of our latest request */
extern char	 dme_note[32];	/* the algorithm's word on the entry */

int	dme_all_done(void);	/* every other node said DONE */

uint32_t dme_tick(void);
int	dme_send(int node, struct dme_msg *m);	/* stamps, counts; -1 + errno */
int	dme_send_host(struct dme_msg *m);	/* to node 0's host process */
int	dme_send_id(int mbox, struct dme_msg *m);	/* to any mailbox */
int	dme_open_wait(const char *name, int node);	/* NAME@node, when it is made */
int	dme_wait(int (*ready)(void));		/* deliver until ready() */
void	dme_trace(const char *fmt, ...);	/* `dme N PID ...` when verbose */
void	dme_line(const char *fmt, ...);		/* `dme N PID ...` always */

/* ---- node 0's host process (host.c): the coordinator, the counter ---- */
int	dme_host_main(int nodes, int central, int verbose);

/* The shared state of the section: one message in node 0's DMECS. */
struct dme_counter {
	uint32_t entries;	/* sections entered so far, everywhere */
	int32_t	 node;		/* who entered last */
};

#endif
