/*
 * fds 0, 1 and 2: the runtime's stdin, stdout and stderr, which look
 * like pipes to the program (fstat says S_IFIFO; no terminal). Their
 * st_blksize is 64 KiB, a transmit buffer of the console: stdio sizes
 * its buffers by it, and each write is a VM exit.
 */
#include "file.h"

static long
in_read(struct file *f, void *buf, size_t n)
{
	return (long)rt_stdin(buf, n);
}

static long
out_write(struct file *f, const void *buf, size_t n)
{
	rt_stdout(buf, n);
	return (long)n;
}

static long
err_write(struct file *f, const void *buf, size_t n)
{
	rt_stderr(buf, n);
	return (long)n;
}

static long
pipe_stat(struct file *f, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = 12;
	st->ino = f->ops->read != NULL ? 1 : 2;
	st->nlink = 1;
	st->mode = S_IFIFO | 0600;
	st->blksize = 65536;
	return 0;
}

static int
in_ready(struct file *f, int events)
{
	return events & 1;	/* POLLIN: a read will not fail */
}

static int
out_ready(struct file *f, int events)
{
	return events & 4;	/* POLLOUT */
}

static const struct file_ops stdin_ops = {
	.read = in_read, .stat = pipe_stat, .ready = in_ready,
};
static const struct file_ops stdout_ops = {
	.write = out_write, .stat = pipe_stat, .ready = out_ready,
};
static const struct file_ops stderr_ops = {
	.write = err_write, .stat = pipe_stat, .ready = out_ready,
};

void
console_open(void)
{
	(void)fd_install(file_new(&stdin_ops, O_RDONLY), 0, 0);
	(void)fd_install(file_new(&stdout_ops, O_WRONLY), 1, 0);
	(void)fd_install(file_new(&stderr_ops, O_WRONLY), 2, 0);
}
