/*
 * mbox: list every mailbox in the system, ports included, from the
 * mbox_list() system call: who owns it, how it buffers, what is queued
 * in it and who is blocked on it; then the old ids of mailboxes that left
 * with their owner for another node, and where each is now.  The
 * integration tests read its rows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <brinch.h>
#include <dist.h>

#define MAX_SHOWN	96	/* the kernel's mailboxes, and the stubs of those that left */

/* "0 (rendezvous)", "unbounded" or the number: the buffering choice
 * in the textbook's words. */
static const char *
capacity_text(const struct mbox_info *m, char *buf, size_t size)
{
	if (m->capacity == MBOX_UNBOUNDED)
		return "unbounded";
	if (m->capacity == 0)
		return "0 (rendezvous)";
	snprintf(buf, size, "%d", (int)m->capacity);
	return buf;
}

int
main(void)
{
	static struct mbox_info boxes[MAX_SHOWN];
	char capacity[16];
	const char *name;
	int n;

	if ((n = mbox_list(boxes, MAX_SHOWN)) < 0) {
		dprintf(2, "mbox: %s\n", strerror(errno));
		return 1;
	}
	printf("%6s %-16s %5s %-14s %6s %7s %9s %7s %7s %7s\n", "ID", "NAME",
	    "OWNER", "CAPACITY", "QUEUED", "SENDERS", "RECEIVERS", "SENT",
	    "RECVD", "DIRECT");
	for (int i = 0; i < n; i++) {
		struct mbox_info *m = &boxes[i];

		/* The kernel fills the name; make sure it ends. */
		m->name[MBOX_NAME_LEN - 1] = '\0';
		if (m->is_port)
			name = "port";
		else if (m->name[0] == '\0')
			name = "-";		/* anonymous */
		else
			name = m->name;
		if (m->moved_to) {	/* a stub: the mailbox left with its owner */
			printf("%6d %-16s %5s moved to %d:%d%s\n", (int)m->id, name, "-",
			    DIST_NODE(m->moved_to), DIST_LOCAL(m->moved_to),
			    m->settling ? " (settling)" : "");
			continue;
		}
		printf("%6d %-16s %5d %-14s %6u %7u %9u %7u %7u %7u\n",
		    (int)m->id, name, (int)m->owner,
		    capacity_text(m, capacity, sizeof(capacity)),
		    (unsigned)m->queued, (unsigned)m->senders,
		    (unsigned)m->receivers, (unsigned)m->sent,
		    (unsigned)m->received, (unsigned)m->direct);
	}
	return 0;
}
