/*
 * strerror(): a short message for each error number in <brinch/errno.h>,
 * used by programs to print why a system call failed.  The wording is
 * glibc's, so messages can be searched for and match other systems.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[] = {
	[0]		= "Success",
	[EPERM]		= "Operation not permitted",
	[ENOENT]	= "No such file or directory",
	[ESRCH]		= "No such process",
	[EINTR]		= "Interrupted system call",
	[EIO]		= "Input/output error",
	[E2BIG]		= "Argument list too long",
	[ENOEXEC]	= "Exec format error",
	[EBADF]		= "Bad file descriptor",
	[ECHILD]	= "No child processes",
	[EAGAIN]	= "Resource temporarily unavailable",
	[ENOMEM]	= "Cannot allocate memory",
	[EFAULT]	= "Bad address",
	[EBUSY]		= "Device or resource busy",
	[EEXIST]	= "File exists",
	[ENOTDIR]	= "Not a directory",
	[EISDIR]	= "Is a directory",
	[EINVAL]	= "Invalid argument",
	[ENFILE]	= "Too many open files in system",
	[EMFILE]	= "Too many open files",
	[ENOSPC]	= "No space left on device",
	[ESPIPE]	= "Illegal seek",
	[EROFS]		= "Read-only file system",
	[EPIPE]		= "Broken pipe",
	[ERANGE]	= "Numerical result out of range",
	[ENAMETOOLONG]	= "File name too long",
	[ENOSYS]	= "Function not implemented",
	[ENOTSOCK]	= "Socket operation on non-socket",
	[EDESTADDRREQ]	= "Destination address required",
	[EMSGSIZE]	= "Message too long",
	[ENOPROTOOPT]	= "Protocol not available",
	[EPROTONOSUPPORT] = "Protocol not supported",
	[EOPNOTSUPP]	= "Operation not supported",
	[EAFNOSUPPORT]	= "Address family not supported by protocol",
	[EADDRINUSE]	= "Address already in use",
	[EADDRNOTAVAIL]	= "Cannot assign requested address",
	[ENETDOWN]	= "Network is down",
	[ENETUNREACH]	= "Network is unreachable",
	[ECONNABORTED]	= "Software caused connection abort",
	[ECONNRESET]	= "Connection reset by peer",
	[ENOBUFS]	= "No buffer space available",
	[EISCONN]	= "Transport endpoint is already connected",
	[ENOTCONN]	= "Transport endpoint is not connected",
	[ETIMEDOUT]	= "Connection timed out",
	[ECONNREFUSED]	= "Connection refused",
	[EHOSTUNREACH]	= "No route to host",
	[EALREADY]	= "Operation already in progress",
	[ESTALE]	= "Stale file handle",
};

char *
strerror(int errnum)
{
	/* Not reentrant for unknown numbers, like most C libraries. */
	static char unknown[32];

	if (errnum >= 0 && errnum < (int)(sizeof(messages) / sizeof(messages[0])) &&
	    messages[errnum] != NULL)
		return (char *)messages[errnum];
	snprintf(unknown, sizeof(unknown), "Unknown error %d", errnum);
	return unknown;
}
