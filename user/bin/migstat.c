/*
 * migstat: what this node's recent migrations cost (docs/migration.md).
 *   migstat        one line per migration, newest first
 *   migstat -v     ... with every pre-copy round
 *   migstat -c     the migration service's counters
 *   migstat -j     the newest record as one JSON line (tools/migbench.py)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <dist.h>
#include <migrate.h>

static const char *const counter_names[] = {
#define NAME(x) #x,
	MIG_COUNTERS(NAME)
#undef NAME
};

/* One record, its rounds as lists.  A process name is printable ASCII
 * (the migration checks see to it), but may hold a quote. */
static void
json(const struct mig_record *r)
{
	static const char *const fields[] = { "pages", "dirtied", "bytes", "us" };
	uint32_t j, f, n = r->rounds < MIG_ROUNDS_LOGGED ? r->rounds : MIG_ROUNDS_LOGGED;
	char name[2 * sizeof(r->name) + 1];

	for (j = f = 0; j < sizeof(r->name) && r->name[j]; j++) {
		if (r->name[j] == '"' || r->name[j] == '\\')
			name[f++] = '\\';
		name[f++] = r->name[j] >= 0x20 && r->name[j] < 0x7F ? r->name[j] : '?';
	}
	name[f] = '\0';
	printf("{\"id\": %d, \"home\": %d, \"pid\": %d, \"name\": \"%s\", "
	    "\"from\": %d, \"to\": %d, \"how\": \"%s\", \"result\": %d, "
	    "\"why\": %d, \"why_arg\": %d, \"stop_reason\": \"%s\", "
	    "\"image_pages\": %u, \"rounds\": %u, \"pages_sent\": %u, "
	    "\"bytes_sent\": %u, \"freeze_us\": %u, \"total_us\": %u",
	    r->id, DIST_NODE(r->pid), DIST_LOCAL(r->pid), name, r->from, r->to,
	    mig_how_name(r->how), r->result, r->why, r->why_arg,
	    mig_stop_name(r->stop_reason), r->image_pages, r->rounds, r->pages_sent,
	    r->bytes_sent, r->freeze_us, r->total_us);
	for (f = 0; f < 4; f++) {
		printf(", \"round_%s\": [", fields[f]);
		for (j = 0; j < n; j++) {
			const uint32_t *v = &r->round[j].pages;

			printf("%s%u", j ? ", " : "", v[f]);
		}
		printf("]");
	}
	printf("}\n");
}

int
main(int argc, char **argv)
{
	static struct mig_record recs[16];
	struct mig_counters c;
	uint32_t *v = (uint32_t *)&c;
	int n, i, verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	uint32_t j;

	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (migctl(MIGCTL_COUNTERS, &c) < 0) {
			dprintf(2, "migstat: %s\n", strerror(errno));
			return 1;
		}
		for (j = 0; j < sizeof(counter_names) / sizeof(counter_names[0]); j++)
			printf("%s %u\n", counter_names[j], v[j]);
		return 0;
	}
	if ((n = migstat(recs, 16)) < 0) {
		dprintf(2, "migstat: %s\n", strerror(errno));
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "-j") == 0) {
		if (n == 0) {
			dprintf(2, "migstat: no migrations yet\n");
			return 1;
		}
		json(&recs[0]);
		return 0;
	}
	printf("  id     pid name         to how      result rounds  pages    bytes  freeze_us   total_us stop\n");
	for (i = 0; i < n; i++) {
		struct mig_record *r = &recs[i];

		printf("%4d %3d:%-3d %-12s %2d %-8s %6d %6u %6u %8u %10u %10u %s\n",
		    r->id, DIST_NODE(r->pid), DIST_LOCAL(r->pid), r->name, r->to,
		    mig_how_name(r->how), r->result, r->rounds, r->pages_sent,
		    r->bytes_sent, r->freeze_us, r->total_us, mig_stop_name(r->stop_reason));
		for (j = 0; verbose && j < r->rounds && j < MIG_ROUNDS_LOGGED; j++)
			printf("       round %u: %u pages, %u dirtied, %u bytes, %u us\n",
			    j + 1, r->round[j].pages, r->round[j].dirtied,
			    r->round[j].bytes, r->round[j].us);
	}
	return 0;
}
