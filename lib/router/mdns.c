/* mdns.c: fleetd published as _fleet._tcp on its bridge, through
 * avahi-daemon, which may come and go */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <fleet/discover.h>
#include "core.h"
#include "log.h"
#include "mdns.h"

#define PROTO_VERSION	"1"	/* the control protocol, docs/protocol.md */

struct mdns {
	struct avpoll *poll;
	AvahiClient *client;
	AvahiEntryGroup *group;
	char *name;		/* avahi_malloc'd: collisions rename it */
	char bridge[IFNAMSIZ];
	char uri[96], ctl[64];
	uint16_t port;		/* SRV: the control port, else the proxy's */
	int restart;		/* the daemon went: a new client */
};

static void publish(struct mdns *m, AvahiClient *c);
static void client_event(AvahiClient *c, AvahiClientState st, void *arg);

static void
rename_service(struct mdns *m)
{
	char *alt = avahi_alternative_service_name(m->name);

	log_warnx("DNS-SD: the name \"%s\" is taken; now \"%s\"", m->name,
	    alt);
	avahi_free(m->name);
	m->name = alt;
}

static void
group_event(AvahiEntryGroup *g, AvahiEntryGroupState st, void *arg)
{
	struct mdns *m = arg;

	switch (st) {
	case AVAHI_ENTRY_GROUP_ESTABLISHED:
		log_info("DNS-SD: published \"%s\" (%s) on %s", m->name,
		    FLEET_SERVICE_TYPE, m->bridge);
		break;
	case AVAHI_ENTRY_GROUP_COLLISION:	/* another host has it */
		rename_service(m);
		publish(m, avahi_entry_group_get_client(g));
		break;
	case AVAHI_ENTRY_GROUP_FAILURE:
		log_warnx("DNS-SD: publishing failed: %s", avahi_strerror(
		    avahi_client_errno(avahi_entry_group_get_client(g))));
		break;
	default:
		break;
	}
}

/* The service, anew: at start, after a collision, when avahi is back. */
static void
publish(struct mdns *m, AvahiClient *c)
{
	AvahiIfIndex ifindex = (AvahiIfIndex)if_nametoindex(m->bridge);
	int r;

	if (m->group == NULL &&
	    (m->group = avahi_entry_group_new(c, group_event, m)) == NULL) {
		log_warnx("DNS-SD: %s", avahi_strerror(avahi_client_errno(c)));
		return;
	}
	avahi_entry_group_reset(m->group);
	if (ifindex == 0)
		ifindex = AVAHI_IF_UNSPEC;
	for (;;) {
		r = avahi_entry_group_add_service(m->group, ifindex,
		    AVAHI_PROTO_INET, 0, m->name, FLEET_SERVICE_TYPE, NULL,
		    NULL, m->port, m->uri, m->ctl, "v=" PROTO_VERSION, NULL);
		if (r != AVAHI_ERR_COLLISION)	/* a local service has it */
			break;
		rename_service(m);
		avahi_entry_group_reset(m->group);
	}
	if (r < 0 || (r = avahi_entry_group_commit(m->group)) < 0)
		log_warnx("DNS-SD: cannot publish \"%s\": %s", m->name,
		    avahi_strerror(r));
}

/* NO_FAIL: the client waits for the daemon instead of failing. */
static int
client_start(struct mdns *m)
{
	int e;

	m->group = NULL;
	m->client = avahi_client_new(avpoll_api(m->poll),
	    AVAHI_CLIENT_NO_FAIL, client_event, m, &e);
	if (m->client == NULL)
		return fleet_seterr(-EIO, "DNS-SD: %s", avahi_strerror(e));
	return 0;
}

static void
client_event(AvahiClient *c, AvahiClientState st, void *arg)
{
	struct mdns *m = arg;

	switch (st) {
	case AVAHI_CLIENT_S_RUNNING:
		publish(m, c);
		break;
	case AVAHI_CLIENT_S_COLLISION:	/* our host name: avahi renames */
	case AVAHI_CLIENT_S_REGISTERING:
		if (m->group != NULL)
			avahi_entry_group_reset(m->group);
		break;
	case AVAHI_CLIENT_CONNECTING:
		log_info("DNS-SD: waiting for avahi-daemon");
		break;
	case AVAHI_CLIENT_FAILURE:
		if (avahi_client_errno(c) != AVAHI_ERR_DISCONNECTED) {
			log_warnx("DNS-SD: %s", avahi_strerror(
			    avahi_client_errno(c)));
			break;
		}
		log_warnx("DNS-SD: avahi-daemon went away; publishing again "
		    "when it is back");
		m->restart = 1;	/* not from inside the client's own call */
		break;
	}
}

static char *
default_name(void)
{
	char host[256], *name;

	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	if (asprintf(&name, "fleet on %s", host) < 0)
		return NULL;
	return name;
}

static void
texts(struct mdns *m, const struct mdns_conf *c)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &c->addr, a, sizeof(a));
	if (c->proxy_port == 16509)
		snprintf(m->uri, sizeof(m->uri), "uri=qemu+tcp://%s/system", a);
	else if (c->proxy_port != 0)
		snprintf(m->uri, sizeof(m->uri),
		    "uri=qemu+tcp://%s:%u/system", a, c->proxy_port);
	else
		snprintf(m->uri, sizeof(m->uri), "uri=");
	if (c->ctl_port != 0)
		snprintf(m->ctl, sizeof(m->ctl), "ctl=tcp:%s:%u", a,
		    c->ctl_port);
	else
		snprintf(m->ctl, sizeof(m->ctl), "ctl=");
}

int
mdns_open(struct mdns **mp, const struct mdns_conf *c)
{
	struct mdns *m;
	char *name;
	int r;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return fleet_seterr(-ENOMEM, "DNS-SD: out of memory");
	name = c->name ? strdup(c->name) : default_name();
	if (name == NULL || (m->name = avahi_strdup(name)) == NULL) {
		free(name);
		free(m);
		return fleet_seterr(-ENOMEM, "DNS-SD: out of memory");
	}
	free(name);
	snprintf(m->bridge, sizeof(m->bridge), "%s", c->bridge);
	texts(m, c);
	m->port = c->ctl_port ? c->ctl_port : c->proxy_port;
	if ((r = avpoll_new(&m->poll)) < 0 || (r = client_start(m)) < 0) {
		mdns_close(m);
		return r;
	}
	*mp = m;
	return 0;
}

size_t
mdns_fds(struct mdns *m, struct pollfd *fds, size_t max)
{
	return m ? avpoll_fds(m->poll, fds, max) : 0;
}

int
mdns_timeout(const struct mdns *m)
{
	return m ? avpoll_timeout(m->poll) : -1;
}

void
mdns_dispatch(struct mdns *m, const struct pollfd *fds, size_t n)
{
	if (m == NULL)
		return;
	avpoll_dispatch(m->poll, fds, n);
	if (m->restart) {
		m->restart = 0;
		avahi_client_free(m->client);	/* and its group */
		m->client = NULL;
		if (client_start(m) < 0)
			log_warnx("%s", fleet_last_error());
	}
}

void
mdns_close(struct mdns *m)
{
	if (m == NULL)
		return;
	if (m->client != NULL)
		avahi_client_free(m->client);
	avpoll_free(m->poll);
	avahi_free(m->name);
	free(m);
}
