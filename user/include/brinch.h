/*
 * brinch-specific system calls for user programs: process and memory
 * statistics, time, directories, the console's foreground process and
 * powering off, plus (through <ipc.h>) message passing, semaphores and
 * shared memory.  Each returns -1 and sets errno on failure.
 */
#ifndef _BRINCH_H
#define _BRINCH_H

#include <stdint.h>
#include <sys/types.h>
#include <brinch/types.h>
#include <ipc.h>

/* Fill buf with up to max process snapshots; returns how many. */
int	 ps(struct proc_info *buf, int max);
int	 meminfo(struct meminfo *info);

/* Timer ticks (100 per second) since boot; also fills *tv, if given,
 * with microseconds since boot. */
int	 uptime(struct timeval64 *tv);
uint64_t uptime_us(void);	/* microseconds since boot */

int	 msleep(unsigned int ms);

/* Next entry of the directory open on fd: 1 and fills *ent, or 0 at
 * the end. */
int	 readdir(int fd, struct dirent *ent);

/* Make pid the console's foreground process: Ctrl-C goes to it. */
int	 setfg(pid_t pid);

/* Power the machine off; QEMU exits with this status.  Returns only
 * on failure. */
int	 halt(int status);

/* ---- networking (user/lib/net.c; records in <brinch/net.h>) ---- */
#include <brinch/net.h>

/* The interface: address, MAC, driver and device counters. */
int	 net_info(struct net_info *info);
/* Fill up to max rows; each returns how many it filled. */
int	 net_counters(struct net_counter *buf, int max);	/* by name */
int	 arp_list(struct arp_info *buf, int max);	/* the ARP cache */
int	 sock_list(struct sock_info *buf, int max);	/* open sockets */
int	 pci_list(struct pci_info *buf, int max);	/* PCI functions */

#endif
