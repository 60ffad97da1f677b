/*
 * The program: a static x86-64 ELF (ET_EXEC, or ET_DYN without an
 * interpreter: static-PIE) in the boot module. Each PT_LOAD segment is
 * copied into frames of its own; anything that does not fit the rules
 * is refused with a message naming what is wrong.
 */
#include "linux.h"

#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_INTERP	3
#define PT_PHDR		6
#define PF_X		1
#define PF_W		2
#define PF_R		4
#define PIE_BASE	0x0000555555554000ull
#define LOAD_MIN	0x10000ull	/* Linux's mmap_min_addr */

struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static int
say(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int
check_header(const struct ehdr *e, size_t len, char *err, size_t elen)
{
	if (len < sizeof(*e) || memcmp(e->ident, "\177ELF", 4) != 0)
		return say(err, elen, "not an ELF file");
	if (e->ident[4] != 2)
		return say(err, elen, "a 32-bit ELF; fleet runs static "
		    "x86-64 programs");
	if (e->ident[5] != 1 || e->machine != EM_X86_64)
		return say(err, elen, "not an x86-64 ELF (machine %u); fleet "
		    "runs static x86-64 programs", e->machine);
	if (e->type != ET_EXEC && e->type != ET_DYN)
		return say(err, elen, "not an executable (ELF type %u)",
		    e->type);
	if (e->phentsize != sizeof(struct phdr) || e->phnum == 0 ||
	    e->phnum > 64 || e->phoff > len ||
	    len - e->phoff < (size_t)e->phnum * sizeof(struct phdr))
		return say(err, elen, "truncated ELF (program headers)");
	return 0;
}

static int
check_segment(const struct phdr *p, uint64_t bias, size_t len, char *err,
    size_t elen)
{
	uint64_t start = p->vaddr + bias, end = start + p->memsz;

	if (p->offset > len || len - p->offset < p->filesz)
		return say(err, elen, "truncated ELF (a segment reaches past "
		    "the file's %lu bytes)", (unsigned long)len);
	if (p->filesz > p->memsz || end < start ||
	    (p->vaddr & (PAGE - 1)) != (p->offset & (PAGE - 1)))
		return say(err, elen, "malformed ELF segment at 0x%lx",
		    (unsigned long)p->vaddr);
	if (start < LOAD_MIN || end > MMAP_TOP)
		return say(err, elen, "ELF segment at 0x%lx-0x%lx is outside "
		    "the program's address space", (unsigned long)start,
		    (unsigned long)end);
	return 0;
}

static int
prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) |
	    ((flags & PF_W) ? PROT_WRITE : 0) |
	    ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Copy a segment into fresh frames; the rest of its memory is zero. */
static int
load_segment(const uint8_t *file, const struct phdr *p, uint64_t bias,
    char *err, size_t elen)
{
	uintptr_t start = p->vaddr + bias, end = start + p->memsz;
	uintptr_t data_end = start + p->filesz, va, f;
	int pr = prot(p->flags);

	if (mm_add(PAGE_DOWN(start), PAGE_UP(end), pr) < 0)
		return say(err, elen, "ELF segments overlap at 0x%lx",
		    (unsigned long)start);
	for (va = PAGE_DOWN(start); va < end; va += PAGE) {
		uintptr_t from = va < start ? start : va;
		uintptr_t to = va + PAGE < data_end ? va + PAGE : data_end;

		if ((f = frame_alloc()) == 0)
			return say(err, elen, "the program does not fit in "
			    "the VM's memory");
		if (to > from)
			memcpy((uint8_t *)phys_to_virt(f) + (from - va),
			    file + p->offset + (from - start), to - from);
		if (pt_map(va, f, pr) < 0)
			return say(err, elen, "the program does not fit in "
			    "the VM's memory");
	}
	return 0;
}

int
elf_load(const void *file, size_t len, struct loaded *l, char *err,
    size_t elen)
{
	const struct ehdr *e = file;
	const struct phdr *ph;
	uint64_t bias = 0, first = 0;
	int i, nload = 0;

	if (check_header(e, len, err, elen) < 0)
		return -1;
	ph = (const struct phdr *)((const uint8_t *)file + e->phoff);
	for (i = 0; i < e->phnum; i++)
		if (ph[i].type == PT_INTERP)
			return say(err, elen, "dynamically linked (PT_INTERP "
			    "%.60s); fleet runs static x86-64 programs",
			    ph[i].offset < len ? (const char *)file +
			    ph[i].offset : "?");
	if (e->type == ET_DYN)
		bias = PIE_BASE;
	l->phdr = 0;
	l->brk = 0;
	for (i = 0; i < e->phnum; i++) {
		if (ph[i].type == PT_PHDR)
			l->phdr = ph[i].vaddr + bias;
		if (ph[i].type != PT_LOAD)
			continue;
		if (check_segment(&ph[i], bias, len, err, elen) < 0 ||
		    load_segment(file, &ph[i], bias, err, elen) < 0)
			return -1;
		if (nload++ == 0)
			first = ph[i].vaddr - ph[i].offset + bias;
		if (ph[i].vaddr + bias + ph[i].memsz > l->brk)
			l->brk = ph[i].vaddr + bias + ph[i].memsz;
	}
	if (nload == 0)
		return say(err, elen, "no loadable segment in the ELF");
	if (l->phdr == 0)
		l->phdr = first + e->phoff;
	l->phnum = e->phnum;
	l->entry = e->entry + bias;
	if (!user_ok(l->entry, 1, PROT_EXEC))
		return say(err, elen, "ELF entry point 0x%lx is not in an "
		    "executable segment", (unsigned long)l->entry);
	return 0;
}
