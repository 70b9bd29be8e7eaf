/*
 * crash: fault on purpose, to show (and test) that the kernel kills only
 * the faulting process and reports the right signal to its parent.
 * `crash MODE`; run with no argument for the list of modes.
 */
#include <stdio.h>
#include <string.h>

/* volatile everywhere: otherwise the compiler may see the undefined
 * behaviour and delete it, or replace it with something else. */

static void
read_null(void)
{
	volatile int *p = NULL;

	(void)*p;
}

static void
write_kernel(void)
{
	*(volatile int *)0xC0000000 = 1;	/* kernel half: user no access */
}

static void
privileged(void)
{
	__asm__ volatile("cli");	/* ring 3 may not: #GP */
}

static void
divide_by_zero(void)
{
	/* Both operands volatile: gcc computes 1 / x without dividing
	 * (it is -1, 0 or 1), so a constant numerator would not trap. */
	volatile int numerator = 42, zero = 0;
	volatile int result = numerator / zero;

	(void)result;
}

static void
undefined_opcode(void)
{
	__asm__ volatile("ud2");
}

/* Never reached in practice; a limit the compiler cannot see keeps
 * it from warning about (or "optimising") endless recursion. */
static volatile int max_depth = 1 << 30;

static int
recurse(int depth)
{
	volatile char frame[256];

	if (depth >= max_depth)
		return 0;
	frame[0] = (char)depth;
	return recurse(depth + 1) + frame[0];	/* not a tail call */
}

static void
overflow_stack(void)
{
	recurse(0);
}

static void
jump_null(void)
{
	void (*volatile fn)(void) = NULL;

	fn();
}

static const struct {
	const char	*name;
	void		(*run)(void);
	const char	*expect;
} modes[] = {
	{ "null",		read_null,		"SIGSEGV" },
	{ "write-kernel",	write_kernel,		"SIGSEGV" },
	{ "gp",			privileged,		"SIGSEGV" },
	{ "div",		divide_by_zero,		"SIGFPE" },
	{ "ud",			undefined_opcode,	"SIGILL" },
	{ "stack",		overflow_stack,		"SIGSEGV" },
	{ "jump-null",		jump_null,		"SIGSEGV" },
};

#define NMODES	(sizeof(modes) / sizeof(modes[0]))

int
main(int argc, char *argv[])
{
	if (argc == 2) {
		for (size_t i = 0; i < NMODES; i++) {
			if (strcmp(argv[1], modes[i].name) != 0)
				continue;
			printf("crash: %s (expect %s)\n", modes[i].name,
			    modes[i].expect);
			modes[i].run();
			printf("crash: %s did not fault!\n", modes[i].name);
			return 1;
		}
	}
	dprintf(2, "usage: crash MODE\nmodes:");
	for (size_t i = 0; i < NMODES; i++)
		dprintf(2, " %s", modes[i].name);
	dprintf(2, "\n");
	return 2;
}
