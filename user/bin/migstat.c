/*
 * migstat: what this node's recent migrations cost (docs/migration.md).
 *   migstat        one line per migration, newest first
 *   migstat -v     ... with every pre-copy round
 *   migstat -c     the migration service's counters
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
