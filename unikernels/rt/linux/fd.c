/* The descriptor table: fds to shared open files, as dup(2) shares. */
#include "file.h"

#define FILES_MAX	128

static struct file files[FILES_MAX];
static struct file *fds[FD_MAX];
static uint8_t cloexec[FD_MAX];

struct file *
file_new(const struct file_ops *ops, int flags)
{
	int i;

	for (i = 0; i < FILES_MAX; i++)
		if (files[i].refs == 0) {
			files[i].ops = ops;
			files[i].refs = 1;
			files[i].flags = flags;
			files[i].pos = 0;
			files[i].priv = NULL;
			return &files[i];
		}
	return NULL;
}

static void
file_put(struct file *f)
{
	if (--f->refs == 0 && f->ops->close != NULL)
		f->ops->close(f);
}

struct file *
fd_get(int fd)
{
	return fd >= 0 && fd < FD_MAX ? fds[fd] : NULL;
}

/* Takes the caller's reference to f. */
int
fd_install(struct file *f, int min, int cloexec_flag)
{
	int fd;

	for (fd = min < 0 ? 0 : min; fd < FD_MAX; fd++)
		if (fds[fd] == NULL) {
			fds[fd] = f;
			cloexec[fd] = cloexec_flag != 0;
			return fd;
		}
	file_put(f);
	return -EMFILE;
}

int
fd_dup_to(int old, int new, int cloexec_flag)
{
	struct file *f = fd_get(old);

	if (f == NULL || new < 0 || new >= FD_MAX)
		return -EBADF;
	if (old == new)
		return new;
	f->refs++;
	if (fds[new] != NULL)
		file_put(fds[new]);
	fds[new] = f;
	cloexec[new] = cloexec_flag != 0;
	return new;
}

int
fd_close(int fd)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return -EBADF;
	fds[fd] = NULL;
	file_put(f);
	return 0;
}

int
fd_cloexec(int fd, int set)
{
	if (fd_get(fd) == NULL)
		return -EBADF;
	if (set >= 0)
		cloexec[fd] = set != 0;
	return cloexec[fd];
}
