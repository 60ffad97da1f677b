/* events.c: follow libvirt, so that a VM's lease ends when the VM does */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include "core.h"
#include "router.h"

/*
 * libvirt's default event loop runs in a thread of its own; the lifecycle
 * callback only writes the name of a domain that stopped to a pipe, which
 * fleetd's poll loop reads. All state changes stay in the main thread.
 */
struct events {
	virConnectPtr conn;
	int cb, timer;
	int pipe[2];
	pthread_t thread;
	volatile int stop;
	char buf[4 * FLEET_NAME_MAX];
	size_t len;
};

static void
quiet(void *arg, virErrorPtr e)
{
}

static int
on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail,
    void *opaque)
{
	struct events *e = opaque;
	char line[FLEET_NAME_MAX + 2];
	int n;

	if (event != VIR_DOMAIN_EVENT_STOPPED)
		return 0;
	n = snprintf(line, sizeof(line), "%s\n", virDomainGetName(d));
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!write(e->pipe[1], line, (size_t)n);
	return 0;
}

static void
tick(int timer, void *opaque)
{
}

static void *
run(void *arg)
{
	struct events *e = arg;

	while (!e->stop)
		if (virEventRunDefaultImpl() < 0)
			break;
	return NULL;
}

int
events_open(struct events **ep, const char *uri)
{
	struct events *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return fleet_seterr(-ENOMEM, "events: out of memory");
	e->pipe[0] = e->pipe[1] = e->cb = e->timer = -1;
	virSetErrorFunc(NULL, quiet);
	if (virEventRegisterDefaultImpl() < 0 ||
	    pipe2(e->pipe, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    (e->conn = virConnectOpen(uri)) == NULL) {
		events_close(e);
		return fleet_seterr(-ECONNREFUSED, "events: libvirt %s: %s",
		    uri, virGetLastErrorMessage());
	}
	/* a timer so that the loop wakes up to see e->stop */
	e->timer = virEventAddTimeout(500, tick, NULL, NULL);
	e->cb = virConnectDomainEventRegisterAny(e->conn, NULL,
	    VIR_DOMAIN_EVENT_ID_LIFECYCLE,
	    VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), e, NULL);
	if (e->cb < 0 || pthread_create(&e->thread, NULL, run, e) != 0) {
		e->cb = -1;
		events_close(e);
		return fleet_seterr(-EIO, "events: libvirt %s: cannot follow "
		    "domain events", uri);
	}
	*ep = e;
	return 0;
}

int
events_fd(const struct events *e)
{
	return e ? e->pipe[0] : -1;
}

/* 1 if the domain exists, 0 if libvirt does not know it, < 0 on error. */
int
events_domain_exists(struct events *e, const char *name)
{
	virDomainPtr d = virDomainLookupByName(e->conn, name);

	if (d) {
		virDomainFree(d);
		return 1;
	}
	return virGetLastErrorCode() == VIR_ERR_NO_DOMAIN ? 0 : -EIO;
}

/* Each domain name the callback saw stop, to fn. */
void
events_read(struct events *e, void (*fn)(const char *name, void *arg),
    void *arg)
{
	char *nl, *start;
	ssize_t n;

	while ((n = read(e->pipe[0], e->buf + e->len,
	    sizeof(e->buf) - e->len)) > 0) {
		e->len += (size_t)n;
		start = e->buf;
		while ((nl = memchr(start, '\n', e->len -
		    (size_t)(start - e->buf))) != NULL) {
			*nl = '\0';
			fn(start, arg);
			start = nl + 1;
		}
		e->len -= (size_t)(start - e->buf);
		memmove(e->buf, start, e->len);
		if (e->len == sizeof(e->buf))
			e->len = 0;	/* no name is this long: drop it */
	}
}

void
events_close(struct events *e)
{
	if (e == NULL)
		return;
	if (e->cb >= 0) {
		e->stop = 1;
		pthread_join(e->thread, NULL);
		virConnectDomainEventDeregisterAny(e->conn, e->cb);
	}
	if (e->timer >= 0)
		virEventRemoveTimeout(e->timer);
	if (e->conn)
		virConnectClose(e->conn);
	if (e->pipe[0] >= 0)
		close(e->pipe[0]);
	if (e->pipe[1] >= 0)
		close(e->pipe[1]);
	free(e);
}
