/*
 * The kernel event trace (docs/tracing.md).  A fixed ring of typed events,
 * each stamped with the guest's cycle counter, filled by one-line hooks in
 * the scheduler, process, IPC, message and migration code; the oldest
 * events give way when it is full, and the number lost is kept.  `trace
 * dump` writes the ring as text to the trace port (COM2), never to the
 * console, and tools/trace turns it into timelines and diagrams.
 */
#include "kernel.h"
#include "x86.h"
#include "proc.h"
#include "sched.h"
#include "sched_policy.h"
#include "cmdline.h"
#include "syscall.h"
#include "traceport.h"
#include "trace.h"

uint32_t trace_classes;

/* The ring is in .bss and found by symbol, so gdb can read it from a
 * stopped kernel too (tools/gdb/brinch_trace.py). */
struct trace_event trace_ring[TRACE_RING];
uint32_t trace_recorded;		/* events since the last clear */

/* Two (cycle counter, microseconds) points turn cycles into time: one at
 * boot, the other taken at each dump and, for gdb's trace-dump, once a
 * second while tracing.  Under -icount both clocks are exact. */
uint64_t trace_calib[4];		/* tsc0, us0, tsc1, us1 */

static const char *const class_names[] = TRACE_CLASS_NAMES;

static struct trace_event *
slot(void)
{
	return &trace_ring[trace_recorded++ % TRACE_RING];
}

void
trace_record(int type, int pid, uint32_t a0, uint32_t a1, const char *text)
{
	struct trace_event *e = slot();

	e->time = rdtsc();
	e->type = (uint8_t)type;
	e->pad = 0;
	e->pid = (int16_t)(pid == TRACE_CUR ? current->pid : pid);
	e->arg[0] = a0;
	e->arg[1] = a1;
	if (text)
		strncpy(e->text, text, sizeof(e->text));	/* pads with NULs */
	else
		e->more[0] = e->more[1] = e->more[2] = 0;
}

void
trace_record_more(int type, int pid, uint32_t a0, uint32_t a1, uint32_t more)
{
	trace_record(type, pid, a0, a1, NULL);
	trace_ring[(trace_recorded - 1) % TRACE_RING].more[0] = more;
}

/* "sched,ipc" (commas or spaces), "all", "default" -> a class mask. */
int
trace_parse_classes(const char *words)
{
	char word[16];
	int mask = 0, n, i, known;

	while (*words) {
		while (*words == ',' || *words == ' ')
			words++;
		for (n = 0; words[n] && words[n] != ',' && words[n] != ' '; n++)
			;
		if (n == 0)
			break;
		if (n >= (int)sizeof(word))
			return -1;
		memcpy(word, words, n);
		word[n] = '\0';
		words += n;
		known = 0;
		if (strcmp(word, "all") == 0)
			mask |= TRACE_ALL, known = 1;
		else if (strcmp(word, "default") == 0)
			mask |= TRACE_DEFAULT, known = 1;
		for (i = 0; i < (int)ARRAY_SIZE(class_names); i++)
			if (strcmp(word, class_names[i]) == 0)
				mask |= 1 << i, known = 1;
		if (!known)
			return -1;
	}
	return mask;
}

/* trace=CLASSES (or a bare `trace`): record from the first process on. */
void
trace_init(void)
{
	char words[64];
	int mask;

	traceport_init();
	trace_calib[0] = rdtsc();
	trace_calib[1] = uptime_us();
	if (!cmdline_get("trace", words, sizeof(words)))
		return;
	if ((mask = words[0] ? trace_parse_classes(words) : TRACE_DEFAULT) < 0) {
		kprintf("brinch: trace=%s: unknown class; tracing the default\n", words);
		mask = TRACE_DEFAULT;
	}
	trace_classes = (uint32_t)mask;
}

void
trace_calibrate(void)
{
	trace_calib[2] = rdtsc();
	trace_calib[3] = uptime_us();
}

static void
emit(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	traceport_write(line, MIN(n, (int)sizeof(line) - 1));
}

/* Text fields go out as one word: spaces become '_', the rest printable. */
static void
text_word(const struct trace_event *e, char *out)
{
	int i;

	for (i = 0; i < (int)sizeof(e->text) && e->text[i]; i++)
		out[i] = e->text[i] == ' ' ? '_' :
		    (e->text[i] < '!' || e->text[i] > '~') ? '?' : e->text[i];
	out[i] = '\0';
}

/*
 * The dump, one line each (tools/trace parses it):
 *	brinch-trace VERSION node N sched POLICY
 *	calib TSC0 US0 TSC1 US1
 *	p PID PPID NAME			(the processes there now)
 *	e TIME TYPE PID A0 A1 M0 TEXT	(oldest first)
 *	end recorded R held H lost L
 */
static int
trace_dump(void)
{
	uint32_t first, i, held;
	struct trace_event *e;
	struct proc *p;
	char word[16];

	if (!traceport_present())
		return -EIO;		/* no trace port: QEMU was given one -serial */
	held = MIN(trace_recorded, (uint32_t)TRACE_RING);
	first = trace_recorded - held;
	emit("brinch-trace %d node %d sched %s\n", TRACE_VERSION,
	    cmdline_get_int("node", -1), policy_name(sched_policy));
	trace_calibrate();
	emit("calib %llu %llu %llu %llu\n", trace_calib[0], trace_calib[1], trace_calib[2],
	    trace_calib[3]);
	for (p = proc_table; p < &proc_table[NPROC]; p++)
		if (p->state != UNUSED)
			emit("p %d %d %s\n", p->pid, p->ppid, p->pid ? p->name : "idle");
	for (i = first; i != trace_recorded; i++) {
		e = &trace_ring[i % TRACE_RING];
		text_word(e, word);
		emit("e %llu %u %d %u %u %u %s\n", e->time, e->type, e->pid,
		    e->arg[0], e->arg[1], e->type == TEV_KMSG_RECV ? e->more[0] : 0,
		    e->type == TEV_KMSG_RECV ? "" : word);
	}
	emit("end recorded %u held %u lost %u\n", trace_recorded, held,
	    trace_recorded - held);
	return (int)held;
}

static int
classes_from_user(uint32_t uwords, int fallback)
{
	char words[64];
	int r;

	if (!uwords)
		return fallback;
	if ((r = copy_string_from_user(current->pgdir, words, uwords, sizeof(words))) < 0)
		return r;
	return (r = trace_parse_classes(words)) < 0 ? -EINVAL : r;
}

int
sys_trace(uint32_t op, uint32_t arg)
{
	struct trace_status st;
	char text[64];
	int mask, r;

	switch (op) {
	case TRACE_ON:
		if ((mask = classes_from_user(arg, TRACE_DEFAULT)) < 0)
			return mask;
		trace_classes |= (uint32_t)mask;
		return (int)trace_classes;
	case TRACE_OFF:
		if ((mask = classes_from_user(arg, TRACE_ALL)) < 0)
			return mask;
		trace_classes &= ~(uint32_t)mask;
		return (int)trace_classes;
	case TRACE_CLEAR:
		trace_recorded = 0;
		return 0;
	case TRACE_DUMP:
		return trace_dump();
	case TRACE_STATUS:
		st.classes = trace_classes;
		st.recorded = trace_recorded;
		st.held = MIN(trace_recorded, (uint32_t)TRACE_RING);
		st.lost = trace_recorded - st.held;
		st.capacity = TRACE_RING;
		st.port = traceport_present();
		return copy_to_user(current->pgdir, arg, &st, sizeof(st));
	case TRACE_MARK:
		memset(text, 0, sizeof(text));
		if ((r = copy_string_from_user(current->pgdir, text, arg, sizeof(text))) < 0)
			return r;
		TRACE(TRACE_USER, TEV_MARK, current->pid, 0, 0, text);
		return 0;
	default:
		return -EINVAL;
	}
}
