/* GDT with ring 3 segments, a TSS whose IST stacks take page and double
 * faults, IDT, the `syscall` MSRs, SSE, the local APIC, 8259 PICs. */
#include "rt.h"
#include "io.h"

#define SEL_KCODE	0x08
#define SEL_KDATA	0x10
#define SEL_TSS		0x28

#define MSR_EFER	0xC0000080u
#define MSR_STAR	0xC0000081u
#define MSR_LSTAR	0xC0000082u
#define MSR_FMASK	0xC0000084u

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t ist[8];	/* ist[0] unused: IST indices start at 1 */
	uint64_t reserved1;
	uint16_t reserved2, iomap;
} __attribute__((packed));

static uint64_t gdt[7] = {
	0,
	0x00AF9A000000FFFFull,	/* 0x08: kernel code */
	0x00CF92000000FFFFull,	/* 0x10: kernel data */
	0x00CFF2000000FFFFull,	/* 0x18: user data */
	0x00AFFA000000FFFFull,	/* 0x20: user code */
	0, 0,			/* 0x28: the TSS, 16 bytes */
};
static struct idt_gate idt[48];
static struct tss tss;
static uint8_t pfstack[16384] __attribute__((aligned(16)));
static uint8_t dfstack[8192] __attribute__((aligned(16)));
extern const uint64_t isr_table[48];
extern char stack_top[];
extern void syscall_entry(void);

static void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
	    "d"((uint32_t)(v >> 32)));
}

static uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

void
cpu_set_fs(uint64_t base)
{
	wrmsr(0xC0000100u, base);
}

static void
gdt_load(void)
{
	struct dtr d = { sizeof(gdt) - 1, (uint64_t)gdt };
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[SEL_TSS / 8] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 |
	    0x89ull << 40 | ((base >> 24) & 0xFF) << 56;
	gdt[SEL_TSS / 8 + 1] = base >> 32;
	tss.rsp[0] = (uint64_t)stack_top;
	tss.ist[1] = (uint64_t)(dfstack + sizeof(dfstack));
	tss.ist[2] = (uint64_t)(pfstack + sizeof(pfstack));
	tss.iomap = sizeof(tss);
	__asm__ volatile("lgdt %0\n\t"
	    "pushq $0x08\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\tmovw $0x10, %%ax\n\t"
	    "movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
	    "ltr %w1"
	    : : "m"(d), "r"(SEL_TSS) : "rax", "memory");
}

static void
idt_load(void)
{
	struct dtr d = { sizeof(idt) - 1, (uint64_t)idt };
	int i;

	for (i = 0; i < 48; i++) {
		uint64_t a = isr_table[i];

		idt[i].off_lo = a & 0xFFFF;
		idt[i].off_mid = (a >> 16) & 0xFFFF;
		idt[i].off_hi = a >> 32;
		idt[i].sel = SEL_KCODE;
		idt[i].type = 0x8E;	/* present, ring 0, interrupt gate */
	}
	idt[8].ist = 1;
	idt[14].ist = 2;
	__asm__ volatile("lidt %0" : : "m"(d));
}

/* syscall enters at syscall_entry with IF, DF, TF and AC cleared; the
 * way back is iretq, so STAR's sysret half is unused. */
static void
syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);
	wrmsr(MSR_STAR, (uint64_t)SEL_KCODE << 32 | (uint64_t)0x10 << 48);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, 0x47700);
}

/* The program's libc uses SSE: x87 and SSE on, FXSAVE-format state. */
static void
sse_init(void)
{
	uint64_t cr;

	__asm__ volatile("movq %%cr0, %0" : "=r"(cr));
	cr &= ~(uint64_t)0x4;	/* EM */
	cr |= 0x22;		/* MP, NE */
	__asm__ volatile("movq %0, %%cr0" : : "r"(cr));
	__asm__ volatile("movq %%cr4, %0" : "=r"(cr));
	cr |= 0x600;		/* OSFXSR, OSXMMEXCPT */
	__asm__ volatile("movq %0, %%cr4" : : "r"(cr));
	__asm__ volatile("fninit");
}

void
cpu_init(void)
{
	gdt_load();
	idt_load();
	syscall_init();
	sse_init();
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
		irq((int)f->vec - IRQ_BASE);
}
