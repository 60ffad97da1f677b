/* GDT, IDT and the 8259 PICs: enough to take faults and IRQs. */
#include "rt.h"
#include "io.h"

#define PIC1	0x20
#define PIC2	0xA0
#define IRQ_BASE	32

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

struct dtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static uint64_t gdt[3] = {
	0,
	0x00CF9A000000FFFFull,	/* 0x08: flat 32-bit code */
	0x00CF92000000FFFFull,	/* 0x10: flat data */
};
static struct idt_gate idt[48];
extern const uint32_t isr_table[48];

static void
gdt_load(void)
{
	struct dtr d = { sizeof(gdt) - 1, (uint32_t)gdt };

	__asm__ volatile("lgdt %0\n\t"
	    "ljmp $0x08, $1f\n"
	    "1:\tmovw $0x10, %%ax\n\t"
	    "movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
	    "movw %%ax, %%fs\n\tmovw %%ax, %%gs"
	    : : "m"(d) : "eax", "memory");
}

static void
idt_load(void)
{
	struct dtr d = { sizeof(idt) - 1, (uint32_t)idt };
	int i;

	for (i = 0; i < 48; i++) {
		idt[i].off_lo = isr_table[i] & 0xFFFF;
		idt[i].off_hi = isr_table[i] >> 16;
		idt[i].sel = 0x08;
		idt[i].type = 0x8E;	/* present, ring 0, interrupt gate */
	}
	__asm__ volatile("lidt %0" : : "m"(d));
}

/* Remap the PICs above the CPU exceptions; unmask timer, COM1, COM2. */
static void
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

void
cpu_init(void)
{
	gdt_load();
	idt_load();
	pic_init();
}

void
cpu_idle(void)
{
	sti_hlt();
}

static void
irq(int n)
{
	if (n >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
	if (n == 0)
		clock_tick();
	else if (n == 3 || n == 4)
		uart_irq();
	ctl_poll();
	rt_check_signal();
}

void
isr_dispatch(struct frame *f)
{
	if (f->vec < IRQ_BASE)
		fault(f);
	else
		irq(f->vec - IRQ_BASE);
}
