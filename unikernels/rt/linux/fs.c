/*
 * Calls on paths. The tree a program sees: /dev/null, /proc/self/exe
 * (a link to the program), and the root directory; the caller's files
 * come with a file server behind vfs_open() and vfs_stat(). Until then
 * every other path is ENOENT, said so under `fleet.strace=1`.
 */
#include "file.h"
#include "sys.h"

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EMPTY_PATH		0x1000
#define PATH_MAX		4096

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

static long
null_stat(struct file *f, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = 5;
	st->ino = 4;
	st->nlink = 1;
	st->mode = S_IFCHR | 0666;
	st->rdev = 0x103;	/* 1, 3 */
	st->blksize = 4096;
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

static int
same(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static long
missing(const char *call, const char *path)
{
	strace_note("%s(\"%.200s\"): no such file: this VM has no file "
	    "system\n", call, path);
	return -ENOENT;
}

static long
vfs_open(const char *path, int flags, int mode)
{
	struct file *f;

	if (!same(path, "/dev/null"))
		return missing("open", path);
	if ((f = file_new(&null_ops, flags & ~O_CLOEXEC)) == NULL)
		return -ENFILE;
	return fd_install(f, 0, flags & O_CLOEXEC);
}

static long
vfs_stat(const char *path, struct kstat *st)
{
	if (same(path, "/dev/null"))
		return null_stat(NULL, st);
	if (same(path, "/")) {
		memset(st, 0, sizeof(*st));
		st->dev = 1;
		st->ino = 2;
		st->nlink = 2;
		st->mode = S_IFDIR | 0755;
		st->blksize = 4096;
		return 0;
	}
	return missing("stat", path);
}

/* The path at a, copied in; dirfd other than AT_FDCWD only with an
 * absolute path until directories can be opened. */
static long
path_in(long dirfd, long a, char *buf)
{
	long r;

	if ((r = user_str((uintptr_t)a, buf, PATH_MAX)) < 0)
		return r;
	if (buf[0] != '/' && dirfd != AT_FDCWD && fd_get((int)dirfd) == NULL)
		return -EBADF;
	return 0;
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
	return vfs_stat(p, (struct kstat *)st);
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
	return vfs_stat(p, &st);
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
	char p[PATH_MAX];
	size_t len;
	long r;

	if ((r = path_in(dirfd, path, p)) < 0)
		return r;
	if (n <= 0)
		return -EINVAL;
	if (!same(p, "/proc/self/exe"))
		return vfs_stat(p, &(struct kstat){ 0 }) == 0 ? -EINVAL :
		    -ENOENT;
	if (!user_ok((uintptr_t)buf, (size_t)n, PROT_WRITE))
		return -EFAULT;
	len = strlen(exe_path);
	if (len > (size_t)n)
		len = (size_t)n;
	memcpy((void *)buf, exe_path, len);
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
	if (n < 2)
		return -ERANGE;
	if (!user_ok((uintptr_t)buf, 2, PROT_WRITE))
		return -EFAULT;
	memcpy((void *)buf, "/", 2);
	return 2;
}

long
sys_chdir(long path)
{
	struct kstat st;
	char p[PATH_MAX];
	long r;

	if ((r = user_str((uintptr_t)path, p, PATH_MAX)) < 0)
		return r;
	if ((r = vfs_stat(p, &st)) < 0)
		return r;
	return (st.mode & S_IFMT) == S_IFDIR ? 0 : -ENOTDIR;
}
