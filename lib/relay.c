/* relay.c: stdio bytes between the caller's fds and a VM's consoles,
 * moved by the connection's loop; the guest's control lines */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "internal.h"
#include "relay.h"
#include "virt.h"

#define BUFSZ		65536
#define SPLICE_MAX	(1 << 20)
#define READY_WAIT_MS	5000	/* a 16550-only runtime that never says */
#define STREAM_RETRY_MS	5	/* no event says a stream takes data again */
#define CTLQ_MAX	4096

/*
 * One end of a channel: a descriptor (a socket: send/recv without
 * blocking; a pipe or terminal of our own, opened non-blocking; a file,
 * which cannot be polled and is always ready) or a libvirt stream
 * (non-blocking; its events ring the loop through a kick).
 */
enum end_kind { END_NONE, END_SOCK, END_FD, END_FILE, END_STREAM };

struct end {
	enum end_kind kind;
	int fd;
	int fifo;		/* a pipe: splice(2) reaches it, and SIGPIPE */
	virStreamPtr st;
	unsigned want;		/* LOOP_IN | LOOP_OUT, as last asked */
	int watched;
};

/* Bytes one way, through a buffer: at most one read ahead of the write. */
struct pump {
	struct end *from, *to;
	char *buf;
	size_t off, len;
	uint64_t taken;		/* bytes read and kept */
	uint64_t moved;		/* bytes written */
	uint64_t limit;		/* what the final line counts, or ~0 */
	int done;		/* its source ended, or it was stopped */
	int splice;		/* may try splice(2) */
	int closed;		/* its host end is closed */
};

struct relay {
	struct loop *loop;
	const struct relay_events *ev;
	void *arg;
	struct end host[3];		/* stdin, stdout, stderr */
	struct end con[ST_CONS];
	struct pump in, out, err;
	struct guest_lines lines;
	char *ctlq;			/* lines for the guest */
	size_t ctlq_len;
	struct kick *kick;
	struct loop_timer retry;	/* a stream was full */
	struct loop_timer wait;		/* stdin waits this long for `ready` */
	int started, ready, virtio, final, ctl_eof, detached;
	int again;			/* told `again`: its sockets live on */
	int in_go;			/* stdin may flow */
	int out_go;			/* stdout's console is known */
};

static void	relay_run(struct relay *r);


/* ---- ends ---- */

/*
 * The caller's fd, as an end of our own. A pipe or a terminal is opened
 * again (a description of ours, non-blocking, leaving the caller's as it
 * was); a socket is used with MSG_DONTWAIT; anything else (a file) with
 * plain calls. -1: /dev/null.
 */
static int
end_host(struct end *e, int fd, int wr)
{
	int flags = (wr ? O_WRONLY : O_RDONLY) | O_CLOEXEC | O_NOCTTY;
	char path[32];
	struct stat sb;

	e->kind = END_FD;
	if (fd < 0) {
		e->kind = END_FILE;
		e->fd = open("/dev/null", flags);
	} else if (fstat(fd, &sb) < 0)
		return -errno;
	else if (S_ISSOCK(sb.st_mode)) {
		e->kind = END_SOCK;
		e->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	} else if (S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode)) {
		e->fifo = S_ISFIFO(sb.st_mode);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if ((e->fd = open(path, flags | O_NONBLOCK)) < 0)
			e->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	} else {
		e->kind = END_FILE;
		e->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	}
	return e->fd < 0 ? -errno : 0;
}

static void
end_close(struct relay *r, struct end *e)
{
	if (e->watched)
		loop_unwatch(r->loop, e->fd);
	if (e->fd >= 0 && e->kind != END_STREAM)
		close(e->fd);
	if (e->st != NULL) {
		virStreamEventRemoveCallback(e->st);
		virStreamAbort(e->st);
		virStreamFree(e->st);
	}
	memset(e, 0, sizeof(*e));
	e->fd = -1;
}

/* > 0 bytes, 0 at the end, -EAGAIN, or another -errno. */
static ssize_t
end_read(struct end *e, char *buf, size_t n)
{
	ssize_t k;

	switch (e->kind) {
	case END_STREAM:
		k = virStreamRecv(e->st, buf, n);
		return k == -2 ? -EAGAIN : k < 0 ? -EIO : k;
	case END_SOCK:
		k = recv(e->fd, buf, n, MSG_DONTWAIT);
		break;
	case END_NONE:
		return 0;
	default:
		k = read(e->fd, buf, n);
	}
	if (k >= 0)
		return k;
	if (errno == EAGAIN || errno == EINTR)
		return -EAGAIN;
	return errno == EIO ? 0 : -errno;	/* a pty's hangup: its end */
}

/*
 * A pipe whose reader is gone raises SIGPIPE in the writer, here the
 * caller's thread: held back around the write and taken if it came, so
 * that the caller lives and its VM is the one to die of it (-EPIPE).
 */
struct sigpipe {
	sigset_t old;
	int was;		/* one was pending already: not ours */
};

static void
sigpipe_hold(struct sigpipe *h)
{
	sigset_t pipe, pending;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigpending(&pending);
	h->was = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &h->old);
}

static ssize_t
sigpipe_release(const struct sigpipe *h, ssize_t k)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe;
	int e = errno;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	if (k < 0 && e == EPIPE && !h->was)
		sigtimedwait(&pipe, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &h->old, NULL);
	errno = e;
	return k;
}

static ssize_t
end_write(struct end *e, const char *buf, size_t n)
{
	struct sigpipe h;
	ssize_t k;

	switch (e->kind) {
	case END_STREAM:
		k = virStreamSend(e->st, buf, n);
		return k == -2 ? -EAGAIN : k < 0 ? -EIO : k;
	case END_SOCK:
		k = send(e->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		break;
	case END_NONE:
		return -EPIPE;
	default:
		if (!e->fifo) {
			k = write(e->fd, buf, n);
			break;
		}
		sigpipe_hold(&h);
		k = sigpipe_release(&h, write(e->fd, buf, n));
	}
	if (k >= 0)
		return k;
	return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
}

enum { MOVED = 1, BLOCKED_IN, BLOCKED_OUT, FAILED, BUSY };

/*
 * Between a console's socket and a pipe of the caller's, the kernel
 * moves the bytes (splice(2)): no copy through us. EAGAIN may be either
 * side's: splice_blocked() says which.
 */
static ssize_t
end_splice(struct end *from, struct end *to, size_t n)
{
	struct sigpipe h;

	sigpipe_hold(&h);
	return sigpipe_release(&h, splice(from->fd, NULL, to->fd, NULL, n,
	    SPLICE_F_NONBLOCK | SPLICE_F_MOVE));
}

/* Which side a splice waits on: asking for both would wake the loop
 * over and over on the side that is ready. */
static int
splice_blocked(const struct pump *p)
{
	struct pollfd pfd[2] = { { p->from->fd, POLLIN, 0 },
	    { p->to->fd, POLLOUT, 0 } };

	poll(pfd, 2, 0);
	if (pfd[1].revents == 0)
		return BLOCKED_OUT;
	if (pfd[0].revents == 0)
		return BLOCKED_IN;
	return BUSY;
}

static int
can_splice(const struct end *from, const struct end *to)
{
	return (from->kind == END_SOCK && to->kind == END_FD && to->fifo) ||
	    (from->kind == END_FD && from->fifo && to->kind == END_SOCK);
}

static void
end_event(void *arg, unsigned events)
{
	relay_run(arg);
}

/* Ask the loop for what the end waits on; a file needs no asking. */
static void
end_want(struct relay *r, struct end *e, unsigned want)
{
	if (e->kind == END_NONE || e->kind == END_FILE ||
	    e->kind == END_STREAM || e->fd < 0)
		return;
	if (!e->watched) {
		if (loop_watch(r->loop, e->fd, want, end_event, r) == -EPERM)
			e->kind = END_FILE;
		else
			e->watched = 1;
		e->want = want;
		return;
	}
	if (want != e->want)
		loop_rewatch(r->loop, e->fd, want);
	e->want = want;
}

/* ---- pumps ---- */

static void
pump_init(struct pump *p, struct end *from, struct end *to)
{
	p->from = from;
	p->to = to;
	p->limit = UINT64_MAX;
	p->splice = getenv("FLEET_NO_SPLICE") == NULL;
}

static int
pump_alloc(struct pump *p)
{
	return (p->buf = malloc(BUFSZ)) == NULL ? -ENOMEM : 0;
}

/* Every byte it will ever move is out. */
static int
pump_over(const struct pump *p)
{
	return p->off == p->len && (p->done || p->taken >= p->limit);
}

/* The final line came: bytes beyond its count are not the program's. */
static void
pump_limit(struct pump *p, uint64_t limit)
{
	uint64_t extra;

	p->limit = limit;
	if (p->taken <= limit)
		return;
	extra = p->taken - limit;
	if (extra > p->len - p->off)
		extra = p->len - p->off;
	p->len -= (size_t)extra;
	p->taken = limit;
}

static int
pump_step(struct relay *r, struct pump *p)
{
	uint64_t room;
	ssize_t k;

	if (p->off < p->len) {
		k = end_write(p->to, p->buf + p->off, p->len - p->off);
		if (k == -EAGAIN)
			return BLOCKED_OUT;
		if (k < 0)
			return FAILED;
		p->off += (size_t)k;
		p->moved += (uint64_t)k;
		return MOVED;
	}
	if (pump_over(p))
		return 0;
	room = p->limit - p->taken;	/* > 0: not over */
	if (p->splice && can_splice(p->from, p->to)) {
		k = end_splice(p->from, p->to,
		    room < SPLICE_MAX ? (size_t)room : SPLICE_MAX);
		if (k > 0) {
			p->taken += (uint64_t)k;
			p->moved += (uint64_t)k;
			return MOVED;
		}
		if (k == 0) {
			p->done = 1;
			return MOVED;
		}
		if (errno == EAGAIN)
			return splice_blocked(p);
		if (errno == EPIPE)
			return FAILED;
		if (errno != EINVAL) {
			p->done = 1;
			return MOVED;
		}
		p->splice = 0;		/* not for these: copy */
	}
	k = end_read(p->from, p->buf, room < BUFSZ ? (size_t)room : BUFSZ);
	if (k == -EAGAIN)
		return BLOCKED_IN;
	if (k <= 0) {
		p->done = 1;
		return MOVED;
	}
	p->off = 0;
	p->len = (size_t)k;
	p->taken += (uint64_t)k;
	return MOVED;
}

/* Move what can move; the ends it waits on, as loop events. */
static int
pump_run(struct relay *r, struct pump *p, unsigned *in, unsigned *out)
{
	int s, n;

	*in = *out = 0;
	if (p->buf == NULL || p->closed)
		return 0;
	for (n = 0; n < 64 && (s = pump_step(r, p)) == MOVED; n++)
		;
	if (n == 64)
		s = BUSY;		/* a file's bytes: others' turn */
	if (s == BLOCKED_IN)
		*in = LOOP_IN;
	if (s == BLOCKED_OUT)
		*out = LOOP_OUT;
	return s;
}

/* ---- the control channel ---- */

/* stdin and stdout take the virtio-serial port when the guest said it
 * uses it, else COM1; a guest writes no stdout before it says. */
static void
choose_io(struct relay *r, int virtio)
{
	struct end *io;

	if (r->out_go)
		return;
	r->virtio = virtio && r->con[ST_VIRTIO].kind != END_NONE;
	io = r->virtio ? &r->con[ST_VIRTIO] : &r->con[ST_COM1];
	r->in.to = io;
	r->out.from = io;
	r->out_go = 1;
}

static void
on_line(void *arg, const struct guest_line *l)
{
	struct relay *r = arg;

	if (l->kind == GL_READY) {
		if (r->ready)
			return;
		r->ready = 1;
		choose_io(r, l->value);
		r->in_go = 1;
		loop_timer_stop(r->loop, &r->wait);
		r->ev->ready(r->arg);
		return;
	}
	if (l->kind == GL_WANT) {
		if (l->out > r->in.limit)
			r->in.limit = l->out;
		return;
	}
	if (r->final)
		return;
	r->final = 1;
	choose_io(r, 0);
	pump_limit(&r->out, l->out);
	pump_limit(&r->err, l->err);
	r->ev->final(r->arg, l);
}

static int
ctl_recv(struct relay *r)
{
	char buf[1024];
	ssize_t k;
	int n;

	for (n = 0; n < 16 && !r->ctl_eof; n++) {
		k = end_read(&r->con[ST_COM3], buf, sizeof(buf));
		if (k == -EAGAIN)
			return LOOP_IN;
		if (k <= 0) {
			r->ctl_eof = 1;
			break;
		}
		guest_lines_feed(&r->lines, buf, (size_t)k, on_line, r);
	}
	return r->ctl_eof ? 0 : LOOP_IN;
}

/* The guest resets its UARTs while booting: a line sent before its
 * `ready` is lost. */
static int
ctl_send(struct relay *r)
{
	ssize_t k;

	while (r->ready && r->ctlq_len > 0) {
		k = end_write(&r->con[ST_COM3], r->ctlq, r->ctlq_len);
		if (k == -EAGAIN)
			return LOOP_OUT;
		if (k < 0) {
			r->ctlq_len = 0;
			break;
		}
		memmove(r->ctlq, r->ctlq + k, r->ctlq_len - (size_t)k);
		r->ctlq_len -= (size_t)k;
	}
	return 0;
}

int
relay_send_ctl(struct relay *r, const char *line)
{
	size_t n = strlen(line);
	char *q;

	if (r->detached || r->ctl_eof)
		return -EPIPE;
	if (r->ctlq_len + n > CTLQ_MAX)
		return -ENOBUFS;
	if ((q = realloc(r->ctlq, r->ctlq_len + n)) == NULL)
		return -ENOMEM;
	memcpy(q + r->ctlq_len, line, n);
	r->ctlq = q;
	r->ctlq_len += n;
	if (r->started)
		relay_run(r);
	return 0;
}

/*
 * `again N`, N the stdin bytes the guest was sent, which it reads to
 * the end before it makes itself new (protocol.md 2.3): written now and
 * whole, after every other line, on the virtio console only (a UART's
 * stdin cannot be counted off). 0, or -errno.
 */
int
relay_send_again(struct relay *r)
{
	char line[40];
	ssize_t k;
	int n;

	if (!r->final || !r->virtio || r->detached || r->ctl_eof ||
	    r->ctlq_len > 0)
		return -EAGAIN;
	n = snprintf(line, sizeof(line), "again %" PRIu64 "\n", r->in.moved);
	k = end_write(&r->con[ST_COM3], line, (size_t)n);
	if (k != n)
		return k < 0 ? (int)k : -EAGAIN;
	r->again = 1;
	return 0;
}

/* ---- the relay ---- */

static void
host_close(struct relay *r, struct pump *p, struct end *e)
{
	if (p->closed)
		return;
	p->closed = 1;
	end_close(r, e);
}

/* stdin ended: the guest is told how much came. */
static void
in_ended(struct relay *r)
{
	char line[40];

	snprintf(line, sizeof(line), "eof %" PRIu64 "\n", r->in.moved);
	host_close(r, &r->in, &r->host[0]);
	relay_send_ctl(r, line);
}

/* stdout or stderr is all out: its reader sees its end now, not once
 * the VM is torn down. */
static void
out_over(struct relay *r, struct pump *p, struct end *e)
{
	if (!p->closed && pump_over(p))
		host_close(r, p, e);
}

static void
stream_retry(void *arg)
{
	relay_run(arg);
}

/*
 * Run every channel once, then ask the loop for what each end waits on.
 * A guest end serves two pumps (stdin in, stdout out on one socket), so
 * wants are gathered per end before they are asked for.
 */
static void
relay_run(struct relay *r)
{
	unsigned want[ST_CONS] = { 0 }, hin[3] = { 0 }, in, out;
	struct pump *p[3] = { &r->in, &r->out, &r->err };
	int i, s, stream_full = 0, was_final = r->final, broken = 0, busy = 0;
	uint64_t moved = r->out.moved + r->err.moved;

	if (!r->started || r->detached)
		return;
	want[ST_COM3] |= ctl_recv(r);
	if (r->ctl_eof)
		choose_io(r, 0);
	for (i = 0; i < 3; i++) {
		if ((i == 0 && !r->in_go) || (i == 1 && !r->out_go))
			continue;
		s = pump_run(r, p[i], &in, &out);
		busy |= s == BUSY;
		if (s == FAILED && i > 0) {
			host_close(r, p[i], &r->host[i]);
			broken = 1;
		}
		if (s == FAILED && i == 0)
			relay_stop_input(r);
		if (i == 0) {
			hin[0] = in;
			for (int c = 0; c < ST_CONS; c++)
				if (p[0]->to == &r->con[c])
					want[c] |= out;
		} else {
			hin[i] = out;
			for (int c = 0; c < ST_CONS; c++)
				if (p[i]->from == &r->con[c])
					want[c] |= in;
		}
		stream_full |= (out && p[i]->to->kind == END_STREAM);
	}
	if (r->in.done && !r->in.closed && r->in.off == r->in.len)
		in_ended(r);
	want[ST_COM3] |= ctl_send(r);
	stream_full |= want[ST_COM3] & LOOP_OUT &&
	    r->con[ST_COM3].kind == END_STREAM;
	out_over(r, &r->out, &r->host[1]);
	out_over(r, &r->err, &r->host[2]);
	for (i = 0; i < 3; i++)
		if (!p[i]->closed)
			end_want(r, &r->host[i], hin[i]);
	for (i = 0; i < ST_CONS; i++)
		end_want(r, &r->con[i], want[i]);
	if (busy)
		loop_timer_set(r->loop, &r->retry, 0);
	else if (stream_full && !r->retry.armed)
		loop_timer_set(r->loop, &r->retry, STREAM_RETRY_MS);
	if (broken)
		r->ev->broken(r->arg);
	else if (moved != r->out.moved + r->err.moved || r->ctl_eof ||
	    r->out.done || r->err.done || was_final != r->final)
		r->ev->changed(r->arg);
}

static void
wait_over(void *arg)
{
	struct relay *r = arg;

	/* stdin goes to COM1 then; a virtio-serial guest keeps waiting */
	if (r->con[ST_VIRTIO].kind == END_NONE && !r->ready) {
		r->in_go = 1;
		relay_run(r);
	}
}

int
relay_new(struct relay **rp, struct loop *l, const int host[3],
    const struct relay_events *ev, void *arg)
{
	struct relay *r;
	int i, e = 0;

	*rp = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -ENOMEM;
	r->loop = l;
	r->ev = ev;
	r->arg = arg;
	for (i = 0; i < ST_CONS; i++)
		r->con[i].fd = -1;
	for (i = 0; i < 3; i++)
		r->host[i].fd = -1;
	for (i = 0; i < 3 && e == 0; i++)
		e = end_host(&r->host[i], host[i], i > 0);
	loop_timer_init(&r->retry, stream_retry, r);
	loop_timer_init(&r->wait, wait_over, r);
	pump_init(&r->in, &r->host[0], &r->con[ST_COM1]);
	r->in.limit = 0;	/* what the guest asks for (`want N`) */
	pump_init(&r->out, &r->con[ST_COM1], &r->host[1]);
	pump_init(&r->err, &r->con[ST_COM2], &r->host[2]);
	if (e == 0 && (pump_alloc(&r->in) < 0 || pump_alloc(&r->out) < 0 ||
	    pump_alloc(&r->err) < 0))
		e = -ENOMEM;
	*rp = r;
	return e;
}

void
relay_set_fd(struct relay *r, int slot, int fd)
{
	if (r->con[slot].kind != END_NONE)
		end_close(r, &r->con[slot]);
	r->con[slot].kind = isatty(fd) ? END_FD : END_SOCK;
	r->con[slot].fd = fd;
}

/*
 * Bytes on a console before the relay starts (a claimed VM's words, on
 * the stdio port ahead of stdin): at most what the socket and the
 * guest's receive buffers hold, so this waits for QEMU, not for the
 * guest. 0, or -errno.
 */
int
relay_put_first(struct relay *r, int slot, const void *buf, size_t n)
{
	struct pollfd pfd = { .fd = r->con[slot].fd, .events = POLLOUT };
	const char *p = buf;
	ssize_t k;

	if (r->started || r->con[slot].kind != END_SOCK)
		return -EINVAL;
	while (n > 0) {
		if ((k = send(pfd.fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL)) > 0) {
			p += k;
			n -= (size_t)k;
		} else if (k < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		else if (k < 0 && errno == EAGAIN && poll(&pfd, 1, 5000) != 1)
			return -ETIMEDOUT;
	}
	return 0;
}

int
relay_has_fd(const struct relay *r, int slot)
{
	return r->con[slot].kind != END_NONE && r->con[slot].fd >= 0;
}

int
relay_set_stream(struct relay *r, int slot, virStreamPtr st)
{
	int fd;

	if (r->kick == NULL) {
		if ((fd = loop_wake_dup(r->loop)) < 0)
			return -EIO;
		if ((r->kick = kick_new(fd)) == NULL) {
			close(fd);
			return -EIO;
		}
	}
	r->con[slot].kind = END_STREAM;
	r->con[slot].st = st;
	if (virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE |
	    VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP, kick_stream,
	    kick_ref(r->kick), kick_unref) < 0) {
		kick_unref(r->kick);
		return -EIO;
	}
	return 0;
}

/* ready: the guest said so to someone else (a pool VM fleetd booted). */
void
relay_start(struct relay *r, int ready)
{
	r->ready = ready;
	r->in_go = ready;
	if (ready)
		choose_io(r, 1);
	r->started = 1;
	if (!ready)
		loop_timer_set(r->loop, &r->wait, READY_WAIT_MS);
	relay_run(r);
}

void
relay_stop_input(struct relay *r)
{
	r->in_go = 0;
	r->in.done = 1;
	r->in.off = r->in.len = 0;
	host_close(r, &r->in, &r->host[0]);
}

/*
 * Let go of the consoles: sockets shut down (but those of a VM told
 * `again`, which fleetd hands its next claimer), streams aborted. Before
 * any destroy: libvirtd 9.0 deadlocks when a console stream's abort
 * meets the destroyed domain freeing its chardevs.
 */
void
relay_detach(struct relay *r)
{
	int i;

	if (r->detached)
		return;
	r->detached = 1;
	loop_timer_stop(r->loop, &r->retry);
	loop_timer_stop(r->loop, &r->wait);
	for (i = 0; i < ST_CONS; i++) {
		if (r->con[i].kind == END_SOCK && !r->again)
			shutdown(r->con[i].fd, SHUT_RDWR);
		end_close(r, &r->con[i]);
	}
	for (i = 0; i < 3; i++)
		end_close(r, &r->host[i]);
	r->in.closed = r->out.closed = r->err.closed = 1;
	r->in.done = r->out.done = r->err.done = r->ctl_eof = 1;
}

void
relay_kick(struct relay *r)
{
	int i;

	for (i = 0; i < ST_CONS; i++)
		if (r->con[i].kind == END_STREAM) {
			relay_run(r);
			return;
		}
}

void
relay_free(struct relay *r)
{
	if (r == NULL)
		return;
	relay_detach(r);
	if (r->kick != NULL)
		kick_unref(r->kick);
	free(r->in.buf);
	free(r->out.buf);
	free(r->err.buf);
	free(r->ctlq);
	free(r);
}

int
relay_ready(const struct relay *r)
{
	return r->ready;
}

int
relay_drained(const struct relay *r)
{
	return pump_over(&r->out) && pump_over(&r->err);
}

int
relay_ended(const struct relay *r)
{
	return r->ctl_eof && r->out.done && r->err.done;
}

int
relay_ctl_ended(const struct relay *r)
{
	return r->ctl_eof;
}
