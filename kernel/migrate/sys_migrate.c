/*
 * The migration system calls: migrate (move a process, or oneself),
 * migstat (recent migrations), migctl (teaching and test switches).
 * Everything else is in the other files of kernel/migrate/.
 */
#include "kernel.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "proc.h"
#include "syscall.h"
#include "dist/kmsg.h"
#include "migrate.h"

/* migrate(pid or 0, node, how, struct mig_record *out or NULL) */
int
sys_migrate(uint32_t pid, uint32_t node, uint32_t how, uint32_t uout)
{
	struct mig_record rec;
	struct proc *p;
	int err;

	/* HOME:PID as a global pid: a process that arrived from HOME. */
	if (DIST_IS_GLOBAL(pid) && DIST_NODE(pid) != kmsg_node())
		p = find_migrant(DIST_NODE(pid), DIST_LOCAL(pid));
	else
		p = pid == 0 ? current : proc_find(DIST_LOCAL(pid));
	if (uout && !user_range_ok(current->pgdir, uout, sizeof(rec), 1))
		return -EFAULT;
	if (!p || p->state == ZOMBIE || p->state == MOVED)
		return -ESRCH;
	memset(&rec, 0, sizeof(rec));
	err = mig_start(p, (int)node, (int)how, p == current, &rec);
	/* Only here if it failed, or if another process moved. */
	if (uout && rec.id)
		copy_to_user(current->pgdir, uout, &rec, sizeof(rec));
	return err;
}

/* migstat(struct mig_record *out, max) -> how many, newest first */
int
sys_migstat(uint32_t uout, uint32_t max)
{
	struct mig_record *rows;
	int n;

	if (max > MIG_NRECORDS)
		max = MIG_NRECORDS;
	if (!user_range_ok(current->pgdir, uout, max * sizeof(*rows), 1))
		return -EFAULT;
	if (!(rows = kmalloc(MIG_NRECORDS * sizeof(*rows))))
		return -ENOMEM;
	n = mig_records(rows, (int)max);
	copy_to_user(current->pgdir, uout, rows, n * sizeof(*rows));
	kfree(rows);
	return n;
}

int
sys_migctl(uint32_t op, uint32_t arg)
{
	struct mig_inject inj;
	uint8_t *buf;
	int err;

	switch (op) {
	case MIGCTL_NOFLUSH:
		mig_noflush = arg != 0;
		return 0;
	case MIGCTL_NOPULL:
		mig_nopull = arg != 0;
		return 0;
	case MIGCTL_COUNTERS:
		return copy_to_user(current->pgdir, arg, &mig_count, sizeof(mig_count));
	case MIGCTL_INJECT:
		if (copy_from_user(current->pgdir, &inj, arg, sizeof(inj)) < 0)
			return -EFAULT;
		if (inj.len > KMSG_MAX_MSG)
			return -EMSGSIZE;
		if (!(buf = kmalloc(inj.len ? inj.len : 1)))
			return -ENOMEM;
		err = copy_from_user(current->pgdir, buf, inj.data, inj.len);
		if (err == 0)
			err = mig_inject(inj.node, buf, inj.len);
		kfree(buf);
		return err;
	}
	return -EINVAL;
}
