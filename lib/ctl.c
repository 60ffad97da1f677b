/* ctl.c: the client side of fleetd's control protocol (protocol.md, 6) */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <fleet/ctl.h>
#include <fleet/flow.h>
#include "internal.h"

#define CTL_TIMEOUT_MS	30000	/* per reply line: fleetd answers at once */

#define CTL_FDS_MAX	5

struct fleet_ctl {
	int fd;
	char *endpoint;
	char buf[FLEET_CTL_LINE_MAX];
	size_t len;
	int fds[CTL_FDS_MAX];	/* came with a reply (SCM_RIGHTS) */
	int nfds;
};

static const struct {
	const char *name;
	int code;
} errnames[] = {
	{ "EINVAL", EINVAL }, { "EEXIST", EEXIST }, { "ENOENT", ENOENT },
	{ "EPERM", EPERM }, { "ENOSPC", ENOSPC }, { "EBUSY", EBUSY },
	{ "EMSGSIZE", EMSGSIZE }, { "EPROTO", EPROTO }, { "ENOMEM", ENOMEM },
};

const char *
fleet_ctl_errname(int code)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].code == -code)
			return errnames[i].name;
	return "EIO";
}

static int
connect_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return fleet_seterr(-ENAMETOOLONG, "fleetd %s: path too long",
		    path);
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return fleet_seterr(-e, "fleetd %s: %s", path, strerror(e));
	}
	return fd;
}

/* "HOST:PORT"; the port may be left out. */
static int
connect_tcp(const char *hostport)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	char host[256], port[16];
	const char *colon = strrchr(hostport, ':');
	int fd = -1, r;

	snprintf(port, sizeof(port), "%d", FLEET_CTL_PORT);
	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - hostport) :
	    (int)strlen(hostport), hostport);
	if (colon)
		snprintf(port, sizeof(port), "%s", colon + 1);
	if ((r = getaddrinfo(host, port, &hints, &ai)) != 0)
		return fleet_seterr(-ENOENT, "fleetd %s: %s", hostport,
		    gai_strerror(r));
	if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		r = fleet_seterr(-errno, "fleetd %s: %s", hostport,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = r;
	}
	freeaddrinfo(ai);
	return fd;
}

/* "unix:PATH" or "/PATH": the path; NULL for a tcp endpoint. */
const char *
ctl_unix_path(const char *endpoint)
{
	if (strncmp(endpoint, "unix:", 5) == 0)
		return endpoint + 5;
	return endpoint[0] == '/' ? endpoint : NULL;
}

/* The router DNS-SD found for this process's connection (resolve.c). */
static char found_endpoint[128];

void
ctl_set_found(const char *endpoint)
{
	snprintf(found_endpoint, sizeof(found_endpoint), "%s", endpoint);
}

/* $FLEET_CTL, else the router found by DNS-SD, else the local socket. */
const char *
ctl_default(void)
{
	const char *e = getenv("FLEET_CTL");

	if (e != NULL && *e != '\0')
		return e;
	return found_endpoint[0] ? found_endpoint : FLEET_CTL_DEFAULT;
}

int
fleet_ctl_open(fleet_ctl **cp, const char *endpoint)
{
	fleet_ctl *c;
	int fd;

	fleet_clearerr();
	if (endpoint == NULL || *endpoint == '\0')
		endpoint = ctl_default();
	if (ctl_unix_path(endpoint) != NULL)
		fd = connect_unix(ctl_unix_path(endpoint));
	else
		fd = connect_tcp(strncmp(endpoint, "tcp:", 4) == 0 ?
		    endpoint + 4 : endpoint);
	if (fd < 0)
		return fd;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->endpoint = strdup(endpoint)) == NULL) {
		free(c);
		close(fd);
		return fleet_seterr(-ENOMEM, "out of memory");
	}
	c->fd = fd;
	*cp = c;
	return 0;
}

static void
fds_drop(fleet_ctl *c)
{
	while (c->nfds > 0)
		close(c->fds[--c->nfds]);
}

/* Let fleetd see this connection end, while the handle stays ours. */
void
ctl_hangup(fleet_ctl *c)
{
	shutdown(c->fd, SHUT_RDWR);
}

/* Descriptors that came with the last reply, now the caller's: how many. */
int
ctl_take_fds(fleet_ctl *c, int *fds, int max)
{
	int n = c->nfds < max ? c->nfds : max;

	memcpy(fds, c->fds, sizeof(int) * (size_t)n);
	memmove(c->fds, c->fds + n, sizeof(int) * (size_t)(c->nfds - n));
	c->nfds -= n;
	fds_drop(c);
	return n;
}

/* recv(), keeping descriptors that come along. */
static ssize_t
recv_fds(fleet_ctl *c, char *buf, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int) * CTL_FDS_MAX)];
	struct iovec iov = { buf, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	ssize_t n;
	int i, k, fd;

	if ((n = recvmsg(c->fd, &m, MSG_CMSG_CLOEXEC)) <= 0)
		return n;
	for (cm = CMSG_FIRSTHDR(&m); cm != NULL; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < k; i++) {
			memcpy(&fd, CMSG_DATA(cm) + sizeof(int) * (size_t)i,
			    sizeof(int));
			if (c->nfds < CTL_FDS_MAX)
				c->fds[c->nfds++] = fd;
			else
				close(fd);
		}
	}
	return n;
}

void
fleet_ctl_close(fleet_ctl *c)
{
	if (c == NULL)
		return;
	fds_drop(c);
	close(c->fd);
	free(c->endpoint);
	free(c);
}

int
fleet_ctl_send(fleet_ctl *c, const char *line)
{
	size_t n = strlen(line), off = 0;
	char buf[FLEET_CTL_LINE_MAX];
	ssize_t w;

	if (n + 1 > sizeof(buf) || memchr(line, '\n', n))
		return fleet_seterr(-EMSGSIZE, "request longer than %d bytes "
		    "or with a newline", FLEET_CTL_LINE_MAX - 1);
	memcpy(buf, line, n);
	buf[n++] = '\n';
	while (off < n) {
		w = send(c->fd, buf + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return fleet_seterr(-errno, "fleetd %s: send: %s",
			    c->endpoint, strerror(errno));
		off += (size_t)w;
	}
	return 0;
}

/* The next reply line, without '\n', into line (FLEET_CTL_LINE_MAX). */
static int
read_line(fleet_ctl *c, char *line)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	while ((nl = memchr(c->buf, '\n', c->len)) == NULL) {
		if (c->len == sizeof(c->buf))
			return fleet_seterr(-EPROTO, "fleetd %s: reply line "
			    "too long", c->endpoint);
		if (poll(&p, 1, CTL_TIMEOUT_MS) == 0)
			return fleet_seterr(-ETIMEDOUT, "fleetd %s: no reply",
			    c->endpoint);
		n = recv_fds(c, c->buf + c->len, sizeof(c->buf) - c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fleet_seterr(n ? -errno : -EPROTO, "fleetd %s: "
			    "connection closed mid-reply", c->endpoint);
		c->len += (size_t)n;
	}
	*nl = '\0';
	memcpy(line, c->buf, (size_t)(nl - c->buf) + 1);
	c->len -= (size_t)(nl + 1 - c->buf);
	memmove(c->buf, nl + 1, c->len);
	return 0;
}

/* "err NAME text": the negative errno and the text as the last error. */
static int
reply_error(const char *line)
{
	const char *name = line + 4, *text = strchr(name, ' ');
	size_t i, n = text ? (size_t)(text - name) : strlen(name);

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (strlen(errnames[i].name) == n &&
		    strncmp(errnames[i].name, name, n) == 0)
			break;
	return fleet_seterr(i < sizeof(errnames) / sizeof(errnames[0]) ?
	    -errnames[i].code : -EIO, "fleetd: %s", text ? text + 1 : name);
}

static int
read_reply(fleet_ctl *c, int (*each)(const char *, void *), void *arg,
    char **okp)
{
	char line[FLEET_CTL_LINE_MAX];
	int r, cb = 0;

	for (;;) {
		if ((r = read_line(c, line)) < 0)
			return r;
		if (strncmp(line, "err ", 4) == 0)
			return reply_error(line);
		if (strcmp(line, "ok") == 0 || strncmp(line, "ok ", 3) == 0)
			break;
		if (each && cb == 0)
			cb = each(line, arg);
	}
	if (cb < 0)
		return cb;
	if (okp && (*okp = strdup(line[2] ? line + 3 : "")) == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	return 0;
}

int
fleet_ctl_call(fleet_ctl *c, const char *request,
    int (*each)(const char *line, void *arg), void *arg, char **okp)
{
	int r;

	fleet_clearerr();
	fds_drop(c);
	if ((r = fleet_ctl_send(c, request)) < 0)
		return r;
	return read_reply(c, each, arg, okp);
}

int
fleet_ctl_lease(fleet_ctl *c, const char *name, const char *program,
    const char *ifname, struct fleet_lease *l)
{
	char req[FLEET_CTL_LINE_MAX], *ok = NULL;
	int r;

	snprintf(req, sizeof(req), "lease %s %s %s", name, program, ifname);
	if ((r = fleet_ctl_call(c, req, NULL, NULL, &ok)) < 0)
		return r;
	memset(l, 0, sizeof(*l));
	snprintf(l->bridge, sizeof(l->bridge), "fleet0");
	if (sscanf(ok, "%15[0-9.]/%u %15s %17s %15s", l->ip, &l->prefix,
	    l->gw, l->mac, l->bridge) < 4)
		r = fleet_seterr(-EPROTO, "fleetd: bad lease \"%s\"", ok);
	free(ok);
	return r;
}

int
fleet_ctl_release(fleet_ctl *c, const char *name)
{
	char req[FLEET_CTL_LINE_MAX];

	snprintf(req, sizeof(req), "release %s", name);
	return fleet_ctl_call(c, req, NULL, NULL, NULL);
}
