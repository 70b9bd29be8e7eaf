/*
 * Process migration inside the kernel: what the files of kernel/migrate/
 * share.  mig_out.c is the source's side (offer, page rounds, freeze,
 * commit), mig_in.c the target's (staging, checks, build, resume),
 * mig_home.c what a process's home node does for it once it has left
 * (signals, exit, console), mig_wire.c the message checks.  The core
 * reaches this layer only through the hooks in proc.h.
 */
#ifndef MIGRATE_MIGRATE_H
#define MIGRATE_MIGRATE_H

#include <stdint.h>
#include "brinch/migrate.h"
#include "mig_wire.h"
#include "mig_policy.h"
#include "mm/vm.h"

struct proc;
struct trapframe;

#define MIG_INFLIGHT	6	/* PAGES messages unacknowledged at once (360 KiB) */
#define MIG_NRECORDS	16	/* migrations remembered for migstat */

enum mig_phase {
	MIG_OFFERED,		/* OFFER sent; waiting for ACCEPT or REFUSE */
	MIG_SENDING,		/* pre-copy rounds while the process runs */
	MIG_FREEZING,		/* asked to stop at its next return to user mode */
	MIG_FINAL,		/* stopped: last dirty pages, then STATE */
	MIG_STATE_SENT,		/* waiting for BUILT */
	MIG_COMMITTED,		/* GO sent, our copy gone; waiting for GO's delivery */
};

/* The source's view of one migration (one per moving process). */
struct mig_out {
	int		 used;
	uint32_t	 id;		/* mig_id on the wire; record id */
	struct proc	*p;		/* the process that moves */
	int		 node;		/* the target */
	int		 how;
	int		 self;		/* migrate(0, ...): it waits in the call */
	enum mig_phase	 phase;
	uint32_t	 cursor;	/* next page address to look at this round */
	int		 round_all;	/* this round sends every page, dirty or not */
	uint32_t	 round_pages;	/* pages sent so far this round */
	uint32_t	 round_bytes0;	/* bytes_sent when the round began */
	struct mig_rounds rules;	/* what the stop rules look at (mig_policy.c) */
	int		 inflight;	/* PAGES messages not yet acknowledged */
	uint32_t	 sig_snapshot;	/* sig_pending as the STATE sent it */
	uint32_t	 t_start, t_round, t_freeze;	/* uptime_us() marks */
	uint32_t	 heard;		/* tick of the target's last sign of life */
	struct mig_record *rec;
	int		 nmbox;		/* its mailboxes, and their ids there (BUILT) */
	struct mig_mbox_map mbox[MIG_MAX_MBOX];
};

/* The target's staging of the mailboxes that come (mig_mbox.c). */
struct mig_mboxes {
	int		 n;
	struct mig_mbox	 meta[MIG_MAX_MBOX];	/* as MBOX said */
	int		 now[MIG_MAX_MBOX];	/* made here at STATE */
};

/* kmsg_send cookies: which done callback a message wants. */
#define MIG_COOKIE_PAGES	(1u << 30)	/* | outs index << 16 | id */
#define MIG_COOKIE_CONSOLE	(2u << 30)	/* | proc_table index */

/* mig_out.c */
void	mig_out_init(void);
int	mig_start(struct proc *p, int node, int how, int self, struct mig_record *out);
void	mig_out_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len);
void	mig_out_node_failed(int node);
void	mig_out_sent(uint32_t cookie, int err);
void	mig_console_drained(struct proc *p);
void	mig_boundary(struct trapframe *tf);
void	mig_out_tick(void);
void	mig_proc_gone(struct proc *p);
/* mig_record.c */
struct mig_record *mig_record_new(struct proc *p, int node, int how);
struct mig_record *mig_record_find(uint32_t id);
int	mig_records(struct mig_record *out, int max);
extern int mig_noflush;

/* mig_state.c: what cannot move, and the STATE message */
struct initrd_entry;
uint32_t mig_file_sum(const struct initrd_entry *e);
int	mig_check_movable(struct proc *p, int *why, int *arg);
int	mig_build_state(struct proc *p, int how, int self, uint8_t *buf, uint32_t max,
	    int *why, int *arg);

/* mig_in.c */
void	mig_in_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len);
void	mig_in_node_failed(int node);
void	mig_in_expire(void);

/* mig_mbox.c */
int	mig_mbox_offer(struct mig_out *m);
int	mig_mbox_built(struct mig_out *m, const uint8_t *msg, uint32_t len);
void	mig_mbox_commit(struct mig_out *m);
int	mig_mbox_stage(struct mig_mboxes *mb, const uint8_t *msg);
int	mig_mbox_adopt(struct mig_mboxes *mb, int owner, uint8_t *out, uint32_t *len);
void	mig_mbox_messages(struct mig_mboxes *mb, const uint8_t *msg, uint32_t len);
void	mig_mbox_arrived(struct mig_mboxes *mb, struct proc *p, int source);
void	mig_mbox_discard(struct mig_mboxes *mb);
void	mig_mbox_where(const uint8_t *msg);

/* mig_lazy.c */
void	mig_lazy_init(void);
int	mig_pager_room(void);
int	mig_pager_start(int node, uint32_t id, pde_t *pgdir);
void	mig_pager_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len);
int	mig_lazy_room(void);
void	mig_lazy_start(struct proc *p, int source, uint32_t id, uint32_t remote);
void	mig_lazy_pages(int node, uint32_t id, const struct mig_pages *b);
void	mig_lazy_gone(struct proc *p);
int	mig_lazy_settle(struct proc *p);
void	mig_lazy_node_failed(int node);
void	mig_lazy_node_reset(int node);
void	mig_lazy_tick(void);
extern int mig_nopull;

/* mig_home.c */
void	mig_home_init(void);
struct proc *find_migrant(int home, int pid);
void	mig_home_message(int node, const struct mig_hdr *h, const uint8_t *msg, uint32_t len);
void	mig_send_location(int home, int pid, int node);
void	mig_console_sent(uint32_t cookie, int err);
void	mig_forward_record(int home, int pid, int node);
void	mig_left_home(struct proc *p, int node);
void	mig_home_node_down(int node);

/* the service (mig_home.c): sending, counters */
int	mig_send(int node, const void *msg, uint32_t len, uint32_t cookie);
int	mig_send_op(int node, int op, uint32_t mig_id, const void *body, uint32_t len,
	    uint32_t cookie);
extern struct mig_counters mig_count;
int	mig_inject(int node, const uint8_t *msg, uint32_t len);
void	migrate_init(void);		/* kmain, after kmsg_init */

#endif
