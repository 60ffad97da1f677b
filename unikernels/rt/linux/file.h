/* Open files and the descriptor table: what a file system plugs into. */
#ifndef FLEETRT_FILE_H
#define FLEETRT_FILE_H

#include "linux.h"

#define FD_MAX		256
#define O_ACCMODE	3
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CLOEXEC	02000000
#define S_IFMT		0170000
#define S_IFIFO		0010000
#define S_IFCHR		0020000
#define S_IFDIR		0040000
#define S_IFREG		0100000

/* struct stat as x86-64 Linux lays it out */
struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t reserved[3];
};

struct file;
struct file_ops {
	long	(*read)(struct file *, void *, size_t);
	long	(*write)(struct file *, const void *, size_t);
	long	(*stat)(struct file *, struct kstat *);
	long	(*seek)(struct file *, int64_t, int);	/* NULL: ESPIPE */
	long	(*getdents)(struct file *, void *, size_t); /* NULL: ENOTDIR */
	int	(*ready)(struct file *, int);	/* poll: events ready */
	void	(*close)(struct file *);
};

struct file {
	const struct file_ops *ops;
	int refs;
	int flags;		/* O_ACCMODE and status flags */
	int64_t pos;
	void *priv;
};

struct file *file_new(const struct file_ops *, int);
struct file *fd_get(int);
int	fd_install(struct file *, int, int);	/* lowest fd >= min */
int	fd_dup_to(int, int, int);
int	fd_close(int);
int	fd_cloexec(int, int);		/* -1: query */
void	console_open(void);

#endif
