/*
 * PCI bus enumeration through configuration mechanism #1 (I/O ports
 * 0xCF8/0xCFC).  pci_init() walks every bus reachable from bus 0 and keeps
 * a table of what it found; drivers (virtio_net.c) look their device up
 * here, and the `pci` command lists the table through sys_pci_list.
 */
#ifndef PCI_H
#define PCI_H

#include <stdint.h>
#include "brinch/net.h"		/* struct pci_info */

#define PCI_MAX_DEVICES		32

/* Configuration space header offsets (PCI Local Bus Spec 3.0, 6.1). */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION		0x08
#define PCI_PROG_IF		0x09
#define PCI_SUBCLASS		0x0A
#define PCI_CLASS		0x0B
#define PCI_HEADER_TYPE		0x0E
#define PCI_BAR0		0x10
#define PCI_SECONDARY_BUS	0x19	/* header type 1 (bridges) */
#define PCI_SUBSYSTEM_ID	0x2E
#define PCI_INTERRUPT_LINE	0x3C
#define PCI_INTERRUPT_PIN	0x3D

#define PCI_COMMAND_IO		0x0001	/* respond to I/O space accesses */
#define PCI_COMMAND_MEMORY	0x0002	/* respond to memory space accesses */
#define PCI_COMMAND_MASTER	0x0004	/* may initiate DMA */
#define PCI_COMMAND_INTX_OFF	0x0400	/* INTx# interrupt disable */

#define PCI_BAR_IO		0x1	/* bit 0 of a BAR: I/O space */

/* What pci_init learnt about one function. */
struct pci_device {
	struct pci_info info;
};

void	 pci_init(void);
int	 pci_count(void);
struct pci_device *pci_get(int index);
/* The index-th function (0, 1, ...) with this vendor and device id. */
struct pci_device *pci_find(uint16_t vendor, uint16_t device, int index);

uint32_t pci_read32(const struct pci_device *d, uint8_t offset);
uint16_t pci_read16(const struct pci_device *d, uint8_t offset);
uint8_t	 pci_read8(const struct pci_device *d, uint8_t offset);
void	 pci_write16(const struct pci_device *d, uint8_t offset, uint16_t value);

/* Turn on I/O and memory decoding and bus mastering (DMA), and make sure
 * legacy INTx interrupts are not disabled. */
void	 pci_enable(const struct pci_device *d);

#endif
