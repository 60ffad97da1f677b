/*
 * The 9P2000.L client: one request at a time (tag 1), each answered
 * before the next, on virtio-serial port 2. Messages are built in tx
 * and read whole into rx; a reply that does not parse is EIO. A clunk
 * waits for the next request and goes just before it (tag 2), its reply
 * read and dropped then: the server answers in order, and a fid is
 * free again once its clunk is on its way.
 */
#include "linux.h"
#include "p9.h"

#define MSIZE		(128 * 1024 + 24)
#define HDR		7
#define IOHDR		24	/* Twrite: size, type, tag, fid, offset, count */
#define FIDS		1024
#define TAG		1
#define TAG_CLUNK	2
#define TAG_WALK	3
#define CLUNKS_MAX	64

#define Rlerror		7
#define Tstatfs		8
#define Tlopen		12
#define Tlcreate	14
#define Tsymlink	16
#define Treadlink	22
#define Tgetattr	24
#define Tsetattr	26
#define Treaddir	40
#define Tfsync		50
#define Tlink		70
#define Tmkdir		72
#define Trenameat	74
#define Tunlinkat	76
#define Tversion	100
#define Tattach		104
#define Twalk		110
#define Tread		116
#define Twrite		118
#define Tclunk		120

static uint8_t tx[MSIZE], rx[MSIZE];
static uint8_t *rbuf = rx;	/* the reply being parsed */
static size_t tlen, rlen, rpos;
static uint8_t walk_tx[512], walk_rx[512];	/* a Twalk sent first */
static size_t walk_tlen, walk_rlen;
static int bad, up;
static uint32_t msize = MSIZE;
static uint8_t fid_used[FIDS / 8] = { 1 };	/* the root's */
static uint8_t clunks[CLUNKS_MAX * 11];	/* Tclunks, waiting */
static int nclunks;

static void
put(const void *p, size_t n)
{
	if (tlen + n > msize) {
		bad = 1;
		return;
	}
	memcpy(tx + tlen, p, n);
	tlen += n;
}

static void
put_le(uint64_t v, int n)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(b, (size_t)n);
}

#define put8(v)		put_le((v), 1)
#define put16(v)	put_le((v), 2)
#define put32(v)	put_le((v), 4)
#define put64(v)	put_le((v), 8)

static void
put_str(const char *s)
{
	size_t n = strlen(s);

	if (n > 0xffff) {
		bad = 1;
		return;
	}
	put16(n);
	put(s, n);
}

static void
begin(int type)
{
	bad = 0;
	tlen = 0;
	put32(0);
	put8(type);
	put16(type == Tversion ? 0xffff : TAG);
}

static void
get(void *p, size_t n)
{
	if (rpos + n > rlen) {
		bad = 1;
		memset(p, 0, n);
		return;
	}
	memcpy(p, rbuf + rpos, n);
	rpos += n;
}

static uint64_t
get_le(int n)
{
	uint8_t b[8];
	uint64_t v = 0;
	int i;

	get(b, (size_t)n);
	for (i = n - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

#define get8()	((uint8_t)get_le(1))
#define get16()	((uint16_t)get_le(2))
#define get32()	((uint32_t)get_le(4))
#define get64()	get_le(8)

static void
get_qid(struct p9_qid *q)
{
	q->type = get8();
	q->version = get32();
	q->path = get64();
}

static void
recv_n(uint8_t *p, size_t n)
{
	size_t k;

	while (n > 0) {
		if ((k = vport_getn(VPORT_FILES, p, n)) == 0) {
			vport_wait_rx(VPORT_FILES);
			continue;
		}
		p += k;
		n -= k;
	}
}

/* One whole message into rx; its type and tag. */
static void
recv_msg(uint8_t *type, uint16_t *tag)
{
	uint32_t size;

	recv_n(rx, 4);
	size = (uint32_t)rx[0] | (uint32_t)rx[1] << 8 |
	    (uint32_t)rx[2] << 16 | (uint32_t)rx[3] << 24;
	if (size < HDR || size > msize)
		rt_crash("exec", "fleetrt: the file server sent a 9P message "
		    "of %u bytes\n", size);
	recv_n(rx + 4, size - 4);
	rbuf = rx;
	rlen = size;
	rpos = 4;
	*type = get8();
	*tag = get16();
}

static void
patch_size(uint8_t *m, size_t n)
{
	m[0] = (uint8_t)n;
	m[1] = (uint8_t)(n >> 8);
	m[2] = (uint8_t)(n >> 16);
	m[3] = (uint8_t)(n >> 24);
}

static int
status(int rtype)
{
	uint8_t type;

	rpos = 4;
	type = get8();
	(void)get16();
	if (type == Rlerror) {
		uint32_t e = get32();

		return bad || e == 0 || e > 4095 ? -EIO : -(int)e;
	}
	return type == rtype ? 0 : -EIO;
}

/*
 * Send the waiting clunks, a stashed Twalk and tx; read the replies (the
 * walk's into walk_rx) and leave tx's in rx: 0 for rtype, else -errno.
 */
static int
rpc(int rtype)
{
	int owed = nclunks, walked = walk_tlen > 0;
	uint8_t type;
	uint16_t tag;

	if (bad) {
		walk_tlen = 0;
		return -ENAMETOOLONG;
	}
	patch_size(tx, tlen);
	if (nclunks > 0)
		vport_putn(VPORT_FILES, clunks, (size_t)nclunks * 11, NULL);
	nclunks = 0;
	if (walked)
		vport_putn(VPORT_FILES, walk_tx, walk_tlen, NULL);
	walk_tlen = 0;
	vport_putn(VPORT_FILES, tx, tlen, NULL);
	do
		recv_msg(&type, &tag);
	while (tag == TAG_CLUNK && owed-- > 0);
	if (walked) {
		if (tag != TAG_WALK || rlen > sizeof(walk_rx))
			return -EIO;
		memcpy(walk_rx, rx, rlen);
		walk_rlen = rlen;
		recv_msg(&type, &tag);
	}
	if (tag != (tx[4] == Tversion ? 0xffff : TAG))
		return -EIO;
	return status(rtype);
}

static int
done(int r)
{
	return r < 0 ? r : bad ? -EIO : 0;
}

int
p9_init(void)
{
	char version[16];
	uint16_t n;
	int r;

	begin(Tversion);
	put32(MSIZE);
	put_str("9P2000.L");
	if ((r = rpc(Tversion + 1)) < 0)
		return r;
	msize = get32();
	n = get16();
	if (bad || n != 8 || msize < 4096 || msize > MSIZE)
		return -EIO;
	get(version, 8);
	if (memcmp(version, "9P2000.L", 8) != 0)
		return -EIO;
	begin(Tattach);
	put32(P9_ROOT);
	put32(P9_NOFID);
	put_str("");
	put_str("");
	put32(0);
	if ((r = done(rpc(Tattach + 1))) < 0)
		return r;
	up = 1;
	return 0;
}

int
p9_ready(void)
{
	return up;
}

uint32_t
p9_iosize(void)
{
	return msize - IOHDR;
}

int
p9_fid_new(uint32_t *fid)
{
	uint32_t i;

	for (i = 1; i < FIDS; i++)
		if (!(fid_used[i / 8] & 1u << (i % 8))) {
			fid_used[i / 8] |= (uint8_t)(1u << (i % 8));
			*fid = i;
			return 0;
		}
	return -ENFILE;
}

/* A fid the server never took (its walk failed) is only ours again. */
void
p9_fid_forget(uint32_t fid)
{
	if (fid != P9_ROOT && fid < FIDS)
		fid_used[fid / 8] &= (uint8_t)~(1u << (fid % 8));
}

void
p9_fid_free(uint32_t fid)
{
	uint8_t *m;

	if (fid == P9_ROOT || fid >= FIDS)
		return;
	if (nclunks == CLUNKS_MAX) {	/* send them with one of its own */
		begin(Tclunk);
		put32(fid);
		(void)rpc(Tclunk + 1);
		p9_fid_forget(fid);
		return;
	}
	m = clunks + nclunks++ * 11;
	memcpy(m, "\x0b\0\0\0", 4);
	m[4] = Tclunk;
	m[5] = TAG_CLUNK;
	m[6] = 0;
	m[7] = (uint8_t)fid;
	m[8] = (uint8_t)(fid >> 8);
	m[9] = (uint8_t)(fid >> 16);
	m[10] = (uint8_t)(fid >> 24);
	p9_fid_forget(fid);
}

static void
walk_build(uint32_t fid, uint32_t newfid, int n, const char *const *names)
{
	int i;

	begin(Twalk);
	put32(fid);
	put32(newfid);
	put16(n);
	for (i = 0; i < n; i++)
		put_str(names[i]);
}

static int
walk_parse(int r, int n, struct p9_qid *last)
{
	uint16_t got;
	int i;

	if (r < 0)
		return r;
	got = get16();
	if (got != n)
		return bad ? -EIO : -ENOENT;
	for (i = 0; i < n; i++)
		get_qid(last);
	return done(0);
}

/*
 * Walk n names from fid to newfid (n 0: a clone). All of them or an
 * error: a partial walk is ENOENT. *last: the last name's qid.
 */
int
p9_walk(uint32_t fid, uint32_t newfid, int n, const char *const *names,
    struct p9_qid *last)
{
	if (n > P9_WALK_MAX)
		return -ENAMETOOLONG;
	walk_build(fid, newfid, n, names);
	return walk_parse(rpc(Twalk + 1), n, last);
}

/*
 * The same walk, sent with the request the caller builds next (on
 * newfid) in one go: p9_walk_then() before building it, p9_walked()
 * after its rpc, for the walk's result. One round trip for two.
 */
int
p9_walk_then(uint32_t fid, uint32_t newfid, int n, const char *const *names)
{
	if (n > P9_WALK_MAX)
		return -ENAMETOOLONG;
	walk_build(fid, newfid, n, names);
	if (bad || tlen > sizeof(walk_tx))
		return -ENAMETOOLONG;
	patch_size(tx, tlen);
	tx[5] = TAG_WALK;
	memcpy(walk_tx, tx, tlen);
	walk_tlen = tlen;
	return 0;
}

int
p9_walked(int n, struct p9_qid *last)
{
	uint8_t *keep = rbuf;
	size_t klen = rlen, kpos = rpos;
	int r;

	if (walk_rlen == 0)
		return -EIO;
	rbuf = walk_rx;
	rlen = walk_rlen;
	walk_rlen = 0;
	r = walk_parse(status(Twalk + 1), n, last);
	rbuf = keep;
	rlen = klen;
	rpos = kpos;
	return r;
}

int
p9_lopen(uint32_t fid, uint32_t flags)
{
	begin(Tlopen);
	put32(fid);
	put32(flags);
	return done(rpc(Tlopen + 1));
}

/* fid, a directory, becomes the new file, open. */
int
p9_lcreate(uint32_t fid, const char *name, uint32_t flags, uint32_t mode)
{
	begin(Tlcreate);
	put32(fid);
	put_str(name);
	put32(flags);
	put32(mode);
	put32(0);
	return done(rpc(Tlcreate + 1));
}

static long
data_in(void *buf, uint32_t max)
{
	uint32_t n = get32();

	if (bad || n > max || rpos + n > rlen)
		return -EIO;
	memcpy(buf, rbuf + rpos, n);
	return (long)n;
}

/* Tread and Treaddir: count bytes at off, the reply's data into buf. */
static long
read_of(int type, uint32_t fid, uint64_t off, void *buf, uint32_t n)
{
	long r;

	if (n > p9_iosize())
		n = p9_iosize();
	begin(type);
	put32(fid);
	put64(off);
	put32(n);
	return (r = rpc(type + 1)) < 0 ? r : data_in(buf, n);
}

long
p9_read(uint32_t fid, uint64_t off, void *buf, uint32_t n)
{
	return read_of(Tread, fid, off, buf, n);
}

long
p9_write(uint32_t fid, uint64_t off, const void *buf, uint32_t n)
{
	uint32_t k;
	long r;

	if (n > p9_iosize())
		n = p9_iosize();
	begin(Twrite);
	put32(fid);
	put64(off);
	put32(n);
	put(buf, n);
	if ((r = rpc(Twrite + 1)) < 0)
		return r;
	k = get32();
	return bad || k > n ? -EIO : (long)k;
}

/* Raw entries (qid, offset, type, name), for the caller to walk. */
long
p9_readdir(uint32_t fid, uint64_t off, void *buf, uint32_t n)
{
	return read_of(Treaddir, fid, off, buf, n);
}

int
p9_getattr(uint32_t fid, struct p9_attr *a)
{
	int r;

	begin(Tgetattr);
	put32(fid);
	put64(P9_GETATTR_BASIC);
	if ((r = rpc(Tgetattr + 1)) < 0)
		return r;
	(void)get64();
	get_qid(&a->qid);
	a->mode = get32();
	a->uid = get32();
	a->gid = get32();
	a->nlink = get64();
	a->rdev = get64();
	a->size = get64();
	a->blksize = get64();
	a->blocks = get64();
	a->atime = get64();
	a->atime_ns = get64();
	a->mtime = get64();
	a->mtime_ns = get64();
	a->ctime = get64();
	a->ctime_ns = get64();
	return done(0);
}

int
p9_setattr(uint32_t fid, const struct p9_setattr *s)
{
	begin(Tsetattr);
	put32(fid);
	put32(s->valid);
	put32(s->mode);
	put32(s->uid);
	put32(s->gid);
	put64(s->size);
	put64(s->atime);
	put64(s->atime_ns);
	put64(s->mtime);
	put64(s->mtime_ns);
	return done(rpc(Tsetattr + 1));
}

int
p9_mkdir(uint32_t dfid, const char *name, uint32_t mode)
{
	begin(Tmkdir);
	put32(dfid);
	put_str(name);
	put32(mode);
	put32(0);
	return done(rpc(Tmkdir + 1));
}

int
p9_symlink(uint32_t dfid, const char *name, const char *target)
{
	begin(Tsymlink);
	put32(dfid);
	put_str(name);
	put_str(target);
	put32(0);
	return done(rpc(Tsymlink + 1));
}

long
p9_readlink(uint32_t fid, char *buf, size_t n)
{
	uint16_t k;
	int r;

	begin(Treadlink);
	put32(fid);
	if ((r = rpc(Treadlink + 1)) < 0)
		return r;
	k = get16();
	if (bad || (size_t)k >= n || rpos + k > rlen)
		return bad ? -EIO : -ENAMETOOLONG;
	memcpy(buf, rbuf + rpos, k);
	buf[k] = '\0';
	return k;
}

int
p9_link(uint32_t dfid, uint32_t fid, const char *name)
{
	begin(Tlink);
	put32(dfid);
	put32(fid);
	put_str(name);
	return done(rpc(Tlink + 1));
}

int
p9_renameat(uint32_t odfid, const char *oname, uint32_t ndfid,
    const char *nname)
{
	begin(Trenameat);
	put32(odfid);
	put_str(oname);
	put32(ndfid);
	put_str(nname);
	return done(rpc(Trenameat + 1));
}

int
p9_unlinkat(uint32_t dfid, const char *name, uint32_t flags)
{
	begin(Tunlinkat);
	put32(dfid);
	put_str(name);
	put32(flags);
	return done(rpc(Tunlinkat + 1));
}

int
p9_fsync(uint32_t fid)
{
	begin(Tfsync);
	put32(fid);
	put32(0);
	return done(rpc(Tfsync + 1));
}

/* type, bsize, blocks, bfree, bavail, files, ffree */
int
p9_statfs(uint32_t fid, uint64_t v[7])
{
	int r;

	begin(Tstatfs);
	put32(fid);
	if ((r = rpc(Tstatfs + 1)) < 0)
		return r;
	v[0] = get32();
	v[1] = get32();
	v[2] = get64();
	v[3] = get64();
	v[4] = get64();
	v[5] = get64();
	v[6] = get64();
	return done(0);
}
