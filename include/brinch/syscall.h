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

#define NSYSCALL	31	/* one past the highest number           */

#endif
