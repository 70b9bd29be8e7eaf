/*
 * pc_shm: the textbook's bounded buffer with shared memory and three
 * semaphores (empty, full, mutex).  A producer and a consumer process
 * pass the numbers 0..N-1 through a ring of SLOTS slots; the consumer
 * checks it got each once, in order.  `pc_shm [ITEMS [SLOTS]]`; the
 * integration tests look for "pc_shm: N items, in order, ok".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>

#define DEFAULT_ITEMS	1000
#define DEFAULT_SLOTS	8

/* The shared segment: the ring and its two indices.  Only the producer
 * moves `in` and only the consumer `out`; mutex guards the slots. */
struct ring {
	uint32_t in, out, slots;
	int32_t	 item[];
};

static struct ring *ring;
static int empty, full, mutex;	/* semaphore ids, inherited by fork */

static void
die(const char *what)
{
	printf("pc_shm: FAILED: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
producer(int items)
{
	for (int i = 0; i < items; i++) {
		if (sem_wait(empty) < 0 || sem_wait(mutex) < 0)
			die("producer: sem_wait");
		ring->item[ring->in] = i;
		ring->in = (ring->in + 1) % ring->slots;
		if (sem_post(mutex) < 0 || sem_post(full) < 0)
			die("producer: sem_post");
	}
	exit(0);
}

static void
consumer(int items)
{
	int32_t got;

	for (int i = 0; i < items; i++) {
		if (sem_wait(full) < 0 || sem_wait(mutex) < 0)
			die("consumer: sem_wait");
		got = ring->item[ring->out];
		ring->out = (ring->out + 1) % ring->slots;
		if (sem_post(mutex) < 0 || sem_post(empty) < 0)
			die("consumer: sem_post");
		if (got != i) {
			printf("pc_shm: FAILED: item %d is %d\n", i, (int)got);
			exit(1);
		}
	}
	/* Exactly N: nothing more may be waiting. */
	if (sem_trywait(full) == 0) {
		printf("pc_shm: FAILED: more than %d items\n", items);
		exit(1);
	}
	printf("pc_shm: %d items, in order, ok\n", items);
	exit(0);
}

/* Fork a child running fn; die on failure. */
static pid_t
start(void (*fn)(int), int items)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		fn(items);
	return pid;
}

int
main(int argc, char *argv[])
{
	int items = argc > 1 ? atoi(argv[1]) : DEFAULT_ITEMS;
	int slots = argc > 2 ? atoi(argv[2]) : DEFAULT_SLOTS;
	int id, status, failed = 0;
	uint64_t begin = uptime_us();
	pid_t pids[2], pid;

	if (argc > 3 || items <= 0 || slots <= 0 ||
	    sizeof(struct ring) + slots * sizeof(int32_t) > SHM_MAX_SIZE) {
		dprintf(2, "usage: pc_shm [ITEMS [SLOTS]] (SLOTS up to %u)\n",
		    (unsigned)((SHM_MAX_SIZE - sizeof(struct ring)) /
		    sizeof(int32_t)));
		return 2;
	}
	if ((id = shm_create(sizeof(struct ring) + slots * sizeof(int32_t))) < 0)
		die("shm_create");
	if ((ring = shm_attach(id)) == (void *)-1)
		die("shm_attach");
	ring->slots = slots;		/* in = out = 0: fresh pages are zero */
	if ((empty = sem_create(slots)) < 0 || (full = sem_create(0)) < 0 ||
	    (mutex = sem_create(1)) < 0)
		die("sem_create");

	pids[0] = start(producer, items);
	pids[1] = start(consumer, items);
	/* If one side fails, the other would wait forever: stop it. */
	for (int n = 0; n < 2; n++) {
		if ((pid = wait(&status)) < 0)
			die("wait");
		if (status != 0) {
			failed = 1;
			kill(pid == pids[0] ? pids[1] : pids[0], SIGKILL);
		}
	}
	printf("pc_shm: %d items through %d slots in %llu ms\n", items, slots,
	    (unsigned long long)((uptime_us() - begin) / 1000));
	/* Our exit would also free them; say it, the textbook way. */
	sem_destroy(empty);
	sem_destroy(full);
	sem_destroy(mutex);
	shm_detach(ring);
	shm_destroy(id);
	return failed;
}
