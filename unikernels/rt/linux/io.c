/* Calls on descriptors: read and write in their forms, seek, stat,
 * ioctl, fcntl, dup, poll. What a call does is the file's ops'. */
#include "file.h"
#include "sys.h"
#include "fs9p.h"

#define IO_MAX		0x7ffff000L	/* Linux's cap on one transfer */
#define IOV_MAX		1024
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define POLLNVAL	0x20

struct iovec {
	uintptr_t base;
	size_t len;
};

struct pollfd {
	int fd;
	short events, revents;
};

static long
do_read(struct file *f, uintptr_t buf, size_t n)
{
	if (f == NULL)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_WRONLY || f->ops->read == NULL)
		return f->ops->getdents != NULL ? -EISDIR : -EBADF;
	if (n > IO_MAX)
		n = IO_MAX;
	if (!user_ok(buf, n, PROT_WRITE))
		return -EFAULT;
	return n == 0 ? 0 : f->ops->read(f, (void *)buf, n);
}

static long
do_write(struct file *f, uintptr_t buf, size_t n)
{
	if (f == NULL)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY || f->ops->write == NULL)
		return -EBADF;
	if (n > IO_MAX)
		n = IO_MAX;
	if (!user_ok(buf, n, PROT_READ))
		return -EFAULT;
	return n == 0 ? 0 : f->ops->write(f, (const void *)buf, n);
}

long
sys_read(long fd, long buf, long n)
{
	return do_read(fd_get((int)fd), (uintptr_t)buf, (size_t)n);
}

long
sys_write(long fd, long buf, long n)
{
	return do_write(fd_get((int)fd), (uintptr_t)buf, (size_t)n);
}

static const struct iovec *
iovecs(long iov, long n)
{
	if (n < 0 || n > IOV_MAX)
		return NULL;
	if (!user_ok((uintptr_t)iov, (size_t)n * sizeof(struct iovec),
	    PROT_READ))
		return NULL;
	return (const struct iovec *)iov;
}

typedef long (*transfer)(struct file *, uintptr_t, size_t);

/* Each buffer in turn, until one comes back short. */
static long
vector(long fd, long iov, long n, transfer fn)
{
	const struct iovec *v = iovecs(iov, n);
	struct file *f = fd_get((int)fd);
	long total = 0, r, i;

	if (v == NULL)
		return n < 0 || n > IOV_MAX ? -EINVAL : -EFAULT;
	if (f == NULL)
		return -EBADF;
	for (i = 0; i < n; i++) {
		if (v[i].len == 0)
			continue;
		if ((r = fn(f, v[i].base, v[i].len)) < 0)
			return total > 0 ? total : r;
		total += r;
		if ((size_t)r < v[i].len)
			break;
	}
	return total;
}

long
sys_readv(long fd, long iov, long n)
{
	return vector(fd, iov, n, do_read);
}

long
sys_writev(long fd, long iov, long n)
{
	return vector(fd, iov, n, do_write);
}

/* A transfer at off, the file's own position left as it was. */
static long
at(long fd, long buf, long n, long off, transfer fn)
{
	struct file *f = fd_get((int)fd);
	int64_t pos;
	long r;

	if (f == NULL)
		return -EBADF;
	if (f->ops->seek == NULL)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	pos = f->pos;
	f->pos = off;
	r = fn(f, (uintptr_t)buf, (size_t)n);
	f->pos = pos;
	return r;
}

long
sys_pread64(long fd, long buf, long n, long off)
{
	return at(fd, buf, n, off, do_read);
}

long
sys_pwrite64(long fd, long buf, long n, long off)
{
	return at(fd, buf, n, off, do_write);
}

long
sys_lseek(long fd, long off, long whence)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	if (f->ops->seek == NULL)
		return -ESPIPE;
	return f->ops->seek(f, off, (int)whence);
}

long
sys_fstat(long fd, long st)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	if (!user_ok((uintptr_t)st, sizeof(struct kstat), PROT_WRITE))
		return -EFAULT;
	return f->ops->stat(f, (struct kstat *)st);
}

long
sys_getdents64(long fd, long buf, long n)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	if (f->ops->getdents == NULL)
		return -ENOTDIR;
	if (!user_ok((uintptr_t)buf, (size_t)n, PROT_WRITE))
		return -EFAULT;
	return f->ops->getdents(f, (void *)buf, (size_t)n);
}

/* No descriptor here is a terminal. */
long
sys_ioctl(long fd, long req, long arg)
{
	return fd_get((int)fd) == NULL ? -EBADF : -ENOTTY;
}

long
sys_fcntl(long fd, long cmd, long arg)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= FD_MAX)
			return -EINVAL;
		f->refs++;
		return fd_install(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_cloexec((int)fd, -1);
	case F_SETFD:
		return fd_cloexec((int)fd, (int)(arg & 1)) < 0 ? -EBADF : 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & O_ACCMODE) | ((int)arg & ~O_ACCMODE);
		return 0;
	default:
		return -EINVAL;
	}
}

long
sys_close(long fd)
{
	return fd_close((int)fd);
}

long
sys_dup(long fd)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	f->refs++;
	return fd_install(f, 0, 0);
}

long
sys_dup2(long old, long new)
{
	return fd_dup_to((int)old, (int)new, 0);
}

long
sys_dup3(long old, long new, long flags)
{
	if (old == new || (flags & ~O_CLOEXEC))
		return -EINVAL;
	return fd_dup_to((int)old, (int)new, (int)(flags & O_CLOEXEC));
}

/* Every descriptor is ready for what it can do: a read of stdin waits
 * in read(), not here. */
static long
poll_fds(struct pollfd *p, long n)
{
	long i, ready = 0;

	for (i = 0; i < n; i++) {
		struct file *f = fd_get(p[i].fd);

		if (p[i].fd < 0)
			p[i].revents = 0;
		else if (f == NULL)
			p[i].revents = POLLNVAL;
		else
			p[i].revents = (short)(f->ops->ready != NULL ?
			    f->ops->ready(f, p[i].events) : 0);
		ready += p[i].revents != 0;
	}
	return ready;
}

long
sys_poll(long fds, long n, long timeout)
{
	if (n < 0 || n > FD_MAX)
		return -EINVAL;
	if (!user_ok((uintptr_t)fds, (size_t)n * sizeof(struct pollfd),
	    PROT_READ | PROT_WRITE))
		return -EFAULT;
	return poll_fds((struct pollfd *)fds, n);
}

long
sys_ppoll(long fds, long n, long ts, long mask)
{
	return sys_poll(fds, n, -1);
}

long
sys_pselect6(long n, long r, long w, long e, long ts, long mask)
{
	return -ENOSYS;
}

/*
 * In Linux the source must be a file one can mmap: never a pipe. Through
 * a buffer of ours; with off, at *off, the file's own position kept.
 */
long
sys_sendfile(long out, long in, long off, long n)
{
	static uint8_t buf[64 * 1024];
	struct file *fi = fd_get((int)in), *fo = fd_get((int)out);
	int64_t pos, *offp = (int64_t *)off;
	long done = 0, k, w;

	if (fi == NULL || fo == NULL)
		return -EBADF;
	if (fi->ops->seek == NULL || fi->ops->read == NULL ||
	    (fi->flags & O_ACCMODE) == O_WRONLY)
		return -EINVAL;
	if ((fo->flags & O_ACCMODE) == O_RDONLY || fo->ops->write == NULL)
		return -EBADF;
	if (offp != NULL && !user_ok((uintptr_t)off, 8, PROT_READ | PROT_WRITE))
		return -EFAULT;
	pos = fi->pos;
	if (offp != NULL)
		fi->pos = *offp;
	while (done < n) {
		k = fi->ops->read(fi, buf, (size_t)(n - done) < sizeof(buf) ?
		    (size_t)(n - done) : sizeof(buf));
		if (k <= 0) {
			if (done == 0)
				done = k;
			break;
		}
		if ((w = fo->ops->write(fo, buf, (size_t)k)) < 0) {
			fi->pos -= k;
			if (done == 0)
				done = w;
			break;
		}
		fi->pos -= k - w;
		done += w;
		if (w < k)
			break;
	}
	if (offp != NULL) {
		*offp = fi->pos;
		fi->pos = pos;
	}
	return done;
}

long
sys_pipe(long fds)
{
	return -ENOSYS;
}

long
sys_pipe2(long fds, long flags)
{
	return -ENOSYS;
}

long
sys_fsync(long fd)
{
	struct file *f = fd_get((int)fd);

	if (f == NULL)
		return -EBADF;
	return file_fid(f) == P9_NOFID ? -EINVAL : p9_fsync(file_fid(f));
}

long
sys_fdatasync(long fd)
{
	return sys_fsync(fd);
}
