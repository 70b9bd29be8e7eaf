/*
 * Process migration for user programs (user/lib/migrate.c): move a
 * process, or oneself, to another node, and read what each migration
 * cost.  docs/migration.md explains the strategies and the records.
 */
#ifndef _MIGRATE_H
#define _MIGRATE_H

#include <brinch/migrate.h>

/* Move process pid (0: the caller) to node, how = MIG_STOP or
 * MIG_PRECOPY.  0 once it runs there (for pid 0: returns 0 on the new
 * node); -1 with errno otherwise, the process unchanged where it was.
 * rec, if not NULL, gets the migration's record (also when it failed:
 * rec->why says what an EBUSY was about). */
int	migrate(int pid, int node, int how, struct mig_record *rec);

/* Up to max records of this node's recent migrations, newest first. */
int	migstat(struct mig_record *out, int max);
int	migctl(int op, void *arg);
int	migctl_int(int op, int value);

/* Names for printing: "stop", "precopy"; "socket"...; "small"... */
const char *mig_how_name(int how);
const char *mig_why_name(int why);
const char *mig_stop_name(int reason);

#endif
