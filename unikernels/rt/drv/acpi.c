/* Power-off through the PIIX4 power-management block (QEMU pc), and its
 * power button (virDomainShutdown, system_powerdown) as a SIGTERM. */
#include "rt.h"
#include "../arch/x86_64/io.h"

#define PCI_ADDR	0xCF8
#define PCI_DATA	0xCFC
#define PIIX4_PM	(0x80000000u | (1u << 11) | (3u << 8))	/* 00:01.3 */
#define PIIX4_ID	0x71138086u
#define PM_BASE		0x600
#define PM1A_STS	PM_BASE
#define PM1A_EN		(PM_BASE + 2)
#define PM1A_CNT	(PM_BASE + 4)
#define PWRBTN		0x0100
#define SLP_EN		0x2000

static int piix4;

/* Firmware normally sets the PM base; make sure, whichever firmware. */
void
acpi_init(void)
{
	uint32_t v;

	outl(PCI_ADDR, PIIX4_PM);
	if (inl(PCI_DATA) != PIIX4_ID)
		return;
	piix4 = 1;
	outl(PCI_ADDR, PIIX4_PM | 0x40);
	outl(PCI_DATA, PM_BASE | 1);
	outl(PCI_ADDR, PIIX4_PM | 0x80);
	v = inl(PCI_DATA);
	outl(PCI_ADDR, PIIX4_PM | 0x80);
	outl(PCI_DATA, v | 1);
	outw(PM1A_STS, PWRBTN);
	outw(PM1A_EN, PWRBTN);
}

/* From the timer: 1 once the power button was pressed. Its SCI stays
 * masked at the PIC; polling is enough. */
int
acpi_poll(void)
{
	if (!piix4 || !(inw(PM1A_STS) & PWRBTN))
		return 0;
	outw(PM1A_STS, PWRBTN);
	return 1;
}

/* If the power-off port does nothing, triple-fault: a reset at least
 * ends a VM run with -no-reboot or on_reboot=destroy. */
void
acpi_poweroff(void)
{
	static const struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) none = { 0, 0 };
	int i;

	if (piix4) {
		outw(PM1A_CNT, SLP_EN);
		for (i = 0; i < 10; i++)
			cpu_idle();
	}
	__asm__ volatile("lidt %0; int3" : : "m"(none));
	for (;;)
		__asm__ volatile("cli; hlt");
}
