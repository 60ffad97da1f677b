/* The 8259 PICs above the CPU exceptions, the local APIC passing their
 * line through, and what each IRQ does. */
#include "rt.h"
#include "../arch/x86_64/io.h"

#define PIC1	0x20
#define PIC2	0xA0

/* Remap the PICs above the CPU exceptions; unmask timer, COM1, COM2. */
void
pic_init(void)
{
	outb(PIC1, 0x11);
	outb(PIC2, 0x11);
	outb(PIC1 + 1, IRQ_BASE);
	outb(PIC2 + 1, IRQ_BASE + 8);
	outb(PIC1 + 1, 4);
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);
	outb(PIC2 + 1, 1);
	outb(PIC1 + 1, (uint8_t)~((1 << 0) | (1 << 3) | (1 << 4)));
	outb(PIC2 + 1, 0xFF);
}

/* Let IRQ n through (a PCI device's line, found at run time). */
void
pic_unmask(int n)
{
	if (n >= 8) {
		outb(PIC2 + 1, inb(PIC2 + 1) & (uint8_t)~(1 << (n - 8)));
		n = 2;	/* the cascade */
	}
	outb(PIC1 + 1, inb(PIC1 + 1) & (uint8_t)~(1 << n));
}

/* SeaBIOS leaves the local APIC passing the 8259's line through
 * (LINT0 as ExtINT), qboot does not: do it here, whoever booted us. */
#define LAPIC_SVR	0xF0
#define LAPIC_LINT0	0x350
#define LAPIC_LINT1	0x360

static void
lapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC_VA + reg) = v;
}

void
lapic_init(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
	if (!(d & (1u << 9)))
		return;
	lapic_write(LAPIC_SVR, 0x100 | (IRQ_BASE + 15));
	lapic_write(LAPIC_LINT0, 0x700);	/* ExtINT, unmasked */
	lapic_write(LAPIC_LINT1, 0x400);	/* NMI */
}

void
irq(int n)
{
	if (n >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
	if (n == 0) {
		clock_tick();
		if (acpi_poll() && ctl_sig == 0)
			ctl_sig = 15;	/* the power button: SIGTERM */
	}
	else if (n == 3 || n == 4)
		uart_irq();
	if (n != 0 && n == vcons_irq_line())
		vcons_irq();
	ctl_poll();
	rt_check_signal();
}
