/*
 * System call numbers: the contract between user/lib/syscall.asm and
 * kernel/syscall.c.  A call is `int 0x80` with the number in eax and up to
 * six arguments in ebx, ecx, edx, esi, edi, ebp; the result comes back in eax,
 * a negative errno on failure.  Numbers are never reused once assigned.
 */
#ifndef BRINCH_SYSCALL_H
#define BRINCH_SYSCALL_H

#define SYS_exit	1	/* exit(status)                          */
#define SYS_fork	2	/* fork() -> child pid / 0               */
#define SYS_read	3	/* read(fd, buf, n)                      */
#define SYS_write	4	/* write(fd, buf, n)                     */
#define SYS_open	5	/* open(path, flags)                     */
#define SYS_close	6	/* close(fd)                             */
#define SYS_waitpid	7	/* waitpid(pid, &status, options)        */
#define SYS_exec	8	/* exec(path, argv)                      */
#define SYS_getpid	9	/* getpid()                              */
#define SYS_getppid	10	/* getppid()                             */
#define SYS_yield	11	/* yield()                               */
#define SYS_sleep	12	/* sleep(milliseconds)                   */
#define SYS_sbrk	13	/* sbrk(increment) -> old break          */
#define SYS_lseek	14	/* lseek(fd, offset, whence)             */
#define SYS_uptime	15	/* uptime(&struct timeval64) -> ticks    */
#define SYS_kill	16	/* kill(pid, signal)                     */
#define SYS_ps		17	/* ps(struct proc_info *, max) -> count  */
#define SYS_meminfo	18	/* meminfo(struct meminfo *)             */
#define SYS_readdir	19	/* readdir(fd, struct dirent *) -> 1/0   */
#define SYS_fstat	20	/* fstat(fd, struct stat *)              */
#define SYS_signal	21	/* signal(sig, SIG_DFL/SIG_IGN) -> old   */
#define SYS_setfg	22	/* setfg(pid): console's foreground pid  */
#define SYS_halt	23	/* halt(status): power off the machine   */
#define SYS_dup		24	/* dup(fd) -> lowest free fd             */
#define SYS_sigaction	25	/* sigaction(sig, &new or 0, &old or 0)  */
#define SYS_sigprocmask	26	/* sigprocmask(how, &set or 0, &old or 0)*/
#define SYS_sigreturn	27	/* sigreturn(): only from the trampoline */
#define SYS_alarm	28	/* alarm(seconds) -> seconds left        */
#define SYS_pause	29	/* pause(): sleep until a signal         */
#define SYS_sigpending	30	/* sigpending(&set)                      */

/* Message passing (include/brinch/ipc.h).  flags: IPC_NOWAIT; timeout: ms. */
#define SYS_mbox_create	31	/* mbox_create(name or 0, capacity) -> id   */
#define SYS_mbox_open	32	/* mbox_open(name) -> id                    */
#define SYS_mbox_close	33	/* mbox_close(id)                           */
#define SYS_mbox_destroy 34	/* mbox_destroy(id): owner only             */
#define SYS_mbox_send	35	/* mbox_send(id, buf, len, flags, timeout)  */
#define SYS_mbox_receive 36	/* mbox_receive(id, buf, max, &info, flags, timeout) -> len */
#define SYS_send	37	/* send(pid, buf, len, flags, timeout)      */
#define SYS_receive	38	/* receive(pid or ANY, buf, max, &info, flags, timeout) */
#define SYS_call	39	/* call(pid, req, len, reply, max, timeout) -> reply len */
#define SYS_mbox_call	40	/* mbox_call(id, req, len, reply, max, timeout) */
#define SYS_reply	41	/* reply(pid, buf, len)                     */
#define SYS_reply_receive 58	/* reply_receive(pid, buf, len, rbuf, max, &info) */
#define SYS_mbox_list	42	/* mbox_list(struct mbox_info *, max) -> n  */
#define SYS_sem_create	43	/* sem_create(initial value) -> id          */
#define SYS_sem_wait	44	/* sem_wait(id, flags, timeout)             */
#define SYS_sem_post	45	/* sem_post(id)                             */
#define SYS_sem_destroy	46	/* sem_destroy(id)                          */
#define SYS_shm_create	47	/* shm_create(size) -> id                   */
#define SYS_shm_attach	48	/* shm_attach(id) -> address                */
#define SYS_shm_detach	49	/* shm_detach(address)                      */
#define SYS_shm_destroy	50	/* shm_destroy(id): freed after last detach */

/* Scheduling (kernel/sys_sched.c).  60-79 are kept for networking. */
#define SYS_sched_set	51	/* sched_set(policy, quantum, maxrun)      */
#define SYS_sched_get	52	/* sched_get(struct sched_info *)          */
#define SYS_nice	53	/* nice(pid or 0, value) -> old value      */
#define SYS_suspend	54	/* suspend(pid): medium-term swap out      */
#define SYS_resume	55	/* resume(pid)                             */
#define SYS_procinfo	56	/* procinfo(pid or 0, struct proc_info *)  */

/* Written in the labs (kernel/sys_lab.c, docs/labs/). */
#define SYS_callcount	57	/* callcount(num) -> calls of num since boot */

/* Networking (kernel/net/sys_net.c; structures in brinch/net.h). */
#define SYS_socket	60	/* socket(domain, type, protocol) -> fd    */
#define SYS_bind	61	/* bind(fd, &sockaddr, len)                */
#define SYS_sendto	62	/* sendto(fd, buf, len, flags, &addr, len) */
#define SYS_recvfrom	63	/* recvfrom(fd, buf, len, flags, &addr, &len) */
#define SYS_setsockopt	64	/* setsockopt(fd, level, name, &val, len)  */
#define SYS_getsockname	65	/* getsockname(fd, &addr, &len)            */
#define SYS_net_info	66	/* net_info(struct net_info *)             */
#define SYS_net_counters 67	/* net_counters(struct net_counter *, max) */
#define SYS_arp_list	68	/* arp_list(struct arp_info *, max)        */
#define SYS_sock_list	69	/* sock_list(struct sock_info *, max)      */
#define SYS_pci_list	70	/* pci_list(struct pci_info *, max)        */
#define SYS_listen	71	/* listen(fd, backlog)                     */
#define SYS_accept	72	/* accept(fd, &addr, &len) -> new fd       */
#define SYS_connect	73	/* connect(fd, &addr, len)                 */
#define SYS_shutdown	74	/* shutdown(fd, SHUT_RD/WR/RDWR)           */
#define SYS_getpeername	75	/* getpeername(fd, &addr, &len)            */
#define SYS_poll	76	/* poll(struct pollfd *, n, timeout ms) -> ready */

/* Cross-node IPC (kernel/dist/sys_dist.c; brinch/dist.h).  Remote mailboxes
 * use the mailbox calls above with ids naming another node. */
#define SYS_lamport	80	/* lamport(LAMPORT_READ or _TICK) -> time  */
#define SYS_kmsg_echo	81	/* kmsg_echo(node, buf, len, reply, max, timeout) */
#define SYS_kmsg_stats	82	/* kmsg_stats(&stats, peers, max) -> rows  */
#define SYS_kmsg_inject	83	/* kmsg_inject(node, service, buf, len): test door */

/* Process migration (kernel/migrate/; structures in brinch/migrate.h). */
#define SYS_migrate	90	/* migrate(pid or 0, node, how, &record)   */
#define SYS_migstat	91	/* migstat(&records, max) -> rows          */
#define SYS_migctl	92	/* migctl(MIGCTL_*, arg)                   */

/* The profiler (kernel/prof.c; brinch/prof.h). */
#define SYS_prof	100	/* prof(PROF_*, a, b)                      */
/* The event trace (kernel/trace.c; brinch/trace.h). */
#define SYS_trace	120	/* trace(TRACE_*, arg)                     */

#define NSYSCALL	150	/* one past the highest number           */

#endif
