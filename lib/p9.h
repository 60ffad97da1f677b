/* p9.h: a 9P2000.L server for one host directory tree and one guest */
#ifndef FLEET_P9_H
#define FLEET_P9_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct p9srv;

/*
 * Serve the tree at rootfd (a directory; the server dups it and the
 * caller keeps its own), with the caller's permissions, never reaching
 * outside it. readonly: every change fails with EROFS. 0, or a negative
 * errno with fleet_last_error() set; *sp is the caller's: p9srv_free().
 */
int	p9srv_new(int rootfd, int readonly, struct p9srv **sp);
void	p9srv_free(struct p9srv *s);		/* NULL is fine */
/*
 * Bytes from the guest, as they come (any split). Each complete message
 * is answered at once into the output queue. 0, or a negative errno when
 * the stream cannot go on (a size field below 7 or above msize, more
 * than P9_OUT_MAX of replies unread): the caller closes the channel.
 * Callers should stop reading from the guest while replies wait.
 */
int	p9srv_feed(struct p9srv *s, const void *buf, size_t n);
/* Reply bytes waiting for the guest: valid until the next call on s. */
const void *p9srv_pending(const struct p9srv *s, size_t *n);
void	p9srv_sent(struct p9srv *s, size_t n);	/* n of them written */

/* The rest is for lib/p9-*.c and their tests. */

#define P9_MSIZE_MAX	(128 * 1024 + 24)
#define P9_MSIZE_MIN	512	/* a longest name fits in an Rreaddir */
#define P9_OUT_MAX	(4 * 1024 * 1024) /* replies unread: then ENOBUFS */
#define P9_FIDS_MAX	4096
#define P9_FID_BUCKETS	256
#define P9_WALK_MAX	16
#define P9_NAME_MAX	255
#define P9_PATH_MAX	4096
#define P9_HDRSZ	7	/* size[4] type[1] tag[2] */
#define P9_IOHDRSZ	24	/* what a Twrite carries besides data */
#define P9_NOFID	0xffffffffu
#define P9_VERSION	"9P2000.L"

/* Message types, as Linux's include/net/9p/9p.h numbers them (T; R is +1). */
enum {
	P9_RLERROR = 7,
	P9_TSTATFS = 8,
	P9_TLOPEN = 12,
	P9_TLCREATE = 14,
	P9_TSYMLINK = 16,
	P9_TMKNOD = 18,
	P9_TRENAME = 20,
	P9_TREADLINK = 22,
	P9_TGETATTR = 24,
	P9_TSETATTR = 26,
	P9_TXATTRWALK = 30,
	P9_TXATTRCREATE = 32,
	P9_TREADDIR = 40,
	P9_TFSYNC = 50,
	P9_TLOCK = 52,
	P9_TGETLOCK = 54,
	P9_TLINK = 70,
	P9_TMKDIR = 72,
	P9_TRENAMEAT = 74,
	P9_TUNLINKAT = 76,
	P9_TVERSION = 100,
	P9_TAUTH = 102,
	P9_TATTACH = 104,
	P9_TFLUSH = 108,
	P9_TWALK = 110,
	P9_TREAD = 116,
	P9_TWRITE = 118,
	P9_TCLUNK = 120,
	P9_TREMOVE = 122,
};

#define P9_QTDIR	0x80
#define P9_QTSYMLINK	0x02
#define P9_QTFILE	0x00

/* Tlopen and Tlcreate flags: Linux's open(2) bits (the x86-64 values). */
#define P9_ORDONLY	00
#define P9_OWRONLY	01
#define P9_ORDWR	02
#define P9_OACCMODE	03
#define P9_OCREAT	0100
#define P9_OEXCL	0200
#define P9_OTRUNC	01000
#define P9_OAPPEND	02000
#define P9_ONONBLOCK	04000
#define P9_ODSYNC	010000
#define P9_ODIRECTORY	0200000
#define P9_ONOFOLLOW	0400000
#define P9_OSYNC	04010000

#define P9_GETATTR_BASIC	0x7ffull	/* mode ... blocks */

#define P9_SETATTR_MODE		0x001
#define P9_SETATTR_UID		0x002
#define P9_SETATTR_GID		0x004
#define P9_SETATTR_SIZE		0x008
#define P9_SETATTR_ATIME	0x010
#define P9_SETATTR_MTIME	0x020
#define P9_SETATTR_CTIME	0x040
#define P9_SETATTR_ATIME_SET	0x080
#define P9_SETATTR_MTIME_SET	0x100

#define P9_AT_REMOVEDIR		0x200
#define P9_LOCK_SUCCESS		0
#define P9_LOCK_TYPE_UNLCK	2

struct p9qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* p9-wire.c: bounds-checked cursors over one message */
struct p9in {
	const unsigned char *p;
	size_t len, off;
	int err;		/* read past the end: the message is bad */
};
struct p9str {			/* in the message: no NUL at the end */
	const char *s;
	uint16_t len;
};
struct p9out {
	unsigned char *p;
	size_t len, max;
	int err;		/* did not fit in max */
};
uint8_t	p9_get8(struct p9in *in);
uint16_t p9_get16(struct p9in *in);
uint32_t p9_get32(struct p9in *in);
uint64_t p9_get64(struct p9in *in);
void	p9_getstr(struct p9in *in, struct p9str *str);
const void *p9_getdata(struct p9in *in, size_t n);
int	p9_end(const struct p9in *in);
void	p9_put8(struct p9out *out, uint8_t v);
void	p9_put16(struct p9out *out, uint16_t v);
void	p9_put32(struct p9out *out, uint32_t v);
void	p9_put64(struct p9out *out, uint64_t v);
void	p9_putstr(struct p9out *out, const char *s, size_t n);
void	p9_putqid(struct p9out *out, const struct p9qid *qid);
void	*p9_reserve(struct p9out *out, size_t n);
void	p9_set32(struct p9out *out, size_t at, uint32_t v);
size_t	p9_room(const struct p9out *out);
uint32_t p9_le32(const unsigned char *p);

/* p9-path.c: names and paths below the root, never outside it */
int	p9path_name(const struct p9str *str, char *buf);
int	p9path_walkname(const struct p9str *str, char *buf);
int	p9path_text(const struct p9str *str, char *buf, size_t size);
int	p9path_open(int dirfd, const char *path, int flags, mode_t mode);
int	p9path_join(const char *dir, const char *name, char **pathp);
int	p9path_walk1(int rootfd, int fd, uint8_t qtype, const char *path,
	    const char *name, int *fdp, char **pathp, struct p9qid *qid);
int	p9path_reopen(int rootfd, int fd, const char *path, int flags);
int	p9path_parent(int rootfd, int fd, const char *path,
	    const char **namep);
void	p9path_qid(const struct stat *st, struct p9qid *qid);
int	p9path_fdqid(int fd, struct p9qid *qid);

/* p9-srv.c: the session, its fids, the dispatch */
struct p9fid {
	uint32_t num;
	int fd;			/* O_PATH; for I/O once open */
	char *path;		/* from the root, "" for the root itself */
	uint8_t qtype;
	int open;		/* Tlopen or Tlcreate done */
	struct p9fid *next;	/* in its bucket */
};
struct p9srv {
	int rootfd;
	int readonly;
	uint64_t rootino;
	uint32_t msize;		/* 0 until a Tversion for 9P2000.L */
	struct p9fid *fids[P9_FID_BUCKETS];
	int nfids;
	unsigned char *in;	/* the message being gathered */
	size_t inlen;
	unsigned char *out;	/* replies, from outoff to outlen */
	size_t outoff, outlen, outcap;
	char *dirbuf;		/* getdents64's */
	int dead;		/* feed failed: the stream is over */
};
struct p9fid *p9fid_get(struct p9srv *s, uint32_t num);
void	p9fid_del(struct p9srv *s, uint32_t num);
void	p9fid_renamed(struct p9srv *s, const char *from, const char *to);

/* p9-fs.c: the messages on files, each 0 or a negative errno */
typedef int p9_handler(struct p9srv *s, struct p9in *in, struct p9out *out);
p9_handler p9fs_statfs, p9fs_lopen, p9fs_lcreate, p9fs_symlink, p9fs_mknod,
	p9fs_rename, p9fs_readlink, p9fs_getattr, p9fs_setattr,
	p9fs_xattrwalk, p9fs_xattrcreate, p9fs_readdir, p9fs_fsync,
	p9fs_lock, p9fs_getlock, p9fs_link, p9fs_mkdir, p9fs_renameat,
	p9fs_unlinkat, p9fs_read, p9fs_write, p9fs_remove;

#endif
