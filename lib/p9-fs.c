/* p9-fs.c: the 9P2000.L messages that act on the tree, a function each */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "p9.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2	452	/* Linux 6.6: AT_EMPTY_PATH on an O_PATH fd */
#endif

#define READ_HDRSZ	(P9_HDRSZ + 4)	/* Rread and Rreaddir: count[4] */
#define DIRENT_HDRSZ	24	/* qid[13] offset[8] type[1] name[2] */

static int
fid_get(struct p9srv *s, uint32_t num, struct p9fid **fp)
{
	*fp = p9fid_get(s, num);
	return *fp != NULL ? 0 : -EBADF;
}

/* A directory fid, to make or remove names in. */
static int
dir_get(struct p9srv *s, uint32_t num, struct p9fid **fp)
{
	if ((*fp = p9fid_get(s, num)) == NULL)
		return -EBADF;
	return (*fp)->qtype & P9_QTDIR ? 0 : -ENOTDIR;
}

/* Open for I/O: what Tread, Twrite, Treaddir and Tfsync need. */
static int
open_get(struct p9srv *s, uint32_t num, struct p9fid **fp)
{
	if ((*fp = p9fid_get(s, num)) == NULL || !(*fp)->open)
		return -EBADF;
	return 0;
}

static int
entry_qid(int dirfd, const char *name, struct p9qid *qid)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	p9path_qid(&st, qid);
	return 0;
}

/* The guest's open flags as the host's: never O_CREAT, O_PATH or the
 * like; always O_NONBLOCK, so that a fifo cannot stop the server. */
static int
open_flags(uint32_t lflags)
{
	static const struct {
		uint32_t p9;
		int host;
	} bits[] = {
		{ P9_OTRUNC, O_TRUNC }, { P9_OAPPEND, O_APPEND },
		{ P9_ODIRECTORY, O_DIRECTORY }, { P9_ONOFOLLOW, O_NOFOLLOW },
		{ P9_ODSYNC, O_DSYNC }, { P9_OSYNC, O_SYNC },
	};
	static const int acc[] = { O_RDONLY, O_WRONLY, O_RDWR };
	size_t i;
	int flags;

	if ((lflags & P9_OACCMODE) == P9_OACCMODE)
		return -EINVAL;
	flags = acc[lflags & P9_OACCMODE] | O_NONBLOCK;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((lflags & bits[i].p9) == bits[i].p9)
			flags |= bits[i].host;
	return flags;
}

static int
iounit(const struct p9srv *s)
{
	return (int)(s->msize - P9_IOHDRSZ);
}

/* The fid, now open on fd. */
static int
fid_opened(struct p9fid *f, int fd, struct p9qid *qid)
{
	int r;

	if ((r = p9path_fdqid(fd, qid)) < 0) {
		close(fd);
		return r;
	}
	close(f->fd);
	f->fd = fd;
	f->qtype = qid->type;
	f->open = 1;
	return 0;
}

int
p9fs_lopen(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), lflags = p9_get32(in);
	struct p9fid *f;
	struct p9qid qid;
	int flags, fd, r;

	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	if (f->open)
		return -EBADF;
	if ((flags = open_flags(lflags)) < 0)
		return flags;
	if (s->readonly && ((flags & O_ACCMODE) != O_RDONLY ||
	    (flags & O_TRUNC)))
		return -EROFS;
	if ((fd = p9path_reopen(s->rootfd, f->fd, f->path, flags)) < 0)
		return fd;
	if ((r = fid_opened(f, fd, &qid)) < 0)
		return r;
	p9_putqid(out, &qid);
	p9_put32(out, (uint32_t)iounit(s));
	return 0;
}

int
p9fs_lcreate(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), lflags, mode;
	char name[P9_NAME_MAX + 1], *path;
	struct p9str str;
	struct p9fid *f;
	struct p9qid qid;
	int flags, fd, r;

	p9_getstr(in, &str);
	lflags = p9_get32(in);
	mode = p9_get32(in);
	(void)p9_get32(in);		/* gid: the caller's own */
	if ((r = p9_end(in)) < 0 || (r = p9path_name(&str, name)) < 0 ||
	    (r = dir_get(s, num, &f)) < 0)
		return r;
	if (f->open)
		return -EBADF;
	if ((flags = open_flags(lflags)) < 0)
		return flags;
	flags |= O_CREAT | O_NOFOLLOW | (lflags & P9_OEXCL ? O_EXCL : 0);
	if ((r = p9path_join(f->path, name, &path)) < 0)
		return r;
	/* No set-id bits: the guest's files must not run as the caller. */
	if ((fd = p9path_open(f->fd, name, flags, mode & 01777)) < 0 ||
	    (r = fid_opened(f, fd, &qid)) < 0) {
		free(path);
		return fd < 0 ? fd : r;
	}
	free(f->path);
	f->path = path;
	p9_putqid(out, &qid);
	p9_put32(out, (uint32_t)iounit(s));
	return 0;
}

static int
offset(uint64_t off)
{
	return off > INT64_MAX ? -EINVAL : 0;
}

int
p9fs_read(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), count;
	uint64_t off = p9_get64(in);
	struct p9fid *f;
	size_t at = out->len;
	unsigned char *buf;
	ssize_t n;
	int r;

	count = p9_get32(in);
	if ((r = p9_end(in)) < 0 || (r = open_get(s, num, &f)) < 0 ||
	    (r = offset(off)) < 0)
		return r;
	if (count > s->msize - READ_HDRSZ)
		count = s->msize - READ_HDRSZ;
	p9_put32(out, 0);
	if ((buf = p9_reserve(out, count)) == NULL)
		return -EMSGSIZE;
	if ((n = pread(f->fd, buf, count, (off_t)off)) < 0)
		return -errno;
	out->len = at + 4 + (size_t)n;
	p9_set32(out, at, (uint32_t)n);
	return 0;
}

int
p9fs_write(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), count;
	uint64_t off = p9_get64(in);
	const void *data;
	struct p9fid *f;
	ssize_t n;
	int r;

	count = p9_get32(in);
	data = p9_getdata(in, count);
	if ((r = p9_end(in)) < 0 || (r = open_get(s, num, &f)) < 0 ||
	    (r = offset(off)) < 0)
		return r;
	if ((n = pwrite(f->fd, data, count, (off_t)off)) < 0)
		return -errno;
	p9_put32(out, (uint32_t)n);
	return 0;
}

int
p9fs_getattr(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in);
	struct p9fid *f;
	struct p9qid qid;
	struct stat st;
	int r;

	(void)p9_get64(in);		/* request_mask: all basic, always */
	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	if (fstat(f->fd, &st) < 0)
		return -errno;
	p9path_qid(&st, &qid);
	p9_put64(out, P9_GETATTR_BASIC);
	p9_putqid(out, &qid);
	p9_put32(out, st.st_mode);
	p9_put32(out, st.st_uid);
	p9_put32(out, st.st_gid);
	p9_put64(out, st.st_nlink);
	p9_put64(out, st.st_rdev);
	p9_put64(out, (uint64_t)st.st_size);
	p9_put64(out, (uint64_t)st.st_blksize);
	p9_put64(out, (uint64_t)st.st_blocks);
	p9_put64(out, (uint64_t)st.st_atim.tv_sec);
	p9_put64(out, (uint64_t)st.st_atim.tv_nsec);
	p9_put64(out, (uint64_t)st.st_mtim.tv_sec);
	p9_put64(out, (uint64_t)st.st_mtim.tv_nsec);
	p9_put64(out, (uint64_t)st.st_ctim.tv_sec);
	p9_put64(out, (uint64_t)st.st_ctim.tv_nsec);
	p9_put64(out, 0);		/* btime, gen, data_version: unset */
	p9_put64(out, 0);
	p9_put64(out, 0);
	p9_put64(out, 0);
	return 0;
}

/*
 * chmod by the fid's own O_PATH fd (fchmodat2), else (before Linux 6.6)
 * through a file opened for it. Never set-uid; set-gid on directories.
 */
static int
set_mode(struct p9srv *s, struct p9fid *f, uint32_t mode)
{
	struct stat st;
	int fd, r = 0;

	if (fstat(f->fd, &st) < 0)
		return -errno;
	mode &= S_ISDIR(st.st_mode) ? 03777 : 01777;
	if (syscall(SYS_fchmodat2, f->fd, "", (mode_t)mode, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	if (f->open)
		return fchmod(f->fd, (mode_t)mode) < 0 ? -errno : 0;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return -EOPNOTSUPP;
	if ((fd = p9path_reopen(s->rootfd, f->fd, f->path,
	    O_RDONLY | O_NONBLOCK)) < 0)
		return fd;
	if (fchmod(fd, (mode_t)mode) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* truncate: an ftruncate on a file opened for writing, its own or anew. */
static int
set_size(struct p9srv *s, struct p9fid *f, uint64_t size)
{
	struct stat st;
	int fd, r = 0;

	if ((r = offset(size)) < 0)
		return r;
	if (fstat(f->fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (f->open && (fcntl(f->fd, F_GETFL) & O_ACCMODE) != O_RDONLY)
		return ftruncate(f->fd, (off_t)size) < 0 ? -errno : 0;
	if ((fd = p9path_reopen(s->rootfd, f->fd, f->path,
	    O_WRONLY | O_NONBLOCK)) < 0)
		return fd;
	if (ftruncate(fd, (off_t)size) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* A time to set: the one given (with _SET), now, or left as it is. */
static struct timespec
stamp(uint32_t valid, uint32_t bit, uint32_t setbit, uint64_t sec,
    uint64_t nsec)
{
	struct timespec ts = { 0, UTIME_OMIT };

	if ((valid & bit) && (valid & setbit)) {
		ts.tv_sec = (time_t)sec;
		ts.tv_nsec = nsec < 1000000000 ? (long)nsec : -1;
	} else if (valid & bit)
		ts.tv_nsec = UTIME_NOW;
	return ts;
}

int
p9fs_setattr(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), valid = p9_get32(in);
	uint32_t mode = p9_get32(in), uid = p9_get32(in), gid = p9_get32(in);
	uint64_t size = p9_get64(in), t[4];
	struct timespec ts[2];
	struct p9fid *f;
	int i, r;

	for (i = 0; i < 4; i++)
		t[i] = p9_get64(in);
	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	if ((valid & P9_SETATTR_MODE) && (r = set_mode(s, f, mode)) < 0)
		return r;
	if ((valid & (P9_SETATTR_UID | P9_SETATTR_GID)) &&
	    fchownat(f->fd, "", valid & P9_SETATTR_UID ? uid : (uid_t)-1,
	    valid & P9_SETATTR_GID ? gid : (gid_t)-1, AT_EMPTY_PATH) < 0)
		return -errno;
	if ((valid & P9_SETATTR_SIZE) && (r = set_size(s, f, size)) < 0)
		return r;
	ts[0] = stamp(valid, P9_SETATTR_ATIME, P9_SETATTR_ATIME_SET, t[0],
	    t[1]);
	ts[1] = stamp(valid, P9_SETATTR_MTIME, P9_SETATTR_MTIME_SET, t[2],
	    t[3]);
	if ((valid & (P9_SETATTR_ATIME | P9_SETATTR_MTIME)) &&
	    utimensat(f->fd, "", ts, AT_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

static void
put_dirent(struct p9srv *s, struct p9fid *f, const struct dirent64 *d,
    struct p9out *out)
{
	struct p9qid qid = { P9_QTFILE, 0, d->d_ino };

	if (d->d_type == DT_DIR)
		qid.type = P9_QTDIR;
	else if (d->d_type == DT_LNK)
		qid.type = P9_QTSYMLINK;
	if (f->path[0] == '\0' && strcmp(d->d_name, "..") == 0)
		qid.path = s->rootino;	/* nothing of what is above */
	p9_putqid(out, &qid);
	p9_put64(out, (uint64_t)d->d_off);
	p9_put8(out, d->d_type);
	p9_putstr(out, d->d_name, strlen(d->d_name));
}

/* Entries from the cookie off, as many as fit in count. */
int
p9fs_readdir(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), count;
	uint64_t off = p9_get64(in);
	const struct dirent64 *d;
	struct p9fid *f;
	size_t at = out->len;
	ssize_t n, i;
	int r;

	count = p9_get32(in);
	if ((r = p9_end(in)) < 0 || (r = open_get(s, num, &f)) < 0 ||
	    (r = offset(off)) < 0)
		return r;
	if (!(f->qtype & P9_QTDIR))
		return -ENOTDIR;
	if (count > s->msize - READ_HDRSZ)
		count = s->msize - READ_HDRSZ;
	if (lseek(f->fd, (off_t)off, SEEK_SET) < 0 ||
	    (n = getdents64(f->fd, s->dirbuf, count > 512 ? count : 512)) < 0)
		return -errno;
	p9_put32(out, 0);
	for (i = 0; i < n; i += d->d_reclen) {
		d = (const struct dirent64 *)(s->dirbuf + i);
		if (out->len - at - 4 + DIRENT_HDRSZ + strlen(d->d_name) >
		    count)
			break;
		put_dirent(s, f, d, out);
	}
	if (i == 0 && n > 0)
		return -EINVAL;		/* count: not even one entry */
	p9_set32(out, at, (uint32_t)(out->len - at - 4));
	return 0;
}

int
p9fs_statfs(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in);
	struct statfs sf;
	struct p9fid *f;
	uint64_t fsid;
	int r;

	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	if (fstatfs(f->fd, &sf) < 0)
		return -errno;
	memcpy(&fsid, &sf.f_fsid, sizeof(fsid));
	p9_put32(out, (uint32_t)sf.f_type);
	p9_put32(out, (uint32_t)sf.f_bsize);
	p9_put64(out, sf.f_blocks);
	p9_put64(out, sf.f_bfree);
	p9_put64(out, sf.f_bavail);
	p9_put64(out, sf.f_files);
	p9_put64(out, sf.f_ffree);
	p9_put64(out, fsid);
	p9_put32(out, (uint32_t)sf.f_namelen);
	return 0;
}

int
p9fs_readlink(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in);
	char buf[P9_PATH_MAX];
	struct p9fid *f;
	ssize_t n;
	int r;

	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	if (!(f->qtype & P9_QTSYMLINK))
		return -EINVAL;
	if ((n = readlinkat(f->fd, "", buf, sizeof(buf))) < 0)
		return -errno;
	if ((size_t)n == sizeof(buf))
		return -ENAMETOOLONG;
	p9_putstr(out, buf, (size_t)n);
	return 0;
}

/* The target is text: anything, only following it is confined. */
int
p9fs_symlink(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in);
	char name[P9_NAME_MAX + 1], target[P9_PATH_MAX];
	struct p9str nstr, tstr;
	struct p9fid *d;
	struct p9qid qid;
	int r;

	p9_getstr(in, &nstr);
	p9_getstr(in, &tstr);
	(void)p9_get32(in);		/* gid */
	if ((r = p9_end(in)) < 0 || (r = p9path_name(&nstr, name)) < 0 ||
	    (r = p9path_text(&tstr, target, sizeof(target))) < 0 ||
	    (r = dir_get(s, num, &d)) < 0)
		return r;
	if (symlinkat(target, d->fd, name) < 0)
		return -errno;
	if ((r = entry_qid(d->fd, name, &qid)) < 0)
		return r;
	p9_putqid(out, &qid);
	return 0;
}

/* Devices and fifos: not from a guest. */
int
p9fs_mknod(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	struct p9str name;
	int i, r;

	(void)p9_get32(in);
	p9_getstr(in, &name);
	for (i = 0; i < 4; i++)
		(void)p9_get32(in);
	return (r = p9_end(in)) < 0 ? r : -EPERM;
}

int
p9fs_mkdir(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), mode;
	char name[P9_NAME_MAX + 1];
	struct p9str str;
	struct p9fid *d;
	struct p9qid qid;
	int r;

	p9_getstr(in, &str);
	mode = p9_get32(in);
	(void)p9_get32(in);		/* gid */
	if ((r = p9_end(in)) < 0 || (r = p9path_name(&str, name)) < 0 ||
	    (r = dir_get(s, num, &d)) < 0)
		return r;
	if (mkdirat(d->fd, name, (mode_t)(mode & 03777)) < 0)
		return -errno;
	if ((r = entry_qid(d->fd, name, &qid)) < 0)
		return r;
	p9_putqid(out, &qid);
	return 0;
}

/* renameat, then the fids below the old name follow it. */
static int
rename_entry(struct p9srv *s, int fromfd, const char *fromname,
    const char *frompath, struct p9fid *d, const char *name)
{
	char *from, *to;
	int r = 0;

	if ((r = p9path_join(d->path, name, &to)) < 0)
		return r;
	if ((from = strdup(frompath)) == NULL) {
		free(to);
		return -ENOMEM;
	}
	if (renameat(fromfd, fromname, d->fd, name) < 0)
		r = -errno;
	else
		p9fid_renamed(s, from, to);
	free(from);
	free(to);
	return r;
}

int
p9fs_rename(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), dnum = p9_get32(in);
	char name[P9_NAME_MAX + 1];
	const char *base;
	struct p9str str;
	struct p9fid *f, *d;
	int pfd, r;

	p9_getstr(in, &str);
	if ((r = p9_end(in)) < 0 || (r = p9path_name(&str, name)) < 0 ||
	    (r = fid_get(s, num, &f)) < 0 || (r = dir_get(s, dnum, &d)) < 0)
		return r;
	if ((pfd = p9path_parent(s->rootfd, f->fd, f->path, &base)) < 0)
		return pfd;
	r = rename_entry(s, pfd, base, f->path, d, name);
	close(pfd);
	return r;
}

int
p9fs_renameat(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t onum = p9_get32(in), nnum;
	char oname[P9_NAME_MAX + 1], nname[P9_NAME_MAX + 1], *from;
	struct p9str ostr, nstr;
	struct p9fid *od, *nd;
	int r;

	p9_getstr(in, &ostr);
	nnum = p9_get32(in);
	p9_getstr(in, &nstr);
	if ((r = p9_end(in)) < 0 || (r = p9path_name(&ostr, oname)) < 0 ||
	    (r = p9path_name(&nstr, nname)) < 0 ||
	    (r = dir_get(s, onum, &od)) < 0 || (r = dir_get(s, nnum, &nd)) < 0)
		return r;
	if ((r = p9path_join(od->path, oname, &from)) < 0)
		return r;
	r = rename_entry(s, od->fd, oname, from, nd, nname);
	free(from);
	return r;
}

int
p9fs_unlinkat(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), flags;
	char name[P9_NAME_MAX + 1];
	struct p9str str;
	struct p9fid *d;
	int r;

	p9_getstr(in, &str);
	flags = p9_get32(in);
	if ((r = p9_end(in)) < 0 || (r = p9path_name(&str, name)) < 0 ||
	    (r = dir_get(s, num, &d)) < 0)
		return r;
	if (flags & ~(uint32_t)P9_AT_REMOVEDIR)
		return -EINVAL;
	if (unlinkat(d->fd, name, flags ? AT_REMOVEDIR : 0) < 0)
		return -errno;
	return 0;
}

/* Tremove: unlinkat by the fid's name in its parent; the fid goes anyway. */
int
p9fs_remove(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in);
	const char *base;
	struct p9fid *f;
	int pfd, r;

	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	if (s->readonly)
		r = -EROFS;
	else if ((pfd = p9path_parent(s->rootfd, f->fd, f->path, &base)) < 0)
		r = pfd;
	else {
		if (unlinkat(pfd, base, f->qtype & P9_QTDIR ?
		    AT_REMOVEDIR : 0) < 0)
			r = -errno;
		close(pfd);
	}
	p9fid_del(s, num);
	return r;
}

int
p9fs_link(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t dnum = p9_get32(in), num = p9_get32(in);
	char name[P9_NAME_MAX + 1];
	const char *base;
	struct p9str str;
	struct p9fid *d, *f;
	int pfd, r = 0;

	p9_getstr(in, &str);
	if ((r = p9_end(in)) < 0 || (r = p9path_name(&str, name)) < 0 ||
	    (r = dir_get(s, dnum, &d)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	if ((pfd = p9path_parent(s->rootfd, f->fd, f->path, &base)) < 0)
		return pfd;
	if (linkat(pfd, base, d->fd, name, 0) < 0)
		r = -errno;
	close(pfd);
	return r;
}

int
p9fs_fsync(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), datasync = p9_get32(in);
	struct p9fid *f;
	int r;

	if ((r = p9_end(in)) < 0 || (r = open_get(s, num, &f)) < 0)
		return r;
	if ((datasync ? fdatasync(f->fd) : fsync(f->fd)) < 0)
		return -errno;
	return 0;
}

int
p9fs_xattrwalk(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	struct p9str name;
	int r;

	(void)p9_get32(in);
	(void)p9_get32(in);
	p9_getstr(in, &name);
	return (r = p9_end(in)) < 0 ? r : -EOPNOTSUPP;
}

int
p9fs_xattrcreate(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	struct p9str name;
	int r;

	(void)p9_get32(in);
	p9_getstr(in, &name);
	(void)p9_get64(in);
	(void)p9_get32(in);
	return (r = p9_end(in)) < 0 ? r : -EOPNOTSUPP;
}

/* Locks are the guest's own business: every one is granted. */
int
p9fs_lock(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in);
	struct p9str client;
	struct p9fid *f;
	int r;

	(void)p9_get8(in);		/* type */
	(void)p9_get32(in);		/* flags */
	(void)p9_get64(in);		/* start */
	(void)p9_get64(in);		/* length */
	(void)p9_get32(in);		/* proc_id */
	p9_getstr(in, &client);
	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	p9_put8(out, P9_LOCK_SUCCESS);
	return 0;
}

int
p9fs_getlock(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), proc;
	uint64_t start, length;
	struct p9str client;
	struct p9fid *f;
	int r;

	(void)p9_get8(in);		/* type */
	start = p9_get64(in);
	length = p9_get64(in);
	proc = p9_get32(in);
	p9_getstr(in, &client);
	if ((r = p9_end(in)) < 0 || (r = fid_get(s, num, &f)) < 0)
		return r;
	p9_put8(out, P9_LOCK_TYPE_UNLCK);
	p9_put64(out, start);
	p9_put64(out, length);
	p9_put32(out, proc);
	p9_putstr(out, client.s, client.len);
	return 0;
}
