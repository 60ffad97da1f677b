/*
 * The kernel's map: RAM from physical 0 at KBASE (2 MiB pages, but 4 KiB
 * ones over the kernel image so that page 0 and the stack's guard are
 * absent), the APICs at the top; the lower half is the program's, its
 * page tables built on demand from frames (kern/frames.c).
 */
#include "rt.h"

#define PG_P	0x001ull
#define PG_W	0x002ull
#define PG_U	0x004ull
#define PG_PCD	0x010ull
#define PG_PS	0x080ull
#define PG_NX	(1ull << 63)
#define PG_ADDR	0x000ffffffffff000ull
#define SMALL	4		/* MiB mapped by 4 KiB pages */

static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[SMALL / 2][512] __attribute__((aligned(4096)));
static uint64_t mmio[512] __attribute__((aligned(4096)));

extern char stack_guard[], _end[];

void *
phys_to_virt(uintptr_t pa)
{
	return (void *)(pa + KBASE);
}

uintptr_t
virt_to_phys(const void *p)
{
	return (uintptr_t)p - KBASE;
}

static uint64_t
table(const void *t)
{
	return virt_to_phys(t) | PG_P | PG_W;
}

void
paging_init(uintptr_t memtop)
{
	uintptr_t pa, guard = virt_to_phys(stack_guard);
	unsigned i;

	if (virt_to_phys(_end) > (SMALL << 20))
		rt_crash("boot", "fleetrt: kernel image past %d MiB\n", SMALL);
	for (pa = 4096; pa < (SMALL << 20); pa += 4096)
		if (pa != guard)
			pt[pa >> 21][(pa >> 12) & 511] = pa | PG_P | PG_W;
	for (i = 0; i < SMALL / 2; i++)
		pd[i] = table(pt[i]);
	for (pa = SMALL << 20; pa < memtop && pa < (1ull << 30); pa += 2 << 20)
		pd[pa >> 21] = pa | PG_P | PG_W | PG_PS;
	mmio[0] = 0xFEC00000ull | PG_P | PG_W | PG_PS | PG_PCD | PG_NX;
	mmio[1] = 0xFEE00000ull | PG_P | PG_W | PG_PS | PG_PCD | PG_NX;
	pdpt[510] = table(pd);
	pdpt[511] = table(mmio);
	pml4[511] = table(pdpt);
	__asm__ volatile("movq %0, %%cr3" : : "r"(virt_to_phys(pml4))
	    : "memory");
}

static void
flush(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* The page-table entry for user address va; with make, the tables on
 * the way are created (NULL if no frame was left for one). */
static uint64_t *
entry(uintptr_t va, int make)
{
	uint64_t *t = pml4;
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];

		if (!(*e & PG_P)) {
			uintptr_t f;

			if (!make || (f = frame_alloc()) == 0)
				return NULL;
			*e = f | PG_P | PG_W | PG_U;
		}
		t = phys_to_virt(*e & PG_ADDR);
	}
	return &t[(va >> 12) & 511];
}

static uint64_t
bits(int prot)
{
	uint64_t b = PG_P | PG_U;

	if (prot & PROT_WRITE)
		b |= PG_W;
	if (!(prot & PROT_EXEC))
		b |= PG_NX;
	return b;
}

/* Map frame pa at user address va; -1 when a page table cannot be had. */
int
pt_map(uintptr_t va, uintptr_t pa, int prot)
{
	uint64_t *e = entry(va, 1), was;

	if (e == NULL)
		return -1;
	was = *e;
	*e = pa | bits(prot);
	if (was & PG_P)		/* the TLB holds no entry that was absent */
		flush(va);
	return 0;
}

/* The frame mapped at va, 0 for none. */
uintptr_t
pt_lookup(uintptr_t va)
{
	uint64_t *e = entry(va, 0);

	return e != NULL && (*e & PG_P) ? (uintptr_t)(*e & PG_ADDR) : 0;
}

/* Unmap va; returns the frame that was there, 0 for none. */
uintptr_t
pt_unmap(uintptr_t va)
{
	uint64_t *e = entry(va, 0);
	uintptr_t pa;

	if (e == NULL || !(*e & PG_P))
		return 0;
	pa = *e & PG_ADDR;
	*e = 0;
	flush(va);
	return pa;
}

/* New protection for a mapped page; 0 if nothing is mapped there. */
int
pt_protect(uintptr_t va, int prot)
{
	uint64_t *e = entry(va, 0);

	if (e == NULL || !(*e & PG_P))
		return 0;
	*e = (*e & PG_ADDR) | bits(prot);
	flush(va);
	return 1;
}
