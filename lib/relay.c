/* relay.c: stdio bytes between host fds and the VM's serial consoles */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "internal.h"
#include "virt.h"

#define BUFSZ		65536
#define READY_WAIT_S	5
#define LINE_MAX_LEN	256

#define RECV_WAIT_MS	200	/* a safety net: events wake receivers */
#define SEND_WAIT_MS	5	/* no event says a stream takes data again */
#define ACCEPT_MS	5000	/* QEMU connected as it started: at once */

/*
 * Console streams are non-blocking: two threads use serial0 and serial2
 * (one sends, one receives), and libvirt's remote driver loses data when
 * a send meets a blocking receive on the same stream. Every call on a
 * stream holds its lock. A receiver that finds nothing sleeps on the
 * relay's bell until stream_event() (libvirt's event loop thread) rings
 * it, so no event is lost between its try and its sleep. The bell, not
 * the proc, is the callback's argument: libvirt may still run a callback
 * that is being removed, and frees its argument only after that.
 * Writable events are not asked for: the remote driver reports them
 * always.
 */
static void
stream_event(virStreamPtr st, int events, void *arg)
{
	bell_ring(arg);
}

/* Stdin the program will never read: it has ended, or its VM is gone. */
static int
stdin_unwanted(fleet_proc *p, int i)
{
	int over;

	if (i != ST_COM1 && i != ST_VIRTIO)
		return 0;
	pthread_mutex_lock(&p->lock);
	over = p->relay.final || p->gone;
	pthread_mutex_unlock(&p->lock);
	return over;
}

/*
 * The virtio console's unix socket, when there is one: non-blocking,
 * read by the stdout thread and written by the stdin thread. A writer
 * that finds it full sleeps in poll, waking now and then to see whether
 * the program is still there to read.
 */
#define VFD_FULL_MS	100

/* A socket's peer may be gone: no SIGPIPE. A pty is no socket. */
static ssize_t
fd_write(int fd, const char *buf, size_t n)
{
	ssize_t k = send(fd, buf, n, MSG_NOSIGNAL);

	if (k < 0 && errno == ENOTSOCK)
		k = write(fd, buf, n);
	return k;
}

static int
sock_send(fleet_proc *p, int i, int fd, const char *buf, size_t n)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	ssize_t k;

	while (n > 0) {
		k = fd_write(pfd.fd, buf, n);
		if (k < 0 && errno == EAGAIN) {
			if (stdin_unwanted(p, i))
				return -EPIPE;
			poll(&pfd, 1, VFD_FULL_MS);
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return errno == EPIPE ? -EPIPE : -EIO;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

/* -1 at an error, a pty's hangup (EIO), or once the relay is told to
 * let go (relay_detach: a pty cannot be shut down like a socket). */
static int
sock_recv(const struct relay *r, int fd, char *buf, size_t n)
{
	struct pollfd pfd[2] = { { fd, POLLIN, 0 }, { r->hold[0], POLLIN, 0 } };
	ssize_t k;

	for (;;) {
		k = read(fd, buf, n);
		if (k >= 0)
			return (int)k;
		if (errno == EAGAIN) {
			if (poll(pfd, 2, -1) > 0 && pfd[1].revents != 0)
				return -1;
		} else if (errno != EINTR)
			return -1;
	}
}

static int
stream_send(fleet_proc *p, int i, const char *buf, size_t n)
{
	struct relay *r = &p->relay;
	int k;

	if (r->fd[i] >= 0)
		return sock_send(p, i, r->fd[i], buf, n);
	while (n > 0) {
		pthread_mutex_lock(&r->st_lock[i]);
		k = virStreamSend(r->st[i], buf, n);
		pthread_mutex_unlock(&r->st_lock[i]);
		if (k == -2 && stdin_unwanted(p, i))
			return -EPIPE;
		if (k == -2) {
			bell_wait(r->bell, bell_rings(r->bell), SEND_WAIT_MS);
			continue;
		}
		if (k < 0)
			return -EIO;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
stream_recv(fleet_proc *p, int i, char *buf, size_t n)
{
	struct relay *r = &p->relay;
	unsigned seen;
	int k;

	if (r->fd[i] >= 0)
		return sock_recv(r, r->fd[i], buf, n);
	for (;;) {
		seen = bell_rings(r->bell);
		pthread_mutex_lock(&r->st_lock[i]);
		k = virStreamRecv(r->st[i], buf, n);
		pthread_mutex_unlock(&r->st_lock[i]);
		if (k != -2)
			return k;
		bell_wait(r->bell, seen, RECV_WAIT_MS);
	}
}

/* A blocking stream only this thread uses (fleet_kill()). */
int
stream_send_all(virStreamPtr st, const char *buf, size_t n)
{
	int k;

	while (n > 0) {
		if ((k = virStreamSend(st, buf, n)) < 0)
			return -EIO;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

int
relay_watch(fleet_proc *p)
{
	struct bell *b = p->relay.bell;
	int i;

	for (i = 0; i < ST_N; i++) {
		if (p->relay.st[i] == NULL)
			continue;
		if (virStreamEventAddCallback(p->relay.st[i],
		    VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR |
		    VIR_STREAM_EVENT_HANGUP, stream_event, bell_ref(b),
		    bell_unref) < 0) {
			bell_unref(b);
			return -EIO;
		}
	}
	return 0;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t k;

	while (n > 0) {
		k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN) {
			struct pollfd pfd = { fd, POLLOUT, 0 };

			poll(&pfd, 1, -1);
			continue;
		}
		if (k < 0)
			return -errno;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

int
ctl_parse(const char *line, struct ctl_line *l)
{
	char word[16];
	int n = 0;

	memset(l, 0, sizeof(*l));
	if (strncmp(line, "ready", 5) == 0 &&
	    (line[5] == '\0' || line[5] == ' ')) {
		l->kind = CTL_READY;
		l->value = strstr(line + 5, " virtio") != NULL;
		return 0;
	}
	if (sscanf(line, "exit %d %" SCNu64 " %" SCNu64 "%n", &l->value,
	    &l->out, &l->err, &n) == 3 && line[n] == '\0' &&
	    l->value >= 0 && l->value <= 255) {
		l->kind = CTL_EXIT;
		return 0;
	}
	if (sscanf(line, "signaled %d %" SCNu64 " %" SCNu64 "%n", &l->value,
	    &l->out, &l->err, &n) == 3 && line[n] == '\0' &&
	    l->value > 0 && l->value < 128) {
		l->kind = CTL_SIGNALED;
		return 0;
	}
	if (sscanf(line, "crash %15s %" SCNu64 " %" SCNu64 "%n", word,
	    &l->out, &l->err, &n) == 3 && line[n] == '\0') {
		l->kind = CTL_CRASH;
		snprintf(l->what, sizeof(l->what), "%s", word);
		return 0;
	}
	return -EINVAL;
}

static void
ctl_apply(fleet_proc *p, const struct ctl_line *l)
{
	struct relay *r = &p->relay;

	pthread_mutex_lock(&p->lock);
	if (l->kind == CTL_READY) {
		r->ready = 1;
		r->virtio = l->value && r->fd[ST_VIRTIO] >= 0;
	}
	else if (!r->final) {
		r->final = 1;
		r->want_out = l->out;
		r->want_err = l->err;
		if (l->kind == CTL_EXIT)
			r->final_status = fleet_status_exited(l->value);
		else if (l->kind == CTL_SIGNALED)
			r->final_status = fleet_status_signaled(l->value);
		else {
			r->final_status = fleet_status_crashed();
			memcpy(r->crash, l->what, sizeof(r->crash));
		}
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void
ctl_feed(fleet_proc *p, char *line, size_t *len, const char *buf, int n)
{
	struct ctl_line l;
	int i;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (*len < LINE_MAX_LEN)
				line[(*len)++] = buf[i];
			continue;
		}
		if (*len > 0 && line[*len - 1] == '\r')
			(*len)--;
		line[*len] = '\0';
		if (*len < LINE_MAX_LEN && ctl_parse(line, &l) == 0)
			ctl_apply(p, &l);
		*len = 0;
	}
}

static void
relay_eof(fleet_proc *p, int *flag)
{
	pthread_mutex_lock(&p->lock);
	*flag = 1;
	if (flag == &p->relay.ctl_eof && !p->gone) {
		p->gone = 1;
		clock_gettime(CLOCK_MONOTONIC, &p->gone_at);
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void *
ctl_thread(void *arg)
{
	fleet_proc *p = arg;
	char buf[1024], line[LINE_MAX_LEN + 1];
	size_t len = 0;
	int n;

	while ((n = stream_recv(p, ST_COM3, buf, sizeof(buf))) > 0) {
		ctl_feed(p, line, &len, buf, n);
	}
	relay_eof(p, &p->relay.ctl_eof);
	proc_unref(p);
	return NULL;
}

static void
out_broken(fleet_proc *p)
{
	sigset_t pipe;
	struct timespec zero = { 0, 0 };

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigtimedwait(&pipe, NULL, &zero);
	pthread_mutex_lock(&p->lock);
	p->relay.epipe = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	proc_destroy(p);
}

/*
 * After the final line, bytes beyond its count are not the program's
 * (the guest said how many it wrote): drop them.
 */
static size_t
out_allowed(fleet_proc *p, int i, uint64_t count, size_t n)
{
	const struct relay *r = &p->relay;
	uint64_t want;

	pthread_mutex_lock(&p->lock);
	want = i == ST_COM2 ? r->want_err : r->want_out;
	if (r->final)
		n = count >= want ? 0 : (want - count < n ? want - count : n);
	pthread_mutex_unlock(&p->lock);
	return n;
}

/* fdp: the host fd it writes, which it closes when done, so that the
 * reader of a pipe sees its end now, not once the VM is torn down (in
 * fsh's `echo hi | upcase`, upcase's stdin closed 200 ms late: libvirt's
 * destroy waits that long after its SIGTERM). */
static void
out_relay(fleet_proc *p, int i, int *fdp, uint64_t *count, int *eof)
{
	char *buf = malloc(BUFSZ);
	int n, e, fd = *fdp;

	while (buf != NULL && (n = stream_recv(p, i, buf, BUFSZ)) > 0) {
		n = (int)out_allowed(p, i, *count, (size_t)n);
		if ((e = write_all(fd, buf, (size_t)n)) == -EPIPE) {
			out_broken(p);
			break;
		}
		pthread_mutex_lock(&p->lock);
		*count += (uint64_t)n;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	free(buf);
	relay_eof(p, eof);
	pthread_mutex_lock(&p->lock);
	*fdp = -1;
	pthread_mutex_unlock(&p->lock);
	close(fd);
}

/* The stream stdout comes on, once the guest has said which: it
 * writes none before `ready`. */
static int
out_stream(fleet_proc *p)
{
	struct relay *r = &p->relay;
	int i;

	pthread_mutex_lock(&p->lock);
	while (!r->ready && !r->final && !r->ctl_eof && !p->gone &&
	    !p->released)
		pthread_cond_wait(&p->cond, &p->lock);
	i = r->virtio ? ST_VIRTIO : ST_COM1;
	pthread_mutex_unlock(&p->lock);
	return i;
}

static void *
out_thread(void *arg)
{
	fleet_proc *p = arg;

	out_relay(p, out_stream(p), &p->relay.out_fd, &p->relay.out_n,
	    &p->relay.out_eof);
	proc_unref(p);
	return NULL;
}

static void *
err_thread(void *arg)
{
	fleet_proc *p = arg;

	out_relay(p, ST_COM2, &p->relay.err_fd, &p->relay.err_n,
	    &p->relay.err_eof);
	proc_unref(p);
	return NULL;
}

/* Under p->lock: 1 once the guest is READY_BOUND_S late with `ready`. */
int
relay_ready_late(const fleet_proc *p, const struct timespec *now)
{
	const struct relay *r = &p->relay;

	return !r->ready && !r->final && !r->held && !p->gone &&
	    clock_ms_since(&r->ready_clock, now) >= READY_BOUND_S * 1000;
}

/* A guest we suspend is not late: its clock starts again on resume. */
void
relay_ready_hold(fleet_proc *p, int held)
{
	pthread_mutex_lock(&p->lock);
	p->relay.held = held;
	clock_gettime(CLOCK_MONOTONIC, &p->relay.ready_clock);
	pthread_mutex_unlock(&p->lock);
}

/*
 * Before `ready` the guest's UART may not be set up: bytes could drop.
 * With a virtio-serial port, stdin must wait to know its way, but not
 * for a guest that will never say (fleet_proc_wait() ends it).
 */
static int
wait_ready(fleet_proc *p)
{
	struct timespec start, now, wake;
	int ok, virtio = p->relay.fd[ST_VIRTIO] >= 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&p->lock);
	while (!p->relay.ready && !p->relay.final && !p->gone &&
	    !p->released) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (virtio ? relay_ready_late(p, &now) :
		    clock_ms_since(&start, &now) >= READY_WAIT_S * 1000)
			break;
		clock_after(&wake, CLOCK_REALTIME, 200);
		pthread_cond_timedwait(&p->cond, &p->lock, &wake);
	}
	ok = !p->gone && !p->released &&
	    (p->relay.ready || p->relay.final || !virtio);
	pthread_mutex_unlock(&p->lock);
	return ok;
}

/* 1 when data can be read, 0 at end of file, -1 when told to stop. */
static int
in_wait(struct relay *r)
{
	struct pollfd pfd[2] = { { r->in_fd, POLLIN, 0 },
	    { r->wake[0], POLLIN, 0 } };

	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return -1;
		if (pfd[1].revents != 0)
			return -1;
		if (pfd[0].revents != 0)
			return 1;
	}
}

static void
in_relay(fleet_proc *p, char *buf)
{
	struct relay *r = &p->relay;
	char line[40];
	ssize_t n;

	for (;;) {
		if (in_wait(r) < 0)
			return;
		/* Input for a program that has ended is not ours to take:
		 * typeahead on a terminal stays for the shell, and a pipe's
		 * writer sees EPIPE as its reader is gone. */
		if (stdin_unwanted(p, ST_COM1))
			goto gone;
		n = read(r->in_fd, buf, BUFSZ);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		if (stream_send(p, r->virtio ? ST_VIRTIO : ST_COM1, buf,
		    (size_t)n) < 0)
			goto gone;
		pthread_mutex_lock(&p->lock);
		r->in_n += (uint64_t)n;
		pthread_mutex_unlock(&p->lock);
	}
	snprintf(line, sizeof(line), "eof %" PRIu64 "\n", r->in_n);
	relay_send_ctl(p, line);
	return;
gone:
	/* The reader is gone: let the writer see EPIPE now, as a pipe's
	 * writer does when its reader exits. */
	close(r->in_fd);
	r->in_fd = -1;
}

static void *
in_thread(void *arg)
{
	fleet_proc *p = arg;
	char *buf = malloc(BUFSZ);

	if (buf != NULL && wait_ready(p))
		in_relay(p, buf);
	free(buf);
	proc_unref(p);
	return NULL;
}

int
relay_send_ctl(fleet_proc *p, const char *line)
{
	struct relay *r = &p->relay;
	int e;

	/* The guest resets its UARTs while booting: a line sent before its
	 * `ready` is lost (a ctrl-C right after the start was). */
	if (!wait_ready(p))
		return -EPIPE;
	pthread_mutex_lock(&r->send_lock);
	e = stream_send(p, ST_COM3, line, strlen(line));
	pthread_mutex_unlock(&r->send_lock);
	return e;
}

int
relay_start(fleet_proc *p)
{
	void *(*fn[RELAY_N])(void *) = { in_thread, out_thread, err_thread,
	    ctl_thread };
	int i, e;

	clock_gettime(CLOCK_MONOTONIC, &p->relay.ready_clock);
	for (i = 0; i < RELAY_N; i++) {
		proc_ref(p);
		if ((e = thread_spawn(fn[i], p)) < 0) {
			proc_unref(p);
			return e;
		}
	}
	return 0;
}

/* Let the stdin thread go; the others end with their streams. */
void
relay_stop(fleet_proc *p)
{
	ssize_t k;

	do
		k = write(p->relay.wake[1], "x", 1);
	while (k < 0 && errno == EINTR);
}

void
relay_close(struct relay *r)
{
	int i;

	for (i = 0; i < ST_N; i++) {
		if (r->st[i] != NULL) {
			virStreamEventRemoveCallback(r->st[i]);
			virStreamAbort(r->st[i]);
			virStreamFree(r->st[i]);
		}
		pthread_mutex_destroy(&r->st_lock[i]);
	}
	for (i = 0; i < 2; i++) {
		if (r->wake[i] >= 0)
			close(r->wake[i]);
		if (r->hold[i] >= 0)
			close(r->hold[i]);
	}
	for (i = 0; i < ST_N; i++)
		if (r->fd[i] >= 0)
			close(r->fd[i]);
	if (r->in_fd >= 0)
		close(r->in_fd);
	if (r->out_fd >= 0)
		close(r->out_fd);
	if (r->err_fd >= 0)
		close(r->err_fd);
	pthread_mutex_destroy(&r->send_lock);
	pthread_mutex_destroy(&r->detach_lock);
	bell_unref(r->bell);
}

/*
 * A detached VM keeps running: stop reading its consoles. Once, and
 * before any destroy (proc_destroy calls this first): libvirtd 9.0
 * deadlocks when a console stream's abort meets the destroyed domain
 * freeing its chardevs (virChrdevFree against virStreamAbort; seen as
 * a hung libvirtd when head's end made yes's relay destroy its VM
 * while fleet_proc_wait aborted the streams).
 */
void
relay_detach(fleet_proc *p)
{
	int i;

	pthread_mutex_lock(&p->relay.detach_lock);
	if (p->relay.detached) {
		pthread_mutex_unlock(&p->relay.detach_lock);
		return;
	}
	p->relay.detached = 1;

	for (i = 0; i < ST_N; i++)
		if (p->relay.fd[i] >= 0)
			shutdown(p->relay.fd[i], SHUT_RDWR);
	/* ptys cannot be shut down: their readers watch hold[0] */
	while (write(p->relay.hold[1], "x", 1) < 0 && errno == EINTR)
		;
	for (i = 0; i < ST_N; i++)
		if (p->relay.st[i] != NULL) {
			pthread_mutex_lock(&p->relay.st_lock[i]);
			virStreamEventRemoveCallback(p->relay.st[i]);
			virStreamAbort(p->relay.st[i]);
			pthread_mutex_unlock(&p->relay.st_lock[i]);
		}
	bell_ring(p->relay.bell);	/* receivers see their streams end */
	pthread_mutex_unlock(&p->relay.detach_lock);
}

/* QEMU's connections, made as it started, become p's consoles. */
int
relay_listen_accept(fleet_proc *p, struct relay_listen *l)
{
	struct pollfd pfd = { .events = POLLIN };
	int i, r = 0;

	for (i = 0; i < ST_N; i++) {
		if ((pfd.fd = l->fd[i]) < 0)
			continue;
		if (poll(&pfd, 1, ACCEPT_MS) == 1)
			p->relay.fd[i] = accept4(l->fd[i], NULL, NULL,
			    SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (p->relay.fd[i] < 0 && r == 0)
			r = fleet_seterr(-EIO, "%s: console %s: QEMU did not "
			    "connect", p->name, l->path[i]);
	}
	return r;
}
