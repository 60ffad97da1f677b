/* Identity map RAM with page 0 absent, so NULL dereferences fault, and
 * the page below the stack absent, so an overflow does. */
#include "rt.h"

#define PG_P	0x001
#define PG_W	0x002
#define PG_PCD	0x010
#define PG_PS	0x080
#define APICS	0xFEC00000u	/* I/O APIC and local APIC, one 4 MiB page */

static uint32_t pdir[1024] __attribute__((aligned(4096)));
static uint32_t ptab[1024] __attribute__((aligned(4096)));

extern char stack_guard[];

void *
phys_to_virt(uintptr_t pa)
{
	return (void *)pa;
}

uintptr_t
virt_to_phys(const void *p)
{
	return (uintptr_t)p;
}

void
paging_init(uintptr_t memtop)
{
	uint32_t i, cr;

	for (i = 1; i < 1024; i++)
		ptab[i] = (i << 12) | PG_P | PG_W;
	ptab[(uint32_t)stack_guard >> 12] = 0;
	pdir[0] = (uint32_t)ptab | PG_P | PG_W;
	for (i = 1; i < 1024 && (i << 22) < memtop; i++)
		pdir[i] = (i << 22) | PG_P | PG_W | PG_PS;
	pdir[APICS >> 22] = APICS | PG_P | PG_W | PG_PS | PG_PCD;
	__asm__ volatile("movl %%cr4, %0" : "=r"(cr));
	cr |= 0x10;	/* PSE: 4 MiB pages */
	__asm__ volatile("movl %0, %%cr4" : : "r"(cr));
	__asm__ volatile("movl %0, %%cr3" : : "r"(pdir) : "memory");
	__asm__ volatile("movl %%cr0, %0" : "=r"(cr));
	cr |= 0x80010000;	/* PG, WP */
	__asm__ volatile("movl %0, %%cr0" : : "r"(cr) : "memory");
}
