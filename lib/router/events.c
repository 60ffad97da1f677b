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
#include "domtab.h"
#include "router.h"

/*
 * libvirt's default event loop runs in a thread of its own; the lifecycle
 * callback only writes a line to a pipe, which fleetd's poll loop reads:
 * "+ UUID ID NAME" for a domain that started or was defined, "- UUID ID
 * NAME" for one that stopped or went. All state changes stay in the main
 * thread.
 */
struct events {
	virConnectPtr conn;
	int cb, timer;
	int pipe[2];
	pthread_t thread;
	volatile int stop;
	struct domtab *domtab;		/* NULL: no proxy */
	char buf[4 * (DOMTAB_NAME_MAX + 64)];
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
	char line[DOMTAB_NAME_MAX + 64], uuid[VIR_UUID_STRING_BUFLEN];
	int n, sign;

	switch (event) {
	case VIR_DOMAIN_EVENT_STARTED:
	case VIR_DOMAIN_EVENT_DEFINED:
		sign = '+';
		break;
	case VIR_DOMAIN_EVENT_STOPPED:
	case VIR_DOMAIN_EVENT_UNDEFINED:
		sign = '-';
		break;
	default:
		return 0;
	}
	if (virDomainGetUUIDString(d, uuid) < 0)
		return 0;
	n = snprintf(line, sizeof(line), "%c %s %d %s\n", sign, uuid,
	    (int)virDomainGetID(d), virDomainGetName(d));
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!write(e->pipe[1], line, (size_t)n);
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "xxxxxxxx-xxxx-..." to 16 bytes */
static int
uuid_parse(const char *s, uint8_t uuid[16])
{
	int i = 0, hi, lo;

	while (i < 16 && *s) {
		if (*s == '-') {
			s++;
			continue;
		}
		if ((hi = hexval(s[0])) < 0 || (lo = hexval(s[1])) < 0)
			return -1;
		uuid[i++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return i == 16 ? 0 : -1;
}

/* One line of the pipe: the table follows, fn hears of a stop. */
static void
event_line(struct events *e, char *line,
    void (*fn)(const char *name, void *arg), void *arg)
{
	char sign, uuidstr[VIR_UUID_STRING_BUFLEN];
	uint8_t uuid[16];
	int id, off = 0;

	if (sscanf(line, "%c %36s %d %n", &sign, uuidstr, &id, &off) != 3 ||
	    off == 0 || uuid_parse(uuidstr, uuid) < 0)
		return;
	if (sign == '-') {
		if (e->domtab)
			domtab_del(e->domtab, uuid);
		fn(line + off, arg);
	} else if (e->domtab) {
		domtab_put(e->domtab, uuid, line + off, strlen(line + off),
		    id);
	}
}

static void
put_dom(struct domtab *t, virDomainPtr d)
{
	unsigned char uuid[VIR_UUID_BUFLEN];
	const char *name = virDomainGetName(d);

	if (name && virDomainGetUUID(d, uuid) == 0)
		domtab_put(t, uuid, name, strlen(name),
		    (int)virDomainGetID(d));
}

/* A miss in the table: ask libvirt. */
static void
lookup(void *arg, enum domtab_key k, const uint8_t *uuid, int id)
{
	struct events *e = arg;
	virDomainPtr d;

	d = k == DOMTAB_UUID ? virDomainLookupByUUID(e->conn, uuid) :
	    virDomainLookupByID(e->conn, id);
	if (d) {
		put_dom(e->domtab, d);
		virDomainFree(d);
	}
}

/* Fill t with libvirt's fleet domains now and keep it by the events. */
int
events_follow_domains(struct events *e, struct domtab *t)
{
	virDomainPtr *doms;
	int i, n;

	if ((n = virConnectListAllDomains(e->conn, &doms, 0)) < 0)
		return fleet_seterr(-EIO, "events: cannot list domains: %s",
		    virGetLastErrorMessage());
	for (i = 0; i < n; i++) {
		put_dom(t, doms[i]);
		virDomainFree(doms[i]);
	}
	free(doms);
	t->lookup = lookup;
	t->lookup_arg = e;
	e->domtab = t;
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

/* Each domain name the callback saw stop, to fn; the table follows. */
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
			event_line(e, start, fn, arg);
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
