/*
 * System calls for networking (numbers 60-79 in brinch/syscall.h):
 * sockets as file descriptors (TCP's listen, accept, connect, shutdown;
 * poll over several), and read-only views of the interface, the
 * protocol counters, the ARP cache, the open sockets and the PCI bus.
 * This file only translates descriptors and copies tables out; the work
 * is in kernel/net/socket.c and below.
 */
#include "kernel.h"
#include "proc.h"
#include "mm/vm.h"
#include "fs/file.h"
#include "fs/fd.h"
#include "pci.h"
#include "net.h"
#include "socket.h"
#include "waitq.h"
#include "syscall.h"

/* The socket behind fd in the current process: -EBADF, -ENOTSOCK. */
static int
fd_socket(uint32_t fd, struct socket **out)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (f->type != FT_SOCKET)
		return -ENOTSOCK;
	*out = f->socket;
	return 0;
}

int
sys_socket(uint32_t domain, uint32_t type, uint32_t protocol)
{
	struct socket *s;
	struct file *f;
	int err, fd;

	/* Out of descriptors: say so before making a socket to throw away. */
	if ((err = fd_lowest_free()) < 0)
		return err;
	if (!(s = socket_create((int)domain, (int)type, (int)protocol, &err)))
		return err;
	if (!(f = file_open_socket(s, &err))) {
		socket_close(s);
		return err;
	}
	if ((fd = fd_alloc(f)) < 0)
		file_close(f);
	return fd;
}

int
sys_bind(uint32_t fd, uint32_t uaddr, uint32_t addrlen)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_bind(s, uaddr, addrlen);
}

int
sys_sendto(uint32_t fd, uint32_t ubuf, uint32_t len, uint32_t flags,
    uint32_t uaddr, uint32_t addrlen)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_sendto(s, ubuf, len, flags, uaddr, addrlen);
}

int
sys_recvfrom(uint32_t fd, uint32_t ubuf, uint32_t len, uint32_t flags,
    uint32_t uaddr, uint32_t ualen)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_recvfrom(s, ubuf, len, flags, uaddr, ualen);
}

int
sys_setsockopt(uint32_t fd, uint32_t level, uint32_t name, uint32_t uval,
    uint32_t len)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_setsockopt(s, level, name, uval, len);
}

int
sys_getsockname(uint32_t fd, uint32_t uaddr, uint32_t ualen)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_getsockname(s, uaddr, ualen);
}

int
sys_listen(uint32_t fd, uint32_t backlog)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_listen(s, (int)backlog);
}

int
sys_connect(uint32_t fd, uint32_t uaddr, uint32_t addrlen)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_connect(s, uaddr, addrlen);
}

int
sys_accept(uint32_t fd, uint32_t uaddr, uint32_t ualen)
{
	struct socket *s, *ns;
	struct file *f;
	int err, nfd;

	if ((err = fd_socket(fd, &s)) < 0)
		return err;
	/* Refuse before taking a connection that would then be lost. */
	if ((err = fd_lowest_free()) < 0)
		return err;
	if (!(ns = socket_accept(s, uaddr, ualen, &err)))
		return err;
	if (!(f = file_open_socket(ns, &err))) {
		socket_close(ns);
		return err;
	}
	/* accept may have slept: take the lowest free slot now. */
	if ((nfd = fd_alloc(f)) < 0)
		file_close(f);
	return nfd;
}

int
sys_shutdown(uint32_t fd, uint32_t how)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_shutdown(s, (int)how);
}

int
sys_getpeername(uint32_t fd, uint32_t uaddr, uint32_t ualen)
{
	struct socket *s;
	int r;

	if ((r = fd_socket(fd, &s)) < 0)
		return r;
	return socket_getpeername(s, uaddr, ualen);
}

#define POLL_MAX	32

/* Mark what is ready in fds[]; returns how many have something. */
static int
poll_scan(struct pollfd *fds, uint32_t n)
{
	struct socket *s;
	uint32_t i;
	int ready = 0;

	for (i = 0; i < n; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;		/* ignored, as in POSIX */
		if (fd_socket((uint32_t)fds[i].fd, &s) < 0)
			fds[i].revents = POLLNVAL;
		else
			fds[i].revents = (int16_t)(socket_poll(s) &
			    (fds[i].events | POLLERR | POLLHUP));
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

/* poll(fds, n, timeout_ms): timeout 0 only looks, -1 (or any value
 * with the top bit set) waits for ever. */
int
sys_poll(uint32_t ufds, uint32_t n, uint32_t timeout_ms)
{
	struct pollfd fds[POLL_MAX];
	struct wait_limit w;
	int ready, r;

	if (n > POLL_MAX)
		return -EINVAL;
	if (copy_from_user(current->pgdir, fds, ufds, n * sizeof(fds[0])) < 0 ||
	    !user_range_ok(current->pgdir, ufds, n * sizeof(fds[0]), 1))
		return -EFAULT;
	wait_limit_init(&w, timeout_ms == 0,
	    (int32_t)timeout_ms < 0 ? 0 : timeout_ms);
	while ((ready = poll_scan(fds, n)) == 0) {
		if ((r = socket_poll_wait(&w)) == -EAGAIN || r == -ETIMEDOUT)
			break;			/* nothing ready in time: 0 */
		if (r < 0)
			return r;
	}
	if (copy_to_user(current->pgdir, ufds, fds, n * sizeof(fds[0])) < 0)
		return -EFAULT;
	return ready;
}

int
sys_net_info(uint32_t uinfo)
{
	struct net_info info;

	net_info_fill(&info);
	return copy_to_user(current->pgdir, uinfo, &info, sizeof(info));
}

/* The table calls copy rows out with copy_table_out (syscall.c). */

static int
fill_counters(void *rows, int max)
{
	return net_counters_fill(rows, max);
}

static int
fill_arp(void *rows, int max)
{
	return arp_list(rows, max);
}

static int
fill_sockets(void *rows, int max)
{
	return socket_list(rows, max);
}

static int
fill_pci(void *rows, int max)
{
	struct pci_info *out = rows;
	int i, n = MIN(max, pci_count());

	for (i = 0; i < n; i++)
		out[i] = pci_get(i)->info;
	return n;
}

int
sys_net_counters(uint32_t ubuf, uint32_t max)
{
	return copy_table_out(ubuf, max, sizeof(struct net_counter), fill_counters);
}

int
sys_arp_list(uint32_t ubuf, uint32_t max)
{
	return copy_table_out(ubuf, max, sizeof(struct arp_info), fill_arp);
}

int
sys_sock_list(uint32_t ubuf, uint32_t max)
{
	return copy_table_out(ubuf, max, sizeof(struct sock_info), fill_sockets);
}

int
sys_pci_list(uint32_t ubuf, uint32_t max)
{
	return copy_table_out(ubuf, max, sizeof(struct pci_info), fill_pci);
}
