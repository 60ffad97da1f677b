/* discover.h: fleet routers found by DNS-SD (_fleet._tcp, avahi) */
#ifndef FLEET_DISCOVER_H
#define FLEET_DISCOVER_H

#include <stddef.h>
#include <stdio.h>

#define FLEET_SERVICE_TYPE	"_fleet._tcp"
#define FLEET_DISCOVER_MS	2000	/* fleet_discover()'s usual bound */

/* One fleetd, as its DNS-SD service says (TXT uri=, ctl=, v=). */
struct fleet_router {
	char name[64];		/* the service's instance name */
	char host[256];		/* its host name, "h.local" */
	char address[46];	/* its address, as text */
	char uri[256];		/* its proxy's libvirt URI */
	char ctl[128];		/* its control endpoint, "tcp:A:PORT" */
	int version;		/* fleet's control protocol version */
	int local;		/* published by this machine */
};

/*
 * Browse for routers and resolve each one, for at most timeout_ms (or
 * until avahi-daemon says it has told all it knows). On success *listp
 * is a malloc'd array of *np routers (possibly none), the caller's to
 * free(3). No avahi-daemon: -ECONNREFUSED, the reason in
 * fleet_last_error().
 */
int fleet_discover(int timeout_ms, struct fleet_router **listp, size_t *np);

/*
 * The first router resolved whose name or host name is name (any router
 * when name is NULL), within timeout_ms: 0 and *r filled, or -ENOENT when
 * none answered in time, -ECONNREFUSED without avahi-daemon.
 */
int fleet_discover_one(const char *name, int timeout_ms,
    struct fleet_router *r);

/*
 * The routers as a table (NAME HOST ADDRESS URI CTL, a header first) or
 * as a JSON array of objects. Bytes that are not printable appear as
 * \ooo in the table. 0, or -1 on a write error.
 */
int fleet_routers_table(FILE *f, const struct fleet_router *l, size_t n);
int fleet_routers_json(FILE *f, const struct fleet_router *l, size_t n);

#endif
