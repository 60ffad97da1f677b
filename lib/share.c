/*
 * share.c: the caller's directory for one VM: the 9P server (p9-srv.c)
 * on the socket of the VM's file port, in the connection's loop. It runs
 * in the caller's process, so the guest reads and writes with the
 * caller's rights. A guest that breaks the protocol, or leaves replies
 * unread, loses its files, nothing else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "internal.h"
#include "loop.h"
#include "p9.h"
#include "share.h"

#define READ_CHUNK	(64 * 1024)

struct share {
	struct loop *loop;
	int fd;
	struct p9srv *srv;
};

static void
share_close(struct share *s)
{
	if (s->fd < 0)
		return;
	loop_unwatch(s->loop, s->fd);
	close(s->fd);
	s->fd = -1;
}

/* Replies out as far as the socket takes them: -1 if it broke. */
static int
flush_out(struct share *s)
{
	const void *buf;
	size_t n;
	ssize_t k;

	while ((buf = p9srv_pending(s->srv, &n)) != NULL && n > 0) {
		if ((k = send(s->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL)) < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		p9srv_sent(s->srv, (size_t)k);
	}
	return 0;
}

static void
share_event(void *arg, unsigned events)
{
	static char buf[READ_CHUNK];
	struct share *s = arg;
	size_t pending = 0;
	ssize_t k;

	if (events & LOOP_IN) {
		if ((k = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT)) == 0 ||
		    (k < 0 && errno != EAGAIN && errno != EINTR) ||
		    (k > 0 && p9srv_feed(s->srv, buf, (size_t)k) < 0)) {
			share_close(s);
			return;
		}
	} else if (events & LOOP_HUP) {
		share_close(s);
		return;
	}
	if (flush_out(s) < 0) {
		share_close(s);
		return;
	}
	/* replies the guest has not taken yet: read no more until it does */
	if (p9srv_pending(s->srv, &pending) == NULL)
		pending = 0;
	loop_rewatch(s->loop, s->fd, pending > 0 ? LOOP_OUT : LOOP_IN);
}

int
share_start(struct loop *l, int fd, const char *dir, int ro,
    struct share **sp)
{
	struct share *s;
	int root, r;

	*sp = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		close(fd);
		return fleet_seterr(-ENOMEM, "files: out of memory");
	}
	s->loop = l;
	s->fd = fd;
	if ((root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		r = fleet_seterr(-errno, "files: %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	r = p9srv_new(root, ro, &s->srv);
	close(root);
	if (r < 0 || (r = loop_watch(l, fd, LOOP_IN, share_event, s)) < 0)
		goto fail;
	*sp = s;
	return 0;
fail:
	close(fd);
	p9srv_free(s->srv);
	free(s);
	return r;
}

void
share_free(struct share *s)
{
	if (s == NULL)
		return;
	share_close(s);
	p9srv_free(s->srv);
	free(s);
}
