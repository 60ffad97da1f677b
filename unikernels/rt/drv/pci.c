/* PCI configuration space through ports 0xCF8/0xCFC (mechanism #1):
 * find a function by vendor and device id on bus 0. */
#include "rt.h"
#include "../arch/x86_64/io.h"

#define CONFIG_ADDR	0xCF8
#define CONFIG_DATA	0xCFC

uint32_t
pci_read(uint32_t bdf, uint8_t off)
{
	outl(CONFIG_ADDR, 0x80000000u | bdf << 8 | (off & 0xFC));
	return inl(CONFIG_DATA);
}

void
pci_write(uint32_t bdf, uint8_t off, uint32_t v)
{
	outl(CONFIG_ADDR, 0x80000000u | bdf << 8 | (off & 0xFC));
	outl(CONFIG_DATA, v);
}

/* Bus 0 only: QEMU's pc machine puts every device there. */
int
pci_find(uint16_t vendor, uint16_t device, uint32_t *bdf)
{
	uint32_t dev, fn, id;

	for (dev = 0; dev < 32; dev++)
		for (fn = 0; fn < 8; fn++) {
			id = pci_read(dev << 3 | fn, 0);
			if (id == 0xFFFFFFFFu) {
				if (fn == 0)
					break;
				continue;
			}
			if ((id & 0xFFFF) == vendor && id >> 16 == device) {
				*bdf = dev << 3 | fn;
				return 0;
			}
		}
	return -1;
}
