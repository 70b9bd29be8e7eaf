/*
 * PCI enumeration (see pci.h).  Configuration mechanism #1: write the
 * address of a configuration register to port 0xCF8, then read or write
 * its value at 0xCFC.  The scan starts at bus 0 and follows PCI-to-PCI
 * bridges to their secondary buses, the "recursive scan" of the OSDev wiki.
 */
#include "kernel.h"
#include "x86.h"
#include "pci.h"

#define CONFIG_ADDRESS	0xCF8
#define CONFIG_DATA	0xCFC
#define CONFIG_ENABLE	0x80000000u

#define CLASS_BRIDGE		0x06
#define SUBCLASS_PCI_BRIDGE	0x04
#define HEADER_MULTIFUNCTION	0x80
#define HEADER_TYPE_MASK	0x7F

static struct pci_device devices[PCI_MAX_DEVICES];
static int ndevices;
static uint8_t bus_seen[256 / 8];	/* a bogus bridge must not loop us */

/* Bit 31 enables the access; the register number's low two bits must
 * be zero: configuration space is read in aligned 32-bit words. */
static uint32_t
config_address(uint8_t bus, uint8_t dev, uint8_t func, uint8_t offset)
{
	return CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)(dev & 31) << 11 |
	    (uint32_t)(func & 7) << 8 | (offset & 0xFC);
}

static uint32_t
config_read32(uint8_t bus, uint8_t dev, uint8_t func, uint8_t offset)
{
	outl(CONFIG_ADDRESS, config_address(bus, dev, func, offset));
	return inl(CONFIG_DATA);
}

static void
config_write32(uint8_t bus, uint8_t dev, uint8_t func, uint8_t offset, uint32_t v)
{
	outl(CONFIG_ADDRESS, config_address(bus, dev, func, offset));
	outl(CONFIG_DATA, v);
}

/* Narrower reads pick their bytes out of the containing word. */
static uint16_t
config_read16(uint8_t bus, uint8_t dev, uint8_t func, uint8_t offset)
{
	return config_read32(bus, dev, func, offset) >> ((offset & 2) * 8);
}

static uint8_t
config_read8(uint8_t bus, uint8_t dev, uint8_t func, uint8_t offset)
{
	return config_read32(bus, dev, func, offset) >> ((offset & 3) * 8);
}

uint32_t
pci_read32(const struct pci_device *d, uint8_t offset)
{
	return config_read32(d->info.bus, d->info.device, d->info.function, offset);
}

uint16_t
pci_read16(const struct pci_device *d, uint8_t offset)
{
	return config_read16(d->info.bus, d->info.device, d->info.function, offset);
}

uint8_t
pci_read8(const struct pci_device *d, uint8_t offset)
{
	return config_read8(d->info.bus, d->info.device, d->info.function, offset);
}

/* A 16-bit write is a read-modify-write of the containing word. */
void
pci_write16(const struct pci_device *d, uint8_t offset, uint16_t value)
{
	uint32_t word = pci_read32(d, offset);
	int shift = (offset & 2) * 8;

	word = (word & ~(0xFFFFu << shift)) | (uint32_t)value << shift;
	config_write32(d->info.bus, d->info.device, d->info.function, offset, word);
}

void
pci_enable(const struct pci_device *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	cmd &= ~PCI_COMMAND_INTX_OFF;
	pci_write16(d, PCI_COMMAND, cmd);
}

/*
 * How much address space a BAR decodes: write all ones, read back which
 * bits stuck (the low ones cannot be set), restore.  Decoding is switched
 * off meanwhile so the device never answers at the all-ones address.
 * A 64-bit memory BAR uses the next slot for its high half: we only map
 * 32-bit addresses, so that slot is reported as unused.
 */
static void
size_bars(struct pci_device *d, int nbars)
{
	struct pci_info *in = &d->info;
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	uint32_t orig, probe, mask;
	int i;

	pci_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (i = 0; i < nbars; i++) {
		uint8_t reg = PCI_BAR0 + 4 * i;

		orig = pci_read32(d, reg);
		config_write32(in->bus, in->device, in->function, reg, 0xFFFFFFFF);
		probe = pci_read32(d, reg);
		config_write32(in->bus, in->device, in->function, reg, orig);
		in->bar[i] = orig;
		if (probe == 0 || probe == 0xFFFFFFFF) {
			in->bar_size[i] = 0;
			continue;
		}
		if (orig & PCI_BAR_IO) {
			mask = (probe & ~3u) | 0xFFFF0000u;	/* 16-bit port space */
		} else {
			mask = probe & ~0xFu;
		}
		in->bar_size[i] = ~mask + 1;
		if (!(orig & PCI_BAR_IO) && ((orig >> 1) & 3) == 2 && i + 1 < nbars) {
			i++;		/* the upper half of a 64-bit BAR */
			in->bar[i] = pci_read32(d, PCI_BAR0 + 4 * i);
			in->bar_size[i] = 0;
		}
	}
	pci_write16(d, PCI_COMMAND, cmd);
}

static void scan_bus(uint8_t bus);

static void
add_function(uint8_t bus, uint8_t dev, uint8_t func)
{
	struct pci_device *d;
	struct pci_info *in;
	int type;

	if (ndevices == PCI_MAX_DEVICES) {
		kprintf("pci: more than %d functions; ignoring %02x:%02x.%x\n",
		    PCI_MAX_DEVICES, bus, dev, func);
		return;
	}
	d = &devices[ndevices++];
	in = &d->info;
	memset(in, 0, sizeof(*in));
	in->bus = bus;
	in->device = dev;
	in->function = func;
	in->vendor_id = config_read16(bus, dev, func, PCI_VENDOR_ID);
	in->device_id = config_read16(bus, dev, func, PCI_DEVICE_ID);
	in->revision = config_read8(bus, dev, func, PCI_REVISION);
	in->prog_if = config_read8(bus, dev, func, PCI_PROG_IF);
	in->subclass = config_read8(bus, dev, func, PCI_SUBCLASS);
	in->class_code = config_read8(bus, dev, func, PCI_CLASS);
	in->header_type = config_read8(bus, dev, func, PCI_HEADER_TYPE);
	in->irq_line = config_read8(bus, dev, func, PCI_INTERRUPT_LINE);
	in->irq_pin = config_read8(bus, dev, func, PCI_INTERRUPT_PIN);
	type = in->header_type & HEADER_TYPE_MASK;
	if (type == 0)
		size_bars(d, 6);
	else if (type == 1)
		size_bars(d, 2);
	if (in->class_code == CLASS_BRIDGE && in->subclass == SUBCLASS_PCI_BRIDGE)
		scan_bus(config_read8(bus, dev, func, PCI_SECONDARY_BUS));
}

/* A vendor id of 0xFFFF means nothing answered at that address. */
static void
scan_device(uint8_t bus, uint8_t dev)
{
	uint8_t func, nfuncs;

	if (config_read16(bus, dev, 0, PCI_VENDOR_ID) == 0xFFFF)
		return;
	nfuncs = config_read8(bus, dev, 0, PCI_HEADER_TYPE) & HEADER_MULTIFUNCTION ? 8 : 1;
	for (func = 0; func < nfuncs; func++)
		if (config_read16(bus, dev, func, PCI_VENDOR_ID) != 0xFFFF)
			add_function(bus, dev, func);
}

static void
scan_bus(uint8_t bus)
{
	uint8_t dev;

	if (bus_seen[bus / 8] & (1 << (bus % 8)))
		return;
	bus_seen[bus / 8] |= 1 << (bus % 8);
	for (dev = 0; dev < 32; dev++)
		scan_device(bus, dev);
}

void
pci_init(void)
{
	ndevices = 0;
	memset(bus_seen, 0, sizeof(bus_seen));
	scan_bus(0);
	kprintf("brinch: pci: %d functions\n", ndevices);
}

int
pci_count(void)
{
	return ndevices;
}

struct pci_device *
pci_get(int index)
{
	return index >= 0 && index < ndevices ? &devices[index] : NULL;
}

struct pci_device *
pci_find(uint16_t vendor, uint16_t device, int index)
{
	int i;

	for (i = 0; i < ndevices; i++)
		if (devices[i].info.vendor_id == vendor &&
		    devices[i].info.device_id == device && index-- == 0)
			return &devices[i];
	return NULL;
}
