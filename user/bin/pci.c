/*
 * pci: list the PCI functions the kernel found at boot (drivers/pci.c),
 * one per line: location, vendor:device, class, interrupt, and the
 * address ranges each BAR decodes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <brinch.h>

#define MAX_FUNCS	64

/* A few class codes by name (PCI Code and ID Assignment Spec). */
static const char *
class_name(const struct pci_info *p)
{
	if (p->vendor_id == 0x1AF4 && (p->device_id == 0x1000 || p->device_id == 0x1041))
		return "virtio network";
	switch (p->class_code) {
	case 0x01: return "storage";
	case 0x02: return "network";
	case 0x03: return "display";
	case 0x06:
		switch (p->subclass) {
		case 0x00: return "host bridge";
		case 0x01: return "ISA bridge";
		case 0x04: return "PCI bridge";
		}
		return "bridge";
	case 0x0C: return "serial bus";
	}
	return "other";
}

static void
print_size(uint32_t bytes)
{
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
		printf("%uM", (unsigned)(bytes >> 20));
	else if (bytes >= 1024 && bytes % 1024 == 0)
		printf("%uK", (unsigned)(bytes >> 10));
	else
		printf("%u", (unsigned)bytes);
}

int
main(void)
{
	static struct pci_info funcs[MAX_FUNCS];
	int n, i, b;

	if ((n = pci_list(funcs, MAX_FUNCS)) < 0) {
		dprintf(2, "pci: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct pci_info *p = &funcs[i];

		printf("%02x:%02x.%x %04x:%04x class %02x.%02x.%02x rev %02x %-15s",
		    p->bus, p->device, p->function, p->vendor_id, p->device_id,
		    p->class_code, p->subclass, p->prog_if, p->revision, class_name(p));
		if (p->irq_pin)
			printf(" irq %u (INT%c#)", p->irq_line, 'A' + p->irq_pin - 1);
		for (b = 0; b < 6; b++) {
			if (!p->bar_size[b])
				continue;
			if (p->bar[b] & 1)
				printf(" bar%d io %#x/", b, (unsigned)(p->bar[b] & ~3u));
			else
				printf(" bar%d mem %#x/", b, (unsigned)(p->bar[b] & ~0xFu));
			print_size(p->bar_size[b]);
		}
		printf("\n");
	}
	return 0;
}
