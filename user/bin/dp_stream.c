/*
 * dp_stream: a pipeline of distributed processes.  STREAM reads lines,
 * turns each into capitals and sends it, a character at a time, into a
 * BUFFER process (SEND(c) when not full, RECEIVE -> c when not empty);
 * PRINTER, the main process, receives the characters and prints them.
 * `dp_stream` uses a built-in text, `dp_stream WORD...` one line per
 * argument, `dp_stream -` the console up to "." or Ctrl-D.  With a known
 * input it checks the output letter for letter.  See
 * docs/distributed-processes.md; tests/integration/test_dp.py runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <dp.h>

#define CAPACITY	8
#define END		'\0'	/* after the last line */
#define MAX_TEXT	2048
#define TIMEOUT_MS	30000

static const char *const builtin_text[] = {
	"a concurrent program consists of a fixed number",
	"of sequential processes that are executed simultaneously.",
	"a process defines its own variables and some common procedures.",
	"  -- per brinch hansen, distributed processes, 1978",
	NULL,
};

/* ---- process BUFFER --------------------------------------------------------- */

enum { SEND, RECEIVE, DONE };

static struct buffer {
	char	 slot[CAPACITY];
	int	 head, count;
} buffer;

static struct dp_process buffer_process;

static int
not_full(void *state, const struct dp_call *c)
{
	return ((struct buffer *)state)->count < CAPACITY;
}

static int
not_empty(void *state, const struct dp_call *c)
{
	return ((struct buffer *)state)->count > 0;
}

static int
buffer_send(void *state, struct dp_call *c, void *result)
{
	struct buffer *b = state;

	b->slot[(b->head + b->count++) % CAPACITY] = DP_ARG(c, char);
	return 0;
}

static int
buffer_receive(void *state, struct dp_call *c, void *result)
{
	struct buffer *b = state;

	*(char *)result = b->slot[b->head];
	b->head = (b->head + 1) % CAPACITY;
	b->count--;
	return 1;
}

static int
buffer_done(void *state, struct dp_call *c, void *result)
{
	dp_stop(&buffer_process);
	return 0;
}

static const struct dp_proc buffer_procs[] = {
	[SEND]		= { "SEND", 1, NULL, not_full, buffer_send },
	[RECEIVE]	= { "RECEIVE", 0, NULL, not_empty, buffer_receive },
	[DONE]		= { "DONE", 0, NULL, NULL, buffer_done },
};

static struct dp_process buffer_process = {
	.name = "BUFFER", .procs = buffer_procs, .nprocs = 3, .state = &buffer,
};

static int
run_buffer(void *unused)
{
	return dp_serve(&buffer_process);
}

/* ---- process STREAM ----------------------------------------------------------- */

static const char *const *lines;	/* NULL: read the console */

/* The processing step: capitals. */
static void
process_line(char *line)
{
	for (; *line; line++)
		if (*line >= 'a' && *line <= 'z')
			*line -= 'a' - 'A';
}

static int
send_line(int buf, const char *line)
{
	for (; *line; line++)
		if (dp_call(buf, SEND, line, 1, NULL, 0) < 0)
			return -1;
	return 0;
}

static int
stream(void *unused)
{
	int buf = dp_open("BUFFER");
	char line[256], end = END;
	size_t len;

	for (int i = 0; ; i++) {
		if (lines) {
			if (!lines[i])
				break;
			snprintf(line, sizeof(line), "%s\n", lines[i]);
		} else if (!readline_fd(STDIN_FILENO, line, sizeof(line)) ||
		    strcmp(line, ".\n") == 0) {
			break;
		}
		/* Every line ends in one newline, even a cut one. */
		for (len = 0; line[len] && line[len] != '\r' && line[len] != '\n';
		    len++)
			;
		if (len == sizeof(line) - 1)
			len--;
		line[len] = '\n';
		line[len + 1] = '\0';
		process_line(line);
		if (send_line(buf, line) < 0)
			return -1;
	}
	return dp_call(buf, SEND, &end, 1, NULL, 0) < 0 ? -1 : 0;
}

/* ---- process PRINTER (this one) ------------------------------------------------ */

/* Append src to the string in dst (size bytes), cutting it short. */
static void
append(char *dst, size_t size, const char *src)
{
	size_t used = strlen(dst);

	strlcpy(dst + used, src, size - used);
}

int
main(int argc, char *argv[])
{
	static char out[MAX_TEXT], want[MAX_TEXT];
	int pids[2], buf, n = 0, nlines = 0;
	const char *wrong = NULL;
	char c;

	if (argc == 2 && strcmp(argv[1], "-") == 0)
		lines = NULL;
	else
		lines = argc > 1 ? (const char *const *)argv + 1 : builtin_text;

	pids[0] = dp_spawn(run_buffer, NULL);
	pids[1] = dp_spawn(stream, NULL);
	buf = dp_open("BUFFER");
	for (;;) {
		if (dp_call(buf, RECEIVE, NULL, 0, &c, 1) != 1) {
			wrong = "RECEIVE failed";
			break;
		}
		if (c == END)
			break;
		write(STDOUT_FILENO, &c, 1);
		if (n < MAX_TEXT - 1)
			out[n++] = c;
		nlines += c == '\n';
		if (c >= 'a' && c <= 'z' && !wrong)
			wrong = "a small letter came through";
	}
	dp_call(buf, DONE, NULL, 0, NULL, 0);
	if (dp_join(pids, 2, TIMEOUT_MS) != 0 && !wrong)
		wrong = "STREAM or BUFFER failed";

	/* With a known input, the output must be its capitals exactly. */
	if (lines && !wrong) {
		for (int i = 0; lines[i]; i++) {
			append(want, sizeof(want), lines[i]);
			append(want, sizeof(want), "\n");
		}
		process_line(want);
		if (strcmp(out, want) != 0)
			wrong = "the output is not the input in capitals";
	}
	if (wrong) {
		printf("dp_stream: FAILED: %s\n", wrong);
		return 1;
	}
	printf("dp_stream: %d lines, %d characters through BUFFER: ok\n",
	    nlines, n);
	return 0;
}
