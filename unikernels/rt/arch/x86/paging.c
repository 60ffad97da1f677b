/* Identity map RAM with page 0 absent, so NULL dereferences fault. */
#include "rt.h"

#define PG_P	0x001
#define PG_W	0x002
#define PG_PS	0x080

static uint32_t pdir[1024] __attribute__((aligned(4096)));
static uint32_t ptab[1024] __attribute__((aligned(4096)));

void
paging_init(uint32_t memtop)
{
	uint32_t i, cr;

	for (i = 1; i < 1024; i++)
		ptab[i] = (i << 12) | PG_P | PG_W;
	pdir[0] = (uint32_t)ptab | PG_P | PG_W;
	for (i = 1; i < 1024 && (i << 22) < memtop; i++)
		pdir[i] = (i << 22) | PG_P | PG_W | PG_PS;
	__asm__ volatile("movl %%cr4, %0" : "=r"(cr));
	cr |= 0x10;	/* PSE: 4 MiB pages */
	__asm__ volatile("movl %0, %%cr4" : : "r"(cr));
	__asm__ volatile("movl %0, %%cr3" : : "r"(pdir) : "memory");
	__asm__ volatile("movl %%cr0, %0" : "=r"(cr));
	cr |= 0x80010000;	/* PG, WP */
	__asm__ volatile("movl %0, %%cr0" : : "r"(cr) : "memory");
}
