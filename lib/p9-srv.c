/* p9-srv.c: a 9P2000.L session: framing, fids, dispatch, version to clunk */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "p9.h"

static struct p9fid **
bucket(struct p9srv *s, uint32_t num)
{
	return &s->fids[num % P9_FID_BUCKETS];
}

struct p9fid *
p9fid_get(struct p9srv *s, uint32_t num)
{
	struct p9fid *f;

	for (f = *bucket(s, num); f != NULL; f = f->next)
		if (f->num == num)
			return f;
	return NULL;
}

/* A new fid, owning fd and path (gone if it cannot be made). */
static int
fid_add(struct p9srv *s, uint32_t num, int fd, char *path, uint8_t qtype)
{
	struct p9fid *f = NULL;

	if (s->nfids >= P9_FIDS_MAX || (f = calloc(1, sizeof(*f))) == NULL) {
		close(fd);
		free(path);
		return f == NULL && s->nfids < P9_FIDS_MAX ? -ENOMEM : -EMFILE;
	}
	f->num = num;
	f->fd = fd;
	f->path = path;
	f->qtype = qtype;
	f->next = *bucket(s, num);
	*bucket(s, num) = f;
	s->nfids++;
	return 0;
}

static void
fid_free(struct p9fid *f)
{
	close(f->fd);
	free(f->path);
	free(f);
}

void
p9fid_del(struct p9srv *s, uint32_t num)
{
	struct p9fid **fp, *f;

	for (fp = bucket(s, num); (f = *fp) != NULL; fp = &f->next)
		if (f->num == num) {
			*fp = f->next;
			fid_free(f);
			s->nfids--;
			return;
		}
}

static void
fids_clear(struct p9srv *s)
{
	struct p9fid *f;
	int i;

	for (i = 0; i < P9_FID_BUCKETS; i++)
		while ((f = s->fids[i]) != NULL) {
			s->fids[i] = f->next;
			fid_free(f);
		}
	s->nfids = 0;
}

/*
 * The guest renamed from to to (neither a fid's own string): the fids at
 * or below it follow, as their fds did, for ".." and reopening. One that
 * cannot is left stale, which is still confined and checked on use.
 */
void
p9fid_renamed(struct p9srv *s, const char *from, const char *to)
{
	size_t fn = strlen(from), tn = strlen(to);
	struct p9fid *f;
	char *p;
	int i;

	for (i = 0; i < P9_FID_BUCKETS; i++)
		for (f = s->fids[i]; f != NULL; f = f->next) {
			if (strncmp(f->path, from, fn) != 0 ||
			    (f->path[fn] != '\0' && f->path[fn] != '/'))
				continue;
			if ((p = malloc(tn + strlen(f->path + fn) + 1)) == NULL)
				continue;
			memcpy(p, to, tn);
			strcpy(p + tn, f->path + fn);
			free(f->path);
			f->path = p;
		}
}

static int
t_version(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t msize = p9_get32(in);
	struct p9str v;
	int r, known;

	p9_getstr(in, &v);
	if ((r = p9_end(in)) < 0)
		return r;
	if (msize < P9_MSIZE_MIN)
		return -EINVAL;
	fids_clear(s);
	if (msize > P9_MSIZE_MAX)
		msize = P9_MSIZE_MAX;
	known = v.len == strlen(P9_VERSION) &&
	    memcmp(v.s, P9_VERSION, v.len) == 0;
	s->msize = known ? msize : 0;
	p9_put32(out, msize);
	if (known)
		p9_putstr(out, P9_VERSION, strlen(P9_VERSION));
	else
		p9_putstr(out, "unknown", 7);
	return 0;
}

static int
t_attach(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), afid = p9_get32(in);
	struct p9str uname, aname;
	struct p9qid qid;
	char *path;
	int fd, r;

	p9_getstr(in, &uname);
	p9_getstr(in, &aname);
	(void)p9_get32(in);		/* n_uname: the caller's own, always */
	if ((r = p9_end(in)) < 0)
		return r;
	if (afid != P9_NOFID)
		return -EINVAL;
	if (p9fid_get(s, num) != NULL)
		return -EEXIST;
	if ((r = p9path_fdqid(s->rootfd, &qid)) < 0)
		return r;
	if ((fd = fcntl(s->rootfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -errno;
	if ((path = strdup("")) == NULL) {
		close(fd);
		return -ENOMEM;
	}
	if ((r = fid_add(s, num, fd, path, P9_QTDIR)) < 0)
		return r;
	p9_putqid(out, &qid);
	return 0;
}

/* Every request is answered before the next is read: nothing to abort. */
static int
t_flush(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	(void)p9_get16(in);
	return p9_end(in);
}

static int
t_clunk(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in);
	int r;

	if ((r = p9_end(in)) < 0)
		return r;
	if (p9fid_get(s, num) == NULL)
		return -EBADF;
	p9fid_del(s, num);
	return 0;
}

/* newfid (maybe fid itself) takes what the walk reached. */
static int
fid_place(struct p9srv *s, struct p9fid *f, uint32_t newnum, int fd,
    char *path, uint8_t qtype)
{
	if (newnum != f->num)
		return fid_add(s, newnum, fd, path, qtype);
	close(f->fd);
	free(f->path);
	f->fd = fd;
	f->path = path;
	f->qtype = qtype;
	return 0;
}

/* As far as the names go: all of them, or the qids of those walked. */
static int
walk(struct p9srv *s, struct p9fid *f, uint32_t newnum,
    char (*names)[P9_NAME_MAX + 1], int nw, struct p9out *out)
{
	struct p9qid qids[P9_WALK_MAX];
	uint8_t qtype = f->qtype;
	char *path, *npath;
	int fd, nfd, i, r;

	if ((fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -errno;
	if ((path = strdup(f->path)) == NULL) {
		close(fd);
		return -ENOMEM;
	}
	for (i = 0; i < nw; i++) {
		if ((r = p9path_walk1(s->rootfd, fd, qtype, path, names[i],
		    &nfd, &npath, &qids[i])) < 0)
			break;
		close(fd);
		free(path);
		fd = nfd;
		path = npath;
		qtype = qids[i].type;
	}
	if (i < nw) {
		close(fd);
		free(path);
		if (i == 0)
			return r;
	} else if ((r = fid_place(s, f, newnum, fd, path, qtype)) < 0)
		return r;
	p9_put16(out, (uint16_t)i);
	for (nw = i, i = 0; i < nw; i++)
		p9_putqid(out, &qids[i]);
	return 0;
}

static int
t_walk(struct p9srv *s, struct p9in *in, struct p9out *out)
{
	uint32_t num = p9_get32(in), newnum = p9_get32(in);
	uint16_t nw = p9_get16(in), i;
	struct p9str str[P9_WALK_MAX];
	char names[P9_WALK_MAX][P9_NAME_MAX + 1];
	struct p9fid *f;
	int r;

	if (nw > P9_WALK_MAX)
		return in->err ? -EPROTO : -EINVAL;
	for (i = 0; i < nw; i++)
		p9_getstr(in, &str[i]);
	if ((r = p9_end(in)) < 0)
		return r;
	for (i = 0; i < nw; i++)
		if ((r = p9path_walkname(&str[i], names[i])) < 0)
			return r;
	if ((f = p9fid_get(s, num)) == NULL || f->open)
		return -EBADF;
	if (newnum != num && p9fid_get(s, newnum) != NULL)
		return -EEXIST;
	return walk(s, f, newnum, names, nw, out);
}

static const struct {
	p9_handler *fn;
	int writes;		/* EROFS when read-only */
} ops[256] = {
	[P9_TSTATFS] = { p9fs_statfs, 0 },
	[P9_TLOPEN] = { p9fs_lopen, 0 },	/* checks its flags */
	[P9_TLCREATE] = { p9fs_lcreate, 1 },
	[P9_TSYMLINK] = { p9fs_symlink, 1 },
	[P9_TMKNOD] = { p9fs_mknod, 1 },
	[P9_TRENAME] = { p9fs_rename, 1 },
	[P9_TREADLINK] = { p9fs_readlink, 0 },
	[P9_TGETATTR] = { p9fs_getattr, 0 },
	[P9_TSETATTR] = { p9fs_setattr, 1 },
	[P9_TXATTRWALK] = { p9fs_xattrwalk, 0 },
	[P9_TXATTRCREATE] = { p9fs_xattrcreate, 0 },
	[P9_TREADDIR] = { p9fs_readdir, 0 },
	[P9_TFSYNC] = { p9fs_fsync, 0 },
	[P9_TLOCK] = { p9fs_lock, 0 },
	[P9_TGETLOCK] = { p9fs_getlock, 0 },
	[P9_TLINK] = { p9fs_link, 1 },
	[P9_TMKDIR] = { p9fs_mkdir, 1 },
	[P9_TRENAMEAT] = { p9fs_renameat, 1 },
	[P9_TUNLINKAT] = { p9fs_unlinkat, 1 },
	[P9_TVERSION] = { t_version, 0 },
	[P9_TATTACH] = { t_attach, 0 },
	[P9_TFLUSH] = { t_flush, 0 },
	[P9_TWALK] = { t_walk, 0 },
	[P9_TREAD] = { p9fs_read, 0 },
	[P9_TWRITE] = { p9fs_write, 1 },
	[P9_TCLUNK] = { t_clunk, 0 },
	[P9_TREMOVE] = { p9fs_remove, 0 },	/* clunks even when read-only */
};

static int
dispatch(struct p9srv *s, uint8_t type, struct p9in *in, struct p9out *out)
{
	if (s->msize == 0 && type != P9_TVERSION)
		return -EPROTO;
	if (ops[type].fn == NULL)
		return -ENOSYS;
	if (ops[type].writes && s->readonly)
		return -EROFS;
	return ops[type].fn(s, in, out);
}

/* Room at the end of the queue for a reply of need bytes. */
static int
out_room(struct p9srv *s, size_t need)
{
	size_t cap;
	unsigned char *p;

	if (s->outcap - s->outlen >= need)
		return 0;
	if (s->outoff > 0) {
		memmove(s->out, s->out + s->outoff, s->outlen - s->outoff);
		s->outlen -= s->outoff;
		s->outoff = 0;
	}
	if (s->outcap - s->outlen >= need)
		return 0;
	cap = s->outcap * 2 > s->outlen + need ? s->outcap * 2 :
	    s->outlen + need;
	if ((p = realloc(s->out, cap)) == NULL)
		return -ENOMEM;
	s->out = p;
	s->outcap = cap;
	return 0;
}

/* The message in s->in, answered at the end of the queue. */
static int
answer(struct p9srv *s)
{
	struct p9in in = { s->in + P9_HDRSZ, s->inlen - P9_HDRSZ, 0, 0 };
	struct p9out out, hdr;
	uint8_t type = s->in[4], rtype = (uint8_t)(type + 1);
	size_t max = s->msize != 0 ? s->msize : P9_MSIZE_MIN;
	int r;

	if (s->outlen - s->outoff > P9_OUT_MAX)
		return -ENOBUFS;
	if ((r = out_room(s, max)) < 0)
		return r;
	out = (struct p9out){ s->out + s->outlen, P9_HDRSZ, max, 0 };
	if ((r = dispatch(s, type, &in, &out)) == 0 && out.err)
		r = -EMSGSIZE;
	if (r < 0) {
		out.len = P9_HDRSZ;
		out.err = 0;
		p9_put32(&out, (uint32_t)-r);
		rtype = P9_RLERROR;
	}
	hdr = (struct p9out){ out.p, 0, P9_HDRSZ, 0 };
	p9_put32(&hdr, (uint32_t)out.len);
	p9_put8(&hdr, rtype);
	p9_put16(&hdr, (uint16_t)(s->in[5] | s->in[6] << 8));
	s->outlen += out.len;
	return 0;
}

int
p9srv_feed(struct p9srv *s, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	size_t want, k;
	uint32_t size;
	int r;

	while (s->dead == 0 && n > 0) {
		want = s->inlen < 4 ? 4 : p9_le32(s->in);
		k = want - s->inlen < n ? want - s->inlen : n;
		memcpy(s->in + s->inlen, p, k);
		s->inlen += k;
		p += k;
		n -= k;
		if (s->inlen < 4)
			break;
		size = p9_le32(s->in);
		if (size < P9_HDRSZ)
			s->dead = -EPROTO;
		else if (size > (s->msize != 0 ? s->msize : P9_MSIZE_MAX))
			s->dead = -EMSGSIZE;
		else if (s->inlen == size) {
			if ((r = answer(s)) < 0)
				s->dead = r;
			s->inlen = 0;
		}
	}
	return s->dead;
}

const void *
p9srv_pending(const struct p9srv *s, size_t *n)
{
	*n = s->outlen - s->outoff;
	return s->out != NULL ? s->out + s->outoff : NULL;
}

void
p9srv_sent(struct p9srv *s, size_t n)
{
	s->outoff += n < s->outlen - s->outoff ? n : s->outlen - s->outoff;
	if (s->outoff == s->outlen)
		s->outoff = s->outlen = 0;
}

int
p9srv_new(int rootfd, int readonly, struct p9srv **sp)
{
	struct p9srv *s;
	struct stat st;
	int fd, e;

	*sp = NULL;
	if ((fd = p9path_open(rootfd, ".", O_PATH | O_DIRECTORY, 0)) < 0)
		return fleet_seterr(fd, "9p: root: %s", strerror(-fd));
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return fleet_seterr(-e, "9p: root: %s", strerror(e));
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		close(fd);
		return fleet_seterr(-ENOMEM, "9p: out of memory");
	}
	s->rootfd = fd;
	s->readonly = readonly != 0;
	s->rootino = st.st_ino;
	if ((s->in = malloc(P9_MSIZE_MAX)) == NULL ||
	    (s->dirbuf = malloc(P9_MSIZE_MAX)) == NULL) {
		p9srv_free(s);
		return fleet_seterr(-ENOMEM, "9p: out of memory");
	}
	*sp = s;
	return 0;
}

void
p9srv_free(struct p9srv *s)
{
	if (s == NULL)
		return;
	fids_clear(s);
	close(s->rootfd);
	free(s->in);
	free(s->out);
	free(s->dirbuf);
	free(s);
}
