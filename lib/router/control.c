/* control.c: fleetd's control socket, clients and their buffers */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <fleet/ctl.h>
#include "core.h"
#include "control.h"
#include "router.h"

#define CLIENT_MAX	(sizeof(((struct control *)0)->clients) / sizeof(void *))

int
control_open(struct control **cp, struct state *s, const char *path,
    bool tcp)
{
	struct control *c = calloc(1, sizeof(*c));
	int r;

	if (c == NULL)
		return fleet_seterr(-ENOMEM, "control: out of memory");
	c->s = s;
	c->tcp_fd = -1;
	if ((c->path = strdup(path)) == NULL) {
		r = fleet_seterr(-ENOMEM, "control: out of memory");
		goto fail;
	}
	if ((r = c->unix_fd = listen_unix("control", path, 16, 0)) < 0)
		goto fail;
	if (tcp && (r = c->tcp_fd = listen_tcp("control", s->net.addr,
	    FLEET_CTL_PORT, 16, 0)) < 0)
		goto fail;
	*cp = c;
	return 0;
fail:
	control_close(c);
	return r;
}

void
control_set_pool(struct control *c, struct pool *p)
{
	c->pool = p;
}

void
control_set_services(struct control *c, struct services *s)
{
	c->svc = s;
}

static void
client_close(struct control *c, size_t i)
{
	struct client *cl = c->clients[i];

	close(cl->fd);
	/* a claimed VM dies with the client that claimed it (its owner) */
	while (cl->nclaims > 0)
		pool_release(c->pool, cl->claims[--cl->nclaims], true);
	free(cl->claims);
	if (cl->tx) {
		state_free(cl->tx);
		free(cl->tx);
	}
	free(cl);
	c->clients[i] = c->clients[--c->nclients];
}

void
control_close(struct control *c)
{
	if (c == NULL)
		return;
	while (c->nclients)
		client_close(c, 0);
	if (c->unix_fd >= 0) {
		close(c->unix_fd);
		unlink(c->path);
	}
	if (c->tcp_fd >= 0)
		close(c->tcp_fd);
	free(c->path);
	free(c);
}

/* One send of out[off..]; nfds descriptors ride along (SCM_RIGHTS). */
static ssize_t
send_some(struct client *cl, size_t off, const int *fds, size_t nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * CLIENT_FDS_MAX)];
	struct iovec iov = { cl->out + off, cl->outlen - off };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (nfds > 0) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	return sendmsg(cl->fd, &m, MSG_NOSIGNAL);
}

/*
 * Send what is buffered, with nfds descriptors on its first byte (the
 * client collects them as it reads the reply); a client that does not
 * read for 5 s is dropped.
 */
int
client_flush_fds(struct client *cl, const int *fds, size_t nfds)
{
	size_t off = 0;
	ssize_t w;

	if (nfds > CLIENT_FDS_MAX)
		return -EMSGSIZE;
	while (off < cl->outlen && !cl->dead) {
		w = send_some(cl, off, off == 0 ? fds : NULL,
		    off == 0 ? nfds : 0);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			cl->dead = true;
		else
			off += (size_t)w;
	}
	cl->outlen = 0;
	return cl->dead ? -EPIPE : 0;
}

int
client_flush(struct client *cl)
{
	return client_flush_fds(cl, NULL, 0);
}

/* One reply line, buffered until the request is done (or the buffer is
 * full), so that a long list leaves in large writes. */
int
client_reply(struct client *cl, const char *fmt, ...)
{
	char buf[FLEET_CTL_LINE_MAX + 64];
	va_list ap;
	size_t n;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	n = len < 0 ? 0 : (size_t)len;
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (cl->outlen + n > sizeof(cl->out) && client_flush(cl) < 0)
		return -EPIPE;
	if (cl->dead)
		return -EPIPE;
	memcpy(cl->out + cl->outlen, buf, n);
	cl->outlen += n;
	return 0;
}

static void
accept_one(struct control *c, int lfd, bool local)
{
	struct timeval tv = { .tv_sec = 5 };
	struct client *cl;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return;
	if (c->nclients == CLIENT_MAX || (cl = calloc(1, sizeof(*cl))) ==
	    NULL) {
		close(fd);	/* full: the client sees EOF and may retry */
		return;
	}
	cl->fd = fd;
	cl->local = local;
	cl->uid = (uid_t)-1;
	if (local && getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred,
	    &len) == 0)
		cl->uid = cred.uid, cl->pid = cred.pid;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->clients[c->nclients++] = cl;
}

/* Handle each complete line in the buffer; keep the rest. */
static void
client_lines(struct control *c, struct client *cl)
{
	char *nl, *start = cl->in;
	size_t left = cl->len;

	while (!cl->dead && (nl = memchr(start, '\n', left)) != NULL) {
		*nl = '\0';
		if (nl > start && nl[-1] == '\r')
			nl[-1] = '\0';
		control_request(c, cl, start);
		client_flush(cl);
		left -= (size_t)(nl + 1 - start);
		start = nl + 1;
	}
	memmove(cl->in, start, left);
	cl->len = left;
}

#define DRAIN_MS	1000

/*
 * After an oversized request: the error is out, nothing more will be;
 * read and drop what the client still sends until it closes (or
 * DRAIN_MS pass), so that a close with unread input does not reset the
 * connection before the client has read the error (TCP), and a client
 * still writing its long line sees the reply instead of EPIPE.
 */
static void
client_drain(struct client *cl)
{
	struct timespec now;
	char buf[4096];
	ssize_t n;

	if (!cl->draining) {
		cl->draining = true;
		shutdown(cl->fd, SHUT_WR);
		clock_gettime(CLOCK_MONOTONIC, &cl->drain_until);
		cl->drain_until.tv_sec += DRAIN_MS / 1000;
	}
	while ((n = recv(cl->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((n < 0 && errno != EAGAIN && errno != EINTR) || n == 0 ||
	    now.tv_sec > cl->drain_until.tv_sec ||
	    (now.tv_sec == cl->drain_until.tv_sec &&
	    now.tv_nsec >= cl->drain_until.tv_nsec))
		cl->dead = true;
}

static void
client_read(struct control *c, struct client *cl)
{
	ssize_t n;

	if (cl->draining) {
		client_drain(cl);
		return;
	}
	n = recv(cl->fd, cl->in + cl->len, sizeof(cl->in) - cl->len,
	    MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (cl->len > 0)
			client_reply(cl, "err EPROTO truncated request "
			    "(no newline before end of stream)");
		client_flush(cl);
		cl->dead = true;
		return;
	}
	cl->len += (size_t)n;
	client_lines(c, cl);
	if (!cl->dead && cl->len == sizeof(cl->in)) {
		client_reply(cl, "err EMSGSIZE request longer than %d bytes",
		    FLEET_CTL_LINE_MAX - 1);
		client_flush(cl);
		cl->len = 0;
		client_drain(cl);
	}
}

/* Listeners first, then one entry per client, in order. */
int
control_fds(const struct control *c, struct pollfd *fds, size_t max)
{
	size_t n = 0, i;

	if (max < c->nclients + 2)
		return -1;
	fds[n++] = (struct pollfd){ .fd = c->unix_fd, .events = POLLIN };
	fds[n++] = (struct pollfd){ .fd = c->tcp_fd, .events = POLLIN };
	for (i = 0; i < c->nclients; i++)
		fds[n++] = (struct pollfd){ .fd = c->clients[i]->fd,
		    .events = POLLIN };
	return (int)n;
}

void
control_dispatch(struct control *c, const struct pollfd *fds, size_t n)
{
	size_t i, j;

	for (i = 2; i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		for (j = 0; j < c->nclients; j++)
			if (c->clients[j]->fd == fds[i].fd)
				client_read(c, c->clients[j]);
	}
	for (j = c->nclients; j-- > 0;) {
		if (c->clients[j]->draining && !c->clients[j]->dead)
			client_drain(c->clients[j]);	/* its time may be up */
		if (c->clients[j]->dead)
			client_close(c, j);
	}
	if (n > 0 && fds[0].revents & POLLIN)
		accept_one(c, c->unix_fd, true);
	if (n > 1 && fds[1].fd >= 0 && fds[1].revents & POLLIN)
		accept_one(c, c->tcp_fd, false);
}
