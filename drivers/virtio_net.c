/*
 * virtio-net over the legacy virtio PCI interface (see virtio_net.h).
 * Section names below are those of the OASIS virtio 1.2 specification,
 * whose "Legacy Interface" notes describe what QEMU's transitional device
 * (and a disable-modern=on device) implements at I/O BAR 0.
 *
 * Two split virtqueues: receiveq1 (queue 0) keeps RX_SLOTS empty buffers
 * posted for the device to fill; transmitq1 (queue 1) carries frames out.
 * Everything after initialisation happens in the interrupt handler or in
 * virtio_transmit(); nothing polls.
 */
#include "kernel.h"
#include "x86.h"
#include "mm/mmu.h"
#include "mm/pmm.h"
#include "trap.h"
#include "waitq.h"
#include "pci.h"
#include "virtio_net.h"

#define VIRTIO_VENDOR		0x1AF4
#define VIRTIO_NET_LEGACY_ID	0x1000	/* transitional or legacy-only */
#define VIRTIO_NET_MODERN_ID	0x1041	/* virtio 1.0 only: no I/O BAR */

/* "Legacy Interfaces: A Note on PCI Device Layout": the registers at the
 * start of I/O BAR 0 (little-endian, as x86 is). */
#define REG_DEVICE_FEATURES	0x00	/* 32 bits, read-only */
#define REG_DRIVER_FEATURES	0x04	/* 32 bits */
#define REG_QUEUE_PFN		0x08	/* 32 bits: queue address >> 12 */
#define REG_QUEUE_SIZE		0x0C	/* 16 bits, read-only */
#define REG_QUEUE_SELECT	0x0E	/* 16 bits */
#define REG_QUEUE_NOTIFY	0x10	/* 16 bits: write the queue number */
#define REG_DEVICE_STATUS	0x12	/* 8 bits */
#define REG_ISR_STATUS		0x13	/* 8 bits; reading clears it */
#define REG_CONFIG		0x14	/* device config, while MSI-X is off */
#define REG_NET_MAC		(REG_CONFIG + 0)	/* 6 bytes */
#define REG_NET_STATUS		(REG_CONFIG + 6)	/* 16 bits */

/* "Device Status Field" (2.1). */
#define STATUS_ACKNOWLEDGE	1	/* we noticed the device */
#define STATUS_DRIVER		2	/* we know how to drive it */
#define STATUS_DRIVER_OK	4	/* ready: the device may use the queues */
#define STATUS_FAILED		128

#define ISR_QUEUE		0x1	/* a used ring changed */
#define ISR_CONFIG		0x2	/* the device configuration changed */

/* "Feature bits" of the network device (5.1.3).  We take only these:
 * without MRG_RXBUF every packet arrives in one buffer, after a 10-byte
 * header (5.1.6, "Legacy Interface: Device Operation"), and without the
 * checksum/GSO features every frame is complete and checksummed. */
#define NET_F_MAC		(1u << 5)	/* config holds the MAC address */
#define NET_F_STATUS		(1u << 16)	/* config holds the link status */
#define NET_S_LINK_UP		1

#define RX_QUEUE		0
#define TX_QUEUE		1
#define QUEUE_ALIGN		4096	/* legacy queues: used ring page-aligned */

/* "The Virtqueue Descriptor Table" */
struct virtq_desc {
	uint64_t addr;			/* guest-physical */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define DESC_F_NEXT		1	/* the chain continues at `next` */
#define DESC_F_WRITE		2	/* the device writes this buffer */

/* "The Virtqueue Available Ring": driver to device. */
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;			/* free-running: where we put the next entry */
	uint16_t ring[];
};

/* "The Virtqueue Used Ring": device to driver. */
struct virtq_used_elem {
	uint32_t id;			/* head of the descriptor chain */
	uint32_t len;			/* bytes the device wrote into it */
};
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};
#define USED_F_NO_NOTIFY	1	/* the device asks not to be kicked */

/* The header before every packet (5.1.6).  Zero means "no offloads". */
struct virtio_net_hdr {
	uint8_t  flags;
	uint8_t  gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
} __attribute__((packed));
#define NET_HDR_SIZE		10	/* legacy, no MRG_RXBUF: no num_buffers */

/*
 * Each packet is a chain of two descriptors: the header, then the frame
 * ("Legacy Interface: Message Framing", 5.1.6.6: without ANY_LAYOUT the
 * header must have a descriptor of its own).  Slot i owns descriptors 2i
 * and 2i+1 for good, so only the head index travels through the rings.
 * A slot's memory is 2 KiB: the header at 0, the frame at FRAME_OFFSET.
 */
#define SLOT_SIZE		2048
#define FRAME_OFFSET		16
#define FRAME_ROOM		(SLOT_SIZE - FRAME_OFFSET)
#define ETH_MIN_FRAME		60	/* 802.3 minimum without the FCS */
#define RX_SLOTS_MAX		128
#define TX_SLOTS_MAX		64

struct virtq {
	uint16_t index;			/* queue number */
	uint16_t size;			/* entries, as the device dictates */
	uint16_t avail_idx;		/* our copy of avail->idx */
	uint16_t last_used;		/* next used->ring entry to look at */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint16_t nslots;
	uint8_t *slot_mem[TX_SLOTS_MAX > RX_SLOTS_MAX ? TX_SLOTS_MAX : RX_SLOTS_MAX];
};

static struct netdev dev;
static uint16_t io;
static struct virtq rxq, txq;
static uint16_t tx_free[TX_SLOTS_MAX];	/* stack of idle transmit slots */
static uint16_t tx_nfree;
static uint16_t tx_len[TX_SLOTS_MAX];	/* frame length in flight per slot */
static struct wait_queue tx_wait;	/* senders waiting for a free slot */

/*
 * Barriers.  x86 never reorders a store with an earlier store, so
 * publishing a ring entry before the index that exposes it needs only a
 * compiler barrier.  Reading the device's "don't notify" flag after
 * writing avail->idx is a store followed by a load, which x86 may reorder:
 * that needs a full barrier (a locked instruction; mfence is SSE2).
 */
static inline void
compiler_barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline void
full_barrier(void)
{
	__asm__ volatile("lock; addl $0, (%%esp)" ::: "memory", "cc");
}

/* Zeroed, physically contiguous, page-aligned memory for a virtqueue,
 * laid out as "Legacy Interfaces: A Note on Virtqueue Layout" says:
 * descriptors, available ring, padding to QUEUE_ALIGN, used ring. */
static int
virtq_setup(struct virtq *q, uint16_t index)
{
	uint32_t avail_off, used_off, bytes, pages, pa;
	uint8_t *base;

	outw(io + REG_QUEUE_SELECT, index);
	q->index = index;
	q->size = inw(io + REG_QUEUE_SIZE);
	if (q->size == 0 || (q->size & (q->size - 1)))
		return -EIO;		/* absent, or not a power of two */
	avail_off = 16u * q->size;
	used_off = PAGE_ROUNDUP(avail_off + 6 + 2u * q->size);
	bytes = used_off + PAGE_ROUNDUP(6 + 8u * q->size);
	pages = bytes / PAGE_SIZE;
	if (!(pa = frames_alloc(pages)))
		return -ENOMEM;
	base = P2V(pa);
	memset(base, 0, bytes);
	q->desc = (struct virtq_desc *)base;
	q->avail = (struct virtq_avail *)(base + avail_off);
	q->used = (volatile struct virtq_used *)(base + used_off);
	q->avail_idx = q->last_used = 0;
	outl(io + REG_QUEUE_PFN, pa >> 12);
	return 0;
}

/* Give slot's two-descriptor chain to the device.  Free-running 16-bit
 * indices: the ring position is idx modulo the (power of two) size. */
static void
virtq_publish(struct virtq *q, uint16_t slot)
{
	q->avail->ring[q->avail_idx & (q->size - 1)] = 2 * slot;
	compiler_barrier();	/* the entry before the index that covers it */
	q->avail->idx = ++q->avail_idx;
}

/* "Notifying the device": unless it said it does not need to hear. */
static void
virtq_kick(struct virtq *q)
{
	full_barrier();
	if (!(q->used->flags & USED_F_NO_NOTIFY))
		outw(io + REG_QUEUE_NOTIFY, q->index);
}

/* Memory for nslots slots, two per page, and the fixed descriptor pairs.
 * Receive descriptors are device-writable; transmit ones are not. */
static int
slots_setup(struct virtq *q, uint16_t nslots, int device_writes)
{
	uint16_t i, flags = device_writes ? DESC_F_WRITE : 0;
	uint32_t pa = 0;
	uint8_t *mem;

	q->nslots = nslots;
	for (i = 0; i < nslots; i++) {
		if (i % (PAGE_SIZE / SLOT_SIZE) == 0 && !(pa = frame_alloc_zeroed()))
			return -ENOMEM;
		mem = (uint8_t *)P2V(pa) + (i % (PAGE_SIZE / SLOT_SIZE)) * SLOT_SIZE;
		q->slot_mem[i] = mem;
		q->desc[2 * i].addr = V2P(mem);
		q->desc[2 * i].len = NET_HDR_SIZE;
		q->desc[2 * i].flags = flags | DESC_F_NEXT;
		q->desc[2 * i].next = 2 * i + 1;
		q->desc[2 * i + 1].addr = V2P(mem + FRAME_OFFSET);
		q->desc[2 * i + 1].len = FRAME_ROOM;
		q->desc[2 * i + 1].flags = flags;
		q->desc[2 * i + 1].next = 0;
	}
	return 0;
}

/* A used-ring entry names a chain head; ours are always even and below
 * 2 * nslots.  Anything else is a device bug, counted, never trusted. */
static int
used_slot(struct virtq *q, uint32_t head)
{
	if (head & 1 || head / 2 >= q->nslots)
		return -1;
	return (int)(head / 2);
}

/* Take back every transmit slot the device has finished with, and wake
 * the senders waiting for one.  Called from the interrupt handler and by a
 * sender that finds the ring full (whichever comes first must wake). */
static int
reclaim_tx(void)
{
	volatile struct virtq_used_elem *e;
	int slot, freed = 0;

	while (txq.last_used != txq.used->idx) {
		compiler_barrier();	/* read the entry after the index */
		e = &txq.used->ring[txq.last_used & (txq.size - 1)];
		txq.last_used++;
		if ((slot = used_slot(&txq, e->id)) < 0 || tx_nfree == txq.nslots) {
			dev.stats.tx_errors++;
			continue;
		}
		dev.stats.tx_packets++;
		dev.stats.tx_bytes += tx_len[slot];
		tx_free[tx_nfree++] = (uint16_t)slot;
		freed++;
	}
	if (freed)
		wakeup(&tx_wait);
	return freed;
}

static int
virtio_transmit(struct netdev *d, const void *frame, uint32_t len, int may_sleep)
{
	uint16_t slot;
	uint8_t *mem;
	int r;

	if (len > ETH_FRAME_MAX || len < ETH_HLEN)
		return -EMSGSIZE;
	if (!d->link_up) {
		d->stats.tx_dropped++;
		return -ENETDOWN;
	}
	while (tx_nfree == 0 && reclaim_tx() == 0) {
		if (!may_sleep) {
			d->stats.tx_dropped++;
			return -EAGAIN;
		}
		d->stats.tx_waits++;
		if ((r = sleep_on(&tx_wait)) < 0)
			return r;
	}
	slot = tx_free[--tx_nfree];
	mem = txq.slot_mem[slot];
	memset(mem, 0, NET_HDR_SIZE);		/* no checksum offload, no GSO */
	memcpy(mem + FRAME_OFFSET, frame, len);
	if (len < ETH_MIN_FRAME) {		/* pad runts as a real NIC would */
		memset(mem + FRAME_OFFSET + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	txq.desc[2 * slot + 1].len = len;
	tx_len[slot] = (uint16_t)len;
	virtq_publish(&txq, slot);
	virtq_kick(&txq);
	return 0;
}

/* Hand every filled receive buffer up, then post it again at once:
 * buffers are recycled, never allocated on this path. */
static void
receive_all(void)
{
	/* LAB virtio: BEGIN receive */
	volatile struct virtq_used_elem *e;
	uint32_t len;
	int slot, reposted = 0;

	while (rxq.last_used != rxq.used->idx) {
		compiler_barrier();
		e = &rxq.used->ring[rxq.last_used & (rxq.size - 1)];
		rxq.last_used++;
		if ((slot = used_slot(&rxq, e->id)) < 0) {
			dev.stats.rx_errors++;
			continue;
		}
		len = e->len;
		if (len < NET_HDR_SIZE + ETH_HLEN || len > NET_HDR_SIZE + FRAME_ROOM) {
			dev.stats.rx_errors++;
		} else {
			len -= NET_HDR_SIZE;
			dev.stats.rx_packets++;
			dev.stats.rx_bytes += len;
			if (dev.receive)
				dev.receive(&dev, rxq.slot_mem[slot] + FRAME_OFFSET, len);
			else
				dev.stats.rx_dropped++;
		}
		virtq_publish(&rxq, (uint16_t)slot);
		reposted++;
	}
	if (reposted)
		virtq_kick(&rxq);
	/* LAB virtio: END receive */
}

static void
read_link_status(void)
{
	if (dev.features & NET_F_STATUS)
		dev.link_up = (inw(io + REG_NET_STATUS) & NET_S_LINK_UP) != 0;
	else
		dev.link_up = 1;	/* without the feature, always up */
}

/*
 * Reading the ISR status register acknowledges the interrupt and lowers
 * the (level-triggered) INTx line ("ISR status capability", legacy
 * notes).  Read it first: anything the device does afterwards raises the
 * line again, so no completion can slip between the two.  The rings are
 * checked whatever the ISR says, since the PCI line may be shared.
 */
static void
virtio_net_interrupt(void)
{
	uint8_t isr = inb(io + REG_ISR_STATUS);

	dev.stats.interrupts++;
	if (isr & ISR_CONFIG)
		read_link_status();
	reclaim_tx();
	receive_all();
}

static void
fail(const char *why)
{
	kprintf("virtio-net: %s\n", why);
	outb(io + REG_DEVICE_STATUS, STATUS_FAILED);
}

/* "Legacy Interface: Device Initialization" (3.1.2): reset,
 * ACKNOWLEDGE, DRIVER, features, queues, DRIVER_OK (a legacy device has
 * no FEATURES_OK step). */
void
virtio_net_init(void)
{
	struct pci_device *pd = pci_find(VIRTIO_VENDOR, VIRTIO_NET_LEGACY_ID, 0);
	uint32_t offered;
	uint16_t i;

	if (!pd) {
		if (pci_find(VIRTIO_VENDOR, VIRTIO_NET_MODERN_ID, 0))
			kprintf("virtio-net: device is modern-only (disable-legacy=on); "
			    "brinch needs the legacy interface: use disable-modern=on\n");
		return;
	}
	if (!(pd->info.bar[0] & PCI_BAR_IO)) {
		kprintf("virtio-net: BAR 0 is not an I/O BAR; legacy interface missing\n");
		return;
	}
	io = pd->info.bar[0] & ~3u;
	pci_enable(pd);

	outb(io + REG_DEVICE_STATUS, 0);			/* reset */
	outb(io + REG_DEVICE_STATUS, STATUS_ACKNOWLEDGE);
	outb(io + REG_DEVICE_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	offered = inl(io + REG_DEVICE_FEATURES);
	dev.features = offered & (NET_F_MAC | NET_F_STATUS);
	outl(io + REG_DRIVER_FEATURES, dev.features);

	if (virtq_setup(&rxq, RX_QUEUE) < 0 || virtq_setup(&txq, TX_QUEUE) < 0) {
		fail("cannot set up the virtqueues");
		return;
	}
	if (slots_setup(&rxq, MIN(rxq.size / 2, RX_SLOTS_MAX), 1) < 0 ||
	    slots_setup(&txq, MIN(txq.size / 2, TX_SLOTS_MAX), 0) < 0) {
		fail("out of memory for buffers");
		return;
	}
	for (i = 0; i < txq.nslots; i++)
		tx_free[i] = txq.nslots - 1 - i;
	tx_nfree = txq.nslots;
	wait_queue_init(&tx_wait, "net tx");
	for (i = 0; i < rxq.nslots; i++)
		virtq_publish(&rxq, i);

	if (dev.features & NET_F_MAC) {
		for (i = 0; i < ETH_ALEN; i++)
			dev.mac[i] = inb(io + REG_NET_MAC + i);
	} else {
		static const uint8_t fallback[ETH_ALEN] = { 0x52, 0x54, 0x00, 0xbb, 0, 1 };
		memcpy(dev.mac, fallback, ETH_ALEN);	/* locally administered */
	}
	dev.driver = "virtio-net";
	dev.mtu = ETH_MTU;
	dev.pci_location = pd->info.bus << 16 | pd->info.device << 8 | pd->info.function;
	dev.irq = pd->info.irq_line;
	dev.io_base = io;
	dev.rx_ring = rxq.nslots;
	dev.tx_ring = txq.nslots;
	dev.transmit = virtio_transmit;
	read_link_status();

	if (dev.irq == 0 || dev.irq >= 16 || dev.irq == 2) {
		fail("no usable interrupt line");
		return;
	}
	irq_register(dev.irq, virtio_net_interrupt);
	outb(io + REG_DEVICE_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
	virtq_kick(&rxq);		/* the receive buffers are there */
	kprintf("brinch: net: virtio-net at pci %02x:%02x.%x io %#x irq %u, "
	    "mac %02x:%02x:%02x:%02x:%02x:%02x, queues %u/%u, link %s\n",
	    pd->info.bus, pd->info.device, pd->info.function, io, dev.irq,
	    dev.mac[0], dev.mac[1], dev.mac[2], dev.mac[3], dev.mac[4], dev.mac[5],
	    rxq.size, txq.size, dev.link_up ? "up" : "down");
	netdev_register(&dev);
}
