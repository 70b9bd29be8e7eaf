/*
 * The boundary between a network device driver (drivers/virtio_net.c)
 * and the protocol stack (kernel/net/).  The driver fills in a struct
 * netdev, counts what it moves, and hands it over once with
 * netdev_register(); the stack gives it one callback, `receive`, and
 * calls `transmit`.  Nothing else crosses: the stack never names a
 * driver, and data flows up only through the callback it gave.
 */
#ifndef NETDEV_H
#define NETDEV_H

#include <stdint.h>

#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_MTU		1500
#define ETH_FRAME_MAX	(ETH_HLEN + ETH_MTU)	/* without the FCS, as devices hand it */

struct netdev_stats {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint32_t rx_dropped;	/* frame lost for want of a buffer or a slot */
	uint32_t tx_dropped;
	uint32_t rx_errors;	/* the device reported something impossible */
	uint32_t tx_errors;
	uint32_t interrupts;
	uint32_t tx_waits;	/* a sender slept until a transmit slot freed */
};

struct netdev {
	/* ---- filled in by the driver ---- */
	const char	*driver;		/* "virtio-net" */
	uint8_t		 mac[ETH_ALEN];
	uint16_t	 mtu;
	int		 link_up;
	uint32_t	 pci_location;		/* bus << 16 | dev << 8 | fn */
	uint32_t	 irq, io_base, features;
	uint32_t	 rx_ring, tx_ring;	/* receive buffers, transmit slots */
	struct netdev_stats stats;

	/*
	 * Queue one Ethernet frame (destination MAC first, no FCS) for
	 * transmission; the driver copies it, so the caller keeps frame.
	 * With every transmit slot busy it sleeps on the device's queue
	 * when may_sleep (process context), else fails with -EAGAIN and
	 * counts a drop.  Returns 0, -EAGAIN, -EINTR, -EMSGSIZE or
	 * -ENETDOWN.
	 */
	int	(*transmit)(struct netdev *dev, const void *frame, uint32_t len,
		    int may_sleep);

	/* ---- set by the stack (net_init) ---- */
	/*
	 * Called from the driver's interrupt handler for every frame
	 * received.  frame is valid only during the call.  Must not sleep.
	 */
	void	(*receive)(struct netdev *dev, const uint8_t *frame, uint32_t len);
};

/*
 * A driver's init calls this for a card it has set up, before net_init()
 * runs (kmain calls the drivers' inits first).  The stack has one
 * interface: a second card is refused with -EBUSY.
 */
int	netdev_register(struct netdev *dev);

#endif
