/*
 * elf.c: what kind of program a file is. A native fleet image (ELF32
 * i386 with a multiboot header) boots as the kernel itself; a static
 * x86-64 Linux program (ET_EXEC, or ET_DYN without an interpreter)
 * boots as the module of the runtime, fleetrt. Anything else is named
 * for what it is.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <sys/stat.h>
#include "core.h"

#define MB_MAGIC	0x1BADB002u
#define MB_SEARCH	8192
#define PH_MAX		64
#define LOAD_MIN	0x10000ull		/* Linux's mmap_min_addr */
#define USER_TOP	0x0000800000000000ull	/* the user half */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
image_is_multiboot(const unsigned char *buf, size_t n)
{
	Elf32_Ehdr eh;
	size_t off;

	if (n < sizeof(eh))
		return 0;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_386 || eh.e_type != ET_EXEC)
		return 0;
	for (off = 0; off + 12 <= n && off + 12 <= MB_SEARCH; off += 4) {
		uint32_t magic = le32(buf + off);

		if (magic == MB_MAGIC &&
		    (uint32_t)(magic + le32(buf + off + 4) +
		    le32(buf + off + 8)) == 0)
			return 1;
	}
	return 0;
}

static int
bad(const char *path, const char *what)
{
	return fleet_seterr(-ENOEXEC, "image %s: %s", path, what);
}

static const char static_only[] = "fleet runs static x86-64 programs";

/* The interpreter a PT_INTERP names, for the message. */
static int
dynamic(int fd, const char *path, const Elf64_Phdr *ph)
{
	char interp[80] = "?";
	size_t n = ph->p_filesz < sizeof(interp) - 1 ? ph->p_filesz :
	    sizeof(interp) - 1;
	ssize_t k = pread(fd, interp, n, (off_t)ph->p_offset);

	interp[k > 0 ? (size_t)k : 0] = '\0';
	if (k <= 0)
		snprintf(interp, sizeof(interp), "?");
	return fleet_seterr(-ENOEXEC, "image %s: dynamically linked "
	    "(PT_INTERP %s); %s", path, interp, static_only);
}

/* A static x86-64 program: its segments lie inside the file, no
 * interpreter. *memp: the bytes its segments span. */
static int
check_linux(int fd, const char *path, off_t size, const Elf64_Ehdr *eh,
    uint64_t *memp)
{
	Elf64_Phdr ph[PH_MAX];
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t n;
	int i, loads = 0;

	if (eh->e_machine != EM_X86_64)
		return fleet_seterr(-ENOEXEC, "image %s: not an x86-64 ELF "
		    "(machine %u); %s", path, eh->e_machine, static_only);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return bad(path, "not an executable ELF (a relocatable "
		    "object or core file)");
	if (eh->e_phentsize != sizeof(ph[0]) || eh->e_phnum == 0 ||
	    eh->e_phnum > PH_MAX)
		return bad(path, "bad ELF program headers");
	n = eh->e_phnum * sizeof(ph[0]);
	if (pread(fd, ph, n, (off_t)eh->e_phoff) != (ssize_t)n)
		return bad(path, "truncated ELF (program headers)");
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_INTERP)
			return dynamic(fd, path, &ph[i]);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_offset > (uint64_t)size ||
		    (uint64_t)size - ph[i].p_offset < ph[i].p_filesz)
			return bad(path, "truncated ELF (a segment reaches "
			    "past the end of the file)");
		if (ph[i].p_filesz > ph[i].p_memsz ||
		    ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr)
			return bad(path, "malformed ELF segment");
		if (ph[i].p_vaddr < lo)
			lo = ph[i].p_vaddr;
		if (ph[i].p_vaddr + ph[i].p_memsz > hi)
			hi = ph[i].p_vaddr + ph[i].p_memsz;
		loads++;
	}
	if (loads == 0)
		return bad(path, "no loadable segment in the ELF");
	if (eh->e_type == ET_EXEC && (lo < LOAD_MIN || hi > USER_TOP))
		return fleet_seterr(-ENOEXEC, "image %s: ELF segments at "
		    "0x%llx-0x%llx, outside what a Linux program may map "
		    "(0x%llx-0x%llx)", path, (unsigned long long)lo,
		    (unsigned long long)hi, LOAD_MIN, USER_TOP);
	*memp = hi - lo;
	return 0;
}

int
image_kind(const char *path, int fd, uint64_t *memp)
{
	unsigned char buf[MB_SEARCH];
	Elf64_Ehdr eh;
	struct stat st;
	ssize_t n;

	*memp = 0;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		return bad(path, "not a regular file");
	if ((n = pread(fd, buf, sizeof(buf), 0)) < 0)
		return fleet_seterr(-EACCES, "image %s: not readable: %s",
		    path, strerror(errno));
	if ((size_t)n < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return fleet_seterr(-ENOEXEC, "image %s: not an ELF "
		    "executable; %s", path, static_only);
	if (image_is_multiboot(buf, (size_t)n))
		return IMAGE_NATIVE;
	if ((size_t)n < sizeof(eh) || buf[EI_CLASS] == ELFCLASSNONE)
		return bad(path, "truncated ELF (header)");
	if (buf[EI_CLASS] == ELFCLASS32)
		return fleet_seterr(-ENOEXEC, "image %s: a 32-bit ELF "
		    "without a multiboot header; %s", path, static_only);
	if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
		return fleet_seterr(-ENOEXEC, "image %s: not a little-endian "
		    "ELF64; %s", path, static_only);
	memcpy(&eh, buf, sizeof(eh));
	return check_linux(fd, path, st.st_size, &eh, memp) < 0 ? -ENOEXEC :
	    IMAGE_LINUX;
}
