/*
 * cat: copy each named file, or standard input when there are none, to
 * standard output.  `cat /etc/motd` is the usual first thing to try.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copy fd to stdout; returns 0, or -1 after printing why it failed. */
static int
copy(int fd, const char *name)
{
	char buf[512];
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (int done = 0; done < n; ) {
			int w = write(STDOUT_FILENO, buf + done, n - done);

			if (w <= 0) {
				dprintf(2, "cat: write: %s\n", strerror(errno));
				return -1;
			}
			done += w;
		}
	}
	if (n < 0) {
		dprintf(2, "cat: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return copy(STDIN_FILENO, "stdin") < 0 ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			dprintf(2, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (copy(fd, argv[i]) < 0)
			status = 1;
		close(fd);
	}
	return status;
}
