/*
 * Distributed processes (see <dp.h> and docs/distributed-processes.md):
 * CALL is mbox_call on the serving process's named mailbox; the server
 * takes each request with mbox_receive, runs the procedure's statements
 * before its WHEN, and either executes it at once or keeps it on its
 * list of waiting calls; reply() answers a call when its body has run.
 * Used by the dp_* programs.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dp.h>
#include <sys/wait.h>

/* A call waiting at its WHEN, in order of arrival. */
struct dp_waiting {
	struct dp_call		 call;	/* what the procedures see */
	struct dp_waiting	*next;
	char			 args[];
};

/* On the wire: a request names the procedure, an answer says how it
 * went (result size, or -errno). */
struct request {
	int32_t	 proc;
	char	 args[DP_ARGS_MAX];
};

struct answer {
	int32_t	 status;
	char	 result[DP_RESULT_MAX];
};

#define HEADER	sizeof(int32_t)

/* ---- the serving side --------------------------------------------------- */

/* Answer a call with an error (or an empty result). */
static void
answer_status(int caller, int32_t status)
{
	/* A caller that gave up (timeout, signal, exit) makes this fail
	 * with ESRCH; there is nobody left to tell. */
	reply(caller, &status, sizeof(status));
}

static int
guard_holds(struct dp_process *p, struct dp_waiting *w)
{
	const struct dp_proc *proc = &p->procs[w->call.proc];

	p->stats.guards++;
	return proc->when == NULL || proc->when(p->state, &w->call);
}

/* Run the body and answer the caller with its results. */
static void
execute(struct dp_process *p, struct dp_waiting *w)
{
	static struct answer ans;	/* one process, one call at a time */
	const struct dp_proc *proc = &p->procs[w->call.proc];
	int size;

	size = proc->body(p->state, &w->call, ans.result);
	if (size > DP_RESULT_MAX)
		size = -EMSGSIZE;	/* the body overran: say so */
	p->stats.calls++;
	ans.status = size;
	reply(w->call.caller, &ans, HEADER + (size > 0 ? size : 0));
	free(w);
}

/* A new request: check it, run its statements before the WHEN, then
 * execute it or keep it waiting. */
static void
arrive(struct dp_process *p, int caller, const char *msg, int len)
{
	const struct dp_proc *proc;
	struct dp_waiting *w, **tail;
	int32_t number;
	uint32_t waiting = 1;

	if (len < (int)HEADER) {
		answer_status(caller, -EINVAL);
		return;
	}
	memcpy(&number, msg, HEADER);
	if (number < 0 || number >= p->nprocs || !p->procs[number].body) {
		answer_status(caller, -ENOSYS);
		return;
	}
	proc = &p->procs[number];
	if ((size_t)len - HEADER != proc->argsize) {
		answer_status(caller, -EINVAL);
		return;
	}
	if (!(w = malloc(sizeof(*w) + proc->argsize))) {
		answer_status(caller, -ENOMEM);
		return;
	}
	memset(w, 0, sizeof(*w));
	w->call.caller = caller;
	w->call.proc = number;
	w->call.args = w->args;
	w->call.argsize = proc->argsize;
	memcpy(w->args, msg + HEADER, proc->argsize);

	if (proc->enter)
		proc->enter(p->state, &w->call);
	if (guard_holds(p, w)) {
		execute(p, w);
		return;
	}
	p->stats.deferred++;
	for (tail = &p->waiting; *tail; tail = &(*tail)->next)
		waiting++;
	*tail = w;
	if (waiting > p->stats.most_waiting)
		p->stats.most_waiting = waiting;
}

/*
 * Something changed: try the waiting calls' guards again, oldest
 * first.  Executing one may make others true (or false), so after each
 * execution look again from the start, until no guard holds.
 */
static void
reconsider(struct dp_process *p)
{
	struct dp_waiting **link, *w;

again:
	for (link = &p->waiting; (w = *link) && !p->stopping; link = &w->next) {
		if (guard_holds(p, w)) {
			*link = w->next;
			execute(p, w);
			goto again;
		}
	}
}

int
dp_serve(struct dp_process *p)
{
	/* Any message fits, so an oversized request is taken and refused
	 * rather than left to block the mailbox. */
	static char msg[MSG_MAX];
	struct dp_waiting *w;
	struct msg_info info;
	int n;

	memset(&p->stats, 0, sizeof(p->stats));
	p->stopping = 0;
	p->waiting = NULL;
	if ((p->mbox = mbox_create(p->name, MBOX_UNBOUNDED)) < 0)
		return -1;
	while (!p->stopping) {
		if ((n = mbox_receive(p->mbox, msg, sizeof(msg), &info, 0, 0)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!(info.flags & MSG_CALL))
			continue;	/* nobody waits for an answer */
		arrive(p, info.sender, msg, n);
		reconsider(p);
	}
	/* The process ends: its waiting calls will never run. */
	while ((w = p->waiting)) {
		p->waiting = w->next;
		answer_status(w->call.caller, -EPIPE);
		free(w);
	}
	mbox_destroy(p->mbox);	/* calls still queued fail with EPIPE */
	return p->stopping ? 0 : -1;
}

void
dp_stop(struct dp_process *p)
{
	p->stopping = 1;
}

int
dp_waiting(const struct dp_process *p, int proc)
{
	const struct dp_waiting *w;
	int n = 0;

	for (w = p->waiting; w; w = w->next)
		if (w->call.proc == proc)
			n++;
	return n;
}

/* ---- the calling side --------------------------------------------------- */

int
dp_open(const char *name)
{
	uint64_t deadline = uptime_us() + DP_OPEN_WAIT_MS * 1000ULL;
	int id;

	/* The process may not have started serving yet. */
	while ((id = mbox_open(name)) < 0 && errno == ENOENT &&
	    uptime_us() < deadline)
		msleep(10);
	return id;
}

int
dp_call(int handle, int proc, const void *args, size_t argsize, void *result,
    size_t resultsize)
{
	static struct request req;	/* one call at a time per process */
	static struct answer ans;
	int n;

	if (argsize > DP_ARGS_MAX) {
		errno = EINVAL;
		return -1;
	}
	req.proc = proc;
	memcpy(req.args, args, argsize);
	n = mbox_call(handle, &req, HEADER + argsize, &ans, sizeof(ans), 0);
	if (n < 0)
		return -1;
	if (n < (int)HEADER) {
		errno = EIO;
		return -1;
	}
	if (ans.status < 0) {
		errno = -ans.status;
		return -1;
	}
	if ((size_t)ans.status > resultsize) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(result, ans.result, ans.status);
	return ans.status;
}

/* ---- starting and ending a program's processes ------------------------- */

int
dp_spawn(int (*fn)(void *), void *arg)
{
	int pid = fork();

	if (pid == 0)
		_exit(fn(arg) == 0 ? 0 : 1);
	return pid;
}

int
dp_join(const int *pids, int n, unsigned timeout_ms)
{
	uint64_t deadline = uptime_us() + timeout_ms * 1000ULL;
	uint32_t done = 0;		/* bit i: pids[i] has been reaped */
	uint32_t all = n == 32 ? ~0u : (1u << n) - 1;
	int failed = 0, status, pid;

	if (n < 0 || n > 32) {
		errno = EINVAL;
		return -1;
	}
	while (done != all) {
		if (uptime_us() > deadline) {
			/* Stuck: end the rest. */
			for (int i = 0; i < n; i++) {
				if (!(done & (1u << i))) {
					kill(pids[i], SIGKILL);
					waitpid(pids[i], &status, 0);
				}
			}
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (done & (1u << i))
				continue;
			if ((pid = waitpid(pids[i], &status, WNOHANG)) == pids[i]) {
				done |= 1u << i;
				failed += status != 0;
			} else if (pid < 0) {
				done |= 1u << i;	/* not ours: nothing to wait for */
				failed++;
			}
		}
		if (done != all)
			msleep(5);
	}
	return failed;
}
