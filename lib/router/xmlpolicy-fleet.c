/* xmlpolicy-fleet.c: the XML policy fleetd's proxy applies: fleet's own
 * image files, socket directory, firmware and bridge */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fleet/image.h>
#include "core.h"
#include "xmlpolicy.h"

/* s (NULL: the end) copied onto the list. */
static int
push(char ***l, size_t *n, size_t *cap, const char *s)
{
	char **g;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		if ((g = realloc(*l, *cap * sizeof(*g))) == NULL)
			return -1;
		*l = g;
	}
	if (s != NULL && ((*l)[*n] = strdup(s)) == NULL)
		return -1;
	if (s == NULL)
		(*l)[*n] = NULL;
	(*n)++;
	return 0;
}

static int
listed(char **l, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i], s) == 0)
			return 1;
	return 0;
}

/*
 * dirs, then the files their links name (an image directory's busybox
 * applets are links to /usr/bin/busybox, and fleet's XML names what a
 * link resolves to), each once: a NULL-terminated malloc'd list of
 * malloc'd paths, for the policy's image_dirs. Links made later are not
 * in it.
 */
static int
image_files(const char *const *dirs, char ***out)
{
	char **l = NULL, **g, path[PATH_MAX], real[PATH_MAX];
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	struct stat st;
	DIR *d;

	for (i = 0; dirs[i] != NULL; i++) {
		if (!listed(l, n, dirs[i]) && push(&l, &n, &cap, dirs[i]) < 0)
			goto nomem;
		if ((d = opendir(dirs[i])) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i],
			    e->d_name);
			if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode) ||
			    realpath(path, real) == NULL ||
			    stat(real, &st) < 0 || !S_ISREG(st.st_mode) ||
			    listed(l, n, real))
				continue;
			if (push(&l, &n, &cap, real) < 0) {
				closedir(d);
				goto nomem;
			}
		}
		closedir(d);
	}
	if (push(&l, &n, &cap, NULL) < 0)
		goto nomem;
	*out = l;
	return 0;
nomem:
	for (g = l; g != NULL && g < l + n; g++)
		free(*g);
	free(l);
	return fleet_seterr(-ENOMEM, "xmlpolicy: out of memory");
}

/*
 * fleet's own policy, for fleetd's proxy: images on fleetd's FLEET_PATH,
 * the files their links name and the runtime; consoles in root's socket
 * directory (fleetd's VMs are root's); fleet's firmware; bridge. What it
 * points to lives as long as fleetd.
 */
int
xmlpolicy_fleet(struct xmlpolicy *pol, const char *bridge)
{
	static const char *dirs[64], *socks[] = { SOCKDIR_ROOT, NULL },
	    *loaders[2];
	static char **images;
	char *path = fleet_image_path(), *dir, *save = NULL, *rt;
	size_t n = 0;
	int r;

	for (dir = path ? strtok_r(path, ":", &save) : NULL;
	    dir != NULL && n < 62; dir = strtok_r(NULL, ":", &save))
		dirs[n++] = dir;	/* path stays: they point into it */
	if (image_runtime(&rt) == 0)
		dirs[n++] = rt;
	if ((r = image_files(dirs, &images)) < 0)
		return r;
	loaders[0] = domxml_loader();
	*pol = (struct xmlpolicy){ .image_dirs = (const char *const *)images,
	    .socket_dirs = socks, .loaders = loaders, .bridge = bridge };
	return 0;
}
