/* fuzz_p9: a hostile guest's bytes into the 9P2000.L server (libFuzzer) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "p9.h"

/*
 * The first byte of an input is its mode: bit 0 read-only, bit 1 a
 * session first (Tversion, then Tattach of fid 0), bits 2-7 the size of
 * the pieces to feed the rest in (0: at once). Next to the tree lies a
 * canary that no input may change, create beside or remove.
 */
#define MODE_READONLY	0x01
#define MODE_SESSION	0x02

static const unsigned char session[] = {
	21, 0, 0, 0, P9_TVERSION, 0xff, 0xff, 0x00, 0x20, 0, 0,
	8, 0, '9', 'P', '2', '0', '0', '0', '.', 'L',
	23, 0, 0, 0, P9_TATTACH, 1, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
};

static char top[] = "/tmp/fuzz_p9.XXXXXX";
static char root[64], outside[64], canary[80];
static struct stat outside_st, canary_st;
static int rootfd = -1;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
cleanup(void)
{
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
must(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		abort();
	}
}

static void
at_root(const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", root, rel);
}

/* What each input finds: made again if one before took it away. */
static void
populate(void)
{
	char path[128];
	int fd;

	chmod(root, 0755);
	at_root("sub", path, sizeof(path));
	mkdir(path, 0755);
	chmod(path, 0755);
	at_root("sub/deep", path, sizeof(path));
	mkdir(path, 0755);
	at_root("file", path, sizeof(path));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) >= 0) {
		must(write(fd, "hello, world\n", 13) == 13, path);
		close(fd);
	}
	at_root("out", path, sizeof(path));
	symlink("/etc", path);
	at_root("esc", path, sizeof(path));
	symlink("../outside/canary", path);
	at_root("flink", path, sizeof(path));
	symlink("file", path);
	at_root("dlink", path, sizeof(path));
	symlink("sub", path);
}

static void
setup(void)
{
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	int fd;

	must(mkdtemp(top) != NULL, "mkdtemp");
	atexit(cleanup);
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	snprintf(canary, sizeof(canary), "%s/canary", outside);
	must(mkdir(root, 0755) == 0 && mkdir(outside, 0755) == 0, top);
	must((fd = open(canary, O_WRONLY | O_CREAT, 0644)) >= 0, canary);
	must(write(fd, "canary\n", 7) == 7, canary);
	close(fd);
	must(utimensat(AT_FDCWD, canary, old, 0) == 0 &&
	    utimensat(AT_FDCWD, outside, old, 0) == 0, outside);
	must(stat(canary, &canary_st) == 0 && stat(outside, &outside_st) == 0,
	    outside);
	must((rootfd = open(root, O_RDONLY | O_DIRECTORY)) >= 0, root);
}

static int
same(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_mode == b->st_mode &&
	    a->st_size == b->st_size && a->st_nlink == b->st_nlink &&
	    a->st_uid == b->st_uid && a->st_gid == b->st_gid &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void
check_outside(void)
{
	struct stat st;

	if (stat(canary, &st) < 0 || !same(&st, &canary_st) ||
	    stat(outside, &st) < 0 || !same(&st, &outside_st)) {
		fprintf(stderr, "fuzz_p9: the canary outside changed\n");
		abort();
	}
}

/* Replies are whole frames, each within the largest msize. */
static void
drain(struct p9srv *s)
{
	const unsigned char *p;
	size_t n, off, size;

	p = p9srv_pending(s, &n);
	for (off = 0; off < n; off += size) {
		if (n - off < P9_HDRSZ)
			abort();
		size = p9_le32(p + off);
		if (size < P9_HDRSZ || size > n - off || size > P9_MSIZE_MAX)
			abort();
	}
	p9srv_sent(s, n / 2);
	p9srv_pending(s, &n);
	p9srv_sent(s, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct p9srv *s;
	size_t chunk, k, n;
	int mode;

	if (rootfd < 0)
		setup();
	if (size == 0)
		return 0;
	populate();
	mode = data[0];
	data++;
	size--;
	if (p9srv_new(rootfd, mode & MODE_READONLY, &s) < 0)
		abort();
	if ((mode & MODE_SESSION) && p9srv_feed(s, session, sizeof(session)))
		abort();
	chunk = (size_t)mode >> 2;
	for (k = 0; k < size; k += n) {
		n = chunk == 0 || chunk > size - k ? size - k : chunk;
		if (p9srv_feed(s, data + k, n) < 0)
			break;
		drain(s);
	}
	drain(s);
	p9srv_free(s);
	check_outside();
	return 0;
}
