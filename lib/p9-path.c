/* p9-path.c: names from the guest, resolved below the root and only there */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include "p9.h"

#define RESOLVE_TRIES	8	/* openat2 says EAGAIN when a rename raced it */

/* A string from the guest as a C string: no NUL in it, shorter than size. */
int
p9path_text(const struct p9str *str, char *buf, size_t size)
{
	if (str->len >= size)
		return -ENAMETOOLONG;
	if (memchr(str->s, '\0', str->len) != NULL)
		return -EINVAL;
	memcpy(buf, str->s, str->len);
	buf[str->len] = '\0';
	return 0;
}

/* One component to walk: not empty, no '/', not "." (".." is allowed). */
int
p9path_walkname(const struct p9str *str, char *buf)
{
	int r;

	if ((r = p9path_text(str, buf, P9_NAME_MAX + 1)) < 0)
		return r;
	if (buf[0] == '\0' || strchr(buf, '/') != NULL || strcmp(buf, ".") == 0)
		return -EINVAL;
	return 0;
}

/* An entry to make, rename or remove: a component, and not "..". */
int
p9path_name(const struct p9str *str, char *buf)
{
	int r;

	if ((r = p9path_walkname(str, buf)) < 0)
		return r;
	return strcmp(buf, "..") == 0 ? -EINVAL : 0;
}

/*
 * openat2 confined below dirfd: no absolute path or symlink, no ".." out
 * of it, no /proc magic link. (openat2 refuses other flags with O_PATH.)
 */
int
p9path_open(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd;
	int i;

	if (!(flags & O_PATH))
		how.flags |= O_NOCTTY;
	for (i = 0; i < RESOLVE_TRIES; i++) {
		if ((fd = syscall(SYS_openat2, dirfd, path, &how,
		    sizeof(how))) >= 0)
			return (int)fd;
		if (errno != EAGAIN && errno != EINTR)
			break;
	}
	return -errno;
}

static const char *
dot(const char *path)
{
	return path[0] != '\0' ? path : ".";
}

int
p9path_join(const char *dir, const char *name, char **pathp)
{
	size_t dn = strlen(dir), nn = strlen(name);
	char *p;

	if (dn + 1 + nn >= P9_PATH_MAX)
		return -ENAMETOOLONG;
	if ((p = malloc(dn + nn + 2)) == NULL)
		return -ENOMEM;
	if (dn > 0) {
		memcpy(p, dir, dn);
		p[dn++] = '/';
	}
	memcpy(p + dn, name, nn + 1);
	*pathp = p;
	return 0;
}

/* Lexically: "a/b" gives "a", "a" and "" give "" (the root). */
static int
lexical_parent(const char *path, char **pathp)
{
	const char *slash = strrchr(path, '/');

	*pathp = strndup(path, slash != NULL ? (size_t)(slash - path) : 0);
	return *pathp != NULL ? 0 : -ENOMEM;
}

void
p9path_qid(const struct stat *st, struct p9qid *qid)
{
	if (S_ISDIR(st->st_mode))
		qid->type = P9_QTDIR;
	else if (S_ISLNK(st->st_mode))
		qid->type = P9_QTSYMLINK;
	else
		qid->type = P9_QTFILE;
	qid->version = 0;
	qid->path = st->st_ino;
}

int
p9path_fdqid(int fd, struct p9qid *qid)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	p9path_qid(&st, qid);
	return 0;
}

/*
 * One step of a walk from fd (at path, of type qtype): the entry name in
 * a directory, itself if a symlink; through a symlink, what it leads to
 * in the tree; for "..", the directory above, never above the root.
 */
int
p9path_walk1(int rootfd, int fd, uint8_t qtype, const char *path,
    const char *name, int *fdp, char **pathp, struct p9qid *qid)
{
	int up = strcmp(name, "..") == 0, nfd, r;
	char *np;

	if (!(qtype & (P9_QTDIR | P9_QTSYMLINK)))
		return -ENOTDIR;
	if ((r = up ? lexical_parent(path, &np) :
	    p9path_join(path, name, &np)) < 0)
		return r;
	if ((qtype & P9_QTDIR) && !up)
		nfd = p9path_open(fd, name, O_PATH | O_NOFOLLOW, 0);
	else
		nfd = p9path_open(rootfd, dot(np), O_PATH | O_NOFOLLOW, 0);
	if (nfd < 0 || (r = p9path_fdqid(nfd, qid)) < 0) {
		r = nfd < 0 ? nfd : r;
		if (nfd >= 0)
			close(nfd);
		free(np);
		return r;
	}
	*fdp = nfd;
	*pathp = np;
	return 0;
}

static int
same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * The object at fd (a walk's O_PATH) opened anew for I/O: by its path
 * from the root, and only if that is still the same object. A symlink is
 * followed, as far as it stays in the tree.
 */
int
p9path_reopen(int rootfd, int fd, const char *path, int flags)
{
	struct stat want, got;
	int nfd;

	if (fstat(fd, &want) < 0)
		return -errno;
	if (S_ISLNK(want.st_mode))
		return p9path_open(rootfd, dot(path), flags, 0);
	if ((nfd = p9path_open(rootfd, dot(path), flags | O_NOFOLLOW, 0)) < 0)
		return nfd;
	if (fstat(nfd, &got) < 0 || !same(&want, &got)) {
		close(nfd);
		return -ESTALE;
	}
	return nfd;
}

/*
 * The directory that holds the object at fd, by path from the root, and
 * the object's name in it (in path), if it is still there: for remove,
 * rename and link, which act on the entry, not on the object.
 */
int
p9path_parent(int rootfd, int fd, const char *path, const char **namep)
{
	struct stat want, got;
	const char *slash = strrchr(path, '/');
	char *dir;
	int dfd, r;

	if (path[0] == '\0')
		return -EBUSY;
	if (fstat(fd, &want) < 0)
		return -errno;
	if ((r = lexical_parent(path, &dir)) < 0)
		return r;
	dfd = p9path_open(rootfd, dot(dir), O_PATH | O_DIRECTORY, 0);
	free(dir);
	if (dfd < 0)
		return dfd;
	*namep = slash != NULL ? slash + 1 : path;
	if (fstatat(dfd, *namep, &got, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !same(&want, &got)) {
		close(dfd);
		return -ESTALE;
	}
	return dfd;
}
