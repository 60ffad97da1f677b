/* GDT, IDT and the 8259 PICs: enough to take faults and IRQs. */
#include "rt.h"
#include "io.h"

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

struct dtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt, iomap;
};

#define SEL_TSS		0x18
#define SEL_PFTSS	0x20
#define SEL_DFTSS	0x28

static uint64_t gdt[6] = {
	0,
	0x00CF9A000000FFFFull,	/* 0x08: flat 32-bit code */
	0x00CF92000000FFFFull,	/* 0x10: flat data */
	0,			/* 0x18: the running task */
	0,			/* 0x20: the page-fault task */
	0,			/* 0x28: the double-fault task */
};
static struct idt_gate idt[48];
static struct tss tss, pftss, dftss;
static uint8_t pfstack[8192] __attribute__((aligned(16)));
static uint8_t dfstack[8192] __attribute__((aligned(16)));
extern void pf_entry(void), df_entry(void);
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

static uint64_t
tss_desc(struct tss *t)
{
	uint64_t base = (uint32_t)t, limit = sizeof(*t) - 1;

	return (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 |
	    0x89ull << 40 | (base >> 24) << 56;
}

/* Page and double faults (say, the stack ran into its guard page) run
 * as tasks of their own on stacks of their own, so they can report. */
void
pf_task(uint32_t err)
{
	fault_report(14, err, tss.eip, tss.esp);
}

void
df_task(uint32_t err)
{
	fault_report(8, err, tss.eip, tss.esp);
}

static void
task_init(struct tss *t, void (*entry)(void), uint8_t *stack, size_t len)
{
	__asm__ volatile("movl %%cr3, %0" : "=r"(t->cr3));
	t->eip = (uint32_t)entry;
	t->esp = (uint32_t)(stack + len);
	t->eflags = 0x2;
	t->cs = 0x08;
	t->es = t->ss = t->ds = t->fs = t->gs = 0x10;
	t->iomap = sizeof(struct tss);
}

static void
tss_load(void)
{
	task_init(&pftss, pf_entry, pfstack, sizeof(pfstack));
	task_init(&dftss, df_entry, dfstack, sizeof(dfstack));
	tss.iomap = sizeof(struct tss);
	gdt[SEL_TSS / 8] = tss_desc(&tss);
	gdt[SEL_PFTSS / 8] = tss_desc(&pftss);
	gdt[SEL_DFTSS / 8] = tss_desc(&dftss);
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

static void
task_gate(int vec, uint16_t sel)
{
	idt[vec].off_lo = idt[vec].off_hi = 0;
	idt[vec].sel = sel;
	idt[vec].type = 0x85;	/* present, task gate */
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
	task_gate(8, SEL_DFTSS);
	task_gate(14, SEL_PFTSS);
	__asm__ volatile("lidt %0" : : "m"(d));
}

void
cpu_init(void)
{
	gdt_load();
	tss_load();
	idt_load();
	lapic_init();
	pic_init();
}

void
cpu_idle(void)
{
	sti_hlt();
}

void
isr_dispatch(struct frame *f)
{
	if (f->vec < IRQ_BASE)
		fault(f);
	else
		irq(f->vec - IRQ_BASE);
}
