/* test_p9: the 9P2000.L server, in-process, over a temporary tree */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "p9.h"
#include "check.h"

#define TRUNC	01000		/* Linux's open flags, as a guest sends them */
#define DIRFLAG	0200000
#define EXCL	0200
#define NOFID	0xffffffffu

static char top[64] = "/tmp/test_p9.XXXXXX";
static char root[128];		/* what the guest sees */
static char outside[128];	/* next to it, out of its reach */
static const char *seed_dir;	/* --seeds DIR: each scenario's bytes */
static FILE *seed;

/* A reply, with a cursor to read it. */
struct rep {
	unsigned char b[P9_MSIZE_MAX];
	size_t size, off;
	uint8_t type;
	uint16_t tag;
};
static struct rep rep;
static uint16_t next_tag = 1;

static void
le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
getle(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/*
 * A message: b u8, w u16, d u32, q u64, s C string, n (int, bytes) a
 * string of that length, x (size_t, bytes) raw bytes.
 */
static size_t
vbuild(unsigned char *m, uint8_t type, uint16_t tag, const char *fmt,
    va_list ap)
{
	size_t n = P9_HDRSZ, len;
	const char *p;

	for (; *fmt != '\0'; fmt++)
		switch (*fmt) {
		case 'b': le(m + n, va_arg(ap, unsigned), 1); n += 1; break;
		case 'w': le(m + n, va_arg(ap, unsigned), 2); n += 2; break;
		case 'd': le(m + n, va_arg(ap, uint32_t), 4); n += 4; break;
		case 'q': le(m + n, va_arg(ap, uint64_t), 8); n += 8; break;
		case 's':
		case 'n':
			len = *fmt == 'n' ? (size_t)va_arg(ap, int) : 0;
			p = va_arg(ap, const char *);
			len = *fmt == 's' ? strlen(p) : len;
			le(m + n, len, 2);
			memcpy(m + n + 2, p, len);
			n += 2 + len;
			break;
		case 'x':
			len = va_arg(ap, size_t);
			p = va_arg(ap, const char *);
			memcpy(m + n, p, len);
			n += len;
			break;
		default:
			abort();
		}
	le(m, n, 4);
	m[4] = type;
	le(m + 5, tag, 2);
	return n;
}

static size_t
build(unsigned char *m, uint8_t type, uint16_t tag, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vbuild(m, type, tag, fmt, ap);
	va_end(ap);
	return n;
}

static int
feed(struct p9srv *s, const void *buf, size_t n)
{
	if (seed != NULL)
		fwrite(buf, 1, n, seed);
	return p9srv_feed(s, buf, n);
}

/* The first reply waiting, taken into rep; 0 if there is none. */
static int
take_reply(struct p9srv *s)
{
	const unsigned char *p;
	size_t n;

	p = p9srv_pending(s, &n);
	if (n < P9_HDRSZ)
		return 0;
	rep.size = getle(p, 4);
	CHECK(rep.size >= P9_HDRSZ && rep.size <= n);
	if (rep.size < P9_HDRSZ || rep.size > n)
		return 0;
	memcpy(rep.b, p, rep.size);
	rep.type = rep.b[4];
	rep.tag = (uint16_t)getle(rep.b + 5, 2);
	rep.off = P9_HDRSZ;
	p9srv_sent(s, rep.size);
	return 1;
}

/* One request, one reply: 0 or its Rlerror's errno, negated. */
static int
rpc(struct p9srv *s, uint8_t type, const char *fmt, ...)
{
	static unsigned char m[P9_MSIZE_MAX];
	uint16_t tag = next_tag++;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vbuild(m, type, tag, fmt, ap);
	va_end(ap);
	CHECK(feed(s, m, n) == 0);
	if (!take_reply(s)) {
		CHECK(!"no reply");
		return -1000;
	}
	CHECK(rep.tag == tag);
	if (rep.type == P9_RLERROR) {
		CHECK(rep.size == P9_HDRSZ + 4);
		return -(int)getle(rep.b + P9_HDRSZ, 4);
	}
	CHECK(rep.type == type + 1);
	return 0;
}

static uint64_t
g(int n)
{
	uint64_t v = 0;

	if (rep.off + (size_t)n <= rep.size)
		v = getle(rep.b + rep.off, n);
	else
		CHECK(!"reply too short");
	rep.off += (size_t)n;
	return v;
}

static const char *
gstr(void)
{
	static char buf[P9_PATH_MAX + 1];
	size_t n = g(2);

	if (rep.off + n > rep.size || n > P9_PATH_MAX) {
		CHECK(!"string past the reply");
		return "";
	}
	memcpy(buf, rep.b + rep.off, n);
	buf[n] = '\0';
	rep.off += n;
	return buf;
}

static void
gqid(struct p9qid *q)
{
	q->type = (uint8_t)g(1);
	q->version = (uint32_t)g(4);
	q->path = g(8);
}

static int
rep_done(void)
{
	return rep.off == rep.size;
}

/* Twalk of a path split at '/', 0 names for ""; the qids walked, or -errno. */
static int
walk(struct p9srv *s, uint32_t fid, uint32_t newfid, const char *path,
    struct p9qid *qids)
{
	unsigned char names[1024];
	size_t n = 0, len;
	const char *p = path, *e;
	int nw = 0, r, i;

	while (*p != '\0') {
		e = strchr(p, '/');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		le(names + n, len, 2);
		memcpy(names + n + 2, p, len);
		n += 2 + len;
		nw++;
		p += len + (e != NULL);
	}
	if ((r = rpc(s, P9_TWALK, "ddwx", fid, newfid, nw, n, names)) < 0)
		return r;
	nw = (int)g(2);
	for (i = 0; i < nw; i++) {
		struct p9qid q;

		gqid(qids != NULL ? &qids[i] : &q);
	}
	CHECK(rep_done());
	return nw;
}

static int
lopen(struct p9srv *s, uint32_t fid, uint32_t flags)
{
	return rpc(s, P9_TLOPEN, "dd", fid, flags);
}

static int
clunk(struct p9srv *s, uint32_t fid)
{
	return rpc(s, P9_TCLUNK, "d", fid);
}

/* Read count at off: the bytes in buf, their number or -errno. */
static int
readat(struct p9srv *s, uint32_t fid, uint64_t off, uint32_t count,
    char *buf, size_t size)
{
	size_t n;
	int r;

	if ((r = rpc(s, P9_TREAD, "dqd", fid, off, count)) < 0)
		return r;
	n = g(4);
	CHECK(P9_HDRSZ + 4 + n == rep.size);
	if (n > size)
		n = size;
	memcpy(buf, rep.b + rep.off, n);
	return (int)n;
}

static int
version(struct p9srv *s, uint32_t msize)
{
	int r = rpc(s, P9_TVERSION, "ds", msize, P9_VERSION);

	return r < 0 ? r : (int)g(4);
}

/* A server, versioned at msize, fid 0 attached to the root. */
static struct p9srv *
session(int readonly, uint32_t msize)
{
	struct p9srv *s;
	int fd;

	if ((fd = open(root, O_RDONLY | O_DIRECTORY)) < 0) {
		perror(root);
		exit(1);
	}
	if (p9srv_new(fd, readonly, &s) < 0) {
		fprintf(stderr, "p9srv_new failed\n");
		exit(1);
	}
	close(fd);
	CHECK(version(s, msize) == (int)msize);
	CHECK(rpc(s, P9_TATTACH, "ddssd", 0, NOFID, "user", "", 0) == 0);
	return s;
}

static void
put_file(const char *rel, const char *text)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static const char *
host(const char *rel)
{
	static char path[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", root, rel);
	return path[i];
}

static char *
host_text(const char *path)
{
	static char buf[256];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static ino_t
ino_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_ino : 0;
}

static void
make_tree(void)
{
	char path[256];

	if (mkdtemp(top) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	if (mkdir(root, 0755) < 0 || mkdir(outside, 0755) < 0 ||
	    mkdir(host("sub"), 0755) < 0 || mkdir(host("sub/deep"), 0755) < 0) {
		perror("mkdir");
		exit(1);
	}
	put_file("file", "hello, world\n");
	put_file("sub/inner", "inner\n");
	snprintf(path, sizeof(path), "%s/victim", outside);
	if (symlink("/etc", host("out")) < 0 ||
	    symlink("../../../../../../../../etc", host("rel")) < 0 ||
	    symlink("file", host("flink")) < 0 ||
	    symlink("sub", host("dlink")) < 0 ||
	    symlink("../outside/victim", host("outfile")) < 0 ||
	    symlink(path, host("absfile")) < 0 ||
	    symlink("../outside/newfile", host("dangling")) < 0) {
		perror("symlink");
		exit(1);
	}
	put_file("../outside/victim", "victim\n");
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Each scenario's bytes go to a seed of the fuzzer, with --seeds DIR. */
static void
scenario(const char *name, int readonly)
{
	char path[512];

	if (seed != NULL)
		fclose(seed);
	seed = NULL;
	if (seed_dir == NULL || name == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", seed_dir, name);
	if ((seed = fopen(path, "w")) != NULL)
		fputc(readonly, seed);	/* fuzz_p9's mode byte */
}

static void
test_version(void)
{
	struct p9srv *s;
	int fd = open(root, O_RDONLY | O_DIRECTORY);

	scenario("version", 0);
	CHECK(p9srv_new(fd, 0, &s) == 0);
	close(fd);
	CHECK(rpc(s, P9_TATTACH, "ddssd", 0, NOFID, "", "", 0) == -EPROTO);
	CHECK(rpc(s, P9_TVERSION, "ds", 1 << 20, "9P2000.L") == 0);
	CHECK(g(4) == P9_MSIZE_MAX);
	CHECK_STR(gstr(), "9P2000.L");
	CHECK(rep_done());
	CHECK(rpc(s, P9_TVERSION, "ds", 8192, "9P2000.u") == 0);
	CHECK(g(4) == 8192);
	CHECK_STR(gstr(), "unknown");
	CHECK(rpc(s, P9_TATTACH, "ddssd", 0, NOFID, "", "", 0) == -EPROTO);
	CHECK(rpc(s, P9_TVERSION, "ds", 8192, "9P2000.L.x") == 0);
	CHECK(g(4) == 8192);
	CHECK_STR(gstr(), "unknown");
	CHECK(rpc(s, P9_TVERSION, "ds", 100, "9P2000.L") == -EINVAL);
	CHECK(version(s, 8192) == 8192);
	CHECK_STR(gstr(), "9P2000.L");
	/* A new Tversion ends the session: its fids go. */
	CHECK(rpc(s, P9_TATTACH, "ddssd", 0, NOFID, "", "", 0) == 0);
	CHECK(version(s, 8192) == 8192);
	CHECK(clunk(s, 0) == -EBADF);
	p9srv_free(s);
}

static void
test_attach(void)
{
	struct p9srv *s;
	struct p9qid q;

	scenario("attach", 0);
	s = session(0, 8192);
	CHECK(rpc(s, P9_TATTACH, "ddssd", 1, 7, "", "", 0) == -EINVAL);
	CHECK(rpc(s, P9_TATTACH, "ddssd", 1, NOFID, "u", "whatever", 5) == 0);
	gqid(&q);
	CHECK(rep_done());
	CHECK(q.type == P9_QTDIR && q.path == ino_of(root));
	CHECK(rpc(s, P9_TATTACH, "ddssd", 1, NOFID, "", "", 0) == -EEXIST);
	CHECK(rpc(s, P9_TFLUSH, "w", 3) == 0 && rep_done());
	CHECK(clunk(s, 1) == 0);
	CHECK(clunk(s, 1) == -EBADF);
	p9srv_free(s);
}

static void
test_walk(void)
{
	struct p9srv *s;
	struct p9qid q[P9_WALK_MAX + 1];
	char name[300];

	scenario("walk", 0);
	s = session(0, 8192);
	CHECK(walk(s, 0, 1, "sub/deep", q) == 2);
	CHECK(q[0].type == P9_QTDIR && q[0].path == ino_of(host("sub")));
	CHECK(q[1].type == P9_QTDIR && q[1].path == ino_of(host("sub/deep")));
	/* A partial walk: the qids walked, and no newfid. */
	CHECK(walk(s, 0, 2, "sub/nope", q) == 1);
	CHECK(clunk(s, 2) == -EBADF);
	CHECK(walk(s, 0, 2, "nope", q) == -ENOENT);
	CHECK(walk(s, 0, 1, "sub", q) == -EEXIST);
	/* Clone, then walk a fid onto itself. */
	CHECK(walk(s, 0, 2, "", q) == 0);
	CHECK(walk(s, 2, 2, "sub", q) == 1);
	CHECK(rpc(s, P9_TGETATTR, "dq", 2, (uint64_t)0x3fff) == 0);
	g(8);
	gqid(&q[0]);
	CHECK(q[0].path == ino_of(host("sub")));
	/* ".." stops at the root. */
	CHECK(walk(s, 0, 3, "..", q) == 1 && q[0].path == ino_of(root));
	CHECK(walk(s, 2, 4, "..", q) == 1 && q[0].path == ino_of(root));
	CHECK(walk(s, 1, 5, "../../../..", q) == 4);
	CHECK(q[0].path == ino_of(host("sub")) && q[1].path == ino_of(root) &&
	    q[3].path == ino_of(root));
	CHECK(walk(s, 0, 6, "../../etc", q) == 2 && q[1].path == ino_of(root));
	CHECK(clunk(s, 6) == -EBADF);
	CHECK(walk(s, 0, 6, "file/x", q) == 1 && q[0].type == P9_QTFILE);
	CHECK(walk(s, 0, 6, "file", q) == 1);
	CHECK(walk(s, 6, 7, "x", q) == -ENOTDIR);
	CHECK(walk(s, 6, 7, "..", q) == -ENOTDIR);
	/* Names that are not one component. */
	CHECK(walk(s, 0, 7, ".", q) == -EINVAL);
	CHECK(rpc(s, P9_TWALK, "ddwss", 0, 7, 2, "sub", "") == -EINVAL);
	CHECK(walk(s, 0, 7, "sub//deep", q) == -EINVAL);
	CHECK(rpc(s, P9_TWALK, "ddws", 0, 7, 1, "sub/deep") == -EINVAL);
	CHECK(rpc(s, P9_TWALK, "ddwn", 0, 7, 1, 5, "sub\0x") == -EINVAL);
	memset(name, 'a', 256);
	name[256] = '\0';
	CHECK(rpc(s, P9_TWALK, "ddws", 0, 7, 1, name) == -ENAMETOOLONG);
	CHECK(walk(s, 0, 7, "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a", q) == -EINVAL);
	CHECK(walk(s, 0, 7, "..", q) == 1);
	CHECK(walk(s, 99, 8, "sub", q) == -EBADF);
	p9srv_free(s);
}

static void
test_read(void)
{
	struct p9srv *s;
	char buf[9000], big[20000];
	struct p9qid q;
	int fd;

	scenario("read", 0);
	s = session(0, 8192);
	memset(big, 'b', sizeof(big));
	fd = open(host("big"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(write(fd, big, sizeof(big)) == sizeof(big));
	close(fd);
	CHECK(walk(s, 0, 1, "file", NULL) == 1);
	CHECK(readat(s, 1, 0, 10, buf, sizeof(buf)) == -EBADF);
	CHECK(lopen(s, 1, 0) == 0);
	gqid(&q);
	CHECK(q.type == P9_QTFILE && q.path == ino_of(host("file")));
	CHECK(g(4) == 8192 - 24 && rep_done());
	CHECK(lopen(s, 1, 0) == -EBADF);
	CHECK(walk(s, 1, 2, "", NULL) == -EBADF);
	CHECK(readat(s, 1, 0, 1u << 30, buf, sizeof(buf)) == 13);
	CHECK(memcmp(buf, "hello, world\n", 13) == 0);
	CHECK(readat(s, 1, 7, 5, buf, sizeof(buf)) == 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK(readat(s, 1, 100, 5, buf, sizeof(buf)) == 0);
	CHECK(readat(s, 1, (uint64_t)1 << 63, 5, buf, sizeof(buf)) == -EINVAL);
	/* Counts are clamped to what fits in msize. */
	CHECK(walk(s, 0, 2, "big", NULL) == 1 && lopen(s, 2, 0) == 0);
	CHECK(readat(s, 2, 0, 1u << 20, buf, sizeof(buf)) == 8192 - 11);
	CHECK(rep.size == 8192);
	CHECK(walk(s, 0, 3, "sub", NULL) == 1 && lopen(s, 3, 0) == 0);
	CHECK(readat(s, 3, 0, 10, buf, sizeof(buf)) == -EISDIR);
	CHECK(walk(s, 0, 4, "file", NULL) == 1);
	CHECK(lopen(s, 4, 3) == -EINVAL);
	CHECK(lopen(s, 4, DIRFLAG) == -ENOTDIR);
	p9srv_free(s);
	unlink(host("big"));
}

static void
test_create_write(void)
{
	struct p9srv *s;
	struct p9qid q;
	struct stat st;
	char *text;

	scenario("create", 0);
	s = session(0, 8192);
	CHECK(walk(s, 0, 1, "", NULL) == 0);
	CHECK(rpc(s, P9_TLCREATE, "dsddd", 1, "new", 2, 0640, 0) == 0);
	gqid(&q);
	CHECK(q.type == P9_QTFILE && g(4) == 8192 - 24 && rep_done());
	CHECK(q.path == ino_of(host("new")));
	CHECK(rpc(s, P9_TWRITE, "dqdx", 1, (uint64_t)0, 3, (size_t)3,
	    "abc") == 0);
	CHECK(g(4) == 3 && rep_done());
	CHECK(rpc(s, P9_TWRITE, "dqdx", 1, (uint64_t)10, 3, (size_t)3,
	    "XYZ") == 0);
	CHECK(g(4) == 3);
	CHECK(lstat(host("new"), &st) == 0 && st.st_size == 13 &&
	    (st.st_mode & 07777) == 0640);
	text = host_text(host("new"));
	CHECK(text != NULL && memcmp(text, "abc\0\0\0\0\0\0\0XYZ", 13) == 0);
	CHECK(rpc(s, P9_TFSYNC, "dd", 1, 0) == 0);
	CHECK(rpc(s, P9_TFSYNC, "dd", 1, 1) == 0);
	/* The fid is the file now: it can be walked no more. */
	CHECK(walk(s, 1, 2, "", NULL) == -EBADF);
	CHECK(walk(s, 0, 2, "", NULL) == 0);
	CHECK(rpc(s, P9_TLCREATE, "dsddd", 2, "new", 2 | EXCL, 0640, 0) ==
	    -EEXIST);
	CHECK(rpc(s, P9_TLCREATE, "dsddd", 2, "suid", 1, 06755, 0) == 0);
	CHECK(lstat(host("suid"), &st) == 0 && (st.st_mode & 07777) == 0755);
	CHECK(walk(s, 0, 3, "file", NULL) == 1);
	CHECK(rpc(s, P9_TLCREATE, "dsddd", 3, "x", 2, 0640, 0) == -ENOTDIR);
	CHECK(rpc(s, P9_TFSYNC, "dd", 3, 0) == -EBADF);
	/* O_RDONLY fid: no writes. */
	CHECK(lopen(s, 3, 0) == 0);
	CHECK(rpc(s, P9_TWRITE, "dqdx", 3, (uint64_t)0, 1, (size_t)1, "z") ==
	    -EBADF);
	p9srv_free(s);
	unlink(host("new"));
	unlink(host("suid"));
}

static void
check_getattr(struct p9srv *s, uint32_t fid, const char *path)
{
	struct p9qid q;
	struct stat st;

	CHECK(lstat(path, &st) == 0);
	CHECK(rpc(s, P9_TGETATTR, "dq", fid, (uint64_t)0x3fff) == 0);
	CHECK(g(8) == P9_GETATTR_BASIC);
	gqid(&q);
	CHECK(q.path == st.st_ino);
	CHECK(g(4) == st.st_mode);
	CHECK(g(4) == st.st_uid);
	CHECK(g(4) == st.st_gid);
	CHECK(g(8) == st.st_nlink);
	CHECK(g(8) == st.st_rdev);
	CHECK(g(8) == (uint64_t)st.st_size);
	CHECK(g(8) == (uint64_t)st.st_blksize);
	CHECK(g(8) == (uint64_t)st.st_blocks);
	CHECK(g(8) == (uint64_t)st.st_atim.tv_sec);
	CHECK(g(8) == (uint64_t)st.st_atim.tv_nsec);
	CHECK(g(8) == (uint64_t)st.st_mtim.tv_sec);
	CHECK(g(8) == (uint64_t)st.st_mtim.tv_nsec);
	CHECK(g(8) == (uint64_t)st.st_ctim.tv_sec);
	CHECK(g(8) == (uint64_t)st.st_ctim.tv_nsec);
	g(8 * 4);
	CHECK(rep_done());
}

static void
test_getattr(void)
{
	struct p9srv *s;
	struct timespec ts[2] = { { 12345, 678 }, { 23456, 789 } };

	scenario("getattr", 0);
	s = session(0, 8192);
	utimensat(AT_FDCWD, host("file"), ts, 0);
	CHECK(walk(s, 0, 1, "file", NULL) == 1);
	check_getattr(s, 1, host("file"));
	CHECK(walk(s, 0, 2, "out", NULL) == 1);
	check_getattr(s, 2, host("out"));
	check_getattr(s, 0, root);
	CHECK(rpc(s, P9_TGETATTR, "dq", 9, (uint64_t)0x7ff) == -EBADF);
	p9srv_free(s);
}

static void
test_readdir(void)
{
	struct p9srv *s;
	char name[64];
	int seen[40] = { 0 }, dots = 0, i, n, count, total = 0;
	uint64_t off = 0;
	struct p9qid q;

	scenario("readdir", 0);
	s = session(0, 8192);
	mkdir(host("many"), 0755);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "many/entry-%02d", i);
		put_file(name, "");
	}
	CHECK(walk(s, 0, 1, "many", NULL) == 1);
	CHECK(rpc(s, P9_TREADDIR, "dqd", 1, (uint64_t)0, 200) == -EBADF);
	CHECK(lopen(s, 1, DIRFLAG) == 0);
	CHECK(rpc(s, P9_TREADDIR, "dqd", 1, (uint64_t)0, 10) == -EINVAL);
	do {
		CHECK(rpc(s, P9_TREADDIR, "dqd", 1, off, 200) == 0);
		count = (int)g(4);
		CHECK(count <= 200 && P9_HDRSZ + 4 + (size_t)count == rep.size);
		for (n = 0; !rep_done(); n++) {
			const char *e;

			gqid(&q);
			off = g(8);
			g(1);
			e = gstr();
			if (strcmp(e, ".") == 0 || strcmp(e, "..") == 0)
				dots++;
			else if (sscanf(e, "entry-%d", &i) == 1 && i >= 0 &&
			    i < 40) {
				seen[i]++;
				snprintf(name, sizeof(name), "many/%s", e);
				CHECK(q.path == ino_of(host(name)));
				CHECK(q.type == P9_QTFILE);
			} else
				CHECK(!"unexpected entry");
		}
		total += n;
	} while (count > 0 && total < 100);
	CHECK(dots == 2 && total == 42);
	for (i = 0; i < 40; i++)
		CHECK(seen[i] == 1);
	/* The root's ".." says nothing of what is above it. */
	CHECK(walk(s, 0, 2, "", NULL) == 0 && lopen(s, 2, 0) == 0);
	CHECK(rpc(s, P9_TREADDIR, "dqd", 2, (uint64_t)0, 8000) == 0);
	for (g(4); !rep_done();) {
		gqid(&q);
		g(8 + 1);
		if (strcmp(gstr(), "..") == 0)
			CHECK(q.path == ino_of(root));
	}
	CHECK(walk(s, 0, 3, "file", NULL) == 1 && lopen(s, 3, 0) == 0);
	CHECK(rpc(s, P9_TREADDIR, "dqd", 3, (uint64_t)0, 200) == -ENOTDIR);
	p9srv_free(s);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "many/entry-%02d", i);
		unlink(host(name));
	}
	rmdir(host("many"));
}

static void
test_changes(void)
{
	struct p9srv *s;
	struct p9qid q[4];
	struct stat st, st2;
	struct statvfs sv;
	char buf[64];
	time_t now = time(NULL);

	scenario("changes", 0);
	s = session(0, 8192);
	CHECK(rpc(s, P9_TMKDIR, "dsdd", 0, "d", 0750, 0) == 0);
	gqid(&q[0]);
	CHECK(lstat(host("d"), &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0750 && q[0].path == st.st_ino);
	CHECK(rpc(s, P9_TMKDIR, "dsdd", 0, "d", 0750, 0) == -EEXIST);
	CHECK(rpc(s, P9_TSYMLINK, "dssd", 0, "s", "some target", 0) == 0);
	gqid(&q[0]);
	CHECK(q[0].type == P9_QTSYMLINK);
	CHECK(readlink(host("s"), buf, sizeof(buf)) == 11 &&
	    memcmp(buf, "some target", 11) == 0);
	CHECK(walk(s, 0, 1, "s", NULL) == 1);
	CHECK(rpc(s, P9_TREADLINK, "d", 1) == 0);
	CHECK_STR(gstr(), "some target");
	CHECK(rpc(s, P9_TREADLINK, "d", 0) == -EINVAL);
	/* link, renameat, rename, unlinkat */
	CHECK(walk(s, 0, 2, "file", NULL) == 1);
	CHECK(rpc(s, P9_TLINK, "dds", 0, 2, "hard") == 0);
	CHECK(lstat(host("hard"), &st) == 0 && st.st_nlink == 2 &&
	    st.st_ino == ino_of(host("file")));
	CHECK(walk(s, 0, 3, "d", NULL) == 1);
	CHECK(rpc(s, P9_TRENAMEAT, "dsds", 0, "hard", 3, "hard2") == 0);
	CHECK(ino_of(host("hard")) == 0 &&
	    ino_of(host("d/hard2")) == ino_of(host("file")));
	CHECK(walk(s, 3, 4, "hard2", NULL) == 1);
	CHECK(rpc(s, P9_TRENAME, "dds", 4, 0, "back") == 0);
	CHECK(ino_of(host("d/hard2")) == 0 &&
	    ino_of(host("back")) == ino_of(host("file")));
	/* The fid follows: it is "back" now, and can be removed as such. */
	CHECK(rpc(s, P9_TREMOVE, "d", 4) == 0);
	CHECK(ino_of(host("back")) == 0 && clunk(s, 4) == -EBADF);
	CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, "d", 0) == -EISDIR);
	CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, "d", 0x1) == -EINVAL);
	CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, "d", P9_AT_REMOVEDIR) == 0);
	CHECK(ino_of(host("d")) == 0);
	CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, "s", 0) == 0);
	CHECK(ino_of(host("s")) == 0);
	/* Fids below a renamed directory follow it, ".." too. */
	CHECK(rpc(s, P9_TMKDIR, "dsdd", 0, "d2", 0755, 0) == 0);
	CHECK(walk(s, 0, 5, "d2", NULL) == 1);
	CHECK(rpc(s, P9_TMKDIR, "dsdd", 5, "x", 0755, 0) == 0);
	CHECK(walk(s, 5, 6, "x", NULL) == 1);
	CHECK(rpc(s, P9_TRENAMEAT, "dsds", 0, "d2", 0, "d3") == 0);
	CHECK(walk(s, 6, 7, "..", q) == 1 && q[0].path == ino_of(host("d3")));
	CHECK(rpc(s, P9_TREMOVE, "d", 6) == 0 && ino_of(host("d3/x")) == 0);
	CHECK(rpc(s, P9_TREMOVE, "d", 5) == 0 && ino_of(host("d3")) == 0);
	/* setattr: chmod, truncate, times */
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 2, P9_SETATTR_MODE, 0604, 0, 0,
	    (uint64_t)0, (uint64_t)0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0) == 0);
	CHECK(lstat(host("file"), &st) == 0 && (st.st_mode & 07777) == 0604);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 2, P9_SETATTR_MODE, 04755, 0, 0,
	    (uint64_t)0, (uint64_t)0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0) == 0);
	CHECK(lstat(host("file"), &st) == 0 && (st.st_mode & 07777) == 0755);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 2, P9_SETATTR_SIZE, 0, 0, 0,
	    (uint64_t)5, (uint64_t)0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0) == 0);
	CHECK(lstat(host("file"), &st) == 0 && st.st_size == 5);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 2, P9_SETATTR_ATIME |
	    P9_SETATTR_ATIME_SET | P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET,
	    0, 0, 0, (uint64_t)0, (uint64_t)1000, (uint64_t)5,
	    (uint64_t)2000, (uint64_t)7) == 0);
	CHECK(lstat(host("file"), &st) == 0 && st.st_atim.tv_sec == 1000 &&
	    st.st_atim.tv_nsec == 5 && st.st_mtim.tv_sec == 2000 &&
	    st.st_mtim.tv_nsec == 7);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 2, P9_SETATTR_MTIME, 0, 0, 0,
	    (uint64_t)0, (uint64_t)0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0) == 0);
	CHECK(lstat(host("file"), &st2) == 0 && st2.st_mtim.tv_sec >= now &&
	    st2.st_atim.tv_sec == 1000);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 2, P9_SETATTR_UID |
	    P9_SETATTR_GID, 0, getuid(), getgid(), (uint64_t)0, (uint64_t)0,
	    (uint64_t)0, (uint64_t)0, (uint64_t)0) == 0);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 0, P9_SETATTR_SIZE, 0, 0, 0,
	    (uint64_t)5, (uint64_t)0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0) == -EISDIR);
	put_file("file", "hello, world\n");
	/* statfs, mknod, xattrs, locks */
	CHECK(statvfs(root, &sv) == 0);
	CHECK(rpc(s, P9_TSTATFS, "d", 0) == 0);
	g(4);
	CHECK(g(4) == sv.f_bsize && g(8) == sv.f_blocks);
	g(8 * 5);
	CHECK(g(4) == sv.f_namemax && rep_done());
	CHECK(rpc(s, P9_TMKNOD, "dsdddd", 0, "node", 010644, 0, 0, 0) ==
	    -EPERM);
	CHECK(ino_of(host("node")) == 0);
	CHECK(rpc(s, P9_TXATTRWALK, "dds", 0, 9, "user.x") == -EOPNOTSUPP);
	CHECK(rpc(s, P9_TXATTRCREATE, "dsqd", 0, "user.x", (uint64_t)1, 0) ==
	    -EOPNOTSUPP);
	CHECK(rpc(s, P9_TLOCK, "dbdqqds", 2, 1, 0, (uint64_t)0, (uint64_t)0,
	    42, "guest") == 0);
	CHECK(g(1) == P9_LOCK_SUCCESS && rep_done());
	CHECK(rpc(s, P9_TGETLOCK, "dbqqds", 2, 1, (uint64_t)3, (uint64_t)4,
	    42, "guest") == 0);
	CHECK(g(1) == P9_LOCK_TYPE_UNLCK && g(8) == 3 && g(8) == 4 &&
	    g(4) == 42);
	CHECK_STR(gstr(), "guest");
	CHECK(rep_done());
	p9srv_free(s);
}

static void
test_readonly(void)
{
	struct p9srv *s;
	struct stat before, after;
	char buf[32];

	scenario("readonly", 1);
	s = session(1, 8192);
	CHECK(lstat(host("file"), &before) == 0);
	CHECK(walk(s, 0, 1, "", NULL) == 0);
	CHECK(rpc(s, P9_TLCREATE, "dsddd", 1, "new", 2, 0640, 0) == -EROFS);
	CHECK(walk(s, 0, 2, "file", NULL) == 1);
	CHECK(lopen(s, 2, 1) == -EROFS);
	CHECK(lopen(s, 2, 2) == -EROFS);
	CHECK(lopen(s, 2, TRUNC) == -EROFS);
	CHECK(lopen(s, 2, 0) == 0);
	CHECK(readat(s, 2, 0, 5, buf, sizeof(buf)) == 5);
	CHECK(rpc(s, P9_TWRITE, "dqdx", 2, (uint64_t)0, 1, (size_t)1, "z") ==
	    -EROFS);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", 2, P9_SETATTR_MODE, 0600, 0, 0,
	    (uint64_t)0, (uint64_t)0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0) == -EROFS);
	CHECK(rpc(s, P9_TMKDIR, "dsdd", 0, "d", 0750, 0) == -EROFS);
	CHECK(rpc(s, P9_TSYMLINK, "dssd", 0, "s", "x", 0) == -EROFS);
	CHECK(rpc(s, P9_TLINK, "dds", 0, 2, "hard") == -EROFS);
	CHECK(rpc(s, P9_TRENAME, "dds", 2, 0, "moved") == -EROFS);
	CHECK(rpc(s, P9_TRENAMEAT, "dsds", 0, "file", 0, "moved") == -EROFS);
	CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, "file", 0) == -EROFS);
	CHECK(rpc(s, P9_TMKNOD, "dsdddd", 0, "node", 010644, 0, 0, 0) ==
	    -EROFS);
	CHECK(rpc(s, P9_TREMOVE, "d", 2) == -EROFS && clunk(s, 2) == -EBADF);
	CHECK(lstat(host("file"), &after) == 0 &&
	    before.st_mode == after.st_mode &&
	    before.st_size == after.st_size &&
	    before.st_nlink == after.st_nlink);
	CHECK(ino_of(host("new")) == 0 && ino_of(host("d")) == 0 &&
	    ino_of(host("s")) == 0 && ino_of(host("moved")) == 0);
	CHECK(walk(s, 0, 3, "sub", NULL) == 1 && lopen(s, 3, 0) == 0);
	CHECK(rpc(s, P9_TREADDIR, "dqd", 3, (uint64_t)0, 4000) == 0);
	p9srv_free(s);
}

/* The outside victim, as it was made: nothing reached it. */
static void
check_victim(void)
{
	char path[256];
	struct stat st;
	char *text;

	snprintf(path, sizeof(path), "%s/victim", outside);
	text = host_text(path);
	CHECK(text != NULL && strcmp(text, "victim\n") == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644 &&
	    st.st_mtim.tv_sec != 1000);
	snprintf(path, sizeof(path), "%s/newfile", outside);
	CHECK(access(path, F_OK) < 0);
	snprintf(path, sizeof(path), "%s/escaped", outside);
	CHECK(access(path, F_OK) < 0);
}

static int
escape_err(int r)
{
	return r == -EXDEV || r == -ELOOP;
}

static void
setattr_via(struct p9srv *s, uint32_t fid)
{
	rpc(s, P9_TSETATTR, "dddddqqqqq", fid, P9_SETATTR_MODE, 0666, 0, 0,
	    (uint64_t)0, (uint64_t)0, (uint64_t)0, (uint64_t)0, (uint64_t)0);
	CHECK(rpc(s, P9_TSETATTR, "dddddqqqqq", fid, P9_SETATTR_SIZE, 0, 0, 0,
	    (uint64_t)0, (uint64_t)0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0) < 0);
	rpc(s, P9_TSETATTR, "dddddqqqqq", fid, P9_SETATTR_MTIME |
	    P9_SETATTR_MTIME_SET, 0, 0, 0, (uint64_t)0, (uint64_t)0,
	    (uint64_t)0, (uint64_t)1000, (uint64_t)0);
}

static void
test_escapes(void)
{
	struct p9srv *s;
	struct p9qid q[4];
	const char *bad[] = { "..", ".", "", "a/b", "../escaped" };
	char buf[64];
	size_t i;

	scenario("escapes", 0);
	s = session(0, 8192);
	/* Through a symlink out of the tree: no further. */
	CHECK(walk(s, 0, 1, "out/passwd", q) == 1 && q[0].type == P9_QTSYMLINK);
	CHECK(clunk(s, 1) == -EBADF);
	CHECK(walk(s, 0, 1, "out", NULL) == 1);
	CHECK(escape_err(walk(s, 1, 2, "passwd", NULL)));
	CHECK(walk(s, 1, 2, "..", q) == 1 && q[0].path == ino_of(root));
	CHECK(escape_err(lopen(s, 1, 0)));
	CHECK(rpc(s, P9_TREADLINK, "d", 1) == 0);
	CHECK_STR(gstr(), "/etc");
	CHECK(walk(s, 0, 3, "rel", NULL) == 1);
	CHECK(escape_err(walk(s, 3, 4, "passwd", NULL)));
	CHECK(escape_err(lopen(s, 3, 0)));
	/* Within the tree, symlinks lead where they point. */
	CHECK(walk(s, 0, 4, "dlink/inner", q) == 2);
	CHECK(q[1].path == ino_of(host("sub/inner")));
	CHECK(walk(s, 0, 5, "flink", NULL) == 1 && lopen(s, 5, 0) == 0);
	CHECK(readat(s, 5, 0, 5, buf, sizeof(buf)) == 5 &&
	    memcmp(buf, "hello", 5) == 0);
	/* Links to a file outside: neither opened, changed nor created. */
	CHECK(walk(s, 0, 6, "outfile", NULL) == 1);
	CHECK(escape_err(lopen(s, 6, 2 | TRUNC)));
	setattr_via(s, 6);
	CHECK(walk(s, 0, 7, "absfile", NULL) == 1);
	CHECK(escape_err(lopen(s, 7, 1)));
	setattr_via(s, 7);
	CHECK(walk(s, 0, 8, "", NULL) == 0);
	CHECK(rpc(s, P9_TLCREATE, "dsddd", 8, "outfile", 2, 0644, 0) < 0);
	CHECK(rpc(s, P9_TLCREATE, "dsddd", 8, "dangling", 2, 0644, 0) < 0);
	CHECK(walk(s, 0, 9, "dangling", NULL) == 1);
	CHECK(lopen(s, 9, 2) < 0);
	/* The guest's own symlinks: made as text, followed nowhere out. */
	CHECK(rpc(s, P9_TSYMLINK, "dssd", 0, "evil", "/etc/passwd", 0) == 0);
	CHECK(rpc(s, P9_TSYMLINK, "dssd", 0, "up", "..", 0) == 0);
	CHECK(walk(s, 0, 10, "evil", NULL) == 1);
	CHECK(escape_err(lopen(s, 10, 0)));
	CHECK(walk(s, 0, 11, "up/outside", q) == 1);
	CHECK(walk(s, 0, 11, "up", NULL) == 1);
	CHECK(escape_err(walk(s, 11, 12, "outside", NULL)));
	CHECK(escape_err(lopen(s, 11, 0)));
	CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, "evil", 0) == 0);
	CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, "up", 0) == 0);
	/* Names that are not one entry of the directory. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(rpc(s, P9_TMKDIR, "dsdd", 0, bad[i], 0755, 0) == -EINVAL);
		CHECK(rpc(s, P9_TSYMLINK, "dssd", 0, bad[i], "x", 0) ==
		    -EINVAL);
		CHECK(rpc(s, P9_TUNLINKAT, "dsd", 0, bad[i], 0) == -EINVAL);
		CHECK(rpc(s, P9_TRENAMEAT, "dsds", 0, "file", 0, bad[i]) ==
		    -EINVAL);
		CHECK(rpc(s, P9_TRENAMEAT, "dsds", 0, bad[i], 0, "x") ==
		    -EINVAL);
		CHECK(rpc(s, P9_TLINK, "dds", 0, 5, bad[i]) == -EINVAL);
		CHECK(rpc(s, P9_TRENAME, "dds", 5, 0, bad[i]) == -EINVAL);
		CHECK(rpc(s, P9_TLCREATE, "dsddd", 8, bad[i], 2, 0644, 0) ==
		    -EINVAL);
	}
	CHECK(rpc(s, P9_TLCREATE, "dnddd", 8, 3, "a\0b", 2, 0644, 0) ==
	    -EINVAL);
	CHECK(rpc(s, P9_TMKDIR, "dndd", 0, 3, "a\0b", 0755, 0) == -EINVAL);
	CHECK(rpc(s, P9_TSYMLINK, "dsnd", 0, "t", 3, "a\0b", 0) == -EINVAL);
	CHECK(rpc(s, P9_TSYMLINK, "dssd", 0, "t", "", 0) == -ENOENT);
	/* The root stays. */
	CHECK(rpc(s, P9_TRENAME, "dds", 0, 0, "newroot") == -EBUSY);
	CHECK(walk(s, 0, 12, "", NULL) == 0);
	CHECK(rpc(s, P9_TREMOVE, "d", 12) == -EBUSY && clunk(s, 12) == -EBADF);
	CHECK(rpc(s, P9_TLINK, "dds", 0, 0, "rootlink") == -EBUSY);
	CHECK(access(root, F_OK) == 0);
	check_victim();
	p9srv_free(s);
}

static void
test_malformed(void)
{
	struct p9srv *s, *t;
	unsigned char stream[64], m[8];
	const unsigned char *p;
	size_t n, i, pn;
	int fd;

	scenario("malformed", 0);
	s = session(0, 8192);
	/* Two names said, one sent; a string past the end; a byte more. */
	CHECK(rpc(s, P9_TWALK, "ddws", 0, 1, 2, "sub") == -EPROTO);
	CHECK(rpc(s, P9_TWALK, "ddwwx", 0, 1, 1, 40, (size_t)3, "sub") ==
	    -EPROTO);
	CHECK(rpc(s, P9_TCLUNK, "db", 0, 0) == -EPROTO);
	CHECK(rpc(s, P9_TREAD, "dq", 0, (uint64_t)0) == -EPROTO);
	CHECK(rpc(s, P9_TWRITE, "dqdx", 0, (uint64_t)0, 100, (size_t)3,
	    "abc") == -EPROTO);
	CHECK(rpc(s, P9_TVERSION, "d", 8192) == -EPROTO);
	CHECK(rpc(s, P9_TGETATTR, "") == -EPROTO);
	CHECK(rpc(s, 200, "d", 0) == -ENOSYS);
	CHECK(rpc(s, P9_TVERSION + 1, "ds", 8192, "9P2000.L") == -ENOSYS);
	CHECK(rpc(s, P9_TAUTH, "dssd", 1, "u", "", 0) == -ENOSYS);
	CHECK(rpc(s, 255, "") == -ENOSYS);
	CHECK(clunk(s, 0) == 0);	/* fid 0 lived through it all */
	/* Any split: byte by byte, or two messages at once. */
	fd = open(root, O_RDONLY | O_DIRECTORY);
	CHECK(p9srv_new(fd, 0, &t) == 0);
	close(fd);
	n = build(stream, P9_TVERSION, 0xffff, "ds", 8192, P9_VERSION);
	n += build(stream + n, P9_TFLUSH, 5, "w", 1);
	CHECK(n == 21 + 9);
	for (i = 0; i < n; i++)
		CHECK(feed(t, stream + i, 1) == 0);
	p = p9srv_pending(t, &pn);
	CHECK(pn == 21 + 7 && p[4] == P9_TVERSION + 1 &&
	    p[21 + 4] == P9_TFLUSH + 1 && p[21 + 5] == 5);
	p9srv_sent(t, 10);
	p = p9srv_pending(t, &pn);
	CHECK(pn == 18 && p[11 + 4] == P9_TFLUSH + 1);
	p9srv_sent(t, 100);
	p9srv_pending(t, &pn);
	CHECK(pn == 0);
	CHECK(feed(t, stream + 21, 9) == 0 && feed(t, stream + 21, 4) == 0 &&
	    feed(t, stream + 25, 5) == 0);
	p9srv_pending(t, &pn);
	CHECK(pn == 14);
	/* A size the stream cannot go on from. */
	le(m, 3, 4);
	CHECK(feed(t, m, 4) == -EPROTO);
	CHECK(feed(t, stream, n) == -EPROTO);
	p9srv_free(t);
	le(m, 8193, 4);
	CHECK(feed(s, m, 4) == -EMSGSIZE);
	p9srv_free(s);
}

static void
test_limits(void)
{
	struct p9srv *s;
	unsigned char m[32];
	struct rlimit rl;
	size_t n;
	int fd, i, r = 0;
	uint32_t fid;

	scenario(NULL, 0);		/* too long a seed */
	s = session(0, P9_MSIZE_MAX);
	/* A fid is a descriptor: as many as the table holds, if we may. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_max >= P9_FIDS_MAX + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		for (fid = 1; fid < P9_FIDS_MAX; fid++)
			if (walk(s, 0, fid, "", NULL) != 0)
				break;
		CHECK(fid == P9_FIDS_MAX);
		CHECK(walk(s, 0, fid, "", NULL) == -EMFILE);
		CHECK(clunk(s, 5) == 0 && walk(s, 0, 5, "", NULL) == 0);
	} else
		fprintf(stderr, "test_p9: RLIMIT_NOFILE too low: fid limit "
		    "not tested\n");
	CHECK(version(s, P9_MSIZE_MAX) == P9_MSIZE_MAX);	/* all gone */
	CHECK(rpc(s, P9_TATTACH, "ddssd", 0, NOFID, "", "", 0) == 0);
	/* A guest that never reads its replies. */
	fd = open(host("big"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(ftruncate(fd, 128 * 1024) == 0);
	close(fd);
	CHECK(walk(s, 0, 1, "big", NULL) == 1 && lopen(s, 1, 0) == 0);
	n = build(m, P9_TREAD, 1, "dqd", 1, (uint64_t)0, 128 * 1024);
	for (i = 0; i < 100 && (r = p9srv_feed(s, m, n)) == 0; i++)
		;
	CHECK(r == -ENOBUFS && i == P9_OUT_MAX / (11 + 128 * 1024) + 1);
	p9srv_pending(s, &n);
	CHECK(n > P9_OUT_MAX && n <= P9_OUT_MAX + P9_MSIZE_MAX);
	CHECK(p9srv_feed(s, m, 1) == -ENOBUFS);
	p9srv_free(s);
	unlink(host("big"));
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--seeds") == 0)
		seed_dir = argv[2];
	umask(022);
	make_tree();
	test_version();
	test_attach();
	test_walk();
	test_read();
	test_create_write();
	test_getattr();
	test_readdir();
	test_changes();
	test_readonly();
	test_escapes();
	test_malformed();
	test_limits();
	scenario(NULL, 0);
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
