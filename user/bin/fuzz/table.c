/*
 * table.c: the system calls the fuzzer makes, each with the kinds of its
 * arguments (letters explained in args.c's make_args), whether it may
 * block, and how often to pick it.  fork, exit, exec and sigreturn are
 * made by worker.c itself.  Left out, because they end or change the
 * run for reasons that are not bugs (docs/testing.md): halt (powers
 * off), setfg (takes the console's Ctrl-C from the shell), sched_set
 * (changes scheduling for everything after the run), migrate and migctl
 * (move processes to other nodes, switch off TLB flushes).
 *
 * Letters: i int, f fd, b buffer + n length, o structure out, c count,
 * p path, N mailbox name, m/s/h mailbox/semaphore/segment id, a segment
 * address, k pid, g signal, t timeout, w IPC flags, u small flags,
 * x sockaddr + its length, l socklen pointer, e sigaction, q sigset,
 * z node, y capacity, d pollfd array, S sleep ms, A alarm s, H signal
 * disposition, r sbrk increment.
 */
#include <brinch/syscall.h>
#include "fuzz.h"

#define C(name, sig, block, weight) { #name, SYS_##name, sig, block, 4 * (weight) }
/* Rare: calls that park the process until someone else acts (pause,
 * suspend): the supervisor kills it after STUCK_MS. */
#define RARE(name, sig, block) { #name, SYS_##name, sig, block, 1 }
#define N BLOCK_NEVER
#define T BLOCK_TIMED
#define M BLOCK_MAY

const struct call_desc calls[] = {
	C(read,		"fbn",	M, 6),	C(write,	"fbn",	M, 6),
	C(open,		"pu",	N, 8),	C(close,	"f",	N, 6),
	C(waitpid,	"kou",	M, 3),	C(getpid,	"",	N, 1),
	C(getppid,	"",	N, 1),	C(yield,	"",	N, 1),
	C(sleep,	"S",	T, 1),	C(sbrk,		"r",	N, 4),
	C(lseek,	"fiu",	N, 3),	C(uptime,	"o",	N, 1),
	C(kill,		"kg",	N, 4),	C(ps,		"oc",	N, 2),
	C(meminfo,	"o",	N, 1),	C(readdir,	"fo",	N, 3),
	C(fstat,	"fo",	N, 3),	C(signal,	"gH",	N, 3),
	C(dup,		"f",	N, 3),	C(sigaction,	"gee",	N, 4),
	C(sigprocmask,	"uqq",	N, 3),	C(alarm,	"A",	N, 1),
	RARE(pause,	"",	M),	C(sigpending,	"q",	N, 1),
	C(mbox_create,	"Ny",	N, 5),	C(mbox_open,	"N",	N, 3),
	C(mbox_close,	"m",	N, 3),	C(mbox_destroy,	"m",	N, 3),
	C(mbox_send,	"mbnwt", T, 6),	C(mbox_receive,	"mbnowt", T, 6),
	C(send,		"kbnwt", T, 4),	C(receive,	"kbnowt", T, 4),
	C(call,		"kbnbnt", T, 3), C(mbox_call,	"mbnbnt", T, 3),
	C(reply,	"kbn",	N, 3),	C(mbox_list,	"oc",	N, 2),
	RARE(reply_receive, "kbnbno", M),
	C(sem_create,	"i",	N, 4),	C(sem_wait,	"swt",	T, 4),
	C(sem_post,	"s",	N, 4),	C(sem_destroy,	"s",	N, 3),
	C(shm_create,	"i",	N, 3),	C(shm_attach,	"h",	N, 3),
	C(shm_detach,	"a",	N, 3),	C(shm_destroy,	"h",	N, 3),
	C(sched_get,	"o",	N, 1),	C(nice,		"ki",	N, 2),
	RARE(suspend,	"k",	N),	C(resume,	"k",	N, 2),
	C(procinfo,	"ko",	N, 2),	C(callcount,	"i",	N, 1),
	C(socket,	"uuu",	N, 4),	C(bind,		"fxn",	N, 3),
	C(sendto,	"fbnuxn", M, 3), C(recvfrom,	"fbnuxl", M, 2),
	C(setsockopt,	"fuubn", N, 2),	C(getsockname,	"fxl",	N, 2),
	C(net_info,	"o",	N, 1),	C(net_counters,	"oc",	N, 1),
	C(arp_list,	"oc",	N, 1),	C(sock_list,	"oc",	N, 1),
	C(pci_list,	"oc",	N, 1),	C(listen,	"fi",	N, 2),
	C(accept,	"fxl",	M, 2),	C(connect,	"fxn",	M, 2),
	C(shutdown,	"fu",	N, 2),	C(getpeername,	"fxl",	N, 2),
	C(poll,		"dct",	M, 2),	C(lamport,	"u",	N, 1),
	C(kmsg_echo,	"zbnbnt", T, 1), C(kmsg_stats,	"ooc",	N, 1),
	C(kmsg_inject,	"zibn",	N, 1),
	C(migstat,	"oc",	N, 1),
};

const int ncalls = sizeof(calls) / sizeof(calls[0]);

const char *
call_name(int num)
{
	switch (num) {
	case OP_FORK:
		return "fork";
	case OP_EXIT:
		return "exit";
	case OP_EXEC:
		return "exec";
	case OP_SIGRETURN:
		return "sigreturn";
	}
	for (int i = 0; i < ncalls; i++)
		if (calls[i].num == num)
			return calls[i].name;
	return "?";
}
