/*
 * Error numbers returned (negated) by system calls.  The values follow
 * Linux/i386 so that students can look them up in any errno table.
 */
#ifndef BRINCH_ERRNO_H
#define BRINCH_ERRNO_H

#define EPERM		1	/* operation not permitted */
#define ENOENT		2	/* no such file */
#define ESRCH		3	/* no such process */
#define EINTR		4	/* interrupted by a signal */
#define EIO		5	/* input/output error */
#define E2BIG		7	/* argument list too long */
#define ENOEXEC		8	/* not an executable (bad ELF) */
#define EBADF		9	/* bad file descriptor */
#define ECHILD		10	/* no child to wait for */
#define EAGAIN		11	/* try again (table full, would block) */
#define ENOMEM		12	/* out of memory */
#define EFAULT		14	/* bad user address */
#define EBUSY		16	/* resource busy */
#define EEXIST		17	/* already exists */
#define ENOTDIR		20	/* not a directory */
#define EISDIR		21	/* is a directory */
#define EINVAL		22	/* invalid argument */
#define ENFILE		23	/* system file table full */
#define EMFILE		24	/* process file table full */
#define ENOSPC		28	/* no space left */
#define ESPIPE		29	/* seek on a stream */
#define EROFS		30	/* read-only file system */
#define EPIPE		32	/* other end gone */
#define ERANGE		34	/* result out of range */
#define ENAMETOOLONG	36	/* path too long */
#define ENOSYS		38	/* no such system call */
#define ENOTSOCK	88	/* not a socket */
#define EDESTADDRREQ	89	/* no destination address */
#define EMSGSIZE	90	/* message too long */
#define ENOPROTOOPT	92	/* unknown socket option */
#define EPROTONOSUPPORT	93	/* protocol not supported */
#define EOPNOTSUPP	95	/* not for this kind of socket */
#define EAFNOSUPPORT	97	/* address family not supported */
#define EADDRINUSE	98	/* port already bound */
#define EADDRNOTAVAIL	99	/* not one of our addresses */
#define ENETDOWN	100	/* no network device, or link down */
#define ENETUNREACH	101	/* no route to that network */
#define ECONNABORTED	103	/* connection aborted */
#define ECONNRESET	104	/* connection reset by the peer */
#define ENOBUFS		105	/* out of packet buffers */
#define EISCONN		106	/* socket already connected */
#define ENOTCONN	107	/* socket not connected */
#define ETIMEDOUT	110	/* timed out */
#define ECONNREFUSED	111	/* nobody listens there (a reset) */
#define EHOSTUNREACH	113	/* node unreachable */
#define EALREADY	114	/* a connect is already under way */
#define ESTALE		116	/* not the same file any more (a migrated descriptor) */

#endif
