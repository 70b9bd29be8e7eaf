/*
 * System call handlers.  Each takes its arguments as plain 32-bit words
 * (user pointers stay uint32_t until copy_from_user/copy_to_user has
 * checked them) and returns a value or a negative errno.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#include <stdint.h>
#include <stddef.h>

/* syscall.c: copy a table of rows out to user space (see there). */
#define TABLE_MAX	128		/* rows per call, at most */
typedef int (*table_fill_fn)(void *rows, int max);
int	copy_table_out(uint32_t ubuf, uint32_t max, size_t row_size,
	    table_fill_fn fill);

/* sys_proc.c */
int	sys_exit(uint32_t status);
int	sys_fork(void);
int	sys_waitpid(uint32_t pid, uint32_t ustatus, uint32_t options);
int	sys_exec(uint32_t upath, uint32_t uargv);
int	sys_getpid(void);
int	sys_getppid(void);
int	sys_yield(void);
int	sys_sleep(uint32_t ms);
int	sys_sbrk(uint32_t increment);
int	sys_uptime(uint32_t utv);
int	sys_ps(uint32_t ubuf, uint32_t max);
int	sys_meminfo(uint32_t uinfo);
int	sys_setfg(uint32_t pid);
int	sys_halt(uint32_t status);

/* sys_signal.c */
int	sys_kill(uint32_t pid, uint32_t sig);
int	sys_signal(uint32_t sig, uint32_t action);
int	sys_sigaction(uint32_t sig, uint32_t uact, uint32_t uold);
int	sys_sigprocmask(uint32_t how, uint32_t uset, uint32_t uold);
int	sys_sigreturn(void);
int	sys_alarm(uint32_t seconds);
int	sys_pause(void);
int	sys_sigpending(uint32_t uset);

/* sys_ipc.c */
int	sys_mbox_create(uint32_t uname, uint32_t capacity);
int	sys_mbox_open(uint32_t uname);
int	sys_mbox_close(uint32_t id);
int	sys_mbox_destroy(uint32_t id);
int	sys_mbox_send(uint32_t id, uint32_t ubuf, uint32_t len, uint32_t flags,
	    uint32_t timeout);
int	sys_mbox_receive(uint32_t id, uint32_t ubuf, uint32_t max, uint32_t uinfo,
	    uint32_t flags, uint32_t timeout);
int	sys_send(uint32_t pid, uint32_t ubuf, uint32_t len, uint32_t flags,
	    uint32_t timeout);
int	sys_receive(uint32_t from, uint32_t ubuf, uint32_t max, uint32_t uinfo,
	    uint32_t flags, uint32_t timeout);
int	sys_call(uint32_t pid, uint32_t ureq, uint32_t len, uint32_t ureply,
	    uint32_t max, uint32_t timeout);
int	sys_mbox_call(uint32_t id, uint32_t ureq, uint32_t len, uint32_t ureply,
	    uint32_t max, uint32_t timeout);
int	sys_reply(uint32_t pid, uint32_t ubuf, uint32_t len);
int	sys_reply_receive(uint32_t pid, uint32_t rbuf, uint32_t rlen, uint32_t ubuf,
	    uint32_t max, uint32_t uinfo);
int	sys_mbox_list(uint32_t ubuf, uint32_t max);
int	sys_sem_create(uint32_t value);
int	sys_sem_wait(uint32_t id, uint32_t flags, uint32_t timeout);
int	sys_sem_post(uint32_t id);
int	sys_sem_destroy(uint32_t id);
int	sys_shm_create(uint32_t size);
int	sys_shm_attach(uint32_t id);
int	sys_shm_detach(uint32_t addr);
int	sys_shm_destroy(uint32_t id);

/* sys_sched.c */
int	sys_sched_set(uint32_t policy, uint32_t quantum, uint32_t maxrun);
int	sys_sched_get(uint32_t uinfo);
int	sys_nice(uint32_t pid, uint32_t value);
int	sys_suspend(uint32_t pid);
int	sys_resume(uint32_t pid);
int	sys_procinfo(uint32_t pid, uint32_t uinfo);

/* sys_lab.c: written in the labs (docs/labs/) */
int	sys_callcount(uint32_t num);
void	syscall_count(uint32_t num);	/* syscall(): one more call of num */

/* sys_file.c */
int	sys_read(uint32_t fd, uint32_t ubuf, uint32_t n);
int	sys_write(uint32_t fd, uint32_t ubuf, uint32_t n);
int	sys_open(uint32_t upath, uint32_t flags);
int	sys_close(uint32_t fd);
int	sys_lseek(uint32_t fd, uint32_t offset, uint32_t whence);
int	sys_readdir(uint32_t fd, uint32_t udirent);
int	sys_fstat(uint32_t fd, uint32_t ustat);
int	sys_dup(uint32_t fd);

/* sys_net.c */
int	sys_socket(uint32_t domain, uint32_t type, uint32_t protocol);
int	sys_bind(uint32_t fd, uint32_t uaddr, uint32_t addrlen);
int	sys_sendto(uint32_t fd, uint32_t ubuf, uint32_t len, uint32_t flags,
	    uint32_t uaddr, uint32_t addrlen);
int	sys_recvfrom(uint32_t fd, uint32_t ubuf, uint32_t len, uint32_t flags,
	    uint32_t uaddr, uint32_t ualen);
int	sys_setsockopt(uint32_t fd, uint32_t level, uint32_t name, uint32_t uval,
	    uint32_t len);
int	sys_getsockname(uint32_t fd, uint32_t uaddr, uint32_t ualen);
int	sys_net_info(uint32_t uinfo);
int	sys_net_counters(uint32_t ubuf, uint32_t max);
int	sys_arp_list(uint32_t ubuf, uint32_t max);
int	sys_sock_list(uint32_t ubuf, uint32_t max);
int	sys_pci_list(uint32_t ubuf, uint32_t max);
int	sys_listen(uint32_t fd, uint32_t backlog);
int	sys_accept(uint32_t fd, uint32_t uaddr, uint32_t ualen);
int	sys_connect(uint32_t fd, uint32_t uaddr, uint32_t addrlen);
int	sys_shutdown(uint32_t fd, uint32_t how);
int	sys_getpeername(uint32_t fd, uint32_t uaddr, uint32_t ualen);
int	sys_poll(uint32_t ufds, uint32_t n, uint32_t timeout_ms);

/* sys_dist.c */
int	sys_lamport(uint32_t op);
int	sys_kmsg_echo(uint32_t node, uint32_t ubuf, uint32_t len, uint32_t ureply,
	    uint32_t max, uint32_t timeout);
int	sys_kmsg_stats(uint32_t ustats, uint32_t upeers, uint32_t max);
int	sys_kmsg_inject(uint32_t node, uint32_t service, uint32_t ubuf, uint32_t len);
int	sys_migrate(uint32_t pid, uint32_t node, uint32_t how, uint32_t uout);
int	sys_migstat(uint32_t uout, uint32_t max);
int	sys_migctl(uint32_t op, uint32_t arg);
int	sys_prof(uint32_t op, uint32_t a, uint32_t b);		/* prof.c */
uint32_t syscall_handler(uint32_t num);
int	sys_trace(uint32_t op, uint32_t arg);

#endif
