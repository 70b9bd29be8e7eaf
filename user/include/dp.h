/*
 * Distributed processes (Brinch Hansen, 1978) as a user library, on top
 * of mbox_call/receive/reply: user/lib/dp.c, explained in
 * docs/distributed-processes.md.  Used by the dp_* example programs.
 *
 * A process owns its variables and offers public procedures.  Another
 * process runs one with `CALL P.R(args)`: dp_call(P, R, ...).  A
 * procedure may start with statements and then wait at a guard,
 * `WHEN B`: a call whose guard is false is not refused but kept, and
 * the guard is tried again after every procedure the process executes.
 *
 *	static const struct dp_proc buffer[] = {
 *		[SEND]    = { "SEND", 1, NULL, not_full, send },
 *		[RECEIVE] = { "RECEIVE", 0, NULL, not_empty, receive },
 *	};
 */
#ifndef _DP_H
#define _DP_H

#include <stddef.h>
#include <stdint.h>

#define DP_ARGS_MAX	1024	/* bytes of parameters in one call */
#define DP_RESULT_MAX	1024	/* bytes of results */
#define DP_LOCALS	4	/* words of local variables per call */
#define DP_OPEN_WAIT_MS	5000	/* dp_open waits this long for a process */

/* One call of a public procedure, as the serving process sees it. */
struct dp_call {
	int		 caller;	/* pid of the calling process */
	int		 proc;		/* the procedure's number */
	const void	*args;		/* the parameters, argsize bytes */
	size_t		 argsize;
	/* The activation's own variables: set before the WHEN (enter),
	 * still there when the body runs, however long the call waited. */
	uint32_t	 local[DP_LOCALS];
};

/* The parameters of call c as a `type`; the library has checked the
 * size against the procedure's argsize. */
#define DP_ARG(c, type)	(*(const type *)(c)->args)

/*
 * A public procedure: `proc name(args) enter; when guard: body end`.
 * enter and when may be NULL (nothing to do; always true).  The guard
 * must only look: it is evaluated again and again.  body writes its
 * results (at most DP_RESULT_MAX bytes) and returns their size, or
 * -errno to make the dp_call fail.
 */
struct dp_proc {
	const char	*name;
	size_t		 argsize;	/* parameters it takes, in bytes */
	void		(*enter)(void *state, struct dp_call *c);
	int		(*when)(void *state, const struct dp_call *c);
	int		(*body)(void *state, struct dp_call *c, void *result);
};

/* What the library counts while it serves (readable by the bodies). */
struct dp_stats {
	uint32_t	 calls;		/* procedures executed */
	uint32_t	 deferred;	/* calls that waited at their WHEN */
	uint32_t	 most_waiting;	/* the most calls waiting at once */
	uint32_t	 guards;	/* guard evaluations */
};

struct dp_waiting;		/* private to dp.c */

/* A distributed process: its name, procedures and variables. */
struct dp_process {
	const char		*name;	/* what callers dp_open() */
	const struct dp_proc	*procs;	/* indexed by procedure number */
	int			 nprocs;
	void			*state;	/* passed to every procedure */
	/* Kept by the library. */
	struct dp_stats		 stats;
	int			 mbox;
	int			 stopping;
	struct dp_waiting	*waiting;	/* calls waiting at a WHEN */
};

/* Serve calls on a mailbox named p->name until a body calls dp_stop.
 * Calls still waiting then fail with EPIPE.  0, or -1 with errno. */
int	dp_serve(struct dp_process *p);

/* From a body: finish after this call (it is still answered). */
void	dp_stop(struct dp_process *p);

/* How many calls of procedure proc wait at their WHEN (Ada's E'Count). */
int	dp_waiting(const struct dp_process *p, int proc);

/* A handle on the process named name, waiting up to DP_OPEN_WAIT_MS for
 * it to start serving.  The name is looked up here and only here, so a
 * remote "NAME@node" can later be added without changing callers. */
int	dp_open(const char *name);

/* CALL P.R(args): run procedure proc of the process behind handle and
 * wait for it.  Returns the size of its results (copied to result, at
 * most resultsize bytes: more is EMSGSIZE), or -1 with errno. */
int	dp_call(int handle, int proc, const void *args, size_t argsize,
	    void *result, size_t resultsize);

/*
 * A distributed-processes program is a fixed set of processes started
 * together.  dp_spawn forks one that runs fn(arg) and exits with its
 * result (0 = fine).  dp_join waits for n of them, at most timeout_ms
 * in all: it returns how many failed, or -1 if time ran out (the rest
 * are then killed; a deadlock shows up that way).
 */
int	dp_spawn(int (*fn)(void *), void *arg);
int	dp_join(const int *pids, int n, unsigned timeout_ms);

#endif
