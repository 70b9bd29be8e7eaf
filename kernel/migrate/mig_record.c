/*
 * The records `migstat` prints: one per migration that left this node,
 * the last MIG_NRECORDS kept.  A record's id is also the migration's
 * mig_id on the wire (mig_out.c fills the record in as it goes).
 */
#include "kernel.h"
#include "proc.h"
#include "dist/kmsg.h"
#include "migrate.h"

static struct mig_record records[MIG_NRECORDS];
static uint32_t next_id = 1;

struct mig_record *
mig_record_new(struct proc *p, int node, int how)
{
	struct mig_record *r = &records[next_id % MIG_NRECORDS];

	memset(r, 0, sizeof(*r));
	r->id = (int32_t)next_id++;
	r->pid = p->home >= 0 ? DIST_PID(p->home, p->home_pid) : DIST_PID(kmsg_node(), p->pid);
	strlcpy(r->name, p->name, sizeof(r->name));
	r->from = kmsg_node();
	r->to = node;
	r->how = how;
	r->result = 1;		/* under way */
	return r;
}

/* The slot of record id: that record, or a newer one if it was reused. */
struct mig_record *
mig_record_find(uint32_t id)
{
	return &records[id % MIG_NRECORDS];
}

/* Most recent first. */
int
mig_records(struct mig_record *out, int max)
{
	int n = 0;
	uint32_t id;

	for (id = next_id - 1; id >= 1 && n < max && next_id - id <= MIG_NRECORDS; id--)
		out[n++] = records[id % MIG_NRECORDS];
	return n;
}
