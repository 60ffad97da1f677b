/* What the loader tells us: command line and memory size. */
#include "rt.h"

#define MB_BOOT_MAGIC	0x2BADB002
#define MB_INFO_MEM	(1u << 0)
#define MB_INFO_CMDLINE	(1u << 2)
#define PVH_MAGIC	0x336ec578
#define E820_RAM	1

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

extern char _end[];

struct pvh_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist, cmdline, rsdp, memmap;
	uint32_t memmap_entries, reserved;
};

struct pvh_mem {
	uint64_t addr, size;
	uint32_t type, reserved;
};

static void
from_multiboot(const struct mb_info *mb, struct bootinfo *bi)
{
	if (mb->flags & MB_INFO_CMDLINE)
		bi->cmdline = (const char *)mb->cmdline;
	if (mb->flags & MB_INFO_MEM)
		bi->memtop = 0x100000 + mb->mem_upper * 1024;
}

static void
from_pvh(const struct pvh_info *pi, struct bootinfo *bi)
{
	const struct pvh_mem *m;
	uint32_t i;

	if (pi->cmdline != 0)
		bi->cmdline = (const char *)(uint32_t)pi->cmdline;
	if (pi->version < 1 || pi->memmap == 0)
		return;
	m = (const struct pvh_mem *)(uint32_t)pi->memmap;
	for (i = 0; i < pi->memmap_entries; i++)
		if (m[i].type == E820_RAM && m[i].addr <= 0x100000 &&
		    m[i].addr + m[i].size > 0x100000)
			bi->memtop = (uint32_t)(m[i].addr + m[i].size);
}

void
boot_parse(uint32_t magic, uint32_t info, struct bootinfo *bi)
{
	bi->cmdline = NULL;
	bi->memtop = 16u << 20;
	bi->module = 0;
	bi->module_len = 0;
	bi->free = (uintptr_t)_end;
	bi->words = NULL;
	if (magic == MB_BOOT_MAGIC)
		from_multiboot((const struct mb_info *)info, bi);
	else if (magic == PVH_MAGIC)
		from_pvh((const struct pvh_info *)info, bi);
	if (bi->memtop > 0xC0000000u)
		bi->memtop = 0xC0000000u;
}
