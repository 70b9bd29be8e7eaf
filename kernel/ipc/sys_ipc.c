/*
 * System calls for message passing, semaphores and shared memory: copy
 * arguments in, call mbox.c / call.c / sem.c / shm.c, copy results out.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "mbox.h"
#include "remote.h"
#include "sem.h"
#include "shm.h"
#include "syscall.h"

/* A mailbox name from user space: NULL or "" means anonymous. */
static int
copy_name(uint32_t uname, char *name)
{
	int len;

	name[0] = '\0';
	if (!uname)
		return 0;
	len = copy_string_from_user(current->pgdir, name, uname, MBOX_NAME_LEN);
	return len < 0 ? len : 0;
}

int
sys_mbox_create(uint32_t uname, uint32_t capacity)
{
	char name[MBOX_NAME_LEN];
	int err;

	if ((err = copy_name(uname, name)) < 0)
		return err;
	return mbox_create(name, (int)capacity, current->pid, 0);
}

int
sys_mbox_open(uint32_t uname)
{
	char name[MBOX_NAME_LEN];
	int err;

	if (!uname)
		return -EFAULT;
	if ((err = copy_name(uname, name)) < 0)
		return err;
	if (strchr(name, DIST_NAME_SEP))
		return remote_open(name);	/* "NAME@NODE" */
	return mbox_open(name);
}

/* An id (or pid) of another node goes to remote.h; one naming this
 * node by its global form is made local here. */
int
sys_mbox_close(uint32_t id)
{
	int mbox = (int)id;

	if (id_is_remote(&mbox))
		return 0;		/* a remote handle holds nothing here */
	return mbox_close(mbox);
}

int
sys_mbox_destroy(uint32_t id)
{
	int mbox = (int)id;

	if (id_is_remote(&mbox))
		return -EPERM;		/* only its owner, on its node */
	return mbox_destroy(mbox);
}

static int
send_to(int mbox, uint32_t ubuf, uint32_t len, uint32_t flags, uint32_t timeout)
{
	struct message *msg;
	struct wait_limit w;
	int err;

	if (mbox < 0)
		return mbox;
	if (id_is_remote(&mbox))
		return remote_send(mbox, 0, ubuf, len, flags, timeout);
	if (!(msg = message_from_user(ubuf, len, &err)))
		return err;
	wait_limit_init(&w, flags & IPC_NOWAIT, timeout);
	return mbox_send_message(mbox, msg, &w);
}

static int
receive_from(int mbox, int from, uint32_t ubuf, uint32_t max, uint32_t uinfo,
    uint32_t flags, uint32_t timeout)
{
	struct msg_info info;
	struct wait_limit w;
	int r;

	if (mbox < 0)
		return mbox;
	if (!user_range_ok(current->pgdir, ubuf, max, 1) ||
	    (uinfo && !user_range_ok(current->pgdir, uinfo, sizeof(info), 1)))
		return -EFAULT;
	wait_limit_init(&w, flags & IPC_NOWAIT, timeout);
	memset(&info, 0, sizeof(info));
	if (id_is_remote(&mbox))
		r = remote_receive(mbox, ubuf, max, &info, flags, timeout);
	else
		r = mbox_receive_user(mbox, from, ubuf, max, &info, &w);
	if (uinfo && (r >= 0 || r == -EMSGSIZE))
		copy_to_user(current->pgdir, uinfo, &info, sizeof(info));
	return r;
}

int
sys_mbox_send(uint32_t id, uint32_t ubuf, uint32_t len, uint32_t flags, uint32_t timeout)
{
	if ((int)id <= 0)
		return -ENOENT;		/* not to be mistaken for an errno below */
	return send_to((int)id, ubuf, len, flags, timeout);
}

int
sys_mbox_receive(uint32_t id, uint32_t ubuf, uint32_t max, uint32_t uinfo,
    uint32_t flags, uint32_t timeout)
{
	if ((int)id <= 0)
		return -ENOENT;
	return receive_from((int)id, ANY, ubuf, max, uinfo, flags, timeout);
}

/* The port of process pid, or a negative errno. */
static int
port_of(int pid)
{
	struct proc *p = proc_find(pid);

	if (!p || p->state == ZOMBIE || pid == 0)
		return -ESRCH;
	return proc_port(p);
}

int
sys_send(uint32_t pid, uint32_t ubuf, uint32_t len, uint32_t flags, uint32_t timeout)
{
	int p = (int)pid;

	if (id_is_remote(&p))
		return remote_send(p, 1, ubuf, len, flags, timeout);
	return send_to(port_of(p), ubuf, len, flags, timeout);
}

int
sys_receive(uint32_t from, uint32_t ubuf, uint32_t max, uint32_t uinfo,
    uint32_t flags, uint32_t timeout)
{
	int f = (int)from;

	if (f != ANY && f < 0)
		return -EINVAL;
	id_is_remote(&f);		/* a sender elsewhere stays global */
	return receive_from(proc_port(current), f, ubuf, max, uinfo, flags, timeout);
}

int
sys_call(uint32_t pid, uint32_t ureq, uint32_t len, uint32_t ureply, uint32_t max,
    uint32_t timeout)
{
	int p = (int)pid, port;

	if (id_is_remote(&p))
		return remote_call(p, 1, ureq, len, ureply, max, timeout);
	if ((port = port_of(p)) < 0)
		return port;
	if (p == current->pid)
		return -EINVAL;		/* it would wait for itself forever */
	return ipc_call(port, ureq, len, ureply, max, timeout);
}

int
sys_mbox_call(uint32_t id, uint32_t ureq, uint32_t len, uint32_t ureply, uint32_t max,
    uint32_t timeout)
{
	int mbox = (int)id;

	if (id_is_remote(&mbox))
		return remote_call(mbox, 0, ureq, len, ureply, max, timeout);
	return ipc_call(mbox, ureq, len, ureply, max, timeout);
}

int
sys_reply(uint32_t pid, uint32_t ubuf, uint32_t len)
{
	int p = (int)pid;

	/* Global pids (a caller elsewhere, or a call taken by a remote
	 * receive) go to remote.h, which may hand a local one back. */
	if (p > 0 && DIST_IS_GLOBAL(p))
		return remote_reply(p, ubuf, len);
	return ipc_reply(p, ubuf, len);
}

static int
fill_mailboxes(void *rows, int max)
{
	return mbox_list(rows, max);
}

int
sys_mbox_list(uint32_t ubuf, uint32_t max)
{
	return copy_table_out(ubuf, max, sizeof(struct mbox_info), fill_mailboxes);
}

int
sys_sem_create(uint32_t value)
{
	return sem_create((int)value);
}

int
sys_sem_wait(uint32_t id, uint32_t flags, uint32_t timeout)
{
	struct wait_limit w;

	wait_limit_init(&w, flags & IPC_NOWAIT, timeout);
	return sem_wait((int)id, &w);
}

int
sys_sem_post(uint32_t id)
{
	return sem_post((int)id);
}

int
sys_sem_destroy(uint32_t id)
{
	return sem_destroy((int)id);
}

int
sys_shm_create(uint32_t size)
{
	return shm_create(size);
}

int
sys_shm_attach(uint32_t id)
{
	uint32_t addr;
	int err;

	if ((err = shm_attach(current, (int)id, &addr)) < 0)
		return err;
	return (int)addr;
}

int
sys_shm_detach(uint32_t addr)
{
	return shm_detach(current, addr);
}

int
sys_shm_destroy(uint32_t id)
{
	return shm_destroy((int)id);
}
