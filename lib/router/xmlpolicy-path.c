/* xmlpolicy-path.c: where a domain's files may be: plain paths, in the
 * policy's directories before and after their links are resolved */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core.h"
#include "xmlpolicy.h"

#define deny	xmlpolicy_deny

/* Absolute and plain: no ".", "..", empty components, control bytes. */
static int
plain_path(const char *p)
{
	const char *c, *e;

	if (p[0] != '/' || strlen(p) >= PATH_MAX)
		return 0;
	for (c = p; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return 0;
	for (c = p; *c == '/'; c = e) {
		e = strchrnul(++c, '/');
		if (e == c || (e - c == 1 && c[0] == '.') ||
		    (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
	}
	return 1;
}

/* path is dir or below it, on a component boundary. */
static int
inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) != 0)
		return 0;
	return path[n] == '/' || (path[n] == '\0' && n > 0);
}

/*
 * path with the symbolic links of its directory resolved, as far as it
 * exists; what is missing below follows as written. The last component
 * is not resolved: an image directory holds links to programs.
 */
static int
resolve(const char *path, char out[PATH_MAX])
{
	char head[PATH_MAX], real[PATH_MAX], *slash;

	snprintf(head, sizeof(head), "%s", path);
	do {
		if ((slash = strrchr(head, '/')) == NULL)
			return -ENOENT;
		*slash = '\0';
		if (realpath(head[0] != '\0' ? head : "/", real) != NULL)
			break;
		if (errno != ENOENT && errno != ENOTDIR)
			return -errno;
	} while (head[0] != '\0');
	if (head[0] == '\0' && realpath("/", real) == NULL)
		return -errno;	/* what the loop's last round tried */
	if (snprintf(out, PATH_MAX, "%s%s", strcmp(real, "/") == 0 ? "" :
	    real, path + strlen(head)) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static int
inside_any(const char *path, const char *const *dirs, int real)
{
	char rdir[PATH_MAX];
	size_t i;

	for (i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		if (real && realpath(dirs[i], rdir) != NULL) {
			if (inside(path, rdir))
				return 1;
		} else if (inside(path, dirs[i]))
			return 1;
	}
	return 0;
}

/*
 * what names the path's place ("<kernel>", "<serial><source path>"),
 * kind its directories'; a socket may not be a symbolic link.
 */
int
xmlpath_check(const char *what, const char *path, const char *const *dirs,
    const char *kind, int socket)
{
	char real[PATH_MAX];
	struct stat st;
	int r;

	if (!plain_path(path))
		return deny("%s %.200s: not a plain absolute path (no \".\", "
		    "\"..\" or \"//\")", what, path);
	if (!inside_any(path, dirs, 0))
		return deny("%s %.200s: not in %s", what, path, kind);
	if ((r = resolve(path, real)) < 0)
		return deny("%s %.200s: %s", what, path, strerror(-r));
	if (!inside_any(real, dirs, 1))
		return deny("%s %.200s: leads out of %s (to %.200s)", what,
		    path, kind, real);
	if (socket && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return deny("%s %.200s: a symbolic link", what, path);
	return 0;
}

/*
 * path is a socket of the domain's own, as fleet names them below a
 * socket directory: NAME or NAME.files (a pool VM's, QEMU listens),
 * NAME.PID/LEAF (a spawn's, lib/sockdir.c). Another VM's is not.
 */
int
xmlpath_own_socket(const char *path, const char *const *dirs,
    const char *name)
{
	const char *const *d;
	const char *rel, *slash;
	size_t n, pid, k = name != NULL ? strlen(name) : 0;

	for (d = dirs; k > 0 && d != NULL && *d != NULL; d++) {
		for (n = strlen(*d); n > 0 && (*d)[n - 1] == '/'; n--)
			;
		if (!inside(path, *d) || path[n] != '/' ||
		    strncmp(path + n + 1, name, k) != 0)
			continue;
		rel = path + n + 1 + k;
		if ((slash = strchr(rel, '/')) == NULL) {
			if (*rel == '\0' || strcmp(rel, ".files") == 0)
				return 1;
		} else if (rel[0] == '.') {
			pid = strspn(rel + 1, "0123456789");
			if (pid > 0 && rel + 1 + pid == slash &&
			    strchr(slash + 1, '/') == NULL)
				return 1;
		}
	}
	return 0;
}
