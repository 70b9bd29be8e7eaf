/*
 * printf and friends for user programs, on top of write() and the shared
 * format engine (lib/format.c).  Each call formats into a small buffer
 * and writes it out when full and at the end: usually one write().
 */
#include <stdio.h>
#include <unistd.h>

/* A printf in progress: pending output for one file descriptor. */
struct fd_buffer {
	int	fd;
	int	used;
	int	failed;		/* a write() failed: report -1 at the end */
	char	buf[256];
};

static void
flush(struct fd_buffer *b)
{
	int done = 0;

	/* write() may take less than asked (a console, a full pipe). */
	while (done < b->used) {
		int n = write(b->fd, b->buf + done, b->used - done);

		if (n <= 0) {
			b->failed = 1;
			break;
		}
		done += n;
	}
	b->used = 0;
}

static void
emit_to_fd(char c, void *arg)
{
	struct fd_buffer *b = arg;

	if (b->used == (int)sizeof(b->buf))
		flush(b);
	b->buf[b->used++] = c;
}

int
vdprintf(int fd, const char *fmt, va_list ap)
{
	struct fd_buffer b;
	int n;

	b.fd = fd;
	b.used = 0;
	b.failed = 0;
	n = format(emit_to_fd, &b, fmt, ap);
	flush(&b);
	return b.failed ? -1 : n;
}

int
dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int
vprintf(const char *fmt, va_list ap)
{
	return vdprintf(STDOUT_FILENO, fmt, ap);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	return n;
}

int
puts(const char *s)
{
	return printf("%s\n", s) < 0 ? EOF : 0;
}

int
putchar(int c)
{
	unsigned char byte = c;

	return write(STDOUT_FILENO, &byte, 1) == 1 ? byte : EOF;
}

int
getchar(void)
{
	unsigned char byte;

	return read(STDIN_FILENO, &byte, 1) == 1 ? byte : EOF;
}

/*
 * One byte per read(): slow, but it never consumes input beyond the
 * newline, so a child that inherits the descriptor sees the rest.
 */
char *
readline_fd(int fd, char *buf, int size)
{
	int len = 0;

	if (size <= 0)
		return NULL;
	while (len < size - 1) {
		char c;

		if (read(fd, &c, 1) != 1)
			break;
		buf[len++] = c;
		if (c == '\n')
			break;
	}
	buf[len] = '\0';
	return len == 0 ? NULL : buf;
}
