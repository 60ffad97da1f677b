/* What the multiboot loader tells us: command line, memory size, the
 * program's boot module, and where free memory starts past all that. */
#include <string.h>
#include "rt.h"

#define MB_BOOT_MAGIC	0x2BADB002
#define MB_INFO_MEM	(1u << 0)
#define MB_INFO_CMDLINE	(1u << 2)
#define MB_INFO_MODS	(1u << 3)
#define DIRECT_MAX	(1ull << 30)	/* paging.c maps the first GiB */

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

extern char _end[];

static void
past(struct bootinfo *bi, uintptr_t end)
{
	end = (end + 4095) & ~(uintptr_t)4095;
	if (end > bi->free)
		bi->free = end;
}

static uintptr_t
string_end(uint32_t pa)
{
	const char *s = phys_to_virt(pa);
	uintptr_t n = 0;

	while (s[n] != '\0' && n < 65536)
		n++;
	return pa + n + 1;
}

static void
from_multiboot(uint32_t info, struct bootinfo *bi)
{
	const struct mb_info *mb = phys_to_virt(info);
	const struct mb_module *m;
	uint32_t i;

	past(bi, info + sizeof(*mb));
	if (mb->flags & MB_INFO_CMDLINE) {
		bi->cmdline = phys_to_virt(mb->cmdline);
		past(bi, string_end(mb->cmdline));
	}
	if (mb->flags & MB_INFO_MEM)
		bi->memtop = 0x100000 + (uintptr_t)mb->mem_upper * 1024;
	if (!(mb->flags & MB_INFO_MODS) || mb->mods_count == 0)
		return;
	m = phys_to_virt(mb->mods_addr);
	past(bi, mb->mods_addr + mb->mods_count * sizeof(*m));
	bi->module = m[0].start;
	bi->module_len = m[0].end - m[0].start;
	for (i = 0; i < mb->mods_count; i++) {
		past(bi, m[i].end);
		if (m[i].string != 0)
			past(bi, string_end(m[i].string));
	}
}

/*
 * A module may end with words for the command line: the text, its
 * length (8 bytes, little-endian), then "fleetarg". The text becomes a
 * string in place (over the length) and leaves the module.
 */
static void
module_words(struct bootinfo *bi)
{
	uint8_t *end = (uint8_t *)phys_to_virt(bi->module) + bi->module_len;
	uint64_t n = 0;
	int i;

	if (bi->module_len < 16 || memcmp(end - 8, "fleetarg", 8) != 0)
		return;
	for (i = 0; i < 8; i++)
		n |= (uint64_t)end[-16 + i] << (8 * i);
	if (n > bi->module_len - 16)
		return;
	end[-16] = '\0';
	bi->words = (char *)end - 16 - n;
	bi->module_len -= 16 + n;
}

void
boot_parse(uint32_t magic, uint32_t info, struct bootinfo *bi)
{
	bi->cmdline = NULL;
	bi->memtop = 16u << 20;
	bi->module = 0;
	bi->module_len = 0;
	bi->free = virt_to_phys(_end);
	bi->words = NULL;
	if (magic == MB_BOOT_MAGIC)
		from_multiboot(info, bi);
	if (bi->module_len > 0)
		module_words(bi);
	if (bi->memtop > DIRECT_MAX)
		bi->memtop = DIRECT_MAX;
}
