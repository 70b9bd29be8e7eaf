/*
 * siglab: checks of signal handlers for the signals lab's grader
 * (docs/labs/signals.md): the handler frame the kernel pushes and the
 * sigreturn that pops it.  Each mode prints lines starting "siglab MODE:".
 *	siglab count N	 N SIGUSR1s to itself, each handled once
 *	siglab alarm	 alarm(1) + pause(): handler, EINTR, about 1 s
 *	siglab regs	 every register and the carry flag survive a handler
 *	siglab mask	 sa_mask holds a signal back until the handler returns
 *	siglab eflags	 a handler cannot give itself I/O privilege
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>

/* ---- count ------------------------------------------------------------- */

static volatile int handled, bad_signo, blocked_inside;

static void
on_usr1(int sig)
{
	sigset_t now;

	handled++;
	if (sig != SIGUSR1)
		bad_signo++;
	/* While a handler runs, its own signal is blocked. */
	if (sigprocmask(SIG_BLOCK, NULL, &now) == 0 && (now & sigmask(SIGUSR1)))
		blocked_inside++;
}

static int
mode_count(int n)
{
	sigset_t after;
	int i, failed = 0;

	if (signal(SIGUSR1, on_usr1) == SIG_ERR) {
		printf("siglab count: signal: %s\n", strerror(errno));
		return 1;
	}
	/* A signal sent to oneself is delivered on the way out of kill(),
	 * so each one runs the handler before the next is sent. */
	for (i = 0; i < n; i++)
		if (kill(getpid(), SIGUSR1) != 0)
			failed++;
	sigprocmask(SIG_BLOCK, NULL, &after);
	printf("siglab count: %d sent, %d handled, %d kill failures, %d bad signo, "
	    "blocked inside %d, blocked after %s\n", n, handled, failed, bad_signo,
	    blocked_inside, after & sigmask(SIGUSR1) ? "yes" : "no");
	return 0;
}

/* ---- alarm ------------------------------------------------------------- */

static volatile int alarms;

static void
on_alarm(int sig)
{
	alarms++;
}

static int
mode_alarm(void)
{
	uint64_t start;
	int r, err;

	signal(SIGALRM, on_alarm);
	start = uptime_us();
	alarm(1);
	r = pause();
	err = errno;
	printf("siglab alarm: handled %d, pause returned %d (%s) after %u ms\n",
	    alarms, r, r < 0 ? strerror(err) : "no error",
	    (unsigned)((uptime_us() - start) / 1000));
	return 0;
}

/* ---- regs -------------------------------------------------------------- */

/* Written in assembly so that it can do what a C handler may legally do
 * to the caller-saved registers, and more: overwrite every register and
 * clear the carry flag.  Only sigreturn can bring the values back. */
volatile int trash_count;
void trash_handler(int sig);
__asm__(
"	.text\n"
"	.globl	trash_handler\n"
"trash_handler:\n"
"	incl	trash_count\n"
"	movl	$0xbad00001, %eax\n"
"	movl	$0xbad00002, %ebx\n"
"	movl	$0xbad00003, %ecx\n"
"	movl	$0xbad00004, %edx\n"
"	movl	$0xbad00005, %esi\n"
"	movl	$0xbad00006, %edi\n"
"	movl	$0xbad00007, %ebp\n"
"	clc\n"
"	ret\n");

/* What the registers held just after the kill() that ran the handler. */
struct regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint32_t esp_after, carry, esp_before;
};

/* kill(pid, SIGUSR1) by hand, with a known value in every register and
 * the carry flag set, and record all of them when the call is over. */
static void
raise_with_known_registers(struct regs *out, int pid)
{
	uint32_t a = (uint32_t)out, d = (uint32_t)pid;

	__asm__ volatile(
	    "pushl %%ebp\n\t"		/* ours to restore: C needs them */
	    "pushl %%ebx\n\t"
	    "pushl %%esi\n\t"
	    "pushl %%edi\n\t"
	    "pushl %%eax\n\t"		/* out */
	    "movl %%esp, 36(%%eax)\n\t"	/* out->esp_before */
	    "movl %%edx, %%ebx\n\t"	/* arg 1: pid */
	    "movl $10, %%ecx\n\t"	/* arg 2: SIGUSR1 */
	    "movl $0x12345678, %%edx\n\t"
	    "movl $0x23456789, %%esi\n\t"
	    "movl $0x3456789a, %%edi\n\t"
	    "movl $0x456789ab, %%ebp\n\t"
	    "movl $16, %%eax\n\t"	/* SYS_kill */
	    "stc\n\t"
	    "int $0x80\n\t"
	    "pushl %%eax\n\t"		/* kill's result */
	    "setc %%al\n\t"
	    "movzbl %%al, %%eax\n\t"
	    "xchgl 4(%%esp), %%eax\n\t"	/* eax = out; the slot: carry */
	    "movl %%ebx, 4(%%eax)\n\t"
	    "movl %%ecx, 8(%%eax)\n\t"
	    "movl %%edx, 12(%%eax)\n\t"
	    "movl %%esi, 16(%%eax)\n\t"
	    "movl %%edi, 20(%%eax)\n\t"
	    "movl %%ebp, 24(%%eax)\n\t"
	    "movl %%esp, 28(%%eax)\n\t"	/* one word below esp_before */
	    "popl %%ecx\n\t"
	    "movl %%ecx, 0(%%eax)\n\t"
	    "popl %%ecx\n\t"
	    "movl %%ecx, 32(%%eax)\n\t"
	    "popl %%edi\n\t"
	    "popl %%esi\n\t"
	    "popl %%ebx\n\t"
	    "popl %%ebp\n\t"
	    : "+a"(a), "+d"(d) : : "ecx", "memory", "cc");
}

static int
check(const char *name, uint32_t got, uint32_t want)
{
	printf(" %s %s", name, got == want ? "ok" : "BAD");
	if (got != want)
		printf(" (0x%x, not 0x%x)", got, want);
	return got != want;
}

static int
mode_regs(void)
{
	struct sigaction act = { 0 };
	struct regs r;
	int bad = 0;

	act.sa_handler = (uint32_t)trash_handler;
	if (sigaction(SIGUSR1, &act, NULL) < 0) {
		printf("siglab regs: sigaction: %s\n", strerror(errno));
		return 1;
	}
	memset(&r, 0, sizeof(r));
	raise_with_known_registers(&r, getpid());
	printf("siglab regs: handler ran %d times;", trash_count);
	bad += check("eax", r.eax, 0);
	bad += check("ebx", r.ebx, (uint32_t)getpid());
	bad += check("ecx", r.ecx, SIGUSR1);
	bad += check("edx", r.edx, 0x12345678);
	bad += check("esi", r.esi, 0x23456789);
	bad += check("edi", r.edi, 0x3456789a);
	bad += check("ebp", r.ebp, 0x456789ab);
	bad += check("esp", r.esp_after + 4, r.esp_before);
	bad += check("carry", r.carry, 1);
	printf("\nsiglab regs: %s\n", bad || trash_count != 1 ? "FAILED" : "all restored");
	return 0;
}

/* ---- mask -------------------------------------------------------------- */

static char order[128];

static void
note(const char *what)
{
	if (strlen(order) + strlen(what) + 2 < sizeof(order)) {
		if (order[0])
			strcat(order, " ");
		strcat(order, what);
	}
}

static void
mask_usr1(int sig)
{
	note("USR1-begin");
	kill(getpid(), SIGUSR2);	/* held back by sa_mask */
	note("USR1-end");
}

static void
mask_usr2(int sig)
{
	note("USR2");
}

static int
mode_mask(void)
{
	struct sigaction act = { 0 };
	sigset_t after;

	act.sa_handler = (uint32_t)mask_usr2;
	sigaction(SIGUSR2, &act, NULL);
	act.sa_handler = (uint32_t)mask_usr1;
	act.sa_mask = sigmask(SIGUSR2);
	sigaction(SIGUSR1, &act, NULL);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &after);
	printf("siglab mask: order %s; blocked after: %s\n", order,
	    after ? "some" : "none");
	return 0;
}

/* ---- eflags ------------------------------------------------------------ */

/* The handler "forges" its frame: it sets IOPL 3 (bits 12-13) in the
 * saved eflags, which would let user code disable interrupts.  The frame
 * layout is struct sigframe in kernel/signal.c: ret, signo, mask, seven
 * registers, eip, eflags, esp, so eflags is word 11 from the handler's
 * stack pointer. */
volatile int forge_count;
void forge_handler(int sig);
__asm__(
"	.text\n"
"	.globl	forge_handler\n"
"forge_handler:\n"
"	incl	forge_count\n"
"	orl	$0x3000, 44(%esp)\n"
"	ret\n");

static int
mode_eflags(void)
{
	struct sigaction act = { 0 };
	uint32_t flags;

	act.sa_handler = (uint32_t)forge_handler;
	sigaction(SIGUSR1, &act, NULL);
	kill(getpid(), SIGUSR1);
	__asm__ volatile("pushfl\n\tpopl %0" : "=r"(flags));
	printf("siglab eflags: handler ran %d times, iopl now %u\n", forge_count,
	    (flags >> 12) & 3);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "count") == 0)
		return mode_count(argc > 2 ? atoi(argv[2]) : 10);
	if (strcmp(mode, "alarm") == 0)
		return mode_alarm();
	if (strcmp(mode, "regs") == 0)
		return mode_regs();
	if (strcmp(mode, "mask") == 0)
		return mode_mask();
	if (strcmp(mode, "eflags") == 0)
		return mode_eflags();
	dprintf(2, "usage: siglab count N|alarm|regs|mask|eflags\n");
	return 2;
}
