/* vm.c: what a fleet VM is called and what it is made of */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include "core.h"

const char *
vm_program(const char *image)
{
	const char *base = strrchr(image, '/');

	return base != NULL ? base + 1 : image;
}

char *
vm_name(const char *image)
{
	unsigned char rnd[4];
	char *name, *s;

	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return NULL;
	if (asprintf(&name, FLEET_PREFIX "%.40s-%02x%02x%02x%02x",
	    vm_program(image), rnd[0], rnd[1], rnd[2], rnd[3]) == -1)
		return NULL;
	for (s = name; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			*s = '_';
	return name;
}

int
vm_use_kvm(void)
{
	const char *a = getenv("FLEET_ACCEL");

	/* auto stays on TCG until a timed probe exists (DESIGN.md). */
	return a != NULL && strcmp(a, "kvm") == 0;
}

/* The memory an image gets unless its spawner says: a Linux program's
 * libc wants more than a native program. */
unsigned
vm_mem_default(const char *image)
{
	uint64_t span;

	return image_classify(image, &span) == IMAGE_LINUX ?
	    FLEET_MEM_LINUX : FLEET_MEM_DEFAULT;
}

/* A spec with its defaults: the caller sets argv, cmdline and the rest. */
void
vm_spec_init(struct vm_spec *s, const char *name, const char *image_asked,
    const char *image)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->program = vm_program(image_asked);
	s->image = image;
	s->loader = domxml_loader();
	s->mem_mib = vm_mem_default(image);
	s->start_time = time(NULL);
	s->kvm = vm_use_kvm();
}
