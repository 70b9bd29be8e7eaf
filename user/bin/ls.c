/*
 * ls: list directories (default "/") with each entry's type and size,
 * or describe a named file.  Uses the brinch readdir() system call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/stat.h>

static const char *
type_name(uint32_t type)
{
	switch (type) {
	case FT_FILE:		return "file";
	case FT_DIR:		return "dir";
	case FT_CONSOLE:	return "console";
	default:		return "?";
	}
}

static void
print_entry(const char *name, uint32_t type, uint32_t size)
{
	printf("%-7s %8u  %s\n", type_name(type), (unsigned)size, name);
}

/* Returns 0, or 1 after printing an error. */
static int
list(const char *path)
{
	struct dirent ent;
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (fstat(fd, &st) < 0) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	if (st.type != FT_DIR) {
		print_entry(path, st.type, st.size);
		close(fd);
		return 0;
	}
	while ((r = readdir(fd, &ent)) == 1) {
		/* The kernel fills the name; do not trust it to terminate. */
		ent.name[DIRENT_NAME_LEN - 1] = '\0';
		print_entry(ent.name, ent.type, ent.size);
	}
	close(fd);
	if (r < 0) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return list("/");
	for (int i = 1; i < argc; i++) {
		if (argc > 2)
			printf("%s:\n", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
