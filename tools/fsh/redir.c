/* redir.c: redirections, on the shell's own fds or on a VM's three */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fsh.h"
#include "strbuf.h"

struct redir_save {
	int fd;			/* the fd changed */
	int saved;		/* its old self, or -1 if it was closed */
	struct redir_save *next;
};

/* The text of a here-document in a memfd, at offset 0. */
static int
heredoc_fd(struct shell *sh, const struct redir *r)
{
	char *text = expand_string(sh, r->body);
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd = memfd_create("fsh-heredoc", MFD_CLOEXEC);

	if (fd < 0)
		goto fail;
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	free(text);
	return fd;
fail:
	fprintf(stderr, "fsh: here-document: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
	free(text);
	return -1;
}

/* set -C: > makes a file, or writes to one that is not regular (a
 * device, a fifo), never truncates a regular one. */
static int
open_noclobber(const char *name)
{
	struct stat st;
	int fd;

	fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd >= 0 || errno != EEXIST)
		return fd;
	fd = open(name, O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		close(fd);
		errno = EEXIST;
		return -1;
	}
	return fd;
}

/*
 * Open what r names: a new fd (close-on-exec), -2 for "close the target
 * fd" (>&-), or -1 after a message. dup_of: for <& and >&, the fd number.
 */
static int
redir_open(struct shell *sh, const struct redir *r, int *dup_of)
{
	char *name, *end;
	int flags, fd;
	long n;

	*dup_of = -1;
	if (r->op == REDIR_HEREDOC)
		return heredoc_fd(sh, r);
	name = expand_string(sh, r->target);
	switch (r->op) {
	case REDIR_IN:
		flags = O_RDONLY;
		break;
	case REDIR_OUT:
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case REDIR_APPEND:
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	case REDIR_RDWR:
		flags = O_RDWR | O_CREAT;
		break;
	case REDIR_DUP_IN:
	case REDIR_DUP_OUT:
		if (strcmp(name, "-") == 0) {
			free(name);
			return -2;
		}
		n = strtol(name, &end, 10);
		if (name[0] == '\0' || *end != '\0' || n < 0 || n > 1024) {
			fprintf(stderr, "fsh: %s: bad file descriptor\n", name);
			free(name);
			return -1;
		}
		free(name);
		*dup_of = (int)n;
		return -3;
	default:
		abort();
	}
	if (r->op == REDIR_OUT && sh->opt_C && !r->clobber)
		fd = open_noclobber(name);
	else
		fd = open(name, flags | O_CLOEXEC, 0666);
	if (fd < 0)
		fprintf(stderr, "fsh: %s: %s\n", name, strerror(errno));
	free(name);
	return fd;
}

int
redir_fds(struct shell *sh, const struct redir *r, int fds[3])
{
	int fd, dup_of;

	for (; r != NULL; r = r->next) {
		fd = redir_open(sh, r, &dup_of);
		if (fd == -1)
			return -1;
		if (fd == -3) {
			if (dup_of > 2 || fds[dup_of] < 0) {
				fprintf(stderr, "fsh: %d: bad file descriptor\n",
				    dup_of);
				return -1;
			}
			fd = fcntl(fds[dup_of], F_DUPFD_CLOEXEC, 3);
		}
		if (r->fd > 2) {	/* a VM has only 0, 1 and 2 */
			if (fd >= 0)
				close(fd);
			continue;
		}
		if (fds[r->fd] >= 0)
			close(fds[r->fd]);
		fds[r->fd] = fd >= 0 ? fd : -1;
	}
	return 0;
}

static void
save_fd(struct redir_save **savep, int fd)
{
	struct redir_save *s = xcalloc(1, sizeof(*s));

	s->fd = fd;
	s->saved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	s->next = *savep;
	*savep = s;
}

int
redir_apply(struct shell *sh, const struct redir *r, struct redir_save **savep)
{
	int fd, dup_of;

	*savep = NULL;
	for (; r != NULL; r = r->next) {
		fd = redir_open(sh, r, &dup_of);
		if (fd == -1)
			goto fail;
		fflush(NULL);
		save_fd(savep, r->fd);
		if (fd == -2) {
			close(r->fd);
			continue;
		}
		if (fd == -3)
			fd = dup_of;
		if (fd != r->fd && dup2(fd, r->fd) < 0) {
			fprintf(stderr, "fsh: %d: %s\n", dup_of,
			    strerror(errno));
			goto fail;
		}
		if (fd != dup_of)
			close(fd);
	}
	return 0;
fail:
	redir_restore(*savep);
	*savep = NULL;
	return -1;
}

void
redir_restore(struct redir_save *s)
{
	struct redir_save *next;

	fflush(NULL);
	for (; s != NULL; s = next) {
		next = s->next;
		if (s->saved >= 0) {
			dup2(s->saved, s->fd);
			close(s->saved);
		} else {
			close(s->fd);
		}
		free(s);
	}
}

void
redir_forget(struct redir_save *s)
{
	struct redir_save *next;

	for (; s != NULL; s = next) {
		next = s->next;
		if (s->saved >= 0)
			close(s->saved);
		free(s);
	}
}
