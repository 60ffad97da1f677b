/* discover.c: browse and resolve _fleet._tcp with avahi-client */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/simple-watch.h>
#include <fleet/discover.h>
#include "internal.h"

struct browse {
	AvahiSimplePoll *poll;
	AvahiClient *client;
	const char *want;	/* stop at the first of this name; NULL */
	int first;		/* stop at the first answer */
	int all_for_now, pending, failed;
	struct fleet_router *list;
	size_t n, cap;
};

/* TXT "key=value" into buf; "" when absent. */
static void
txt_get(AvahiStringList *txt, const char *key, char *buf, size_t len)
{
	AvahiStringList *l = avahi_string_list_find(txt, key);
	char *k = NULL, *v = NULL;

	buf[0] = '\0';
	if (l == NULL || avahi_string_list_get_pair(l, &k, &v, NULL) < 0)
		return;
	if (v != NULL)
		snprintf(buf, len, "%s", v);
	avahi_free(k);
	avahi_free(v);
}

static int
wanted(const struct browse *b, const struct fleet_router *r)
{
	size_t n;

	if (b->want == NULL || strcmp(b->want, r->name) == 0 ||
	    strcmp(b->want, r->host) == 0)
		return 1;
	n = strlen(b->want);	/* "h" for "h.local" */
	return strncmp(b->want, r->host, n) == 0 && r->host[n] == '.';
}

static int
known(const struct browse *b, const struct fleet_router *r)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->list[i].name, r->name) == 0 &&
		    strcmp(b->list[i].address, r->address) == 0)
			return 1;
	return 0;
}

static void
add(struct browse *b, const struct fleet_router *r)
{
	struct fleet_router *l;

	if (known(b, r) || !wanted(b, r))
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 4;
		if ((l = realloc(b->list, b->cap * sizeof(*l))) == NULL) {
			b->failed = -ENOMEM;
			return;
		}
		b->list = l;
	}
	b->list[b->n++] = *r;
}

static void
resolved(AvahiServiceResolver *sr, AvahiIfIndex iface, AvahiProtocol proto,
    AvahiResolverEvent ev, const char *name, const char *type,
    const char *domain, const char *host, const AvahiAddress *a,
    uint16_t port, AvahiStringList *txt, AvahiLookupResultFlags flags,
    void *arg)
{
	struct browse *b = arg;
	struct fleet_router r = { .version = 0 };
	char v[16];

	(void)iface, (void)proto, (void)type, (void)domain, (void)port;
	if (ev == AVAHI_RESOLVER_FOUND) {
		snprintf(r.name, sizeof(r.name), "%s", name);
		snprintf(r.host, sizeof(r.host), "%s", host);
		avahi_address_snprint(r.address, sizeof(r.address), a);
		txt_get(txt, "uri", r.uri, sizeof(r.uri));
		txt_get(txt, "ctl", r.ctl, sizeof(r.ctl));
		txt_get(txt, "v", v, sizeof(v));
		r.version = atoi(v);
		r.local = (flags & AVAHI_LOOKUP_RESULT_LOCAL) != 0;
		add(b, &r);
	}
	avahi_service_resolver_free(sr);
	b->pending--;
}

static void
browsed(AvahiServiceBrowser *sb, AvahiIfIndex iface, AvahiProtocol proto,
    AvahiBrowserEvent ev, const char *name, const char *type,
    const char *domain, AvahiLookupResultFlags flags, void *arg)
{
	struct browse *b = arg;

	(void)sb, (void)flags;
	switch (ev) {
	case AVAHI_BROWSER_NEW:
		if (avahi_service_resolver_new(b->client, iface, proto, name,
		    type, domain, AVAHI_PROTO_INET, 0, resolved, b) != NULL)
			b->pending++;
		break;
	case AVAHI_BROWSER_ALL_FOR_NOW:
		b->all_for_now = 1;
		break;
	case AVAHI_BROWSER_FAILURE:
		b->failed = -EIO;
		break;
	default:
		break;
	}
}

static int
done(const struct browse *b)
{
	if (b->failed)
		return 1;
	if (b->first && b->n > 0)
		return 1;
	return b->all_for_now && b->pending == 0;
}

static int
run(struct browse *b, int timeout_ms)
{
	struct timespec end, now;
	long left;
	int err;

	if ((b->poll = avahi_simple_poll_new()) == NULL)
		return fleet_seterr(-ENOMEM, "DNS-SD: out of memory");
	b->client = avahi_client_new(avahi_simple_poll_get(b->poll), 0, NULL,
	    NULL, &err);
	if (b->client == NULL)
		return fleet_seterr(-ECONNREFUSED, "DNS-SD: no avahi-daemon "
		    "to ask: %s", avahi_strerror(err));
	if (avahi_service_browser_new(b->client, AVAHI_IF_UNSPEC,
	    AVAHI_PROTO_INET, FLEET_SERVICE_TYPE, NULL, 0, browsed, b) == NULL)
		return fleet_seterr(-EIO, "DNS-SD: cannot browse: %s",
		    avahi_strerror(avahi_client_errno(b->client)));
	clock_after(&end, CLOCK_MONOTONIC, timeout_ms);
	while (!done(b)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((left = -clock_ms_since(&end, &now)) <= 0)
			break;
		if (avahi_simple_poll_iterate(b->poll, (int)left) != 0)
			return fleet_seterr(-EIO, "DNS-SD: avahi's poll failed");
	}
	if (b->failed)
		return fleet_seterr(b->failed, "DNS-SD: avahi-daemon: %s",
		    avahi_strerror(avahi_client_errno(b->client)));
	return 0;
}

static void
finish(struct browse *b)
{
	if (b->client != NULL)
		avahi_client_free(b->client);	/* its browsers too */
	if (b->poll != NULL)
		avahi_simple_poll_free(b->poll);
}

int
fleet_discover(int timeout_ms, struct fleet_router **listp, size_t *np)
{
	struct browse b = { .want = NULL };
	int r;

	fleet_clearerr();
	r = run(&b, timeout_ms);
	finish(&b);
	if (r < 0) {
		free(b.list);
		return r;
	}
	*listp = b.list;
	*np = b.n;
	return 0;
}

int
fleet_discover_one(const char *name, int timeout_ms, struct fleet_router *out)
{
	struct browse b = { .want = name, .first = 1 };
	int r;

	fleet_clearerr();
	if ((r = run(&b, timeout_ms)) == 0 && b.n == 0)
		r = name ? fleet_seterr(-ENOENT, "DNS-SD: no router named "
		    "\"%s\" answered in %d ms", name, timeout_ms) :
		    fleet_seterr(-ENOENT, "DNS-SD: no router answered in "
		    "%d ms", timeout_ms);
	if (r == 0)
		*out = b.list[0];
	finish(&b);
	free(b.list);
	return r;
}
