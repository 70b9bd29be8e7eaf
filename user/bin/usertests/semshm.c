/*
 * semshm.c: usertests topic "ipc", semaphores and shared memory, and a
 * last check that all the IPC machinery gives back every frame it took.
 * See docs/ipc.md.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>
#include "usertests.h"

#define SHORT_MS	100
#define PATIENCE_MS	5000
#define SEGMENT_SIZE	(3 * PAGE_SIZE + 100)	/* four pages */
#define SEGMENT_PAGES	4

/* Shared with the children each test forks (they get a copy). */
static int sem, segment;
static volatile char *shared;

/* ---- semaphores ------------------------------------------------------------ */

/* sem_wait(sem) must succeed (want 0) or fail with errno `want`. */
static int
sem_waiter(void *want)
{
	if (want == NULL)
		EXPECT_OK(sem_wait(sem));
	else
		EXPECT_ERR(sem_wait(sem), (int)(intptr_t)want);
	return 0;
}

static const char *
sem_queue(int id)
{
	static char name[WAIT_NAME_LEN];

	snprintf(name, sizeof(name), "sem %d", id);
	return name;
}

static int
test_sem(void)
{
	uint64_t start;
	int stale;
	pid_t pid;

	EXPECT_ERR(sem_create(-1), EINVAL);
	EXPECT((sem = sem_create(2)) > 0);
	EXPECT_OK(sem_trywait(sem));
	EXPECT_OK(sem_trywait(sem));
	EXPECT_ERR(sem_trywait(sem), EAGAIN);
	start = uptime_us();
	EXPECT_ERR(sem_timedwait(sem, SHORT_MS), ETIMEDOUT);
	EXPECT(ms_since(start) + 10 >= SHORT_MS && ms_since(start) < 2000);
	EXPECT_OK(sem_post(sem));
	EXPECT_OK(sem_timedwait(sem, SHORT_MS));	/* no wait needed */

	/* P blocks at 0 until a V. */
	EXPECT((pid = spawn(sem_waiter, NULL)) > 0);
	EXPECT(wait_until_waiting(pid, sem_queue(sem), PATIENCE_MS) == 0);
	EXPECT_OK(sem_post(sem));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT_ERR(sem_trywait(sem), EAGAIN);	/* the child took it */

	/* A handled signal interrupts the wait. */
	EXPECT(signal(SIGUSR1, catch) != SIG_ERR);
	EXPECT((pid = spawn(sem_waiter, (void *)EINTR)) > 0);
	EXPECT(wait_until_waiting(pid, sem_queue(sem), PATIENCE_MS) == 0);
	EXPECT_OK(kill(pid, SIGUSR1));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));

	/* Destroying it wakes its waiters with EPIPE. */
	EXPECT((pid = spawn(sem_waiter, (void *)EPIPE)) > 0);
	EXPECT(wait_until_waiting(pid, sem_queue(sem), PATIENCE_MS) == 0);
	EXPECT_OK(sem_destroy(sem));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));

	stale = sem;
	EXPECT((sem = sem_create(0)) > 0 && sem != stale);
	EXPECT_ERR(sem_destroy(stale), ENOENT);
	EXPECT_ERR(sem_post(stale), ENOENT);
	EXPECT_ERR(sem_wait(stale), ENOENT);
	EXPECT_ERR(sem_trywait(0), ENOENT);
	EXPECT_ERR(sem_post(-1), ENOENT);
	EXPECT_OK(sem_destroy(sem));
	return 0;
}

/* ---- shared memory ---------------------------------------------------------- */

/* Writes through the mapping it inherited, and through one of its own. */
static int
shm_writer(void *unused)
{
	volatile char *mine;

	for (int i = 0; i < SEGMENT_PAGES * PAGE_SIZE; i++)
		shared[i] = (char)(i * 3);
	mine = shm_attach(segment);
	EXPECT(mine != (void *)-1 && mine != shared);
	EXPECT(mine[5] == shared[5]);		/* the same memory */
	mine[0] = 'Q';
	EXPECT_OK(shm_detach((void *)mine));
	return 0;
}

/* For EXPECT_ERR: shm_attach's failure as -1. */
static int
try_attach(int id)
{
	return shm_attach(id) == (void *)-1 ? -1 : 0;
}

static int
touch_shared(void)
{
	return shared[1];			/* detached: must fault */
}

static uint32_t
free_frames(void)
{
	struct meminfo mi;

	return meminfo(&mi) == 0 ? mi.free_frames : 0;
}

static int
test_shm(void)
{
	void *slots[SHM_SLOTS];
	uint32_t before;
	pid_t pid;

	EXPECT_ERR(shm_create(0), EINVAL);
	EXPECT_ERR(shm_create(SHM_MAX_SIZE + 1), EINVAL);
	EXPECT_ERR(try_attach(0), ENOENT);
	EXPECT_ERR(shm_detach((void *)0x1234), EINVAL);

	EXPECT((segment = shm_create(SEGMENT_SIZE)) > 0);
	shared = shm_attach(segment);
	EXPECT(shared != (void *)-1 && (uintptr_t)shared >= SHM_BASE);
	for (int i = 0; i < SEGMENT_PAGES * PAGE_SIZE; i++)
		EXPECT(shared[i] == 0);		/* fresh frames are zeroed */

	/* The child writes, the parent reads. */
	EXPECT((pid = spawn(shm_writer, NULL)) > 0);
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT(shared[0] == 'Q');
	for (int i = 1; i < SEGMENT_PAGES * PAGE_SIZE; i++)
		EXPECT(shared[i] == (char)(i * 3));

	EXPECT_ERR(shm_detach((char *)shared + 8), EINVAL);
	EXPECT_OK(shm_detach((void *)shared));
	EXPECT_ERR(shm_detach((void *)shared), EINVAL);
	EXPECT(killed_by(status_of(touch_shared), SIGSEGV));

	/* SHM_SLOTS attachments per process, no more. */
	for (int i = 0; i < SHM_SLOTS; i++)
		EXPECT((slots[i] = shm_attach(segment)) != (void *)-1);
	EXPECT_ERR(try_attach(segment), EMFILE);
	for (int i = 0; i < SHM_SLOTS; i++)
		EXPECT_OK(shm_detach(slots[i]));

	/* A destroyed segment stays usable by those attached, and its
	 * frames come back when the last one detaches. */
	before = free_frames();
	EXPECT((shared = shm_attach(segment)) != (void *)-1);
	EXPECT_OK(shm_destroy(segment));
	EXPECT_ERR(try_attach(segment), ENOENT);
	EXPECT_ERR(shm_destroy(segment), ENOENT);
	shared[100] = 7;
	EXPECT(shared[100] == 7 && free_frames() == before);
	EXPECT_OK(shm_detach((void *)shared));
	EXPECT(free_frames() == before + SEGMENT_PAGES);
	return 0;
}

/* ---- frames ---------------------------------------------------------------- */

static int
echo_once(void *unused)
{
	struct msg_info info;
	char buf[64];
	int n;

	EXPECT((n = receive(ANY, buf, sizeof(buf), &info, 0, 0)) > 0);
	EXPECT(reply(info.sender, buf, n) == 0);
	shared[0]++;
	EXPECT_OK(sem_wait(sem));
	return 0;
}

/* One round of everything: a segment written by a child, a call, a
 * semaphore handed over, and a mailbox destroyed full (its notices
 * come back to our own port). */
static int
ipc_cycle(void)
{
	static char message[1000];
	char out[64];
	pid_t pid;
	int box;

	EXPECT((segment = shm_create(2 * PAGE_SIZE)) > 0);
	EXPECT((shared = shm_attach(segment)) != (void *)-1);
	EXPECT((sem = sem_create(0)) > 0);
	EXPECT((pid = spawn(echo_once, NULL)) > 0);
	EXPECT(call(pid, "echo", 5, out, sizeof(out), PATIENCE_MS) == 5);
	EXPECT_OK(sem_post(sem));
	EXPECT(exited_with(reap(pid, PATIENCE_MS), 0));
	EXPECT(shared[0] == 1);
	EXPECT_OK(sem_destroy(sem));
	EXPECT_OK(shm_detach((void *)shared));
	EXPECT_OK(shm_destroy(segment));

	/* Our port must exist before the notices come (kbugs.c). */
	EXPECT_ERR(receive(ANY, out, sizeof(out), NULL, IPC_NOWAIT, 0), EAGAIN);
	EXPECT((box = mbox_create(NULL, 8)) > 0);
	for (int i = 0; i < 8; i++)
		EXPECT(mbox_send(box, message, sizeof(message), 0, 0) == 0);
	EXPECT_OK(mbox_destroy(box));
	for (int i = 0; i < 8; i++)
		EXPECT(receive(0, out, sizeof(out), NULL, IPC_NOWAIT, 0) > 0);
	EXPECT_ERR(receive(ANY, out, sizeof(out), NULL, IPC_NOWAIT, 0), EAGAIN);
	return 0;
}

static int
test_ipc_no_frame_leak(void)
{
	struct meminfo before, after;

	/* The first round may map page tables that stay. */
	EXPECT(ipc_cycle() == 0);
	EXPECT_OK(meminfo(&before));
	for (int i = 0; i < 3; i++)
		EXPECT(ipc_cycle() == 0);
	EXPECT_OK(meminfo(&after));
	if (after.free_frames != before.free_frames)
		return fail("free frames %u before, %u after 3 rounds",
		    (unsigned)before.free_frames, (unsigned)after.free_frames);
	EXPECT(after.nproc == before.nproc);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

const struct test semshm_tests[] = {
	{ "sem",			test_sem },
	{ "shm",			test_shm },
	{ "ipc_no_frame_leak",		test_ipc_no_frame_leak },
	{ NULL, NULL }
};
