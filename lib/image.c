/* image.c: program names to image files on FLEET_PATH, multiboot and
 * memory checks */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

#define PH_MAX		64	/* program headers read, at most */

/*
 * Guest memory an image needs beyond its segments, whose bss holds the
 * runtime's stack and buffers: QEMU's multiboot loader puts its info and
 * the command line (the image's path, then up to 4 KiB) just past them,
 * SeaBIOS keeps up to 256 KiB of tables at the top of RAM, and the
 * program's malloc wants a little heap. Measured with echo (segments end
 * at 0x171000), SeaBIOS and qboot alike: 1480 KiB boots, 1472 KiB loses
 * the command line and 1 MiB not even the image: no `ready` ever comes.
 */
#define MEM_LOADER	(16u << 10)
#define MEM_FIRMWARE	(256u << 10)
#define MEM_HEAP	(64u << 10)
#define MIB		(1u << 20)

static const char default_path[] = FLEET_INSTALL_IMAGE_DIR ":"
    FLEET_BUILD_IMAGE_DIR;

/*
 * FLEET_PATH's default: the images beside this library as installed
 * (LIBDIR/FLEET_LIB_TO_IMAGES, so that a moved tree finds its own),
 * then default_path. Malloc'd, or NULL: default_path alone.
 */
static char *
path_here(void)
{
	Dl_info info;
	const char *slash;
	char *p;

	if (dladdr((void *)path_here, &info) == 0 || info.dli_fname == NULL ||
	    (slash = strrchr(info.dli_fname, '/')) == NULL)
		return NULL;
	if (asprintf(&p, "%.*s/" FLEET_LIB_TO_IMAGES ":%s",
	    (int)(slash - info.dli_fname), info.dli_fname, default_path) < 0)
		return NULL;
	return p;
}

static int
open_error(int e, const char *path)
{
	if (e == ENOENT || e == ENOTDIR)
		return fleet_seterr(-ENOENT, "image %s: not found", path);
	if (e == EACCES || e == EPERM)
		return fleet_seterr(-EACCES, "image %s: not readable: %s",
		    path, strerror(e));
	return fleet_seterr(-e, "image %s: %s", path, strerror(e));
}

/* IMAGE_NATIVE or IMAGE_LINUX, or a negative errno with the message;
 * *memp as image_kind() says. */
int
image_classify(const char *path, uint64_t *memp)
{
	int fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return open_error(errno, path);
	r = image_kind(path, fd, memp);
	close(fd);
	return r;
}

static int
check(const char *path)
{
	uint64_t mem;
	int r = image_classify(path, &mem);

	return r < 0 ? r : 0;
}

/* The highest physical address a loadable segment of fd's ELF reaches. */
static int
segments_end(int fd, const char *path, uint64_t *endp)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph[PH_MAX];
	size_t n;
	int i;

	*endp = 0;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    eh.e_phentsize != sizeof(ph[0]) || eh.e_phnum == 0 ||
	    eh.e_phnum > PH_MAX)
		return fleet_seterr(-ENOEXEC, "image %s: bad ELF program "
		    "headers", path);
	n = eh.e_phnum * sizeof(ph[0]);
	if (pread(fd, ph, n, eh.e_phoff) != (ssize_t)n)
		return fleet_seterr(-ENOEXEC, "image %s: bad ELF program "
		    "headers", path);
	for (i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD &&
		    (uint64_t)ph[i].p_paddr + ph[i].p_memsz > *endp)
			*endp = (uint64_t)ph[i].p_paddr + ph[i].p_memsz;
	return 0;
}

/*
 * A Linux program's memory, past its segments: fleetrt's image and
 * tables (4 MiB), its boot module (the file again), and a start for
 * its stack and heap.
 */
#define MEM_RUNTIME	(4u << 20)
#define MEM_PROGRAM	(4u << 20)

static int
min_mem_linux(const char *path, uint64_t span, unsigned *mibp)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return open_error(errno, path);
	span += MEM_RUNTIME + MEM_PROGRAM + (uint64_t)st.st_size;
	*mibp = (unsigned)((span + MIB - 1) / MIB);
	return 0;
}

/* The least guest memory, in MiB, that the image at path boots in. */
static int
min_mem(const char *path, unsigned *mibp)
{
	uint64_t end;
	int fd, r;

	if ((r = image_classify(path, &end)) < 0)
		return r;
	if (r == IMAGE_LINUX)
		return min_mem_linux(path, end, mibp);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return open_error(errno, path);
	r = segments_end(fd, path, &end);
	close(fd);
	if (r < 0)
		return r;
	end = (end + 4095) & ~(uint64_t)4095;
	if (end < MIB)		/* segments start at 1 MiB */
		end = MIB;
	end += MEM_LOADER + MEM_FIRMWARE + MEM_HEAP;
	*mibp = (unsigned)((end + MIB - 1) / MIB);
	return 0;
}

/*
 * -EINVAL unless mem_mib MiB are enough for the image at path (name: as
 * the caller asked for it). No upper bound: libvirt takes any size
 * fleet_mem_parse() does, and QEMU says itself when the host cannot
 * give it (`cannot set up guest memory`).
 */
int
image_check_mem(const char *path, const char *name, unsigned mem_mib)
{
	unsigned min = 0;
	int r;

	if ((r = min_mem(path, &min)) < 0)
		return r;
	if (mem_mib < min)
		return fleet_seterr(-EINVAL, "%s: %u MiB of memory is too "
		    "small for this image: it needs at least %u MiB", name,
		    mem_mib, min);
	return 0;
}

int
fleet_image_check(const char *path)
{
	fleet_clearerr();
	return check(path);
}

static int
absolute(const char *path, char **pathp)
{
	if ((*pathp = realpath(path, NULL)) == NULL)
		return open_error(errno, path);
	return 0;
}

static int
search(const char *name, const char *fpath, char **pathp)
{
	char *dirs, *dir, *save = NULL, *cand = NULL;
	int r = -ENOENT;

	if ((dirs = strdup(fpath)) == NULL)
		return fleet_seterr(-ENOMEM, "image %s: out of memory", name);
	for (dir = strtok_r(dirs, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		free(cand);
		if (asprintf(&cand, "%s/%s", dir, name) == -1) {
			cand = NULL;
			r = fleet_seterr(-ENOMEM, "image %s: out of memory",
			    name);
			break;
		}
		if (access(cand, F_OK) != 0)
			continue;
		if ((r = check(cand)) == 0)
			r = absolute(cand, pathp);
		break;
	}
	if (r == -ENOENT && dir == NULL)
		fleet_seterr(-ENOENT, "%s: no such image on FLEET_PATH (%s)",
		    name, fpath);
	free(cand);
	free(dirs);
	return r;
}

char *
fleet_image_path(void)
{
	const char *fpath = getenv("FLEET_PATH");
	char *here;

	if (fpath != NULL && *fpath != '\0')
		return strdup(fpath);
	if ((here = path_here()) == NULL)
		return strdup(default_path);
	return here;
}

int
fleet_image_find(const char *name, char **pathp)
{
	const char *fpath = getenv("FLEET_PATH");
	char *here;
	int r;

	fleet_clearerr();
	*pathp = NULL;
	if (name == NULL || *name == '\0')
		return fleet_seterr(-ENOENT, "image: empty name");
	if (strchr(name, '/') != NULL) {
		if ((r = check(name)) < 0)
			return r;
		return absolute(name, pathp);
	}
	if (fpath != NULL && *fpath != '\0')
		return search(name, fpath, pathp);
	if ((here = path_here()) == NULL)
		return search(name, default_path, pathp);
	r = search(name, here, pathp);
	free(here);
	return r;
}

/* The first dir/../fleetrt for dir on the colon-separated list. */
static char *
runtime_on(const char *list)
{
	char *dirs, *dir, *save = NULL, *cand = NULL;

	if ((dirs = strdup(list)) == NULL)
		return NULL;
	for (dir = strtok_r(dirs, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&cand, "%s/../fleetrt", dir) == -1) {
			cand = NULL;
			break;
		}
		if (access(cand, R_OK) == 0)
			break;
		free(cand);
		cand = NULL;
	}
	free(dirs);
	return cand;
}

/*
 * The kernel a Linux program boots on: $FLEET_RUNTIME, else fleetrt
 * beside the default image directories (share/fleet/fleetrt as
 * installed, build/fleetrt in the build tree). Malloc'd, absolute.
 */
int
image_runtime(char **pathp)
{
	const char *env = getenv("FLEET_RUNTIME");
	char *here = NULL, *p;
	int r;

	*pathp = NULL;
	if (env != NULL && *env != '\0')
		p = strdup(env);
	else if ((here = path_here()) != NULL)
		p = runtime_on(here);
	else
		p = runtime_on(default_path);
	free(here);
	if (p == NULL)
		return fleet_seterr(-ENOENT, "runtime fleetrt: not found "
		    "beside %s (set FLEET_RUNTIME)", default_path);
	r = absolute(p, pathp);
	free(p);
	return r;
}
