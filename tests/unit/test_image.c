/* test_image: multiboot ELF checks and FLEET_PATH lookup */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fleet/error.h>
#include <fleet/image.h>
#include "internal.h"
#include "check.h"

static char dir[256];

/* An ELF32 i386 executable with a multiboot header at off. */
static size_t
make(unsigned char *buf, size_t len, size_t off, uint32_t sum_delta,
    int cls, int machine)
{
	Elf32_Ehdr eh = { 0 };
	uint32_t mb[3] = { 0x1BADB002u, 3, 0 };

	memset(buf, 0, len);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = (unsigned char)cls;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = (Elf32_Half)machine;
	memcpy(buf, &eh, sizeof(eh));
	mb[2] = -(mb[0] + mb[1]) + sum_delta;
	memcpy(buf + off, mb, sizeof(mb));
	return len;
}

static char *
write_file(const char *name, const unsigned char *buf, size_t n)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fwrite(buf, 1, n, f);
	fclose(f);
	return path;
}

static void
checks(void)
{
	static unsigned char b[16384];

	make(b, sizeof(b), 64, 0, ELFCLASS32, EM_386);
	CHECK(image_is_multiboot(b, sizeof(b)));
	CHECK(fleet_image_check(write_file("good", b, 4096)) == 0);
	make(b, sizeof(b), 8180, 0, ELFCLASS32, EM_386);
	CHECK(image_is_multiboot(b, sizeof(b)));
	make(b, sizeof(b), 8184, 0, ELFCLASS32, EM_386);
	CHECK(!image_is_multiboot(b, sizeof(b)));	/* past 8192 */
	make(b, sizeof(b), 66, 0, ELFCLASS32, EM_386);
	CHECK(!image_is_multiboot(b, sizeof(b)));	/* unaligned */
	make(b, sizeof(b), 64, 1, ELFCLASS32, EM_386);
	CHECK(!image_is_multiboot(b, sizeof(b)));	/* bad checksum */
	make(b, sizeof(b), 64, 0, ELFCLASS64, EM_386);
	CHECK(!image_is_multiboot(b, sizeof(b)));
	make(b, sizeof(b), 64, 0, ELFCLASS32, EM_X86_64);
	CHECK(!image_is_multiboot(b, sizeof(b)));
	CHECK(!image_is_multiboot(b, 10));
	CHECK(fleet_image_check(write_file("text", (const unsigned char *)
	    "#!/bin/sh\n", 10)) == -ENOEXEC);
	CHECK(strstr(fleet_last_error(), "/text") != NULL);
	CHECK(fleet_image_check(dir) == -ENOEXEC);
	CHECK(fleet_image_check("/nonexistent/x") == -ENOENT);
	if (geteuid() != 0) {
		char *p = write_file("locked", b, 100);

		chmod(p, 0);
		CHECK(fleet_image_check(p) == -EACCES);
	}
}

/* An image whose one loadable segment, at 1 MiB, is memsz bytes long. */
static char *
write_image(const char *name, uint32_t memsz)
{
	static unsigned char b[4096];
	Elf32_Ehdr eh;
	Elf32_Phdr ph = { .p_type = PT_LOAD, .p_vaddr = 0x100000,
	    .p_paddr = 0x100000, .p_memsz = memsz, .p_flags = 7 };

	make(b, sizeof(b), 128, 0, ELFCLASS32, EM_386);
	memcpy(&eh, b, sizeof(eh));
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	memcpy(b, &eh, sizeof(eh));
	memcpy(b + sizeof(eh), &ph, sizeof(ph));
	return write_file(name, b, sizeof(b));
}

static void
mem(void)
{
	char good[600];

	fleet_clearerr();
	CHECK(image_check_mem(write_image("echo", 0x71000), "echo", 2) == 0);
	CHECK(image_check_mem(write_image("echo", 0x71000), "echo", 1) ==
	    -EINVAL);
	CHECK_STR(fleet_last_error(), "echo: 1 MiB of memory is too small "
	    "for this image: it needs at least 2 MiB");
	fleet_clearerr();
	CHECK(image_check_mem(write_image("big", 0xC0000), "big", 2) ==
	    -EINVAL);
	CHECK(strstr(fleet_last_error(), "at least 3 MiB") != NULL);
	CHECK(image_check_mem(write_image("big", 0xC0000), "big", 3) == 0);
	fleet_clearerr();
	snprintf(good, sizeof(good), "%s/good", dir);	/* no program headers */
	CHECK(image_check_mem(good, "good", 16) == -ENOEXEC);
	CHECK(strstr(fleet_last_error(), "program headers") != NULL);
}

static void
lookup(void)
{
	char path[600], *found = NULL;

	snprintf(path, sizeof(path), "/nonexistent:%s", dir);
	setenv("FLEET_PATH", path, 1);
	CHECK(fleet_image_find("good", &found) == 0);
	CHECK(found != NULL && strstr(found, "/good") != NULL &&
	    found[0] == '/');
	free(found);
	CHECK(fleet_image_find("missing", &found) == -ENOENT);
	CHECK(strstr(fleet_last_error(), "missing") != NULL);
	CHECK(strstr(fleet_last_error(), dir) != NULL);
	CHECK(fleet_image_find("text", &found) == -ENOEXEC);
	snprintf(path, sizeof(path), "%s/good", dir);
	CHECK(fleet_image_find(path, &found) == 0);
	free(found);
}

int
main(void)
{
	const char *base = getenv("FLEET_UNIT_DIR");

	snprintf(dir, sizeof(dir), "%s/image-XXXXXX", base ? base : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	checks();
	mem();
	lookup();
	CHECK_DONE();
}
