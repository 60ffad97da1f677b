/*
 * Calls that change the caller's tree: each walks to the directory its
 * name is in (or to the file) and asks the file server, which checks the
 * caller's rights. Outside the tree there is nothing to change.
 */
#include "file.h"
#include "fs9p.h"
#include "path.h"
#include "sys.h"

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_EMPTY_PATH		0x1000
#define UTIME_NOW		((1l << 30) - 1)
#define UTIME_OMIT		((1l << 30) - 2)

long	path_in(long, long, char *);

/* What is outside the tree cannot be changed: it does not exist, or
 * (the directories above the tree) is not ours. */
static long
outside(const char *abs)
{
	const char *rel;

	return path_place(abs, &rel) == ABOVE_TREE || strcmp(abs, "/") == 0 ?
	    -EACCES : -ENOENT;
}

/* fn on the directory abs's name is in, and the name. */
static long
in_parent(long dirfd, long path, long (*fn)(uint32_t, const char *,
    const void *), const void *arg)
{
	char abs[PATH_MAX];
	const char *rel, *name;
	uint32_t dfid;
	long r;

	tree_changed();
	if ((r = path_in(dirfd, path, abs)) < 0)
		return r;
	if (path_place(abs, &rel) != IN_TREE)
		return outside(abs);
	if ((r = tree_parent(abs, &dfid, &name)) < 0)
		return r == -EBUSY ? -EEXIST : r;
	r = fn(dfid, name, arg);
	p9_fid_free(dfid);
	return r;
}

static long
do_mkdir(uint32_t dfid, const char *name, const void *mode)
{
	return p9_mkdir(dfid, name, *(const uint32_t *)mode &
	    ~(uint32_t)proc_umask() & 07777);
}

long
sys_mkdirat(long dirfd, long path, long mode)
{
	uint32_t m = (uint32_t)mode;

	return in_parent(dirfd, path, do_mkdir, &m);
}

long
sys_mkdir(long path, long mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

static long
do_unlink(uint32_t dfid, const char *name, const void *flags)
{
	return p9_unlinkat(dfid, name, *(const uint32_t *)flags);
}

long
sys_unlinkat(long dirfd, long path, long flags)
{
	uint32_t f = (uint32_t)flags & AT_REMOVEDIR;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return in_parent(dirfd, path, do_unlink, &f);
}

long
sys_unlink(long path)
{
	return sys_unlinkat(AT_FDCWD, path, 0);
}

long
sys_rmdir(long path)
{
	return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

static long
do_symlink(uint32_t dfid, const char *name, const void *target)
{
	return p9_symlink(dfid, name, target);
}

long
sys_symlinkat(long target, long dirfd, long path)
{
	char t[PATH_MAX];
	long r;

	if ((r = user_str((uintptr_t)target, t, PATH_MAX)) < 0)
		return r;
	return t[0] == '\0' ? -ENOENT : in_parent(dirfd, path, do_symlink, t);
}

long
sys_symlink(long target, long path)
{
	return sys_symlinkat(target, AT_FDCWD, path);
}

/* The old name's directory and name, then the new's. */
struct two {
	uint32_t dfid;
	const char *name;
	uint32_t fid;		/* link: the file itself */
};

static long
do_rename(uint32_t ndfid, const char *nname, const void *old)
{
	const struct two *o = old;

	return p9_renameat(o->dfid, o->name, ndfid, nname);
}

long
sys_renameat2(long odirfd, long opath, long ndirfd, long npath, long flags)
{
	char abs[PATH_MAX];
	const char *rel;
	struct two o;
	long r;

	if (flags != 0)
		return -EINVAL;
	if ((r = path_in(odirfd, opath, abs)) < 0)
		return r;
	if (path_place(abs, &rel) != IN_TREE)
		return outside(abs);
	if ((r = tree_parent(abs, &o.dfid, &o.name)) < 0)
		return r;
	r = in_parent(ndirfd, npath, do_rename, &o);
	p9_fid_free(o.dfid);
	return r;
}

long
sys_renameat(long odirfd, long opath, long ndirfd, long npath)
{
	return sys_renameat2(odirfd, opath, ndirfd, npath, 0);
}

long
sys_rename(long opath, long npath)
{
	return sys_renameat2(AT_FDCWD, opath, AT_FDCWD, npath, 0);
}

static long
do_link(uint32_t ndfid, const char *nname, const void *old)
{
	return p9_link(ndfid, ((const struct two *)old)->fid, nname);
}

long
sys_linkat(long odirfd, long opath, long ndirfd, long npath, long flags)
{
	char abs[PATH_MAX];
	const char *rel;
	struct p9_qid q;
	struct two o;
	long r;

	if ((r = path_in(odirfd, opath, abs)) < 0)
		return r;
	if (path_place(abs, &rel) != IN_TREE)
		return outside(abs);
	if ((r = tree_walk(abs, (flags & 0x400) != 0, &o.fid, &q, NULL)) < 0)
		return r;
	if (q.type & P9_QTDIR)
		r = -EPERM;
	else
		r = in_parent(ndirfd, npath, do_link, &o);
	p9_fid_free(o.fid);
	return r;
}

long
sys_link(long opath, long npath)
{
	return sys_linkat(AT_FDCWD, opath, AT_FDCWD, npath, 0);
}

/* fn on the file a path names, walked to; err where it is outside. */
static long
on_path(long dirfd, long path, int follow, long err,
    long (*fn)(uint32_t, const void *), const void *arg)
{
	char abs[PATH_MAX];
	const char *rel;
	struct p9_qid q;
	uint32_t fid;
	long r;

	if ((r = path_in(dirfd, path, abs)) < 0)
		return r;
	if (path_place(abs, &rel) != IN_TREE)
		return outside(abs) == -ENOENT ? -ENOENT : err;
	if ((r = tree_walk(abs, follow, &fid, &q, NULL)) < 0)
		return r;
	r = fn(fid, arg);
	p9_fid_free(fid);
	return r;
}

static long
do_setattr(uint32_t fid, const void *s)
{
	tree_changed();
	return p9_setattr(fid, s);
}

/* A change of attributes, on a path or an open file of the tree. */
static long
set_path(long dirfd, long path, int follow, const struct p9_setattr *s)
{
	return on_path(dirfd, path, follow, -EPERM, do_setattr, s);
}

static long
set_fd(long fd, const struct p9_setattr *s)
{
	struct file *f = fd_get((int)fd);

	tree_changed();
	if (f == NULL)
		return -EBADF;
	if (file_fid(f) == P9_NOFID)
		return -EPERM;
	return p9_setattr(file_fid(f), s);
}

static struct p9_setattr
chmod_of(long mode)
{
	return (struct p9_setattr){ .valid = P9_SET_MODE | P9_SET_CTIME,
	    .mode = (uint32_t)mode & 07777 };
}

long
sys_fchmodat(long dirfd, long path, long mode)
{
	struct p9_setattr s = chmod_of(mode);

	return set_path(dirfd, path, 1, &s);
}

long
sys_chmod(long path, long mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}

long
sys_fchmod(long fd, long mode)
{
	struct p9_setattr s = chmod_of(mode);

	return set_fd(fd, &s);
}

static struct p9_setattr
chown_of(long uid, long gid)
{
	struct p9_setattr s = { .valid = P9_SET_CTIME };

	if ((int)uid != -1) {
		s.valid |= P9_SET_UID;
		s.uid = (uint32_t)uid;
	}
	if ((int)gid != -1) {
		s.valid |= P9_SET_GID;
		s.gid = (uint32_t)gid;
	}
	return s;
}

long
sys_fchownat(long dirfd, long path, long uid, long gid, long flags)
{
	struct p9_setattr s = chown_of(uid, gid);
	char p[PATH_MAX];
	long r;

	if ((flags & AT_EMPTY_PATH) &&
	    (r = user_str((uintptr_t)path, p, PATH_MAX)) == 0 && p[0] == '\0')
		return set_fd(dirfd, &s);
	return set_path(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &s);
}

long
sys_chown(long path, long uid, long gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, 0);
}

long
sys_lchown(long path, long uid, long gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long
sys_fchown(long fd, long uid, long gid)
{
	struct p9_setattr s = chown_of(uid, gid);

	return set_fd(fd, &s);
}

long
sys_truncate(long path, long len)
{
	struct p9_setattr s = { .valid = P9_SET_SIZE, .size = (uint64_t)len };

	return len < 0 ? -EINVAL : set_path(AT_FDCWD, path, 1, &s);
}

long
sys_ftruncate(long fd, long len)
{
	struct p9_setattr s = { .valid = P9_SET_SIZE, .size = (uint64_t)len };
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	if (len < 0 || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return set_fd(fd, &s);
}

/* struct timespec[2] (NULL: now) as Tsetattr's times. */
static long
times_of(long ts, struct p9_setattr *s)
{
	const int64_t *t = (const int64_t *)ts;

	s->valid = P9_SET_CTIME;
	if (ts == 0) {
		s->valid |= P9_SET_ATIME | P9_SET_MTIME;
		return 0;
	}
	if (!user_ok((uintptr_t)ts, 32, PROT_READ))
		return -EFAULT;
	if (t[1] != UTIME_OMIT) {
		s->valid |= P9_SET_ATIME;
		if (t[1] != UTIME_NOW) {
			s->valid |= P9_SET_ATIME_SET;
			s->atime = (uint64_t)t[0];
			s->atime_ns = (uint64_t)t[1];
		}
	}
	if (t[3] != UTIME_OMIT) {
		s->valid |= P9_SET_MTIME;
		if (t[3] != UTIME_NOW) {
			s->valid |= P9_SET_MTIME_SET;
			s->mtime = (uint64_t)t[2];
			s->mtime_ns = (uint64_t)t[3];
		}
	}
	return 0;
}

long
sys_utimensat(long dirfd, long path, long ts, long flags)
{
	struct p9_setattr s = { 0 };
	long r;

	if ((r = times_of(ts, &s)) < 0)
		return r;
	if (path == 0)
		return set_fd(dirfd, &s);
	return set_path(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &s);
}

static long
statfs_out(uint32_t fid, const void *buf)
{
	uint64_t v[7], *out = (uint64_t *)buf;
	long r;

	if (!user_ok((uintptr_t)buf, 120, PROT_WRITE))
		return -EFAULT;
	if ((r = p9_statfs(fid, v)) < 0)
		return r;
	memset(out, 0, 120);
	memcpy(out, v, sizeof(v));	/* type bsize blocks bfree bavail
					 * files ffree */
	out[8] = 255;			/* namelen */
	out[9] = v[1];			/* frsize */
	return 0;
}

long
sys_statfs(long path, long buf)
{
	return on_path(AT_FDCWD, path, 1, -ENOSYS, statfs_out,
	    (const void *)buf);
}

long
sys_fstatfs(long fd, long buf)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	return file_fid(f) == P9_NOFID ? -ENOSYS :
	    statfs_out(file_fid(f), (const void *)buf);
}
