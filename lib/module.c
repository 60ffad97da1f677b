/*
 * module.c: a Linux program's boot module, staged in its VM's own
 * directory: a copy of the program (QEMU, which may run as another
 * user, reads the copy, never the caller's file) and, after it, the
 * words the runtime would take from the command line: environment and
 * argv of any size (docs/protocol.md, section 2.2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include "core.h"

#define TRAILER_MAGIC	"fleetarg"

static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t k;

	while (n > 0) {
		if ((k = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
copy_file(int out, int in, off_t size)
{
	off_t left = size;
	ssize_t k;

	while (left > 0) {
		if ((k = copy_file_range(in, NULL, out, NULL, (size_t)left,
		    0)) <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			break;
		}
		left -= k;
	}
	while (left > 0) {	/* a file system copy_file_range refused */
		if ((k = sendfile(out, in, NULL, (size_t)left)) <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			return k == 0 ? -EIO : -errno;
		}
		left -= k;
	}
	return 0;
}

/* words, its length and the magic, which the runtime finds at the end. */
static int
add_trailer(int fd, const char *words)
{
	uint64_t n = strlen(words);
	unsigned char len[8];
	int i, r;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	if ((r = write_all(fd, words, n)) < 0 ||
	    (r = write_all(fd, len, sizeof(len))) < 0)
		return r;
	return write_all(fd, TRAILER_MAGIC, 8);
}

/*
 * At out, the program at path, then words (NULL: none). The file is
 * 0600: libvirt gives it to QEMU's user while the domain runs, like
 * the sockets beside it.
 */
int
module_stage(const char *out, const char *path, const char *words)
{
	struct stat st;
	int in, fd, r;

	if ((in = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return fleet_seterr(-errno, "image %s: %s", path,
		    strerror(errno));
	(void)unlink(out);
	if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		r = fleet_seterr(-errno, "module %s: %s", out,
		    strerror(errno));
		close(in);
		return r;
	}
	if (fstat(in, &st) == -1)
		r = -errno;
	else if ((r = copy_file(fd, in, st.st_size)) == 0 && words != NULL)
		r = add_trailer(fd, words);
	close(in);
	if (close(fd) == -1 && r == 0)
		r = -errno;
	if (r < 0) {
		(void)unlink(out);
		return fleet_seterr(r, "module %s: %s", out, strerror(-r));
	}
	return 0;
}
