/*
 * C wrappers for the message-passing, semaphore and shared-memory system
 * calls (declared in <ipc.h>, described in docs/ipc.md).  The receives
 * and calls take six arguments, so they trap through syscall6.
 */
#include <errno.h>
#include <ipc.h>
#include "user/lib/syscall.h"

int
mbox_create(const char *name, int capacity)
{
	return unix_result(syscall5(SYS_mbox_create, ARG(name), capacity,
	    0, 0, 0));
}

int
mbox_open(const char *name)
{
	return unix_result(syscall5(SYS_mbox_open, ARG(name), 0, 0, 0, 0));
}

int
mbox_close(int id)
{
	return unix_result(syscall5(SYS_mbox_close, id, 0, 0, 0, 0));
}

int
mbox_destroy(int id)
{
	return unix_result(syscall5(SYS_mbox_destroy, id, 0, 0, 0, 0));
}

int
mbox_send(int id, const void *msg, size_t len, int flags, unsigned timeout_ms)
{
	return unix_result(syscall5(SYS_mbox_send, id, ARG(msg), (int)len,
	    flags, (int)timeout_ms));
}

int
mbox_receive(int id, void *buf, size_t max, struct msg_info *info,
    int flags, unsigned timeout_ms)
{
	return unix_result(syscall6(SYS_mbox_receive, id, ARG(buf), (int)max,
	    ARG(info), flags, (int)timeout_ms));
}

int
send(int pid, const void *msg, size_t len, int flags, unsigned timeout_ms)
{
	return unix_result(syscall5(SYS_send, pid, ARG(msg), (int)len, flags,
	    (int)timeout_ms));
}

int
receive(int from, void *buf, size_t max, struct msg_info *info, int flags,
    unsigned timeout_ms)
{
	return unix_result(syscall6(SYS_receive, from, ARG(buf), (int)max,
	    ARG(info), flags, (int)timeout_ms));
}

int
call(int pid, const void *req, size_t len, void *reply_buf, size_t max,
    unsigned timeout_ms)
{
	return unix_result(syscall6(SYS_call, pid, ARG(req), (int)len,
	    ARG(reply_buf), (int)max, (int)timeout_ms));
}

int
mbox_call(int id, const void *req, size_t len, void *reply_buf, size_t max,
    unsigned timeout_ms)
{
	return unix_result(syscall6(SYS_mbox_call, id, ARG(req), (int)len,
	    ARG(reply_buf), (int)max, (int)timeout_ms));
}

int
reply(int pid, const void *msg, size_t len)
{
	return unix_result(syscall5(SYS_reply, pid, ARG(msg), (int)len, 0, 0));
}

int
reply_receive(int pid, const void *msg, size_t len, void *buf, size_t max,
    struct msg_info *info)
{
	return unix_result(syscall6(SYS_reply_receive, pid, ARG(msg), (int)len,
	    ARG(buf), (int)max, ARG(info)));
}

int
mbox_list(struct mbox_info *buf, int max)
{
	return unix_result(syscall5(SYS_mbox_list, ARG(buf), max, 0, 0, 0));
}

int
sem_create(int value)
{
	return unix_result(syscall5(SYS_sem_create, value, 0, 0, 0, 0));
}

/* One system call serves all three waits; see <ipc.h>. */
static int
sem_wait_flags(int id, int flags, unsigned timeout_ms)
{
	return unix_result(syscall5(SYS_sem_wait, id, flags, (int)timeout_ms,
	    0, 0));
}

int
sem_wait(int id)
{
	return sem_wait_flags(id, 0, 0);
}

int
sem_trywait(int id)
{
	return sem_wait_flags(id, IPC_NOWAIT, 0);
}

int
sem_timedwait(int id, unsigned timeout_ms)
{
	return sem_wait_flags(id, 0, timeout_ms);
}

int
sem_post(int id)
{
	return unix_result(syscall5(SYS_sem_post, id, 0, 0, 0, 0));
}

int
sem_destroy(int id)
{
	return unix_result(syscall5(SYS_sem_destroy, id, 0, 0, 0, 0));
}

int
shm_create(size_t size)
{
	return unix_result(syscall5(SYS_shm_create, (int)size, 0, 0, 0, 0));
}

void *
shm_attach(int id)
{
	int r = unix_result(syscall5(SYS_shm_attach, id, 0, 0, 0, 0));

	return r == -1 ? (void *)-1 : (void *)(uintptr_t)(unsigned)r;
}

int
shm_detach(void *addr)
{
	return unix_result(syscall5(SYS_shm_detach, ARG(addr), 0, 0, 0, 0));
}

int
shm_destroy(int id)
{
	return unix_result(syscall5(SYS_shm_destroy, id, 0, 0, 0, 0));
}
