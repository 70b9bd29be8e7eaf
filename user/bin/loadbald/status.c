/*
 * What loadbald knows and tells: the log of decisions (on the master) or
 * of moves carried out (on an agent), and the answer to the `loadbal`
 * command's query, built from the log, policy.c's table and agent.c's
 * last sample.
 */
#include <string.h>
#include <ipc.h>
#include "loadbald.h"

struct lb_event events[LB_LOG];
int nevents;
uint32_t moves_ok, moves_failed;

struct lb_event *
log_event(const struct lb_move *m, int load_from, int load_to, int result)
{
	struct lb_event *e = &events[nevents++ % LB_LOG];

	memset(e, 0, sizeof(*e));
	e->t_ms = now_ms();
	e->move = *m;
	e->load_from = load_from;
	e->load_to = load_to;
	e->result = result;
	return e;
}

/* One line of the status's node table: node n, as report r (age_ms old)
 * has it. */
void
status_node(struct lb_status *st, int n, const struct lb_report *r, uint32_t age_ms)
{
	struct lb_node *sn = &st->nodes[st->nnodes++];

	sn->node = n;
	sn->ready = r->ready;
	sn->load = r->load;
	sn->cpu = r->cpu;
	sn->ncand = r->ncand;
	sn->age_ms = age_ms;
}

/* The master tells every node's latest report and the jobs it moved or
 * pinned; an agent only its own last sample. */
void
answer(int caller)
{
	static struct lb_status st;
	uint32_t now = now_ms();
	int i, first;

	memset(&st, 0, sizeof(st));
	hdr_init(&st.hdr, LB_STATUS, sizeof(st));
	st.master = master;
	st.is_master = node == master;
	st.uptime_ms = now;
	st.moves_ok = moves_ok;
	st.moves_failed = moves_failed;
	if (st.is_master)
		monitor_status(&st, now);
	else
		status_node(&st, node, &last_report, now - seen_tick * 10);
	first = nevents > LB_LOG ? nevents - LB_LOG : 0;
	for (i = first; i < nevents; i++)
		st.log[st.nlog++] = events[i % LB_LOG];
	reply(caller, &st, sizeof(st));
}
