/*
 * echo: print the arguments separated by blanks, then a newline.  The
 * line is assembled first so it reaches the console in a single write.
 */
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	/* exec limits argv strings to MAXARGLEN bytes counting their NULs,
	 * and each NUL becomes a blank or the newline: it always fits. */
	static char line[MAXARGLEN + 1];
	size_t len = 0;

	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + 1 > sizeof(line))	/* a kernel that lets more in */
			break;
		memcpy(line + len, argv[i], n);
		len += n;
		if (i + 1 < argc)
			line[len++] = ' ';
	}
	line[len++] = '\n';
	write(STDOUT_FILENO, line, len);
	return 0;
}
