/*
 * Process, file descriptor and memory system calls for user programs
 * (the Unix-shaped part of the brinch ABI; see include/brinch/syscall.h).
 * Each returns -1 and sets errno on failure unless noted.
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>
#include <brinch/types.h>	/* SEEK_SET, SEEK_CUR, SEEK_END */

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

pid_t	 fork(void);
ssize_t	 read(int fd, void *buf, size_t n);
ssize_t	 write(int fd, const void *buf, size_t n);
int	 close(int fd);
int	 dup(int fd);
off_t	 lseek(int fd, off_t offset, int whence);

/* Replace this program with the one at path; argv ends with NULL.
 * Returns only on failure. */
int	 exec(const char *path, char *const argv[]);

pid_t	 getpid(void);
pid_t	 getppid(void);
int	 yield(void);		/* give up the CPU to another process */

/* Sleep whole seconds; returns 0 (never interrupted early for now). */
unsigned int sleep(unsigned int seconds);

/* Move the end of the heap by increment bytes and return the old end,
 * or (void *)-1 on failure. */
void	*sbrk(intptr_t increment);

/* Send SIGALRM after `seconds` (0 cancels); returns the seconds that
 * were left on the previous alarm. */
unsigned int alarm(unsigned int seconds);

/* Sleep until a signal is handled; always -1 with errno EINTR. */
int	 pause(void);

void	 _exit(int status) __attribute__((noreturn));

#endif
