/*
 * Process system calls: the user-facing side of proc.c, sched.c and
 * signal.c, plus the information calls behind ps, free and uptime.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "trap.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "proc.h"
#include "sched.h"
#include "signal.h"
#include "exec.h"
#include "console.h"
#include "syscall.h"
#include "brinch/ipc.h"

int
sys_exit(uint32_t status)
{
	proc_exit(EXIT_STATUS(status));
}

int
sys_fork(void)
{
	return proc_fork();
}

int
sys_waitpid(uint32_t pid, uint32_t ustatus, uint32_t options)
{
	int status = 0, r;

	if (options & ~(WNOHANG | WNOWAIT))
		return -EINVAL;
	/* Check before waiting: a child reaped into a bad pointer would be
	 * a child lost. */
	if (ustatus && !user_range_ok(current->pgdir, ustatus, sizeof(status), 1))
		return -EFAULT;
	r = proc_wait((int)pid, &status, (int)options);
	if (r > 0 && ustatus)
		copy_to_user(current->pgdir, ustatus, &status, sizeof(status));
	return r;
}

/* Copy the NULL-terminated user array argv, and its strings, into a
 * kernel buffer.  Returns argc or a negative errno. */
static int
copy_argv(uint32_t uargv, char **argv, char *strings)
{
	uint32_t uarg, used = 0;
	int argc, len;

	for (argc = 0; ; argc++) {
		if (copy_from_user(current->pgdir, &uarg, uargv + argc * 4, 4) < 0)
			return -EFAULT;
		if (uarg == 0)
			return argc;
		if (argc == MAXARG)
			return -E2BIG;
		len = copy_string_from_user(current->pgdir, strings + used, uarg,
		    MAXARGLEN - used);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
		argv[argc] = strings + used;
		used += len + 1;
	}
}

int
sys_exec(uint32_t upath, uint32_t uargv)
{
	char path[MAXPATH], *argv[MAXARG + 1], *strings;
	int argc, err;

	if ((err = copy_string_from_user(current->pgdir, path, upath, sizeof(path))) < 0)
		return err;
	if (!(strings = kmalloc(MAXARGLEN)))
		return -ENOMEM;
	argc = copy_argv(uargv, argv, strings);
	err = argc < 0 ? argc : exec_image(current, path, argv, argc);
	kfree(strings);
	return err;
}

int
sys_getpid(void)
{
	return proc_visible_pid(current);
}

int
sys_getppid(void)
{
	/* Away from home it lives in its home's pid space. */
	return current->home >= 0 ? current->home_ppid : current->ppid;
}

int
sys_yield(void)
{
	yield("yield");
	return 0;
}

int
sys_sleep(uint32_t ms)
{
	uint64_t deadline, now;
	int err;

	if ((int32_t)ms < 0)
		return -EINVAL;
	if (ms == 0)
		return sys_yield();
	/* Ticks come every 10 ms: a sleep that starts between two would end
	 * up to a tick early by the clock uptime() reads.  Sleep on until
	 * that clock says the time has passed. */
	deadline = uptime_us() + (uint64_t)ms * 1000;
	while ((now = uptime_us()) < deadline)
		if ((err = sleep_until(ticks + ms_to_ticks((uint32_t)((deadline - now + 999) / 1000)))) < 0)
			return err;
	return 0;
}

/* Grow or shrink the heap that starts at the end of the program image.
 * Returns the old break, as Unix sbrk does.  User addresses above 2 GiB
 * look negative as an int; libc treats only -4095..-1 as errors.
 * The heap stops below the shared-memory window (SHM_BASE): grown over
 * an attached segment it took the segment's pages for its own, and the
 * failure path unmapped them (found by the fuzzer, docs/testing.md). */
int
sys_sbrk(uint32_t increment)
{
	int32_t incr = (int32_t)increment;
	uint32_t old = current->brk, new = old + incr;
	int err;

	if ((incr < 0 && new > old) || new < current->image_end)
		return -EINVAL;
	if ((incr > 0 && new < old) || new > UHEAP_MAX || new > SHM_BASE)
		return -ENOMEM;
	/* More pages than there are free frames: fail now rather than
	 * take every frame from everyone and give them back. */
	if (new > old && (PAGE_ROUNDUP(new) - PAGE_ROUNDUP(old)) / PAGE_SIZE >
	    pmm_free_frames())
		return -ENOMEM;
	if (new > old) {
		/* Reserved, not allocated: a page arrives at its first touch
		 * (vm_fault).  Refuse what free memory could never hold. */
		if ((PAGE_ROUNDUP(new) - PAGE_ROUNDUP(old)) / PAGE_SIZE > pmm_free_frames())
			return -ENOMEM;
		err = vm_reserve(current->pgdir, PAGE_ROUNDUP(old), new);
		if (err < 0) {
			vm_free_range(current->pgdir, PAGE_ROUNDUP(old), PAGE_ROUNDUP(new));
			return err;
		}
	} else {
		vm_free_range(current->pgdir, PAGE_ROUNDUP(new), PAGE_ROUNDUP(old));
	}
	current->brk = new;
	return (int)old;
}

int
sys_uptime(uint32_t utv)
{
	struct timeval64 tv;

	if (utv) {
		tv.usec = uptime_us();
		if (copy_to_user(current->pgdir, utv, &tv, sizeof(tv)) < 0)
			return -EFAULT;
	}
	return (int)ticks;
}

int
sys_ps(uint32_t ubuf, uint32_t max)
{
	struct proc_info info;
	struct proc *p;
	uint32_t n = 0;

	if (max > NPROC)
		max = NPROC;
	if (!user_range_ok(current->pgdir, ubuf, max * sizeof(info), 1))
		return -EFAULT;
	for (p = &proc_table[1]; p < &proc_table[NPROC] && n < max; p++) {
		if (p->state == UNUSED)
			continue;
		proc_snapshot(p, &info);
		copy_to_user(current->pgdir, ubuf + n * sizeof(info), &info, sizeof(info));
		n++;
	}
	return (int)n;
}

int
sys_meminfo(uint32_t uinfo)
{
	struct meminfo mi;
	struct vm_usage u;
	struct proc *p;

	mi.page_size = PAGE_SIZE;
	mi.total_frames = pmm_total_frames();
	mi.free_frames = pmm_free_frames();
	mi.heap_bytes = kheap_bytes_in_use();
	mi.nproc = proc_count() - 1;	/* not counting idle */
	mi.nproc_max = NPROC - 1;
	mi.shared_frames = pmm_shared_frames();
	mi.shared_refs = pmm_shared_refs();
	mi.cow_pages = mi.reserved_pages = mi.proc_frames = 0;
	for (p = &proc_table[1]; p < &proc_table[NPROC]; p++) {
		if (p->state == UNUSED)
			continue;
		mi.proc_frames += KSTACK_SIZE / PAGE_SIZE;
		if (!p->pgdir)
			continue;
		vm_usage(p->pgdir, &u);
		mi.cow_pages += u.cow;
		mi.reserved_pages += u.reserved;
		mi.proc_frames += 1 + u.tables + u.private;
	}
	/*
	 * A frame several address spaces share (copy-on-write) was counted
	 * once per mapping: count it once.  Only vm_copy shares frames, so
	 * every reference beyond a frame's first is such a mapping.  What is
	 * in use and not counted here is the kernel's own (heap, buffers,
	 * shared memory segments): the leak check's measure, which a
	 * process growing or shrinking its user memory does not move.
	 */
	mi.proc_frames -= mi.shared_refs;
	mi.cow = (uint32_t)vm_cow;
	return copy_to_user(current->pgdir, uinfo, &mi, sizeof(mi));
}

int
sys_setfg(uint32_t pid)
{
	if (pid != 0 && !proc_find((int)pid))
		return -ESRCH;
	console_set_foreground((int)pid);
	return 0;
}

int
sys_halt(uint32_t status)
{
	kprintf("brinch: halted (status %d)\n", (int)status);
	machine_halt((int)status);
}
