/*
 * The networking ABI: socket address structures and constants, and the
 * records that the net_info, net_counters, arp_list, sock_list and
 * pci_list system calls fill in.  Shared by kernel/net/ (its system calls in sys_net.c)
 * and user/lib/net.c.  Values follow Linux where Linux has one.
 */
#ifndef BRINCH_NET_H
#define BRINCH_NET_H

#include <stdint.h>

/* socket(domain, type, protocol) */
#define AF_INET		2	/* IPv4: TCP, UDP datagrams or ICMP echo ("ping") */
#define AF_PACKET	17	/* raw Ethernet frames of one EtherType */
#define SOCK_STREAM	1	/* TCP */
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define IPPROTO_ICMP	1	/* with SOCK_DGRAM: echo request/reply only */
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

/* shutdown(fd, how) */
#define SHUT_RD		0	/* no more receiving: recv gives 0 */
#define SHUT_WR		1	/* no more sending: our FIN goes out */
#define SHUT_RDWR	2

/* poll(fds, n, timeout_ms): which descriptors are ready.  Sockets only;
 * any other descriptor comes back as POLLNVAL. */
#define POLLIN		0x01	/* data, end of stream, or a connection to accept */
#define POLLOUT		0x04	/* room to send */
#define POLLERR		0x08	/* an error is waiting (the next call returns it) */
#define POLLHUP		0x10	/* the peer closed, or the connection is gone */
#define POLLNVAL	0x20	/* not a socket descriptor */

struct pollfd {
	int32_t  fd;
	int16_t  events;		/* what the caller waits for */
	int16_t  revents;		/* what is ready (ERR, HUP, NVAL always) */
};

/* TCP connection states (RFC 9293 3.3.2), as sock_info.tcp_state. */
#define TCP_CLOSED	0
#define TCP_LISTEN	1
#define TCP_SYN_SENT	2
#define TCP_SYN_RCVD	3
#define TCP_ESTABLISHED	4
#define TCP_FIN_WAIT_1	5
#define TCP_FIN_WAIT_2	6
#define TCP_CLOSE_WAIT	7
#define TCP_CLOSING	8
#define TCP_LAST_ACK	9
#define TCP_TIME_WAIT	10

/* An EtherType from IEEE 802's "local experimental" range, free for
 * brinch's raw-frame benchmark (tshark calls it "Local Experimental
 * Ethertype 1"). */
#define ETH_P_BRINCH	0x88B5

/* FT_SOCKET: the file type fstat() reports for a socket descriptor
 * (next to FT_FILE/FT_DIR/FT_CONSOLE in brinch/types.h). */
#define FT_SOCKET	4

/* sendto/recvfrom flags */
#define MSG_DONTWAIT	0x40	/* fail with EAGAIN instead of blocking */

/* setsockopt(fd, SOL_SOCKET, name, &value, sizeof(uint32_t)) */
#define SOL_SOCKET	1
#define SO_RCVBUF	8	/* receive queue limit, in datagrams (1..128) */
#define SO_RCVTIMEO	20	/* receive timeout in milliseconds, 0 = none;
				 * (Linux takes a struct timeval here) */

#define INADDR_ANY	0x00000000u
#define INADDR_BROADCAST 0xFFFFFFFFu

/* An IPv4 address and port, both in network byte order (as in Unix). */
struct sockaddr_in {
	uint16_t sin_family;		/* AF_INET */
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t  sin_zero[8];
};

/* A station on the Ethernet, for AF_PACKET sockets. */
struct sockaddr_eth {
	uint16_t se_family;		/* AF_PACKET */
	uint16_t se_protocol;		/* EtherType, network byte order */
	uint8_t  se_addr[6];		/* MAC address */
	uint8_t  se_zero[8];
};

/* The largest datagram a UDP socket sends or receives: IPv4's 65535
 * bytes less 20 (IPv4 header) and 8 (UDP header).  Over UDP_FRAME_PAYLOAD
 * (what one 1500-byte Ethernet payload holds) it travels as IP fragments. */
#define UDP_MAX_PAYLOAD	65507
#define UDP_FRAME_PAYLOAD 1472
#define ETH_MAX_PAYLOAD	1500

/* ---- the interface: `net` ----------------------------------------- */

#define NET_DRIVER_LEN	16

struct net_info {
	uint32_t present;		/* 0: no network device was found */
	uint32_t link_up;
	uint8_t  mac[6];
	uint16_t mtu;
	int32_t  node;			/* node= from the command line */
	uint32_t ip;			/* network byte order */
	uint32_t netmask;
	uint32_t gateway;		/* 0 = none */
	char     driver[NET_DRIVER_LEN];	/* e.g. "virtio-net" */
	uint32_t pci_location;		/* bus << 16 | device << 8 | function */
	uint32_t irq;
	uint32_t io_base;
	uint32_t features;		/* negotiated feature bits */
	uint32_t rx_ring, tx_ring;	/* buffers posted / transmit slots */
	/* device counters (what `ifconfig` shows) */
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint32_t rx_dropped, tx_dropped;	/* no buffer, ring full in an interrupt */
	uint32_t rx_errors, tx_errors;	/* the device or the frame was bad */
	uint32_t interrupts;
	uint32_t tx_waits;		/* a sender slept for a free ring slot */
};

/* One protocol counter: net_counters() fills an array of these. */
#define NET_COUNTER_NAME_LEN	24

struct net_counter {
	char     name[NET_COUNTER_NAME_LEN];
	uint32_t value;
};

/* One row of the ARP cache. */
#define ARP_STATE_RESOLVING	1
#define ARP_STATE_RESOLVED	2
#define ARP_STATE_FAILED	3

struct arp_info {
	uint32_t ip;			/* network byte order */
	uint8_t  mac[6];
	uint16_t state;			/* ARP_STATE_* */
	uint32_t age_ms;		/* since last confirmed (or asked) */
	uint32_t queued;		/* packets waiting for the answer */
};

/* One open socket, or a TCP connection that no socket holds any more
 * (closing, TIME_WAIT, or not yet accepted: owner -1).  For TCP the
 * counts are segments and the queues bytes. */
struct sock_info {
	int32_t  domain, type, protocol;
	uint32_t local_addr;		/* network byte order */
	uint16_t local_port;		/* host order; ICMP: the echo id */
	uint16_t tcp_state;		/* TCP_*; 0 for other kinds */
	uint32_t queued;		/* datagrams (TCP: bytes; listener: connections) to read */
	uint32_t limit;			/* SO_RCVBUF (TCP: queue size; listener: backlog) */
	uint32_t received;		/* datagrams queued since creation (TCP: segments in) */
	uint32_t dropped;		/* ...and thrown away: queue full (TCP: retransmissions) */
	uint32_t sent;			/* (TCP: segments out) */
	int32_t  owner;			/* pid that created it; -1: none (TCP) */
	uint32_t remote_addr;		/* TCP: the peer, network order */
	uint16_t remote_port;
	uint16_t pad;
	uint32_t send_queued;		/* TCP: bytes sent or to send, not yet acknowledged */
};

/* ---- PCI: `pci` --------------------------------------------------- */

struct pci_info {
	uint8_t  bus, device, function, header_type;
	uint16_t vendor_id, device_id;
	uint8_t  class_code, subclass, prog_if, revision;
	uint8_t  irq_line, irq_pin;	/* pin: 1 = INTA#, 0 = none */
	uint16_t pad;
	uint32_t bar[6];		/* raw BAR values (bit 0: I/O space) */
	uint32_t bar_size[6];		/* bytes decoded; 0 = unused */
};

#endif
