/*
 * System call dispatch: `int 0x80` arrives in trap() and comes here.  The
 * number is in eax and up to six arguments in ebx, ecx, edx, esi, edi,
 * ebp (the Linux i386 convention); the result goes back in eax.
 *
 * Every handler is called with all six words; a cdecl function simply
 * ignores the ones it does not declare, so the table needs no wrappers.
 */
#include "kernel.h"
#include "trap.h"
#include "proc.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "signal.h"
#include "syscall.h"
#include "brinch/syscall.h"
#include "trace.h"

typedef int (*syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
    uint32_t);

struct syscall_entry {
	const char *name;	/* for reading the table in gdb */
	syscall_fn  fn;
};

#define ENTRY(name)	[SYS_##name] = { #name, (syscall_fn)(void (*)(void))sys_##name }

static const struct syscall_entry syscall_table[NSYSCALL] = {
	ENTRY(exit),	ENTRY(fork),	ENTRY(read),	ENTRY(write),
	ENTRY(open),	ENTRY(close),	ENTRY(waitpid),	ENTRY(exec),
	ENTRY(getpid),	ENTRY(getppid),	ENTRY(yield),	ENTRY(sleep),
	ENTRY(sbrk),	ENTRY(lseek),	ENTRY(uptime),	ENTRY(kill),
	ENTRY(ps),	ENTRY(meminfo),	ENTRY(readdir),	ENTRY(fstat),
	ENTRY(signal),	ENTRY(setfg),	ENTRY(halt),	ENTRY(dup),
	ENTRY(sigaction), ENTRY(sigprocmask), ENTRY(sigreturn), ENTRY(alarm),
	ENTRY(pause),	ENTRY(sigpending),
	ENTRY(mbox_create), ENTRY(mbox_open), ENTRY(mbox_close), ENTRY(mbox_destroy),
	ENTRY(mbox_send), ENTRY(mbox_receive), ENTRY(send), ENTRY(receive),
	ENTRY(call),	ENTRY(mbox_call), ENTRY(reply), ENTRY(mbox_list),
	ENTRY(reply_receive),
	ENTRY(sem_create), ENTRY(sem_wait), ENTRY(sem_post), ENTRY(sem_destroy),
	ENTRY(shm_create), ENTRY(shm_attach), ENTRY(shm_detach), ENTRY(shm_destroy),
	ENTRY(sched_set), ENTRY(sched_get), ENTRY(nice), ENTRY(suspend),
	ENTRY(resume),	ENTRY(procinfo),
	/* LAB syscall: BEGIN table */
	ENTRY(callcount),
	/* LAB syscall: END table */
	ENTRY(socket),	ENTRY(bind),	ENTRY(sendto),	ENTRY(recvfrom),
	ENTRY(setsockopt), ENTRY(getsockname), ENTRY(net_info), ENTRY(net_counters),
	ENTRY(arp_list), ENTRY(sock_list), ENTRY(pci_list),
	ENTRY(listen),	ENTRY(accept),	ENTRY(connect),	ENTRY(shutdown),
	ENTRY(getpeername), ENTRY(poll),
	ENTRY(lamport),	ENTRY(kmsg_echo), ENTRY(kmsg_stats),
	ENTRY(kmsg_inject),
	ENTRY(migrate),	ENTRY(migstat),	ENTRY(migctl),
	ENTRY(prof),
	ENTRY(trace),
};

/* The kernel function that handles system call num (the profiler's
 * name for time spent in it), or 0. */
uint32_t
syscall_handler(uint32_t num)
{
	return num < NSYSCALL ? (uint32_t)syscall_table[num].fn : 0;
}

void
syscall(struct trapframe *tf)
{
	uint32_t num = tf->eax;

	/* LAB syscall: BEGIN count */
	syscall_count(num);
	/* LAB syscall: END count */
	TRACE(TRACE_SYSCALL, TEV_SYSCALL, current->pid, num, tf->ebx, NULL);
	if (num >= NSYSCALL || !syscall_table[num].fn) {
		tf->eax = (uint32_t)-ENOSYS;
		return;
	}
	tf->eax = (uint32_t)syscall_table[num].fn(tf->ebx, tf->ecx, tf->edx,
	    tf->esi, tf->edi, tf->ebp);
	TRACE(TRACE_SYSCALL, TEV_SYSRET, current->pid, num, tf->eax, NULL);
	/*
	 * A wait ended only because the process is about to migrate: run
	 * the call again after the move, as if it had never been
	 * interrupted.  `int $0x80` is two bytes; its arguments are still in
	 * the registers.  (A call that waits restarts its wait from the
	 * beginning: sleep(ms) sleeps its full time again.)
	 */
	if (tf->eax == (uint32_t)-EINTR && current->mig_freeze &&
	    !signal_interrupts(current)) {
		tf->eax = num;
		tf->eip -= 2;
	}
}

/*
 * For the calls that return a table (mbox_list, net_counters, arp_list,
 * ...): clamp max, check the whole user buffer first (so a bad pointer
 * changes nothing), let fill() write up to max rows into a kernel copy,
 * copy out the rows filled.  Returns how many.
 */
int
copy_table_out(uint32_t ubuf, uint32_t max, size_t row_size, table_fill_fn fill)
{
	void *rows;
	int n;

	if (max > TABLE_MAX)
		max = TABLE_MAX;
	if (!user_range_ok(current->pgdir, ubuf, max * row_size, 1))
		return -EFAULT;
	if (max == 0)
		return 0;
	if (!(rows = kmalloc(max * row_size)))
		return -ENOMEM;
	n = fill(rows, (int)max);
	copy_to_user(current->pgdir, ubuf, rows, n * row_size);
	kfree(rows);
	return n;
}
