/*
 * panic() and symbolic backtraces.  Every kernel function keeps a frame
 * pointer (-fno-omit-frame-pointer), so the chain of saved ebp values
 * leads back through the callers; ksyms (generated at link time) turns
 * each return address into function+offset.
 */
#include "kernel.h"
#include "x86.h"
#include "ksyms.h"

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

void
print_backtrace(uint32_t ebp)
{
	uint32_t *frame = (uint32_t *)ebp, ret, off = 0;
	int depth;
	const char *name;

	kprintf("backtrace:\n");
	for (depth = 0; depth < 32 && frame; depth++) {
		/* Stop at anything that cannot be a kernel stack frame. */
		if ((uint32_t)frame < (uint32_t)kernel_start || ((uint32_t)frame & 3))
			break;
		ret = frame[1];
		if (ret < (uint32_t)kernel_start || ret >= (uint32_t)kernel_end)
			break;
		name = symbol_for(ret, &off);
		kprintf("  0x%08x %s+%#x\n", ret, name, off);
		frame = (uint32_t *)frame[0];
	}
}

void
panic(const char *fmt, ...)
{
	va_list ap;
	uint32_t ebp;

	cli();
	kprintf("\nbrinch: panic: ");
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	__asm__ volatile("movl %%ebp, %0" : "=r"(ebp));
	print_backtrace(ebp);
	machine_halt(3);
}
