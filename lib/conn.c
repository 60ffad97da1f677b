/* conn.c: endpoint resolution and the libvirt connection behind a fleet_conn */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "internal.h"
#include "virt.h"

#define OPEN_TIMEOUT_S	15
#define KEEPALIVE_S	5
#define KEEPALIVE_N	3
#define CALL_DRAIN_MS	800	/* abandoned calls undo what they made */

static pthread_once_t events_once = PTHREAD_ONCE_INIT;
static int events_err;
static pthread_mutex_t embed_lock = PTHREAD_MUTEX_INITIALIZER;
static fleet_conn *embed_conns;

static void
quiet(void *arg, virErrorPtr e)
{
}

/*
 * libvirt's event loop, one thread for the process: its API blocks in
 * virEventRunDefaultImpl(). What it hears for a connection (a domain
 * stopped, a stream readable, the connection closed) it queues and rings
 * into that connection's own loop (loop.c), whose lock it never takes.
 */
static void *
virt_events(void *arg)
{
	for (;;)
		virEventRunDefaultImpl();
	return NULL;
}

static void
virt_events_init(void)
{
	/* libvirt would log its warnings on our stderr; errors reach the
	 * caller through fleet_last_error(). LIBVIRT_LOG_OUTPUTS still wins. */
	setenv("LIBVIRT_LOG_OUTPUTS", "4:file:/dev/null", 0);
	virSetErrorFunc(NULL, quiet);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0)
		events_err = -EIO;
	else
		events_err = thread_spawn(virt_events, NULL);
}

const char *
virt_err(void)
{
	const char *m = virt_loaded() ? virGetLastErrorMessage() : NULL;

	return m ? m : "unknown libvirt error";
}

/*
 * What libvirt's callbacks are given: the connection, while it lives.
 * libvirt may still run a callback that is being unregistered, and
 * frees its argument only after that, so a callback finds either the
 * connection or NULL, never a freed one.
 */
struct watch {
	pthread_mutex_t lock;
	fleet_conn *c;
	int refs;
};

static struct watch *
watch_new(fleet_conn *c)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	w->c = c;
	w->refs = 1;
	return w;
}

static struct watch *
watch_ref(struct watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->refs++;
	pthread_mutex_unlock(&w->lock);
	return w;
}

static void
watch_unref(void *arg)
{
	struct watch *w = arg;
	int last;

	pthread_mutex_lock(&w->lock);
	last = --w->refs == 0;
	pthread_mutex_unlock(&w->lock);
	if (last) {
		pthread_mutex_destroy(&w->lock);
		free(w);
	}
}

/* libvirt's event thread: news for the loop, which it wakes. */
static void
news_stopped(fleet_conn *c, const char *name)
{
	char **v, *s;

	if ((s = strdup(name)) == NULL)
		return;
	pthread_mutex_lock(&c->news_lock);
	if ((v = realloc(c->news.stopped, (c->news.nstopped + 1) *
	    sizeof(*v))) != NULL) {
		c->news.stopped = v;
		v[c->news.nstopped++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&c->news_lock);
	free(s);
	loop_wake(c->loop);
}

static void
news_lost(fleet_conn *c)
{
	pthread_mutex_lock(&c->news_lock);
	c->news.lost = 1;
	pthread_mutex_unlock(&c->news_lock);
	loop_wake(c->loop);
}

void
conn_news_take(fleet_conn *c, struct conn_news *n)
{
	pthread_mutex_lock(&c->news_lock);
	*n = c->news;
	c->news.stopped = NULL;
	c->news.nstopped = 0;
	pthread_mutex_unlock(&c->news_lock);
}

void
conn_news_free(struct conn_news *n)
{
	size_t i;

	for (i = 0; i < n->nstopped; i++)
		free(n->stopped[i]);
	free(n->stopped);
}

static void
watch_stopped(struct watch *w, const char *name)
{
	pthread_mutex_lock(&w->lock);
	if (w->c != NULL)
		news_stopped(w->c, name);
	pthread_mutex_unlock(&w->lock);
}

static void
lifecycle(virConnectPtr vc, virDomainPtr dom, int event, int detail,
    void *arg)
{
	if (event == VIR_DOMAIN_EVENT_STOPPED)
		watch_stopped(arg, virDomainGetName(dom));
}

static void
rebooted(virConnectPtr vc, virDomainPtr dom, void *arg)
{
	watch_stopped(arg, virDomainGetName(dom));
}

static void
closed(virConnectPtr vc, int reason, void *arg)
{
	struct watch *w = arg;

	pthread_mutex_lock(&w->lock);
	if (w->c != NULL)
		news_lost(w->c);
	pthread_mutex_unlock(&w->lock);
}

/* virConnectOpen() on a call of its own (call.c): a libvirtd that accepts
 * but never answers cannot hang the caller, nor can one an interrupt
 * walks away from. */
struct opening {
	char *uri;
	char err[256];
};

static void *
open_call(void *arg)
{
	struct opening *o = arg;
	virConnectPtr vc = virConnectOpen(o->uri);

	if (vc == NULL)
		snprintf(o->err, sizeof(o->err), "%s", virt_err());
	return vc;
}

static void
open_undo(void *arg, void *res)
{
	struct opening *o = arg;

	if (res != NULL)
		virConnectClose(res);
	free(o->uri);
	free(o);
}

/* What a user refused by the system libvirt can do about it. */
static const char *
refusal_hint(const char *uri, const char *err)
{
	if (geteuid() == 0 || strcmp(uri, SYSTEM_URI) != 0 ||
	    (strstr(err, "auth") == NULL && strstr(err, "ermission") == NULL))
		return "";
	return " (to use the system libvirt, join group libvirt; or run "
	    "VMs of your own with FLEET_URI=qemu:///session)";
}

static int
open_timed(fleet_conn *c, const char *uri, int secs)
{
	struct opening *o = calloc(1, sizeof(*o));
	void *vc = NULL;
	int r;

	if (o == NULL || (o->uri = strdup(uri)) == NULL) {
		free(o);
		return fleet_seterr(-ENOMEM, "%s: out of memory", uri);
	}
	if ((r = call_run(c, open_call, open_undo, o, secs * 1000, &vc)) < 0)
		return fleet_seterr(r, r == -ETIMEDOUT ? "%s: no answer in "
		    "%d s" : r == -EINTR ? "%s: interrupted" : "%s: no thread",
		    uri, secs);
	if ((c->vc = vc) == NULL)
		r = fleet_seterr(-ECONNREFUSED, "%s: %s%s", uri, o->err,
		    refusal_hint(uri, o->err));
	free(o->uri);
	free(o);
	return r;
}

static int
conn_connect(fleet_conn *c, const char *uri)
{
	int r;

	if (strncmp(uri, "qemu:///embed", 13) == 0)
		embed_conf(uri);
	if (strncmp(uri, "qemu:///embed", 13) == 0)
		c->vc = virConnectOpen(uri);
	else if ((r = open_timed(c, uri, OPEN_TIMEOUT_S)) < 0)
		return r;
	if (c->vc == NULL)
		return fleet_seterr(-ECONNREFUSED, "%s: %s", uri, virt_err());
	if (!c->embedded)
		virConnectSetKeepAlive(c->vc, KEEPALIVE_S, KEEPALIVE_N);
	if ((c->watch = watch_new(c)) == NULL)
		return fleet_seterr(-ENOMEM, "%s: out of memory", uri);
	if (virConnectRegisterCloseCallback(c->vc, closed,
	    watch_ref(c->watch), watch_unref) < 0)
		watch_unref(c->watch);
	c->lifecycle_id = virConnectDomainEventRegisterAny(c->vc, NULL,
	    VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(lifecycle),
	    watch_ref(c->watch), watch_unref);
	if (c->lifecycle_id < 0)
		watch_unref(c->watch);
	c->reboot_id = virConnectDomainEventRegisterAny(c->vc, NULL,
	    VIR_DOMAIN_EVENT_ID_REBOOT, VIR_DOMAIN_EVENT_CALLBACK(rebooted),
	    watch_ref(c->watch), watch_unref);
	if (c->reboot_id < 0)
		watch_unref(c->watch);
	return 0;
}

static int
use_uri(fleet_conn *c, const char *uri)
{
	if ((c->uri = strdup(uri)) == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	c->embedded = strncmp(uri, "qemu:///embed", 13) == 0;
	return 0;
}

/* Which libvirt: the URI only; conn_virt() connects when first needed. */
static int
resolve(fleet_conn *c, const char *uri)
{
	char *found = NULL;
	int r;

	if ((r = resolve_uri(uri, &found, &c->router)) < 0)
		return r;
	r = use_uri(c, found);
	free(found);
	return r;
}

/*
 * The libvirt connection, made the first time something needs it: 0,
 * or the error of that first attempt (again for every later call). A
 * spawn from fleetd's pool needs none, and loading libvirt costs more
 * than that whole spawn.
 */
int
conn_virt(fleet_conn *c)
{
	int r;

	pthread_mutex_lock(&c->vc_lock);
	if (c->vc == NULL && c->vc_err == 0) {
		if ((r = virt_load()) == 0) {
			pthread_once(&events_once, virt_events_init);
			if (events_err < 0)
				r = fleet_seterr(events_err, "libvirt: cannot "
				    "start the event loop: %s", virt_err());
		}
		if (r == 0)
			r = conn_connect(c, c->uri);
		if (r == -EINTR) {	/* the next spawn tries again */
			pthread_mutex_unlock(&c->vc_lock);
			return r;
		}
		if (r < 0) {
			c->vc_err = r;
			snprintf(c->vc_msg, sizeof(c->vc_msg), "%s",
			    fleet_last_error());
		}
	}
	r = c->vc_err;
	pthread_mutex_unlock(&c->vc_lock);
	return r < 0 ? fleet_seterr(r, "%s", c->vc_msg) : 0;
}

static void
embed_destroy_all(void)
{
	fleet_conn *c;

	pthread_mutex_lock(&embed_lock);
	for (c = embed_conns; c != NULL; c = c->next_embed)
		conn_destroy_started(c);
	pthread_mutex_unlock(&embed_lock);
}

static void
embed_register(fleet_conn *c)
{
	static int registered;

	pthread_mutex_lock(&embed_lock);
	if (!registered++)
		atexit(embed_destroy_all);
	c->next_embed = embed_conns;
	embed_conns = c;
	pthread_mutex_unlock(&embed_lock);
}

static void
embed_unregister(fleet_conn *c)
{
	fleet_conn **pp;

	pthread_mutex_lock(&embed_lock);
	for (pp = &embed_conns; *pp != NULL; pp = &(*pp)->next_embed)
		if (*pp == c) {
			*pp = c->next_embed;
			break;
		}
	pthread_mutex_unlock(&embed_lock);
}

int
fleet_open(fleet_conn **cp, const char *uri)
{
	fleet_conn *c;
	int r;

	fleet_clearerr();
	*cp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->vc_lock, NULL);
	pthread_mutex_init(&c->news_lock, NULL);
	c->refs = 1;
	c->lifecycle_id = c->reboot_id = -1;
	c->intr[0] = c->intr[1] = -1;
	if (pipe2(c->intr, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    (r = loop_new(&c->loop)) < 0) {
		r = fleet_seterr(-errno, "open: %s", strerror(errno));
		conn_unref(c);
		return r;
	}
	loop_on_wake(c->loop, procs_woken, c);
	if ((r = resolve(c, uri)) < 0) {
		conn_unref(c);
		return r;
	}
	if (c->embedded)
		embed_register(c);
	*cp = c;
	return 0;
}

const char *
fleet_conn_uri(const fleet_conn *c)
{
	return c->uri;
}

const char *
fleet_conn_router(const fleet_conn *c)
{
	return c->router;
}

int
fleet_conn_fd(const fleet_conn *c)
{
	return loop_fd(c->loop);
}

int
fleet_conn_dispatch(fleet_conn *c)
{
	int r;

	fleet_clearerr();
	r = loop_dispatch(c->loop, 0);
	return r < 0 ? fleet_seterr(r, "dispatch: %s", strerror(-r)) : 0;
}

/* Async-signal-safe: a flag and a byte down a pipe. */
int
fleet_conn_interrupt(fleet_conn *c)
{
	c->interrupted = 1;
	(void)write(c->intr[1], "", 1);
	return 0;
}

int
conn_interrupted(const fleet_conn *c)
{
	return c->interrupted;
}

int
conn_interrupt_fd(const fleet_conn *c)
{
	return c->intr[0];
}

/* The pipe only wakes waiters; the flag says. */
void
conn_interrupt_drain(fleet_conn *c)
{
	char buf[64];

	while (read(c->intr[0], buf, sizeof(buf)) > 0)
		;
}

/* Spawns in flight on c: an interrupt is for all of them. */
void
conn_spawn_begin(fleet_conn *c)
{
	__atomic_add_fetch(&c->spawns, 1, __ATOMIC_SEQ_CST);
}

/* The last one out clears an interrupt that came. */
void
conn_spawn_end(fleet_conn *c)
{
	if (__atomic_sub_fetch(&c->spawns, 1, __ATOMIC_SEQ_CST) == 0 &&
	    conn_interrupted(c))
		conn_interrupt_clear(c);
}

/* An interrupt is for the spawn it met; the next starts afresh. */
void
conn_interrupt_clear(fleet_conn *c)
{
	c->interrupted = 0;
	conn_interrupt_drain(c);
}

void
conn_ref(fleet_conn *c)
{
	pthread_mutex_lock(&c->lock);
	c->refs++;
	pthread_mutex_unlock(&c->lock);
}

void
conn_unref(fleet_conn *c)
{
	size_t i;
	int last;

	pthread_mutex_lock(&c->lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (!last)
		return;
	if (c->watch != NULL) {
		pthread_mutex_lock(&c->watch->lock);
		c->watch->c = NULL;	/* callbacks from now on do nothing */
		pthread_mutex_unlock(&c->watch->lock);
	}
	if (c->vc != NULL) {
		if (c->lifecycle_id >= 0)
			virConnectDomainEventDeregisterAny(c->vc,
			    c->lifecycle_id);
		if (c->reboot_id >= 0)
			virConnectDomainEventDeregisterAny(c->vc,
			    c->reboot_id);
		virConnectUnregisterCloseCallback(c->vc, closed);
		virConnectClose(c->vc);
	}
	for (i = 0; i < c->nstarted; i++)
		free(c->started[i]);
	free(c->started);
	free(c->uri);
	free(c->router);
	if (c->intr[0] >= 0) {
		close(c->intr[0]);
		close(c->intr[1]);
	}
	if (c->watch != NULL)
		watch_unref(c->watch);
	conn_news_free(&c->news);
	loop_free(c->loop);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->vc_lock);
	pthread_mutex_destroy(&c->news_lock);
	free(c);
}

void
fleet_close(fleet_conn *c)
{
	if (c == NULL)
		return;
	call_drain(CALL_DRAIN_MS);
	procs_kill_foreground(c);
	if (c->embedded) {
		conn_destroy_started(c);
		embed_unregister(c);
	}
	conn_unref(c);
}

void
conn_started_add(fleet_conn *c, const char *name)
{
	char **v, *s;

	if ((s = strdup(name)) == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	v = realloc(c->started, (c->nstarted + 1) * sizeof(*v));
	if (v != NULL) {
		c->started = v;
		c->started[c->nstarted++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&c->lock);
	free(s);
}

/* The embedded driver's domains outlive this process unless destroyed. */
void
conn_destroy_started(fleet_conn *c)
{
	virDomainPtr dom;
	char **names;
	size_t i, n;

	pthread_mutex_lock(&c->lock);
	names = c->started;
	n = c->nstarted;
	c->started = NULL;
	c->nstarted = 0;
	pthread_mutex_unlock(&c->lock);
	for (i = 0; i < n && c->vc != NULL; i++) {
		dom = virDomainLookupByName(c->vc, names[i]);
		if (dom != NULL && virDomainIsActive(dom) == 1)
			virDomainDestroy(dom);
		if (dom != NULL)
			virDomainFree(dom);
		free(names[i]);
	}
	free(names);
}
