/* proc.c: a VM's life as a process: spawn, wait, signal, release */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "internal.h"
#include "virt.h"

#define GONE_GRACE_MS	2000
#define REAP_START_MS	100
#define TERM_GRACE_S	3
#define DETACHED_LINGER_MS	"3000"


void
proc_ref(fleet_proc *p)
{
	pthread_mutex_lock(&p->lock);
	p->refs++;
	pthread_mutex_unlock(&p->lock);
}

static void
proc_unlink(fleet_proc *p)
{
	fleet_proc **pp;

	pthread_mutex_lock(&p->conn->lock);
	for (pp = &p->conn->procs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	pthread_mutex_unlock(&p->conn->lock);
}

void
proc_unref(fleet_proc *p)
{
	int last;

	pthread_mutex_lock(&p->lock);
	last = --p->refs == 0;
	pthread_mutex_unlock(&p->lock);
	if (!last)
		return;
	proc_unlink(p);
	if (p->stopped && p->sockdir[0] != '\0')
		sockdir_remove(p->sockdir);
	relay_close(&p->relay);
	fleet_ctl_close(p->claim);
	if (p->dom != NULL)
		virDomainFree(p->dom);
	conn_unref(p->conn);
	pthread_mutex_destroy(&p->lock);
	pthread_mutex_destroy(&p->dom_lock);
	pthread_cond_destroy(&p->cond);
	free(p->name);
	free(p);
}

void
proc_set_gone(fleet_proc *p)
{
	pthread_mutex_lock(&p->lock);
	if (!p->gone) {
		p->gone = 1;
		clock_gettime(CLOCK_MONOTONIC, &p->gone_at);
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* Its domain has stopped: libvirt has given back what it labelled for
 * QEMU, so the console sockets may go with p. */
static void
proc_set_stopped(fleet_proc *p)
{
	pthread_mutex_lock(&p->lock);
	p->stopped = 1;
	pthread_mutex_unlock(&p->lock);
	proc_set_gone(p);
}

/* A claimed VM dies with our claim on it: fleetd destroys it when the
 * connection goes. 1 if p was such a VM. */
static int
proc_unclaim(fleet_proc *p)
{
	if (p->claim == NULL || p->dom != NULL)
		return 0;
	ctl_hangup(p->claim);
	return 1;
}

void
proc_destroy(fleet_proc *p)
{
	pthread_mutex_lock(&p->lock);
	p->destroyed = 1;
	pthread_mutex_unlock(&p->lock);
	relay_detach(p);	/* streams first: see relay_detach() */
	if (proc_unclaim(p))
		proc_set_gone(p);
	else if (proc_dom(p) == 0 && virDomainDestroy(p->dom) == 0)
		proc_set_stopped(p);
}

void
conn_domain_stopped(fleet_conn *c, const char *name)
{
	fleet_proc *p;

	pthread_mutex_lock(&c->lock);
	for (p = c->procs; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			proc_set_stopped(p);
	pthread_mutex_unlock(&c->lock);
}

void
conn_lost(fleet_conn *c, const char *why)
{
	fleet_proc *p;

	pthread_mutex_lock(&c->lock);
	for (p = c->procs; p != NULL; p = p->next) {
		pthread_mutex_lock(&p->lock);
		p->lost = 1;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_unlock(&c->lock);
}

/* No libvirt call under c->lock: the event loop may be waiting for it. */
void
conn_kill_foreground(fleet_conn *c)
{
	fleet_proc *p, **v = NULL;
	size_t n = 0, i;

	pthread_mutex_lock(&c->lock);
	for (p = c->procs; p != NULL; p = p->next)
		n++;
	if (n > 0 && (v = calloc(n, sizeof(*v))) != NULL)
		for (n = 0, p = c->procs; p != NULL; p = p->next)
			if (!p->detached && !p->gone && !p->reaping) {
				proc_ref(p);
				v[n++] = p;
			}
	pthread_mutex_unlock(&c->lock);
	for (i = 0; v != NULL && i < n; i++) {
		proc_destroy(v[i]);
		proc_unref(v[i]);
	}
	free(v);
}

/* Under p->lock: 1 and *status once the program's end is known. */
int
proc_settled(fleet_proc *p, const struct timespec *now, int *status)
{
	const struct relay *r = &p->relay;
	int drained, late;

	if (r->epipe) {
		*status = fleet_status_signaled(SIGPIPE);
		return 1;
	}
	drained = (r->out_n >= r->want_out || r->out_eof) &&
	    (r->err_n >= r->want_err || r->err_eof);
	late = p->gone && clock_ms_since(&p->gone_at, now) >= GONE_GRACE_MS;
	if (r->final && (drained || late)) {
		*status = r->final_status;
		return 1;
	}
	if (!r->final && p->gone &&
	    ((r->ctl_eof && r->out_eof && r->err_eof) || late)) {
		*status = p->destroyed ? fleet_status_signaled(SIGKILL) :
		    fleet_status_crashed();
		return 1;
	}
	return 0;
}

/* Sleep on p->cond for at most ms (and 200 ms, to see grace periods end). */
static void
proc_sleep(fleet_proc *p, int64_t ms)
{
	struct timespec wake;

	if (ms > 200)
		ms = 200;
	if (ms < 1)
		ms = 1;
	clock_after(&wake, CLOCK_REALTIME, (long)ms);
	pthread_cond_timedwait(&p->cond, &p->lock, &wake);
}

static void *
reap_thread(void *arg)
{
	fleet_proc *p = arg;

	/* Streams first: libvirt's embedded driver deadlocks aborting a
	 * console stream while the destroyed domain frees its chardevs. */
	relay_detach(p);
	pthread_mutex_lock(&p->lock);
	p->reaping = 2;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (!proc_unclaim(p) && proc_dom(p) == 0) {
		virDomainDestroy(p->dom);	/* an error if it went already */
		proc_set_stopped(p);
	}
	relay_stop(p);
	proc_unref(p);
	return NULL;
}

/*
 * The status is known: tear the domain down off the caller's path, but
 * let the destroy leave first. A process that exits before would have
 * libvirtd auto-destroy the domain in its event loop, stalling every
 * client's calls for the 200 ms it waits on QEMU's SIGTERM; a destroy
 * call waits in one of its workers instead.
 */
static void
proc_reap(fleet_proc *p)
{
	struct timespec until, now;
	int go;

	pthread_mutex_lock(&p->lock);
	go = !p->reaping;
	p->reaping = 1;
	pthread_mutex_unlock(&p->lock);
	if (!go)
		return;
	if (proc_unclaim(p)) {		/* fleetd destroys it, off our path */
		relay_detach(p);
		return;
	}
	proc_ref(p);
	if (thread_spawn(reap_thread, p) < 0) {
		proc_unref(p);
		return;
	}
	clock_after(&until, CLOCK_MONOTONIC, REAP_START_MS);
	pthread_mutex_lock(&p->lock);
	while (p->reaping < 2) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (clock_ms_since(&now, &until) <= 0)
			break;
		proc_sleep(p, clock_ms_since(&now, &until));
	}
	pthread_mutex_unlock(&p->lock);
}

/* The guest never said `ready`: it never will. */
static int
proc_not_started(fleet_proc *p)
{
	proc_destroy(p);
	return fleet_seterr(-EPROTO, "%s: the guest did not start: no "
	    "`ready` from it in %d s", p->name, READY_BOUND_S);
}

int
fleet_proc_wait(fleet_proc *p, int *status, int timeout_ms)
{
	struct timespec now, until;
	int st = 0, r = 0, done, late = 0;

	fleet_clearerr();
	clock_after(&until, CLOCK_MONOTONIC, timeout_ms < 0 ? 0 : timeout_ms);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((done = proc_settled(p, &now, &st)))
			break;
		if ((late = relay_ready_late(p, &now)))
			break;
		if (p->lost) {
			r = fleet_seterr(-ECONNRESET, "%s: connection to "
			    "libvirt lost", p->name);
			break;
		}
		if (timeout_ms >= 0 && clock_ms_since(&now, &until) <= 0) {
			r = fleet_seterr(-ETIMEDOUT, "%s: still running",
			    p->name);
			break;
		}
		proc_sleep(p, timeout_ms < 0 ? 200 :
		    clock_ms_since(&now, &until));
	}
	pthread_mutex_unlock(&p->lock);
	if (late)
		return proc_not_started(p);
	if (!done)
		return r;
	if (status != NULL)
		*status = st;
	relay_stop(p);
	/* Close the consoles before the domain and the connection go:
	 * libvirtd 9.0 can crash on stream events that race a client's
	 * exit (tests/integration/stress.sh). A detached VM that ended
	 * lingers for its reader: this one has read it. */
	relay_detach(p);
	proc_reap(p);
	return 0;
}

char *
proc_domain_name(const char *program)
{
	const char *base = strrchr(program, '/');
	unsigned char rnd[4];
	char *name, *s;

	base = base ? base + 1 : program;
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return NULL;
	if (asprintf(&name, FLEET_PREFIX "%.40s-%02x%02x%02x%02x", base,
	    rnd[0], rnd[1], rnd[2], rnd[3]) == -1)
		return NULL;
	for (s = name; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			*s = '_';
	return name;
}

int
proc_use_kvm(void)
{
	const char *a = getenv("FLEET_ACCEL");

	/* auto stays on TCG until a timed probe exists (DESIGN.md). */
	return a != NULL && strcmp(a, "kvm") == 0;
}

static int
dup_fd(int fd, int flags)
{
	if (fd < 0)
		return open("/dev/null", flags | O_CLOEXEC);
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

static int
proc_new(fleet_conn *c, const struct fleet_spawn_attr *a, fleet_proc **pp)
{
	fleet_proc *p;
	struct relay *r;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->dom_lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->refs = 1;
	p->detached = a->detached;
	r = &p->relay;
	pthread_mutex_init(&r->send_lock, NULL);
	pthread_mutex_init(&r->detach_lock, NULL);
	for (int i = 0; i < ST_N; i++)
		pthread_mutex_init(&r->st_lock[i], NULL);
	r->wake[0] = r->wake[1] = r->hold[0] = r->hold[1] = -1;
	for (int i = 0; i < ST_N; i++)
		r->fd[i] = -1;
	r->bell = bell_new();
	r->in_fd = dup_fd(a->stdin_fd, O_RDONLY);
	r->out_fd = dup_fd(a->stdout_fd, O_WRONLY);
	r->err_fd = dup_fd(a->stderr_fd, O_WRONLY);
	conn_ref(c);
	p->conn = c;
	*pp = p;
	if (r->bell == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	if (r->in_fd < 0 || r->out_fd < 0 || r->err_fd < 0 ||
	    pipe2(r->wake, O_CLOEXEC) == -1 || pipe2(r->hold, O_CLOEXEC) == -1)
		return fleet_seterr(-errno, "spawn: %s", strerror(errno));
	return 0;
}

/*
 * fleet.KEY=VALUE settings for the guest: linger, then the network.
 * A detached VM lingers too, for an owner that still reads it (fsh's
 * background jobs; its COM2 and COM3 are ptys, which lose what QEMU
 * wrote once it exits), but for a bounded time: its owner may be gone.
 */
static void
guest_settings(const struct fleet_spawn_attr *a, const struct vm_net *net,
    char *set[6])
{
	int n = 0;

	set[n++] = "fleet.linger=1";
	if (a->detached)
		set[n++] = "fleet.lingerms=" DETACHED_LINGER_MS;
	n += vmnet_settings(net, set + n);
	set[n] = NULL;
}

/*
 * What the guest is told: settings (linger, the network) and argv, as
 * one encoded command line. Linger: after its last line the guest halts
 * instead of powering off (runtimes that know `fleet.linger`); libfleet
 * destroys it once it has read everything (a detached VM's owner may
 * not: it powers off by itself after DETACHED_LINGER_MS).
 */
static int
spec_fill(const struct fleet_spawn_attr *a, const char *image,
    const char *name, const struct vm_net *net, struct vm_spec *s,
    char *dflt[2])
{
	char *set[6];

	dflt[0] = (char *)a->image;
	dflt[1] = NULL;
	s->argv = a->argv != NULL && a->argv[0] != NULL ? a->argv : dflt;
	s->name = name;
	s->program = strrchr(a->image, '/') ? strrchr(a->image, '/') + 1 :
	    a->image;
	s->image = image;
	s->loader = domxml_loader();
	s->mem_mib = a->mem_mib ? a->mem_mib : FLEET_MEM_DEFAULT;
	s->owner_uid = geteuid();
	s->parent_pid = getpid();
	s->start_time = time(NULL);
	s->detached = a->detached;
	s->kvm = proc_use_kvm();
	s->net = net;
	guest_settings(a, net, set);
	return fleet_cmdline_encode(set, s->argv, (char **)&s->cmdline);
}

/*
 * The domain's XML. A VM on a local connection has its stdio on a socket
 * we listen on (l, filled), and a foreground one its serial ports too; a
 * detached one keeps those on ptys, where fleet-kill and libvirt's
 * consoles find them, opened while it is paused.
 */
static int
build_xml(fleet_conn *c, const struct fleet_spawn_attr *a,
    const char *image, const char *name, const struct vm_net *net,
    char **xmlp, struct relay_listen *l)
{
	struct vm_spec s = { 0 };
	char *dflt[2];
	int i, r;

	if ((r = spec_fill(a, image, name, net, &s, dflt)) < 0)
		return r;
	if ((r = sockdir_listen_open(l, c->uri, name, !a->detached)) > 0) {
		s.sock_connect = 1;
		s.console_sock = l->path[ST_VIRTIO];
		for (i = ST_COM1; i <= ST_COM3 && l->fd[i] >= 0; i++)
			s.serial_sock[i] = l->path[i];
		r = 0;
	}
	if (r == 0)
		r = domxml_build(&s, xmlp);
	free((char *)s.cmdline);
	return r;
}

/* The domain, looked up on first need (a claimed VM runs on fleetd's
 * libvirt, which libfleet may not have loaded). */
int
proc_dom(fleet_proc *p)
{
	int r = 0;

	pthread_mutex_lock(&p->dom_lock);
	if (p->dom == NULL && (r = conn_virt(p->conn)) == 0 &&
	    (p->dom = virDomainLookupByName(p->conn->vc, p->name)) == NULL)
		r = fleet_seterr(-ESRCH, "%s: %s", p->name, virt_err());
	pthread_mutex_unlock(&p->dom_lock);
	return r;
}

/* Each serial console on a host fd (our sockets, fleetd's ptys), or else
 * a libvirt stream; stdio's socket, where there is one, is ours already. */
static int
open_consoles(fleet_proc *p)
{
	static const char *dev[3] = { "serial0", "serial1", "serial2" };
	int i, r;

	for (i = 0; i < 3; i++) {
		if (p->relay.fd[i] >= 0)
			continue;
		if ((r = proc_dom(p)) < 0)
			return r;
		p->relay.st[i] = virStreamNew(p->conn->vc,
		    VIR_STREAM_NONBLOCK);
		if (p->relay.st[i] == NULL ||
		    virDomainOpenConsole(p->dom, dev[i], p->relay.st[i],
		    VIR_DOMAIN_CONSOLE_FORCE) < 0)
			return fleet_seterr(-EIO, "%s: console %s: %s",
			    p->name, dev[i], virt_err());
	}
	if (relay_watch(p) < 0)
		return fleet_seterr(-EIO, "%s: console events: %s", p->name,
		    virt_err());
	return 0;
}

static void
proc_link(fleet_proc *p)
{
	fleet_conn *c = p->conn;

	pthread_mutex_lock(&c->lock);
	p->next = c->procs;
	c->procs = p;
	pthread_mutex_unlock(&c->lock);
	if (c->embedded)
		conn_started_add(c, p->name);
}

/* virDomainCreateXML() on a call of its own (call.c): an interrupted
 * spawn walks away, and the domain, should it come, is destroyed. */
struct creating {
	virConnectPtr vc;	/* a reference of its own */
	char *xml;
	unsigned flags;
	char sockdir[96];	/* its sockets: the undo's to remove */
	char err[256];
};

static void *
create_call(void *arg)
{
	struct creating *k = arg;
	virDomainPtr dom = virDomainCreateXML(k->vc, k->xml, k->flags);

	if (dom == NULL)
		snprintf(k->err, sizeof(k->err), "%s", virt_err());
	return dom;
}

static void
creating_free(struct creating *k)
{
	virConnectClose(k->vc);
	free(k->xml);
	free(k);
}

static void
create_undo(void *arg, void *dom)
{
	struct creating *k = arg;

	if (dom != NULL) {
		virDomainDestroy(dom);
		virDomainFree(dom);
	}
	if (k->sockdir[0] != '\0')
		sockdir_remove(k->sockdir);
	creating_free(k);
}

/* An interrupted create leaves l's sockets to its undo: libvirt must
 * find them when the domain it may yet start stops. */
static int
create_here(fleet_proc *p, const char *xml, unsigned flags,
    struct relay_listen *l)
{
	struct creating *k;
	void *dom = NULL;
	int r;

	if ((r = conn_virt(p->conn)) < 0)
		return r;
	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->xml = strdup(xml)) == NULL) {
		free(k);
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	}
	k->vc = p->conn->vc;
	virConnectRef(k->vc);
	k->flags = flags;
	snprintf(k->sockdir, sizeof(k->sockdir), "%s", l->dir);
	if ((r = call_run(p->conn, create_call, create_undo, k, -1,
	    &dom)) < 0) {
		sockdir_listen_leave(l);
		return fleet_seterr(r, "%s: %s", p->name, r == -EINTR ?
		    "interrupted" : "no thread to create it");
	}
	if ((p->dom = dom) == NULL)
		r = fleet_seterr(-EIO, "%s: create on %s: %s", p->name,
		    p->conn->uri, k->err);
	creating_free(k);
	return r;
}

/*
 * Create the domain (fleetd does, when it will, or libvirt here), then
 * its consoles. A VM whose consoles are on our sockets (l) runs at
 * once; any other starts paused until they are open.
 */
static int
create(fleet_proc *p, const char *xml, struct relay_listen *l)
{
	int ours = l->fd[ST_VIRTIO] >= 0, paused = !ours || p->detached;
	unsigned flags = paused ? VIR_DOMAIN_START_PAUSED : 0;
	int r;

	/* The embedded driver has no auto-destroy: conn.c destroys those. */
	if (!p->detached && !p->conn->embedded)
		flags |= VIR_DOMAIN_START_AUTODESTROY;
	if (!ours || p->detached || claim_create(p->conn, xml, p) == 0) {
		if (conn_interrupted(p->conn)) {
			sockdir_listen_leave(l);	/* fleetd's QEMU's? */
			return fleet_seterr(-EINTR, "%s: interrupted",
			    p->name);
		}
		if (ours)
			sockdir_listen_drain(l);
		if ((r = create_here(p, xml, flags, l)) < 0)
			return r;
	}
	proc_link(p);
	if (ours)
		sockdir_listen_keep(l, p->sockdir, sizeof(p->sockdir));
	if ((ours && (r = relay_listen_accept(p, l)) < 0) ||
	    (r = open_consoles(p)) < 0 || (r = relay_start(p)) < 0)
		return fleet_seterr(r, "%s: relay: %s", p->name, strerror(-r));
	if (paused && virDomainResume(p->dom) < 0)
		return fleet_seterr(-EIO, "%s: resume: %s", p->name,
		    virt_err());
	return 0;
}

/*
 * A VM from fleetd's pool, booted and paused after its `ready` (fleetd
 * read it): our consoles (the ptys fleetd held, the virtio-serial
 * socket fleetd connected to, all passed with its claim), fleetd
 * resumes it, then its argv on the control channel. No libvirt call:
 * fleetd makes them.
 */
static int
start_claimed(fleet_proc *p, const struct fleet_spawn_attr *a,
    const char *image)
{
	struct vm_spec s = { 0 };
	char *dflt[2], *args = NULL;
	int r;

	proc_link(p);
	if ((r = spec_fill(a, image, p->name, NULL, &s, dflt)) < 0 ||
	    (r = open_consoles(p)) < 0)
		goto out;
	if (asprintf(&args, "args %s\n", s.cmdline) < 0) {
		r = fleet_seterr(-ENOMEM, "spawn: out of memory");
		goto out;
	}
	/* fleetd saw its `ready`; a runtime that has the virtio-serial
	 * port fleetd gave it (the socket answers) uses it. */
	p->relay.ready = 1;
	p->relay.virtio = p->relay.fd[ST_VIRTIO] >= 0;
	/* args after the resume: a long line may not fit in a paused
	 * VM's pty */
	if ((r = claim_run(p, s.argv, a->detached)) < 0)
		goto out;
	if (relay_send_ctl(p, args) < 0) {
		r = fleet_seterr(-EIO, "%s: control channel: %s", p->name,
		    strerror(errno));
		goto out;
	}
	if ((r = relay_start(p)) < 0)
		r = fleet_seterr(r, "%s: relay: %s", p->name, strerror(-r));
out:
	free((char *)s.cmdline);
	free(args);
	return r;
}

int
fleet_spawn(fleet_conn *c, const struct fleet_spawn_attr *a, fleet_proc **pp)
{
	fleet_proc *p = NULL;
	char *image = NULL, *xml = NULL;
	struct vm_net net;
	struct relay_listen l;
	int r, leased = 0;

	fleet_clearerr();
	sockdir_listen_init(&l);
	*pp = NULL;
	if (conn_interrupted(c)) {
		conn_interrupt_clear(c);
		return fleet_seterr(-EINTR, "spawn: interrupted");
	}
	sockdir_sweep(c->uri);
	if ((r = fleet_image_find(a->image, &image)) < 0)
		return r;
	if ((r = image_check_mem(image, a->image,
	    a->mem_mib ? a->mem_mib : FLEET_MEM_DEFAULT)) < 0)
		goto out;
	if ((r = proc_new(c, a, &p)) < 0)
		goto out;
	if (claim_take(c, a, image, p) == 1) {
		if ((r = start_claimed(p, a, image)) == 0)
			goto made;
		goto out;
	}
	if ((p->name = a->name ? strdup(a->name) : proc_domain_name(a->image)) ==
	    NULL) {
		r = fleet_seterr(-ENOMEM, "spawn: out of memory");
		goto out;
	}
	if ((leased = vmnet_lease(NULL, p->name, a->image, &net)) < 0) {
		r = leased;
		leased = 0;
		goto out;
	}
	if ((r = build_xml(c, a, image, p->name, leased ? &net : NULL,
	    &xml, &l)) < 0 || (r = create(p, xml, &l)) < 0)
		goto out;
made:
	if (conn_interrupted(c)) {
		r = fleet_seterr(-EINTR, "%s: interrupted", p->name);
		goto out;
	}
	*pp = p;
	p = NULL;
out:
	if (r == -EINTR || conn_interrupted(c))
		conn_interrupt_clear(c);
	sockdir_listen_close(&l);
	if (p != NULL && leased && p->dom == NULL && p->claim == NULL)
		vmnet_release(NULL, p->name);
	if (p != NULL && (p->dom != NULL || p->claim != NULL))
		proc_destroy(p);
	if (p != NULL) {
		p->released = 1;
		relay_stop(p);
		proc_unref(p);
	}
	free(image);
	free(xml);
	return r;
}

const char *
fleet_proc_id(const fleet_proc *p)
{
	return p->name;
}

/* Under p->lock: has the program ended, or its domain gone away? */
static int
proc_over(fleet_proc *p)
{
	struct timespec now;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return p->gone || proc_settled(p, &now, &st);
}

/*
 * SIGTERM unanswered: ACPI power button, then destroy. A guest that has
 * not said `ready` has no runtime listening for the button: destroy.
 */
static void *
grace_thread(void *arg)
{
	fleet_proc *p = arg;
	int step, i, over = 0, ready = 0;

	for (step = 0; step < 2 && !over; step++) {
		pthread_mutex_lock(&p->lock);
		for (i = 0; i < TERM_GRACE_S * 5 && !(over = proc_over(p)); i++)
			proc_sleep(p, 200);
		ready = p->relay.ready;
		pthread_mutex_unlock(&p->lock);
		if (over)
			break;
		if (step == 0 && ready && proc_dom(p) == 0)
			virDomainShutdown(p->dom);
		else if (step == 1 || !ready) {
			proc_destroy(p);
			break;
		}
	}
	pthread_mutex_lock(&p->lock);
	p->grace = 0;
	pthread_mutex_unlock(&p->lock);
	proc_unref(p);
	return NULL;
}

static int
proc_term(fleet_proc *p, int sig)
{
	char line[32];
	int go;

	/* The grace runs from the signal: the line waits for a `ready`
	 * that may never come. */
	pthread_mutex_lock(&p->lock);
	go = !p->grace;
	p->grace = 1;
	pthread_mutex_unlock(&p->lock);
	if (go) {
		proc_ref(p);
		if (thread_spawn(grace_thread, p) < 0)
			proc_unref(p);
	}
	snprintf(line, sizeof(line), "sig %d\n", sig);
	if (relay_send_ctl(p, line) < 0)
		fleet_seterr(-EIO, "%s: control channel: %s", p->name,
		    virt_err());
	return 0;
}

int
fleet_proc_kill(fleet_proc *p, int sig)
{
	fleet_clearerr();
	switch (sig) {
	case SIGKILL:
		proc_destroy(p);
		return 0;
	case SIGSTOP:
	case SIGTSTP:
		if (proc_dom(p) < 0)
			return -ESRCH;
		if (virDomainSuspend(p->dom) < 0)
			return fleet_seterr(-EIO, "%s: suspend: %s", p->name,
			    virt_err());
		relay_ready_hold(p, 1);
		return 0;
	case SIGCONT:
		if (proc_dom(p) < 0)
			return -ESRCH;
		if (virDomainResume(p->dom) < 0)
			return fleet_seterr(-EIO, "%s: resume: %s", p->name,
			    virt_err());
		relay_ready_hold(p, 0);
		return 0;
	default:
		if (sig <= 0 || sig >= 128)
			return fleet_seterr(-EINVAL, "%s: bad signal %d",
			    p->name, sig);
		return proc_term(p, sig);
	}
}

void
fleet_proc_free(fleet_proc *p)
{
	int running;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->released = 1;
	running = !p->gone;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	relay_stop(p);
	if (running && !p->detached)
		proc_reap(p);
	else if (running)
		relay_detach(p);
	proc_unref(p);
}

const char *
fleet_proc_crash(const fleet_proc *p)
{
	return p->relay.crash[0] != '\0' ? p->relay.crash : NULL;
}
