/* proxy.c: fleetd's libvirt RPC proxy: listeners, one upstream connection
 * per client, whole frames relayed through the policy, never blocking */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "core.h"
#include "domtab.h"
#include "proxy.h"
#include "router.h"

/* An output buffer this full: stop reading the side that fills it. */
#define PROXY_HIGH	(256 * 1024)
#define PROXY_CHUNK	(64 * 1024)

/* Bytes read and not yet framed. */
struct ibuf {
	uint8_t *p;
	size_t len, cap;
};

/* Bytes framed and not yet written: o->p[off..o->len). */
struct obuf {
	struct rpc_out o;
	size_t off;
};

struct pconn {
	int fd, up;			/* the client; libvirtd (-1: gone) */
	bool connecting;		/* up's connect(2) not done yet */
	bool dead;			/* reaped after this round */
	bool closing;			/* upstream gone: flush, then close */
	char who[64];
	struct pol_client pc;
	struct ibuf in, upin;
	struct obuf toup, tocl;
};

enum role { R_UNIX, R_TCP, R_CLIENT, R_UP };

struct slot {
	struct pconn *c;
	enum role role;
};

struct proxy {
	int unix_fd, tcp_fd;
	char *path, *upstream, *uri;
	struct domtab dt;
	struct pol pol;
	struct pconn *conns[PROXY_CLIENTS_MAX];
	size_t n;
	struct slot slots[PROXY_FDS_MAX];
	size_t nslots;
};

int
proxy_open(struct proxy **pp, const struct proxy_conf *cf)
{
	struct proxy *p = calloc(1, sizeof(*p));
	int r;

	if (p == NULL)
		return fleet_seterr(-ENOMEM, "proxy: out of memory");
	p->unix_fd = p->tcp_fd = -1;
	if ((p->upstream = strdup(cf->upstream)) == NULL ||
	    (p->uri = pol_open_uri(cf->uri)) == NULL ||
	    (cf->path && (p->path = strdup(cf->path)) == NULL)) {
		r = fleet_seterr(-ENOMEM, "proxy: out of memory");
		goto fail;
	}
	if (strlen(p->upstream) >= sizeof(((struct sockaddr_un *)0)->
	    sun_path)) {
		r = fleet_seterr(-ENAMETOOLONG, "proxy: upstream %s: path too "
		    "long", p->upstream);
		goto fail;
	}
	p->pol = (struct pol){ .dt = &p->dt, .uri = p->uri };
	if (p->path && (r = p->unix_fd = listen_unix("proxy", p->path, 128,
	    SOCK_NONBLOCK)) < 0)
		goto fail;
	if (cf->port > 0 && (r = p->tcp_fd = listen_tcp("proxy", cf->addr,
	    cf->port, 128, SOCK_NONBLOCK)) < 0)
		goto fail;
	*pp = p;
	return 0;
fail:
	proxy_close(p);
	return r;
}

struct domtab *
proxy_domtab(struct proxy *p)
{
	return &p->dt;
}

/* What decides a VM-side create_xml (xmlpolicy_check()); none: refused. */
void
proxy_set_xmlpolicy(struct proxy *p, int (*check)(const char *xml,
    size_t len, const struct xmlpolicy *pol), const struct xmlpolicy *pol)
{
	p->pol.xml_check = check;
	p->pol.xml = pol;
}

static void
conn_free(struct pconn *c)
{
	close(c->fd);
	if (c->up >= 0)
		close(c->up);
	free(c->in.p);
	free(c->upin.p);
	rpc_out_free(&c->toup.o);
	rpc_out_free(&c->tocl.o);
	free(c);
}

void
proxy_close(struct proxy *p)
{
	if (p == NULL)
		return;
	while (p->n > 0)
		conn_free(p->conns[--p->n]);
	if (p->unix_fd >= 0) {
		close(p->unix_fd);
		unlink(p->path);
	}
	if (p->tcp_fd >= 0)
		close(p->tcp_fd);
	domtab_free(&p->dt);
	free(p->path);
	free(p->upstream);
	free(p->uri);
	free(p);
}

static void
drop(struct pconn *c, const char *why)
{
	if (!c->dead && why != NULL)
		fprintf(stderr, "fleetd: proxy: %s: %s\n", c->who, why);
	c->dead = true;
}

static int
connect_up(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
accept_one(struct proxy *p, int lfd, bool tcp)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct ucred cr;
	socklen_t crl = sizeof(cr);
	struct pconn *c;
	char addr[INET_ADDRSTRLEN] = "?";
	int fd, one = 1;

	if ((fd = accept4(lfd, (struct sockaddr *)&ss, &sl,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
		return;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->fd = fd;
	if (tcp) {
		/* a reply is one send: no waiting for the last one's ack */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    addr, sizeof(addr));
		snprintf(c->who, sizeof(c->who), "tcp %s", addr);
	} else if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crl) == 0) {
		c->pc.owner = cr.uid == 0;
		snprintf(c->who, sizeof(c->who), "uid %u pid %d",
		    (unsigned)cr.uid, (int)cr.pid);
	} else
		snprintf(c->who, sizeof(c->who), "unix ?");
	if ((c->up = connect_up(p->upstream)) < 0) {
		fprintf(stderr, "fleetd: proxy: %s: libvirtd %s: %s\n", c->who,
		    p->upstream, strerror(errno));
		c->up = -1;
		conn_free(c);
		return;
	}
	c->connecting = true;
	pol_start(&c->pc, &c->toup.o);
	p->conns[p->n++] = c;
}

static size_t
pending(const struct obuf *b)
{
	return b->o.len - b->off;
}

/* Write what is buffered; the buffer empties or the socket is full. */
static void
flush(struct pconn *c, int fd, struct obuf *b)
{
	ssize_t w;

	while (pending(b) > 0) {
		w = send(fd, b->o.p + b->off, pending(b), MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w <= 0) {
			drop(c, fd == c->fd ? NULL : "libvirtd went away");
			return;
		}
		b->off += (size_t)w;
	}
	if (b->off == b->o.len)
		b->off = b->o.len = 0;
	else if (b->off > b->o.cap / 2) {
		memmove(b->o.p, b->o.p + b->off, pending(b));
		b->o.len -= b->off;
		b->off = 0;
	}
}

/*
 * Read what fd has into in (growing to the frame being read, up to max)
 * and hand each whole frame to fn. 0 at EOF, -1 when c must go.
 */
static int
pump_in(struct pconn *c, int fd, struct ibuf *in, uint32_t max,
    int (*fn)(struct proxy *, struct pconn *, const uint8_t *,
    const struct rpc_hdr *), struct proxy *p)
{
	struct rpc_hdr h;
	size_t off = 0, want;
	ssize_t n;
	uint8_t *np;
	int r;

	want = in->len + PROXY_CHUNK;
	if (in->len >= RPC_LEN_SIZE) {
		uint32_t flen = (uint32_t)in->p[0] << 24 |
		    (uint32_t)in->p[1] << 16 | (uint32_t)in->p[2] << 8 |
		    in->p[3];

		if (flen <= max && flen > want)
			want = flen;
	}
	if (want > in->cap) {
		if ((np = realloc(in->p, want)) == NULL)
			return fleet_seterr(-ENOMEM, "out of memory");
		in->p = np;
		in->cap = want;
	}
	n = recv(fd, in->p + in->len, in->cap - in->len, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 1 :
		    fleet_seterr(-errno, "%s", strerror(errno));
	if (n == 0)
		return 0;
	in->len += (size_t)n;
	while ((r = rpc_frame(in->p + off, in->len - off, max, &h)) > 0) {
		if ((r = fn(p, c, in->p + off, &h)) < 0)
			return r;
		off += h.len;
	}
	if (r < 0)
		return r;
	memmove(in->p, in->p + off, in->len - off);
	in->len -= off;
	/* a large buffer goes back once its frame is through */
	if (in->len == 0 && in->cap > 4 * PROXY_CHUNK) {
		free(in->p);
		*in = (struct ibuf){ 0 };
	}
	return 1;
}

static int
from_client(struct proxy *p, struct pconn *c, const uint8_t *frame,
    const struct rpc_hdr *h)
{
	return pol_call(&p->pol, &c->pc, frame, h, &c->toup.o, &c->tocl.o);
}

static int
from_up(struct proxy *p, struct pconn *c, const uint8_t *frame,
    const struct rpc_hdr *h)
{
	return pol_back(&p->pol, &c->pc, frame, h, &c->tocl.o);
}

static void
client_ready(struct proxy *p, struct pconn *c, short rev)
{
	int r;

	if (rev & POLLOUT)
		flush(c, c->fd, &c->tocl);
	if (c->dead || !(rev & (POLLIN | POLLHUP | POLLERR)))
		return;
	fleet_clearerr();
	if ((r = pump_in(c, c->fd, &c->in, RPC_CLIENT_MAX, from_client,
	    p)) < 0)
		drop(c, fleet_last_error());
	else if (r == 0)
		drop(c, c->in.len > 0 ? "a truncated frame at its end" : NULL);
	if (c->dead)
		return;
	if (!c->connecting && c->up >= 0)
		flush(c, c->up, &c->toup);
	flush(c, c->fd, &c->tocl);
}

static void
up_ready(struct pconn *c, struct proxy *p, short rev)
{
	int r, err = 0;
	socklen_t el = sizeof(err);

	if (c->connecting && rev & (POLLOUT | POLLERR | POLLHUP)) {
		if (getsockopt(c->up, SOL_SOCKET, SO_ERROR, &err, &el) < 0 ||
		    err != 0) {
			drop(c, "cannot reach libvirtd");
			return;
		}
		c->connecting = false;
	}
	if (!c->connecting && rev & POLLOUT)
		flush(c, c->up, &c->toup);
	if (c->dead || c->connecting || !(rev & (POLLIN | POLLHUP | POLLERR)))
		return;
	fleet_clearerr();
	if ((r = pump_in(c, c->up, &c->upin, RPC_SERVER_MAX, from_up,
	    p)) < 0) {
		drop(c, fleet_last_error());
		return;
	}
	if (r == 0) {
		/* libvirtd hung up: the client gets what came before */
		close(c->up);
		c->up = -1;
		c->closing = true;
	}
	flush(c, c->fd, &c->tocl);
	if (c->closing && pending(&c->tocl) == 0)
		drop(c, NULL);
}

static void
add_slot(struct proxy *p, struct pollfd *fds, int fd, short ev,
    struct pconn *c, enum role role)
{
	fds[p->nslots] = (struct pollfd){ .fd = fd, .events = ev };
	p->slots[p->nslots++] = (struct slot){ c, role };
}

/* The descriptors to poll, at most max (PROXY_FDS_MAX is enough). */
int
proxy_fds(struct proxy *p, struct pollfd *fds, size_t max)
{
	struct pconn *c;
	short ev;
	size_t i;

	p->nslots = 0;
	if (max < PROXY_FDS_MAX)
		return fleet_seterr(-ENOSPC, "proxy: %zu poll slots, %d "
		    "wanted", max, PROXY_FDS_MAX);
	if (p->n < PROXY_CLIENTS_MAX) {
		if (p->unix_fd >= 0)
			add_slot(p, fds, p->unix_fd, POLLIN, NULL, R_UNIX);
		if (p->tcp_fd >= 0)
			add_slot(p, fds, p->tcp_fd, POLLIN, NULL, R_TCP);
	}
	for (i = 0; i < p->n; i++) {
		c = p->conns[i];
		ev = 0;
		if (!c->closing && !c->pc.authing &&
		    pending(&c->toup) < PROXY_HIGH &&
		    pending(&c->tocl) < PROXY_HIGH)
			ev |= POLLIN;
		if (pending(&c->tocl) > 0)
			ev |= POLLOUT;
		add_slot(p, fds, c->fd, ev, c, R_CLIENT);
		if (c->up < 0)
			continue;
		ev = 0;
		if (pending(&c->tocl) < PROXY_HIGH)
			ev |= POLLIN;
		if (c->connecting || pending(&c->toup) > 0)
			ev |= POLLOUT;
		add_slot(p, fds, c->up, ev, c, R_UP);
	}
	return (int)p->nslots;
}

void
proxy_dispatch(struct proxy *p, const struct pollfd *fds, size_t n)
{
	struct slot *s;
	size_t i, j;

	for (i = 0; i < n && i < p->nslots; i++) {
		s = &p->slots[i];
		if (fds[i].revents == 0 || (s->c && s->c->dead))
			continue;
		switch (s->role) {
		case R_UNIX:
		case R_TCP:
			if (p->n < PROXY_CLIENTS_MAX)
				accept_one(p, fds[i].fd, s->role == R_TCP);
			break;
		case R_CLIENT:
			client_ready(p, s->c, fds[i].revents);
			break;
		case R_UP:
			up_ready(s->c, p, fds[i].revents);
			break;
		}
	}
	for (j = 0; j < p->n; )
		if (p->conns[j]->dead) {
			conn_free(p->conns[j]);
			p->conns[j] = p->conns[--p->n];
		} else
			j++;
	p->nslots = 0;
}
