/*
 * panic() and symbolic backtraces.  Every kernel function keeps a frame
 * pointer (-fno-omit-frame-pointer), so the chain of saved ebp values
 * leads back through the callers; ksyms (generated at link time) turns
 * each return address into function+offset.
 */
#include "kernel.h"
#include "x86.h"
#include "ksyms.h"
#include "trap.h"
#include "proc.h"

extern char kernel_start[], kernel_end[];

const char *
symbol_for(uint32_t addr, uint32_t *offset)
{
	unsigned int lo = 0, hi = ksym_count, mid;

	if (ksym_count == 0 || addr < ksym_table[0].addr)
		return "?";
	/* Last symbol at or below addr. */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset)
		*offset = addr - ksym_table[lo].addr;
	return ksym_names + ksym_table[lo].name;
}

static void
print_frame(uint32_t addr)
{
	uint32_t off = 0;
	const char *name = symbol_for(addr, &off);

	kprintf("  0x%08x %s+%#x\n", addr, name, off);
}

/* eip (if not 0) is where execution was; then each saved frame's return
 * address, innermost first. */
void
print_backtrace(uint32_t eip, uint32_t ebp)
{
	uint32_t *frame = (uint32_t *)ebp, ret;
	int depth;

	kprintf("backtrace:\n");
	if (eip)
		print_frame(eip);
	for (depth = 0; depth < 32 && frame; depth++) {
		/* Stop at anything that cannot be a kernel stack frame. */
		if ((uint32_t)frame < (uint32_t)kernel_start || ((uint32_t)frame & 3))
			break;
		ret = frame[1];
		if (ret < (uint32_t)kernel_start || ret >= (uint32_t)kernel_end)
			break;
		print_frame(ret);
		frame = (uint32_t *)frame[0];
	}
}

static void __attribute__((noreturn))
vpanic(uint32_t eip, uint32_t ebp, const char *fmt, va_list ap)
{
	cli();
	kprintf("\nbrinch: panic: ");
	vkprintf(fmt, ap);
	kprintf("\n");
	/* The system call the process on the CPU last made, if that was
	 * its last trap: after a fuzzer's panic, the culprit. */
	if (current && current->tf && current->tf->trapno == T_SYSCALL)
		kprintf("in system call %u(%#x, %#x, %#x, %#x, %#x, %#x) of pid %d (%s)\n",
		    current->tf->eax, current->tf->ebx, current->tf->ecx,
		    current->tf->edx, current->tf->esi, current->tf->edi,
		    current->tf->ebp, current->pid, current->name);
	print_backtrace(eip, ebp);
	machine_halt(3);	/* QEMU exits with status 7 */
}

void
panic_at(uint32_t eip, uint32_t ebp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(eip, ebp, fmt, ap);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(0, (uint32_t)__builtin_frame_address(0), fmt, ap);
}
