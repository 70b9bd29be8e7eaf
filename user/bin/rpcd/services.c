/*
 * rpcd's system services: RPS_LIST answers with this node's processes
 * (the ps() system call), RFILE_READ and RFILE_LIST with files and
 * directories of its initrd (open, read, readdir).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/stat.h>
#include "rpcd.h"

#define MAX_PROCS	128

/* Processes in pid order, at most RPS_MAX from pid *first on. */
int
rps_list_1_svc(int *first, rps_res *res, struct rpc_req *req)
{
	static struct proc_info procs[MAX_PROCS];
	static rps_proc out[RPS_MAX];
	struct net_info ni;
	struct proc_info t;
	int n, i, j, k = 0;

	if ((n = ps(procs, MAX_PROCS)) < 0)
		return SYSTEM_ERR;
	for (i = 1; i < n; i++)			/* insertion sort by pid */
		for (j = i; j > 0 && procs[j].pid < procs[j - 1].pid; j--) {
			t = procs[j];
			procs[j] = procs[j - 1];
			procs[j - 1] = t;
		}
	res->more = FALSE;
	res->next_pid = 0;
	for (i = 0; i < n; i++) {
		if (procs[i].pid < *first)
			continue;
		if (k == RPS_MAX) {
			res->more = TRUE;
			res->next_pid = procs[i].pid;
			break;
		}
		procs[i].name[PROC_NAME_LEN - 1] = '\0';
		out[k].pid = procs[i].pid;
		out[k].ppid = procs[i].ppid;
		/* rps_state's values are brinch's PSTATE_* values. */
		out[k].state = procs[i].state >= RPS_NEW &&
		    procs[i].state <= RPS_SUSPENDED ? procs[i].state : RPS_WAITING;
		out[k].ticks = procs[i].user_ticks + procs[i].sys_ticks;
		out[k].mem_kb = procs[i].mem_bytes / 1024;
		out[k].name = procs[i].name;
		k++;
	}
	res->procs.rps_procs_len = (unsigned)k;
	res->procs.rps_procs_val = out;
	res->node = net_info(&ni) == 0 ? ni.node : 0;
	res->uptime_s = (unsigned)(uptime_us() / 1000000);
	return SUCCESS;
}

static rfile_status
status_of(int err)
{
	switch (err) {
	case ENOENT:	return RFILE_NOENT;
	case ENOTDIR:	return RFILE_NOTDIR;
	case EISDIR:	return RFILE_ISDIR;
	case EINVAL:	return RFILE_INVAL;
	}
	return RFILE_IO;
}

int
rfile_read_1_svc(rfile_read_args *a, rfile_read_res *res, struct rpc_req *req)
{
	static char buf[RFILE_CHUNK];
	struct stat st;
	int fd, n;

	res->data.data_len = 0;
	res->data.data_val = buf;
	if (a->count > RFILE_CHUNK) {
		res->status = RFILE_INVAL;
		return SUCCESS;
	}
	if ((fd = open(a->path, O_RDONLY)) < 0) {
		res->status = status_of(errno);
		return SUCCESS;
	}
	if (fstat(fd, &st) < 0 || st.type != FT_FILE) {
		res->status = st.type == FT_DIR ? RFILE_ISDIR : RFILE_INVAL;
		close(fd);
		return SUCCESS;
	}
	res->size = st.size;
	n = 0;
	if (a->offset < st.size && (lseek(fd, (off_t)a->offset, SEEK_SET) < 0 ||
	    (n = read(fd, buf, a->count)) < 0)) {
		res->status = status_of(errno);
		close(fd);
		return SUCCESS;
	}
	close(fd);
	res->status = RFILE_OK;
	res->data.data_len = (unsigned)n;
	res->eof = a->offset + (unsigned)n >= st.size;
	return SUCCESS;
}

int
rfile_list_1_svc(rfile_list_args *a, rfile_list_res *res, struct rpc_req *req)
{
	static struct dirent ents[RFILE_NAMES_MAX];
	static rfile_name names[RFILE_NAMES_MAX];
	struct dirent ent;
	unsigned skipped = 0;
	int fd, k = 0, r;

	res->names.names_len = 0;
	res->names.names_val = names;
	res->more = FALSE;
	if ((fd = open(a->path, O_RDONLY)) < 0) {
		res->status = status_of(errno);
		return SUCCESS;
	}
	while ((r = readdir(fd, &ent)) == 1) {
		if (skipped < a->first) {
			skipped++;
			continue;
		}
		if (k == RFILE_NAMES_MAX) {
			res->more = TRUE;
			break;
		}
		ents[k] = ent;
		ents[k].name[DIRENT_NAME_LEN - 1] = '\0';
		names[k] = ents[k].name;
		k++;
	}
	close(fd);
	if (r < 0) {
		res->status = status_of(errno);
		return SUCCESS;
	}
	res->status = RFILE_OK;
	res->names.names_len = (unsigned)k;
	return SUCCESS;
}
