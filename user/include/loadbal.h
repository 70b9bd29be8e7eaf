/*
 * Load balancing in user space (docs/loadbal.md): the messages between
 * loadbald on each node (agent), loadbald on the master node (monitor)
 * and the `loadbal` command.  Every daemon owns a mailbox LOADBAL; the
 * master's is LOADBAL@MASTER.  Only fixed-size integer fields, so the
 * same bytes mean the same thing on every node.
 */
#ifndef _LOADBAL_H
#define _LOADBAL_H

#include <stdint.h>
#include <brinch/types.h>

#define LB_MBOX		"LOADBAL"
#define LB_MAGIC	0x4C42414Cu	/* "LBAL" */

/* The policy's knobs.  A move needs a difference of LB_THRESHOLD in
 * load (busy runnable processes): moving one job from a node with k+1 to
 * one with k would only swap the two, and the next look would swap them
 * back. */
#define LB_PERIOD_MS	500	/* each agent samples and reports this often */
#define LB_THRESHOLD	2	/* act when busiest - idlest >= this */
#define LB_SETTLE_MS	1000	/* after moves, let the reports catch up */
#define LB_MAX_MOVES	2	/* a job is moved at most this many times */
#define LB_STALE_MS	2000	/* a node silent this long is left out */
#define LB_ORDER_MS	10000	/* an order unanswered this long is given up */
#define LB_MIN_TICKS	2	/* CPU-bound: ran >= this many ticks in a period */

#define LB_NODES	16	/* nodes in the master's table */
#define LB_CANDS	16	/* CPU-bound candidates in one report */
#define LB_ORDER_MAX	8	/* moves in one order */
#define LB_LOG		24	/* decisions remembered */
#define LB_JOBS		48	/* jobs whose moves are counted */

enum lb_type {
	LB_REPORT = 1,		/* agent -> master, every period */
	LB_ORDER,		/* master -> agent: move these */
	LB_RESULT,		/* agent -> master: one move's outcome */
	LB_QUERY,		/* `loadbal` -> any daemon, by mbox_call */
	LB_STATUS,		/* the answer to LB_QUERY */
};

struct lb_hdr {
	uint32_t magic;
	uint32_t type;		/* enum lb_type */
	int32_t  node;		/* the sender's node */
	uint32_t len;		/* bytes of the whole message */
};

/* A process that ran at least LB_MIN_TICKS in the last period. */
struct lb_cand {
	int32_t  pid;		/* on the reporting node */
	int32_t  gpid;		/* DIST_PID(home, pid at home): stays when it moves */
	int32_t  ticks;		/* user + system ticks in the last period */
	char     name[PROC_NAME_LEN];
};

struct lb_report {
	struct lb_hdr hdr;
	int32_t  ready;		/* runnable processes (READY or RUNNING), us left out */
	int32_t  load;		/* ... of which busy in the last period, or too
				 * new to tell: what the decisions weigh */
	int32_t  cpu;		/* percent of the period some process ran */
	int32_t  ncand;
	struct lb_cand cand[LB_CANDS];
};

/* One move: the job (its pid on the source and its global pid, which
 * the agent checks before it moves anything), where, and how many moves
 * it has had so far. */
struct lb_move {
	int32_t  pid;
	int32_t  gpid;
	int32_t  from, to;
	int32_t  moves;		/* before this one */
	char     name[PROC_NAME_LEN];
};

struct lb_order {
	struct lb_hdr hdr;
	int32_t  nmoves;
	struct lb_move move[LB_ORDER_MAX];
};

struct lb_result {
	struct lb_hdr hdr;
	struct lb_move move;
	int32_t  result;	/* 0, or an errno */
	int32_t  why;		/* MIG_WHY_* for EBUSY */
	uint32_t ms;		/* migrate() took this long */
};

/* One row of the master's table. */
struct lb_node {
	int32_t  node;
	int32_t  ready, load, cpu, ncand;
	uint32_t age_ms;	/* since its last report */
};

/* One decision (master) or one move carried out (agent). */
struct lb_event {
	uint32_t t_ms;		/* the daemon's uptime when it was taken */
	struct lb_move move;
	int32_t  load_from, load_to;	/* the loads it was based on */
	int32_t  result;	/* 0, an errno, or LB_PENDING */
	int32_t  why;
	uint32_t ms;
};
#define LB_PENDING	(-1)

/* Moves counted per job, and jobs that cannot move (EBUSY). */
struct lb_job {
	int32_t  gpid;
	int32_t  moves;
	int32_t  pinned;	/* MIG_WHY_* of a refused move, else 0 */
	int32_t  last_from;	/* the node it last left, -1: none */
	char     name[PROC_NAME_LEN];
};

struct lb_status {
	struct lb_hdr hdr;
	int32_t  master;
	int32_t  is_master;
	uint32_t uptime_ms;
	int32_t  nnodes, nlog, njobs;
	uint32_t moves_ok, moves_failed;
	struct lb_node nodes[LB_NODES];
	struct lb_event log[LB_LOG];	/* oldest first */
	struct lb_job jobs[LB_JOBS];
};

#endif
