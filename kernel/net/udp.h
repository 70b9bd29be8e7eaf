/*
 * The in-kernel UDP interface: how a kernel service (the socket layer
 * today; remote mailboxes, RPC and migration later) sends and receives
 * datagrams without a file descriptor.  Implemented in kernel/net/udp.c.
 *
 *	static void on_msg(void *ctx, uint32_t src_ip, uint16_t src_port,
 *	    const uint8_t *data, uint32_t len) { ... must not sleep ... }
 *
 *	udp_bind_kernel(RPC_PORT, on_msg, state);
 *	udp_send(node_ip(3), RPC_PORT, RPC_PORT, buf, len);
 *
 * IP addresses are in network byte order; ports in host order.
 */
#ifndef NET_UDP_H
#define NET_UDP_H

#include <stdint.h>

/*
 * Called for every datagram that arrives for the bound port, from the
 * network interrupt (or, for a packet sent to ourselves, from the
 * sender's system call).  data is valid only during the call; the
 * callback must copy what it keeps and must not sleep.
 */
typedef void (*udp_receive_fn)(void *ctx, uint32_t src_ip, uint16_t src_port,
    const uint8_t *data, uint32_t len);

/* Bind port (1..65535) to fn; port 0 picks a free ephemeral port.
 * Returns the port, or -EADDRINUSE, -EINVAL, -ENOSPC. */
int	udp_bind_kernel(uint16_t port, udp_receive_fn fn, void *ctx);
void	udp_unbind_kernel(uint16_t port);

/*
 * Send len bytes (at most UDP_MAX_PAYLOAD) from a kernel buffer.  Returns
 * 0 once the datagram is handed to the device or queued behind an ARP
 * lookup; UDP promises no delivery.  Errors: -EMSGSIZE, -ENOBUFS,
 * -ENETDOWN, -ENETUNREACH, -EHOSTUNREACH, -EINTR (a signal while waiting
 * for a transmit slot).  In interrupt context it never sleeps: a full
 * transmit ring drops the datagram (counted) and gives -EAGAIN.
 */
int	udp_send(uint32_t dst_ip, uint16_t dst_port, uint16_t src_port,
	    const void *buf, uint32_t len);

/* The IPv4 address of node n under the default numbering (10.0.0.(n+1)). */
uint32_t node_ip(int node);

#endif
