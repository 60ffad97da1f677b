/* mdns.h: fleetd's DNS-SD service (mdns.c) and avahi's poll on fleetd's
 * loop (avahi-poll.c) */
#ifndef FLEET_ROUTER_MDNS_H
#define FLEET_ROUTER_MDNS_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <avahi-common/watch.h>

struct avpoll;
int	avpoll_new(struct avpoll **pp);
const AvahiPoll *avpoll_api(const struct avpoll *p);
size_t	avpoll_fds(struct avpoll *p, struct pollfd *fds, size_t max);
int	avpoll_timeout(const struct avpoll *p);
void	avpoll_dispatch(struct avpoll *p, const struct pollfd *fds, size_t n);
void	avpoll_free(struct avpoll *p);

/* What fleetd publishes as _fleet._tcp on its bridge. */
struct mdns_conf {
	const char *name;	/* the instance name; NULL: "fleet on HOST" */
	const char *bridge;	/* published on this interface only */
	uint32_t addr;		/* the router's address, network order */
	uint16_t ctl_port;	/* 0: no control port on the network */
	uint16_t proxy_port;	/* 0: no libvirt proxy on the network */
};

struct mdns;
int	mdns_open(struct mdns **mp, const struct mdns_conf *c);
size_t	mdns_fds(struct mdns *m, struct pollfd *fds, size_t max);
int	mdns_timeout(const struct mdns *m);
void	mdns_dispatch(struct mdns *m, const struct pollfd *fds, size_t n);
void	mdns_close(struct mdns *m);

#endif
