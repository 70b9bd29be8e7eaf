/*
 * Console device and line discipline (see console.h).
 *
 * Typed characters collect in a ring buffer.  Three indices walk it:
 *	read_pos <= commit_pos <= edit_pos
 * [read_pos, commit_pos) is finished lines that read() may take;
 * [commit_pos, edit_pos) is the line still being typed, which backspace
 * may shorten.  A newline commits the line and wakes readers.
 */
#include "kernel.h"
#include "proc.h"
#include "signal.h"
#include "waitq.h"
#include "serial.h"
#include "vga.h"
#include "console.h"

#define INPUT_SIZE	512
#define CTRL(c)		((c) - '@')
#define EOF_MARK	CTRL('D')

static char input[INPUT_SIZE];
static uint32_t read_pos, commit_pos, edit_pos;	/* free-running */
static struct wait_queue console_queue;
static int foreground_pid;

void
console_init(void)
{
	wait_queue_init(&console_queue, "console");
}

static void
put_char(char c)
{
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
	vga_putc(c);
}

void
console_write(const char *buf, size_t n)
{
	while (n--)
		put_char(*buf++);
}

static void
commit_line(void)
{
	commit_pos = edit_pos;
	wakeup(&console_queue);
}

static void
append(char c)
{
	if (edit_pos - read_pos < INPUT_SIZE)
		input[edit_pos++ % INPUT_SIZE] = c;
}

void
console_input(char c)
{
	struct proc *fg;

	switch (c) {
	case CTRL('C'):
		/* Drop the half-typed line and interrupt the foreground job.
		 * A reader waiting right now (a shell at its prompt) gets an
		 * empty line, so it prompts afresh; so does a foreground
		 * process that ignores SIGINT, as a shell does between printing
		 * its prompt and reading (else the ^C would be lost, and it
		 * would sit with no prompt).  A job that SIGINT ends leaves no
		 * stray newline for whoever reads next. */
		console_write("^C\n", 3);
		edit_pos = commit_pos;
		fg = proc_find(foreground_pid);
		if (!list_empty(&console_queue.waiters) ||
		    (fg && fg->sig_actions[SIGINT].sa_handler == SIG_IGN)) {
			append('\n');
			commit_line();
		}
		if (fg)
			signal_send(fg, SIGINT);
		break;
	case CTRL('D'):
		append(EOF_MARK);
		commit_line();
		break;
	case '\b':
	case 0x7F:
		if (edit_pos != commit_pos) {
			edit_pos--;
			console_write("\b \b", 3);
		}
		break;
	case CTRL('U'):
		while (edit_pos != commit_pos) {
			edit_pos--;
			console_write("\b \b", 3);
		}
		break;
	case '\r':
	case '\n':
		append('\n');
		put_char('\n');
		commit_line();
		break;
	default:
		/* Keep room for the newline that must end the line. */
		if (edit_pos - read_pos < INPUT_SIZE - 1) {
			append(c);
			put_char(c);
		}
		break;
	}
}

/*
 * Whether an input driver may hand over another character.  Not while
 * finished lines fill the buffer: a reader will take them and make room,
 * and the serial line holds back the rest meanwhile (a piped script of any
 * length arrives whole).  A single overlong line is always taken, cut to
 * the buffer's size, so that the newline that ends it can still come.
 */
int
console_input_room(void)
{
	return edit_pos - read_pos < INPUT_SIZE - 1 || commit_pos == read_pos;
}

int
console_read(char *buf, size_t n)
{
	size_t got = 0;
	char c;

	while (read_pos == commit_pos)
		if (sleep_on(&console_queue) < 0)
			return -EINTR;
	while (got < n && read_pos != commit_pos) {
		c = input[read_pos % INPUT_SIZE];
		if (c == EOF_MARK) {
			/* EOF ends this read; report it alone on the next one. */
			if (got == 0)
				read_pos++;
			break;
		}
		read_pos++;
		buf[got++] = c;
		if (c == '\n')
			break;
	}
	serial_input_resume();		/* there is room again */
	return (int)got;
}

void
console_set_foreground(int pid)
{
	foreground_pid = pid;
}

/* Kernel messages: formatted straight to the devices. */
static void
kprintf_emit(char c, void *arg)
{
	put_char(c);
}

int
vkprintf(const char *fmt, va_list ap)
{
	return format(kprintf_emit, NULL, fmt, ap);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vkprintf(fmt, ap);
	va_end(ap);
	return n;
}
