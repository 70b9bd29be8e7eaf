/*
 * virtio-net driver for QEMU's `-device virtio-net-pci`, over the legacy
 * (virtio 0.9.5 / "transitional") PCI interface: registers in I/O BAR 0.
 * It finds the device on the PCI bus, sets up one receive and one
 * transmit virtqueue, and registers the card with the stack as a struct
 * netdev.
 */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include "net/netdev.h"

/* Set up the first virtio-net device and netdev_register() it; nothing
 * if there is none (or it offers no legacy interface: docs/network.md). */
void	virtio_net_init(void);

#endif
