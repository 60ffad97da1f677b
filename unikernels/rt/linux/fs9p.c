/*
 * The caller's tree: names walked to fids, links followed here (so that
 * an absolute target means the program's view, never the host's), and
 * open files and directories as file_ops.
 */
#include "linux.h"
#include "fs9p.h"
#include "path.h"
#include "sys.h"

#define O_CREAT		0100
#define O_EXCL		0200
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_PATH		010000000
#define LINKS_MAX	40
#define NODES		128

struct node {
	uint32_t fid;
	int used, dir;
	char path[PATH_MAX];	/* as the program opened it, absolute */
};

static struct node nodes[NODES];
uint64_t tree_dev = 0x2b;

/* A walk and a Tgetattr of its end in one round trip: the walk's
 * result, the getattr's in *ar. */
static int
walk_attr(uint32_t fid, uint32_t newfid, int n, const char *const *names,
    struct p9_qid *q, struct p9_attr *a, int *ar)
{
	int r;

	if ((r = p9_walk_then(fid, newfid, n, names)) < 0)
		return r;
	*ar = p9_getattr(newfid, a);
	return p9_walked(n, q);
}

/* rel (from the tree's root) to a new fid; with a, its attributes too,
 * asked in the same round trip as the last names. */
static int
walk_rel(const char *rel, uint32_t *fidp, struct p9_qid *q,
    struct p9_attr *a)
{
	static char buf[PATH_MAX];
	static const char *names[PATH_MAX / 2];
	uint32_t fid;
	int i, k, n, r, ar = 0;

	memcpy(buf, rel, strlen(rel) + 1);
	if ((n = path_split(buf, names, PATH_MAX / 2)) < 0)
		return n;
	if ((r = p9_fid_new(&fid)) < 0)
		return r;
	q->type = P9_QTDIR;
	for (i = 0; i == 0 || i < n; i += k) {
		k = n - i < P9_WALK_MAX ? n - i : P9_WALK_MAX;
		if (a != NULL && i + k == n)
			r = walk_attr(i == 0 ? P9_ROOT : fid, fid, k, names + i,
			    q, a, &ar);
		else
			r = p9_walk(i == 0 ? P9_ROOT : fid, fid, k, names + i,
			    q);
		if (r < 0) {
			if (i == 0)
				p9_fid_forget(fid);
			else
				p9_fid_free(fid);
			return r;
		}
		if (n == 0)
			break;	/* the root: a clone */
	}
	if (ar < 0) {
		p9_fid_free(fid);
		return ar;
	}
	*fidp = fid;
	return 0;
}

/*
 * abs (a PATH_MAX buffer) to a fid (and with a, its attributes); with
 * FOLLOW, a last name that is a link is replaced by its target, in abs
 * too.
 */
int
tree_walk(char *abs, int follow, uint32_t *fidp, struct p9_qid *q,
    struct p9_attr *a)
{
	char target[PATH_MAX], dir[PATH_MAX];
	const char *rel;
	int i, r;
	long k;

	for (i = 0; i <= LINKS_MAX; i++) {
		if (path_place(abs, &rel) != IN_TREE)
			return -ENOENT;
		if ((r = walk_rel(rel, fidp, q, a)) < 0)
			return r;
		if (!follow || !(q->type & P9_QTSYMLINK))
			return 0;
		k = p9_readlink(*fidp, target, sizeof(target));
		p9_fid_free(*fidp);
		if (k < 0)
			return (int)k;
		if ((r = path_parent(abs, dir)) < 0 ||
		    (r = path_join(dir, target, abs)) < 0)
			return r;
	}
	return -ELOOP;
}

/* The directory abs names an entry of, walked to, and the entry's name. */
int
tree_parent(const char *abs, uint32_t *dfid, const char **name)
{
	char dir[PATH_MAX];
	struct p9_qid q;
	const char *rel;
	int r;

	if (path_place(abs, &rel) != IN_TREE)
		return -EACCES;
	if (rel[0] == '\0')
		return -EBUSY;
	if ((r = path_parent(abs, dir)) < 0 ||
	    (r = tree_walk(dir, FOLLOW, dfid, &q, NULL)) < 0)
		return r;
	if (!(q.type & P9_QTDIR)) {
		p9_fid_free(*dfid);
		return -ENOTDIR;
	}
	*name = path_base(abs);
	return 0;
}

void
tree_stat(const struct p9_attr *a, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = tree_dev;
	st->ino = a->qid.path;
	st->nlink = a->nlink;
	st->mode = a->mode;
	st->uid = a->uid;
	st->gid = a->gid;
	st->rdev = a->rdev;
	st->size = (int64_t)a->size;
	st->blksize = (int64_t)a->blksize;
	st->blocks = (int64_t)a->blocks;
	st->atime = a->atime;
	st->atime_ns = a->atime_ns;
	st->mtime = a->mtime;
	st->mtime_ns = a->mtime_ns;
	st->ctime = a->ctime;
	st->ctime_ns = a->ctime_ns;
}

long
tree_readlink(const char *path, char *buf, size_t n)
{
	char abs[PATH_MAX];
	struct p9_qid q;
	uint32_t fid;
	long r;

	memcpy(abs, path, strlen(path) + 1);
	if ((r = tree_walk(abs, 0, &fid, &q, NULL)) < 0)
		return r;
	r = q.type & P9_QTSYMLINK ? p9_readlink(fid, buf, n) : -EINVAL;
	p9_fid_free(fid);
	return r;
}

static struct node *
node_of(struct file *f)
{
	return f->priv;
}

/*
 * Read-ahead for small reads (stdio reads st_blksize at a time): one
 * Tread of the most a reply holds, kept for the file that was read
 * last. Any change made through the VM drops it.
 */
static struct {
	struct node *v;
	int64_t off;
	size_t len;
	uint8_t buf[128 * 1024];
} ra;

void
tree_changed(void)
{
	ra.v = NULL;
}

static long
read_ahead(struct file *f, void *buf, size_t n)
{
	struct node *v = node_of(f);
	size_t want = p9_iosize() < sizeof(ra.buf) ? p9_iosize() :
	    sizeof(ra.buf), k;
	long r;

	if (ra.v != v || f->pos < ra.off || f->pos >= ra.off +
	    (int64_t)ra.len) {
		ra.v = NULL;
		if ((r = p9_read(v->fid, (uint64_t)f->pos, ra.buf,
		    (uint32_t)want)) <= 0)
			return r;
		ra.v = v;
		ra.off = f->pos;
		ra.len = (size_t)r;
	}
	k = ra.len - (size_t)(f->pos - ra.off);
	if (k > n)
		k = n;
	memcpy(buf, ra.buf + (f->pos - ra.off), k);
	f->pos += (int64_t)k;
	return (long)k;
}

static long
reg_read(struct file *f, void *buf, size_t n)
{
	struct node *v = node_of(f);
	uint8_t *p = buf;
	size_t got = 0;
	long k;

	if (n < p9_iosize() / 4)
		return read_ahead(f, buf, n);
	while (got < n) {
		size_t want = n - got < p9_iosize() ? n - got : p9_iosize();

		if ((k = p9_read(v->fid, (uint64_t)f->pos, p + got,
		    (uint32_t)want)) < 0)
			return got > 0 ? (long)got : k;
		got += (size_t)k;
		f->pos += k;
		if ((size_t)k < want)
			break;
	}
	return (long)got;
}

static long
size_of(struct node *v, int64_t *size)
{
	struct p9_attr a;
	long r;

	if ((r = p9_getattr(v->fid, &a)) < 0)
		return r;
	*size = (int64_t)a.size;
	return 0;
}

static long
reg_write(struct file *f, const void *buf, size_t n)
{
	struct node *v = node_of(f);
	const uint8_t *p = buf;
	size_t put = 0;
	long k;

	tree_changed();
	if ((f->flags & O_APPEND) && (k = size_of(v, &f->pos)) < 0)
		return k;
	while (put < n) {
		size_t want = n - put < p9_iosize() ? n - put : p9_iosize();

		if ((k = p9_write(v->fid, (uint64_t)f->pos, p + put,
		    (uint32_t)want)) < 0)
			return put > 0 ? (long)put : k;
		put += (size_t)k;
		f->pos += k;
		if (k == 0)
			break;
	}
	return (long)put;
}

static long
node_stat(struct file *f, struct kstat *st)
{
	struct p9_attr a;
	long r;

	if ((r = p9_getattr(node_of(f)->fid, &a)) < 0)
		return r;
	tree_stat(&a, st);
	return 0;
}

static long
reg_seek(struct file *f, int64_t off, int whence)
{
	int64_t base = 0;
	long r;

	if (whence == 1)
		base = f->pos;
	else if (whence == 2 && (r = size_of(node_of(f), &base)) < 0)
		return r;
	else if (whence < 0 || whence > 2)
		return -EINVAL;
	if (base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return (long)f->pos;
}

static int
node_ready(struct file *f, int events)
{
	return events & 5;
}

static void
node_close(struct file *f)
{
	struct node *v = node_of(f);

	if (ra.v == v)
		ra.v = NULL;
	p9_fid_free(v->fid);
	v->used = 0;
}

/*
 * 9P entries (qid[13] offset[8] type[1] name[s]) to linux_dirent64s.
 * Asks for half of n: a dirent may be 7 bytes longer than its entry.
 */
static long
dir_getdents(struct file *f, void *buf, size_t n)
{
	static uint8_t raw[64 * 1024];
	struct node *v = node_of(f);
	uint8_t *out = buf;
	size_t got = 0, at = 0, want = n / 2 < sizeof(raw) ? n / 2 :
	    sizeof(raw);
	long k;

	if ((k = p9_readdir(v->fid, (uint64_t)f->pos, raw,
	    (uint32_t)want)) <= 0)
		return k;
	while (at + 24 <= (size_t)k) {
		uint64_t ino, off;
		uint16_t len, reclen;

		memcpy(&ino, raw + at + 5, 8);
		memcpy(&off, raw + at + 13, 8);
		memcpy(&len, raw + at + 22, 2);
		if (at + 24 + len > (size_t)k)
			return -EIO;
		reclen = (uint16_t)((19 + len + 1 + 7) & ~7);
		if (got + reclen > n)
			break;
		memset(out + got, 0, reclen);
		memcpy(out + got, &ino, 8);
		memcpy(out + got + 8, &off, 8);
		memcpy(out + got + 16, &reclen, 2);
		out[got + 18] = raw[at + 21];
		memcpy(out + got + 19, raw + at + 24, len);
		got += reclen;
		f->pos = (int64_t)off;
		at += 24 + (size_t)len;
	}
	return got == 0 && at < (size_t)k ? -EINVAL : (long)got;
}

static long
dir_seek(struct file *f, int64_t off, int whence)
{
	if (whence != 0 || off < 0)
		return -EINVAL;
	f->pos = off;
	return (long)off;
}

static const struct file_ops reg_ops = {
	.read = reg_read, .write = reg_write, .stat = node_stat,
	.seek = reg_seek, .ready = node_ready, .close = node_close,
};
static const struct file_ops dir_ops = {
	.stat = node_stat, .seek = dir_seek, .getdents = dir_getdents,
	.ready = node_ready, .close = node_close,
};
static const struct file_ops path_ops = {
	.stat = node_stat, .close = node_close,
};

uint32_t
file_fid(struct file *f)
{
	return f != NULL && (f->ops == &reg_ops || f->ops == &dir_ops ||
	    f->ops == &path_ops) ? node_of(f)->fid : P9_NOFID;
}

const char *
file_path(struct file *f)
{
	return file_fid(f) != P9_NOFID ? node_of(f)->path : NULL;
}

static long
install(const char *abs, uint32_t fid, int dir, int flags)
{
	const struct file_ops *ops = flags & O_PATH ? &path_ops :
	    dir ? &dir_ops : &reg_ops;
	struct file *f;
	int i;

	for (i = 0; i < NODES && nodes[i].used; i++)
		;
	if (i == NODES || (f = file_new(ops, flags & ~O_CLOEXEC)) == NULL) {
		p9_fid_free(fid);
		return -ENFILE;
	}
	nodes[i].used = 1;
	nodes[i].fid = fid;
	nodes[i].dir = dir;
	memcpy(nodes[i].path, abs, strlen(abs) + 1);
	f->priv = &nodes[i];
	return fd_install(f, 0, flags & O_CLOEXEC);
}

/* A new file: fid, a clone of its directory's, becomes it, open. */
static long
create(char *abs, int flags, int mode)
{
	struct p9_qid q;
	uint32_t dfid, fid;
	const char *name;
	long r;

	if ((r = tree_parent(abs, &dfid, &name)) < 0)
		return r;
	if ((r = p9_fid_new(&fid)) < 0)
		goto out;
	if (p9_walk(dfid, fid, 1, &name, &q) == 0) {
		p9_fid_free(fid);
		r = flags & O_EXCL ? -EEXIST : 1;
		goto out;
	}
	if ((r = p9_walk(dfid, fid, 0, NULL, &q)) < 0) {
		p9_fid_forget(fid);
		goto out;
	}
	if ((r = p9_lcreate(fid, name, (uint32_t)flags & ~(O_CREAT |
	    O_EXCL | O_NOFOLLOW | O_CLOEXEC), (uint32_t)mode &
	    ~(uint32_t)proc_umask() & 07777)) < 0) {
		p9_fid_free(fid);
		goto out;
	}
	r = install(abs, fid, 0, flags);
out:
	p9_fid_free(dfid);
	return r;
}

long
tree_open(const char *path, int flags, int mode)
{
	char abs[PATH_MAX];
	struct p9_qid q;
	uint32_t fid;
	long r;
	int dir;

	memcpy(abs, path, strlen(path) + 1);
	if ((flags & O_CREAT) && (r = create(abs, flags, mode)) != 1)
		return r;
	if ((r = tree_walk(abs, !(flags & O_NOFOLLOW), &fid, &q, NULL)) < 0)
		return r;
	dir = (q.type & P9_QTDIR) != 0;
	if ((q.type & P9_QTSYMLINK) && !(flags & O_PATH))
		r = -ELOOP;
	else if ((flags & O_DIRECTORY) && !dir)
		r = -ENOTDIR;
	else if (dir && (flags & O_ACCMODE) != O_RDONLY)
		r = -EISDIR;
	else if (!(flags & O_PATH))
		r = p9_lopen(fid, (uint32_t)flags & (O_ACCMODE | O_TRUNC |
		    O_APPEND | O_DIRECTORY));
	if (r < 0) {
		p9_fid_free(fid);
		return r;
	}
	return install(abs, fid, dir, flags);
}
