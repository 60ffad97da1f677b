/* The 9P2000.L client: the caller's directory, served by the host on
 * virtio-serial port 2 (docs/protocol.md, section 7). */
#ifndef FLEETRT_P9_H
#define FLEETRT_P9_H

#include <stdint.h>
#include <stddef.h>

#define P9_NOFID	0xffffffffu
#define P9_ROOT		0		/* the fid of the tree's root */
#define P9_WALK_MAX	16		/* names in one Twalk */

#define P9_QTDIR	0x80
#define P9_QTSYMLINK	0x02

/* Tgetattr's mask and Rgetattr's valid */
#define P9_GETATTR_BASIC	0x7ffull

/* Tsetattr's valid */
#define P9_SET_MODE		0x001
#define P9_SET_UID		0x002
#define P9_SET_GID		0x004
#define P9_SET_SIZE		0x008
#define P9_SET_ATIME		0x010
#define P9_SET_MTIME		0x020
#define P9_SET_CTIME		0x040
#define P9_SET_ATIME_SET	0x080
#define P9_SET_MTIME_SET	0x100

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

struct p9_attr {
	struct p9_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
};

struct p9_setattr {
	uint32_t valid, mode, uid, gid;
	uint64_t size, atime, atime_ns, mtime, mtime_ns;
};

int	p9_init(void);		/* version and attach; 0 or -errno */
int	p9_ready(void);
uint32_t p9_iosize(void);	/* the most one read or write moves */
int	p9_fid_new(uint32_t *);
void	p9_fid_free(uint32_t);	/* and clunk it */
void	p9_fid_forget(uint32_t);	/* never walked to */

int	p9_walk(uint32_t, uint32_t, int, const char *const *,
	    struct p9_qid *);
int	p9_walk_then(uint32_t, uint32_t, int, const char *const *);
int	p9_walked(int, struct p9_qid *);
int	p9_lopen(uint32_t, uint32_t);
int	p9_lcreate(uint32_t, const char *, uint32_t, uint32_t);
long	p9_read(uint32_t, uint64_t, void *, uint32_t);
long	p9_write(uint32_t, uint64_t, const void *, uint32_t);
long	p9_readdir(uint32_t, uint64_t, void *, uint32_t);
int	p9_getattr(uint32_t, struct p9_attr *);
int	p9_setattr(uint32_t, const struct p9_setattr *);
int	p9_mkdir(uint32_t, const char *, uint32_t);
int	p9_symlink(uint32_t, const char *, const char *);
long	p9_readlink(uint32_t, char *, size_t);
int	p9_link(uint32_t, uint32_t, const char *);
int	p9_renameat(uint32_t, const char *, uint32_t, const char *);
int	p9_unlinkat(uint32_t, const char *, uint32_t);
int	p9_fsync(uint32_t);
int	p9_statfs(uint32_t, uint64_t[7]);

#endif
