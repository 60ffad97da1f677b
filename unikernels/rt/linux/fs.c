/*
 * Calls on paths. The tree a program sees: the caller's directory at
 * its host path when the host serves it (fs9p.c, path.c), the
 * directories above it, /dev/null and /proc/self/exe (a link to the
 * program). Any other path is ENOENT, said so under `fleet.strace=1`.
 */
#include "file.h"
#include "fs9p.h"
#include "path.h"
#include "sys.h"

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EMPTY_PATH		0x1000
#define O_DIRECTORY		0200000
#define O_NOFOLLOW		0400000

char exe_path[256] = "/proc/self/exe";

static long
null_read(struct file *f, void *buf, size_t n)
{
	return 0;
}

static long
null_write(struct file *f, const void *buf, size_t n)
{
	return (long)n;
}

/* The runtime's own files: root's, on a device of their own. */
static long
own_stat(struct kstat *st, uint64_t dev, uint64_t ino, uint32_t mode,
    int64_t size)
{
	memset(st, 0, sizeof(*st));
	st->dev = dev;
	st->ino = ino;
	st->nlink = (mode & S_IFMT) == S_IFDIR ? 2 : 1;
	st->mode = mode;
	st->size = size;
	st->blksize = 4096;
	return 0;
}

static long
null_stat(struct file *f, struct kstat *st)
{
	own_stat(st, 5, 4, S_IFCHR | 0666, 0);
	st->rdev = 0x103;	/* 1, 3 */
	return 0;
}

static long
null_seek(struct file *f, int64_t off, int whence)
{
	return 0;
}

static int
null_ready(struct file *f, int events)
{
	return events & 5;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = null_write, .stat = null_stat,
	.seek = null_seek, .ready = null_ready,
};

/*
 * /etc/passwd and /etc/group: root and the caller (fleet.user,
 * fleet.group), so that names read as on the host.
 */
struct memfile {
	const char *path;
	char text[256];
	size_t len;
};

static struct memfile etc[2] = { { .path = "/etc/passwd" },
    { .path = "/etc/group" } };

static void
etc_init(void)
{
	const char *user = rt_setting("user"), *group = rt_setting("group");
	long uid = sys_getuid(), gid = sys_getgid();

	etc[0].len = (size_t)fmt_snprintf(etc[0].text, sizeof(etc[0].text),
	    "root:x:0:0:root:/root:/bin/sh\n");
	if (uid != 0 && user != NULL)
		etc[0].len += (size_t)fmt_snprintf(etc[0].text + etc[0].len,
		    sizeof(etc[0].text) - etc[0].len, "%.64s:x:%ld:%ld::/:"
		    "/bin/sh\n", user, uid, gid);
	etc[1].len = (size_t)fmt_snprintf(etc[1].text, sizeof(etc[1].text),
	    "root:x:0:\n");
	if (gid != 0 && group != NULL)
		etc[1].len += (size_t)fmt_snprintf(etc[1].text + etc[1].len,
		    sizeof(etc[1].text) - etc[1].len, "%.64s:x:%ld:\n", group,
		    gid);
}

static struct memfile *
etc_find(const char *abs)
{
	int i;

	if (etc[0].len == 0)
		etc_init();
	for (i = 0; i < 2; i++)
		if (strcmp(abs, etc[i].path) == 0)
			return &etc[i];
	return NULL;
}

static long
mem_read(struct file *f, void *buf, size_t n)
{
	struct memfile *m = f->priv;

	if (f->pos >= (int64_t)m->len)
		return 0;
	if (n > m->len - (size_t)f->pos)
		n = m->len - (size_t)f->pos;
	memcpy(buf, m->text + f->pos, n);
	f->pos += (int64_t)n;
	return (long)n;
}

static long
mem_stat_of(const struct memfile *m, struct kstat *st)
{
	return own_stat(st, 1, m == &etc[0] ? 3 : 4, S_IFREG | 0644,
	    (int64_t)m->len);
}

static long
mem_stat(struct file *f, struct kstat *st)
{
	return mem_stat_of(f->priv, st);
}

static long
mem_seek(struct file *f, int64_t off, int whence)
{
	struct memfile *m = f->priv;
	int64_t base = whence == 1 ? f->pos : whence == 2 ? (int64_t)m->len :
	    0;

	if (whence < 0 || whence > 2 || base + off < 0)
		return -EINVAL;
	return (long)(f->pos = base + off);
}

static const struct file_ops mem_ops = {
	.read = mem_read, .stat = mem_stat, .seek = mem_seek,
	.ready = null_ready,
};

/* "/" and the directories above the tree: empty, read-only. */
static long
above_stat(struct file *f, struct kstat *st)
{
	return own_stat(st, 1, 2, S_IFDIR | 0755, 0);
}

static long
above_getdents(struct file *f, void *buf, size_t n)
{
	return 0;
}

/*
 * The tree's parent as the host has it (fleet.updir: mode, uid, gid,
 * nlink, size, mtime, ino), so that `ls -la` shows `..` as on the host.
 * Its contents stay out of reach.
 */
static int
updir_stat(const char *abs, struct kstat *st)
{
	const char *v = rt_setting("updir");
	char parent[PATH_MAX];
	uint64_t f[7] = { 0 };
	int i;

	if (v == NULL || path_parent(path_tree(), parent) < 0 ||
	    strcmp(abs, parent) != 0)
		return -1;
	for (i = 0; i < 7 && *v != '\0'; i++, v += *v == ',') {
		for (; *v >= '0' && *v <= '9'; v++)
			f[i] = f[i] * (i == 0 ? 8 : 10) + (uint64_t)(*v - '0');
	}
	if (i < 7)
		return -1;
	own_stat(st, tree_dev, f[6], (uint32_t)f[0], (int64_t)f[4]);
	st->uid = (uint32_t)f[1];
	st->gid = (uint32_t)f[2];
	st->nlink = f[3];
	st->blocks = (st->size + 511) / 512;
	st->atime = st->mtime = st->ctime = f[5];
	return 0;
}

static const struct file_ops above_ops = {
	.stat = above_stat, .getdents = above_getdents, .ready = null_ready,
};

static int
same(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static long
missing(const char *call, const char *path)
{
	strace_note("%s(\"%.200s\"): no such file: %s\n", call, path,
	    path_tree()[0] == '\0' ?
	    "this VM has no files of its caller's" :
	    "outside the caller's directory");
	return -ENOENT;
}

static long
special_open(const struct file_ops *ops, int flags)
{
	struct file *f;

	if ((f = file_new(ops, flags & ~O_CLOEXEC)) == NULL)
		return -ENFILE;
	return fd_install(f, 0, flags & O_CLOEXEC);
}

static long
vfs_open(const char *abs, int flags, int mode)
{
	struct memfile *m;
	const char *rel;
	long fd;

	if (same(abs, "/dev/null"))
		return special_open(&null_ops, flags);
	if ((m = etc_find(abs)) != NULL) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EACCES;
		if ((fd = special_open(&mem_ops, flags)) >= 0)
			fd_get((int)fd)->priv = m;
		return fd;
	}
	switch (path_place(abs, &rel)) {
	case IN_TREE:
		return tree_open(abs, flags, mode);
	case ABOVE_TREE:
		return (flags & O_ACCMODE) != O_RDONLY ? -EISDIR :
		    special_open(&above_ops, flags);
	default:
		return same(abs, "/") ? special_open(&above_ops, flags) :
		    missing("open", abs);
	}
}

static long
vfs_stat(const char *path, struct kstat *st, int follow)
{
	char abs[PATH_MAX];
	struct p9_attr a;
	struct p9_qid q;
	const char *rel;
	uint32_t fid;
	long r;

	if (same(path, "/dev/null"))
		return null_stat(NULL, st);
	if (etc_find(path) != NULL)
		return mem_stat_of(etc_find(path), st);
	switch (path_place(path, &rel)) {
	case IN_TREE:
		memcpy(abs, path, strlen(path) + 1);
		if ((r = tree_walk(abs, follow, &fid, &q, &a)) < 0)
			return r;
		p9_fid_free(fid);
		tree_stat(&a, st);
		return 0;
	case ABOVE_TREE:
		return updir_stat(path, st) == 0 ? 0 : above_stat(NULL, st);
	default:
		return same(path, "/") ? above_stat(NULL, st) :
		    missing("stat", path);
	}
}

/*
 * The program's path at a, absolute and plain, in out: from dirfd (an
 * open directory of the tree, or AT_FDCWD) when relative.
 */
long
path_in(long dirfd, long a, char *out)
{
	const char *base = path_cwd();
	long r;

	if ((r = user_str((uintptr_t)a, out, PATH_MAX)) < 0)
		return r;
	if (out[0] == '\0')
		return -ENOENT;
	if (out[0] != '/' && (int)dirfd != AT_FDCWD) {
		struct file *f = fd_get((int)dirfd);

		if (f == NULL)
			return -EBADF;
		if ((base = file_path(f)) == NULL)
			return f->ops == &above_ops ? -ENOENT : -ENOTDIR;
	}
	return path_join(base, out, out);
}

long
sys_openat(long dirfd, long path, long flags, long mode)
{
	char p[PATH_MAX];
	long r;

	if ((r = path_in(dirfd, path, p)) < 0)
		return r;
	return vfs_open(p, (int)flags, (int)mode);
}

long
sys_open(long path, long flags, long mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

long
sys_creat(long path, long mode)
{
	return sys_openat(AT_FDCWD, path, 01101, mode);	/* WRONLY CREAT TRUNC */
}

long
sys_newfstatat(long dirfd, long path, long st, long flags)
{
	char p[PATH_MAX];
	long r;

	if ((r = user_str((uintptr_t)path, p, PATH_MAX)) < 0)
		return r;
	if (p[0] == '\0' && (flags & AT_EMPTY_PATH))
		return sys_fstat(dirfd, st);
	if ((r = path_in(dirfd, path, p)) < 0)
		return r;
	if (!user_ok((uintptr_t)st, sizeof(struct kstat), PROT_WRITE))
		return -EFAULT;
	return vfs_stat(p, (struct kstat *)st, !(flags & AT_SYMLINK_NOFOLLOW));
}

long
sys_stat(long path, long st)
{
	return sys_newfstatat(AT_FDCWD, path, st, 0);
}

long
sys_lstat(long path, long st)
{
	return sys_newfstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

long
sys_faccessat2(long dirfd, long path, long mode, long flags)
{
	struct kstat st;
	char p[PATH_MAX];
	long r;

	if ((r = path_in(dirfd, path, p)) < 0)
		return r;
	return vfs_stat(p, &st, !(flags & AT_SYMLINK_NOFOLLOW));
}

long
sys_faccessat(long dirfd, long path, long mode)
{
	return sys_faccessat2(dirfd, path, mode, 0);
}

long
sys_access(long path, long mode)
{
	return sys_faccessat2(AT_FDCWD, path, mode, 0);
}

long
sys_readlinkat(long dirfd, long path, long buf, long n)
{
	char p[PATH_MAX], target[PATH_MAX];
	const char *rel;
	size_t len;
	long r;

	if ((r = path_in(dirfd, path, p)) < 0)
		return r;
	if (n <= 0)
		return -EINVAL;
	if (same(p, "/proc/self/exe"))
		memcpy(target, exe_path, strlen(exe_path) + 1);
	else if (path_place(p, &rel) == IN_TREE) {
		if ((r = tree_readlink(p, target, sizeof(target))) < 0)
			return r;
	} else
		return vfs_stat(p, &(struct kstat){ 0 }, 0) == 0 ? -EINVAL :
		    -ENOENT;
	if (!user_ok((uintptr_t)buf, (size_t)n, PROT_WRITE))
		return -EFAULT;
	len = strlen(target);
	if (len > (size_t)n)
		len = (size_t)n;
	memcpy((void *)buf, target, len);
	return (long)len;
}

long
sys_readlink(long path, long buf, long n)
{
	return sys_readlinkat(AT_FDCWD, path, buf, n);
}

long
sys_getcwd(long buf, long n)
{
	size_t len = strlen(path_cwd()) + 1;

	if ((size_t)n < len)
		return -ERANGE;
	if (!user_ok((uintptr_t)buf, len, PROT_WRITE))
		return -EFAULT;
	memcpy((void *)buf, path_cwd(), len);
	return (long)len;
}

static long
enter(const char *abs)
{
	struct kstat st;
	long r;

	if ((r = vfs_stat(abs, &st, 1)) < 0)
		return r;
	if ((st.mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	return path_set_cwd(abs);
}

long
sys_chdir(long path)
{
	char p[PATH_MAX];
	long r;

	if ((r = path_in(AT_FDCWD, path, p)) < 0)
		return r;
	return enter(p);
}

long
sys_fchdir(long fd)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	return file_path(f) != NULL ? enter(file_path(f)) : -ENOTDIR;
}
