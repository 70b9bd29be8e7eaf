/*
 * Waiting for child processes.  The status macros (WIFEXITED, WEXITSTATUS,
 * WIFSIGNALED, WTERMSIG) and WNOHANG come from <brinch/types.h>.
 */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>
#include <brinch/types.h>

/* pid -1 waits for any child.  With WNOHANG returns 0 if no child has
 * exited yet.  status may be NULL. */
pid_t	waitpid(pid_t pid, int *status, int options);
pid_t	wait(int *status);

#endif
