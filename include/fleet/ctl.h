/* ctl.h: fleetd's control endpoint (docs/protocol.md, section 6) */
#ifndef FLEET_CTL_H
#define FLEET_CTL_H

#include <stddef.h>

#define FLEET_CTL_DEFAULT "/run/fleet/fleetd.sock"
#define FLEET_CTL_PORT 7707		/* TCP on the router address */
#define FLEET_CTL_LINE_MAX 8192		/* one request or reply line, '\n' included */

typedef struct fleet_ctl fleet_ctl;

/*
 * Connect to fleetd. endpoint: NULL for $FLEET_CTL, else FLEET_CTL_DEFAULT;
 * "/path" or "unix:/path" a unix socket, "tcp:HOST:PORT" or "HOST:PORT".
 * *cp is owned by the caller: fleet_ctl_close() it. Calls on one handle are
 * not thread-safe.
 */
int fleet_ctl_open(fleet_ctl **cp, const char *endpoint);
void fleet_ctl_close(fleet_ctl *c);	/* NULL is fine */

/*
 * Send one request line (without '\n') and read the reply. Lines before the
 * final "ok" are handed to each (when not NULL) one at a time, without '\n';
 * *okp (when not NULL) gets a malloc'd copy of the text after "ok" that the
 * caller frees. "err NAME text" becomes the matching negative errno and
 * fleet_last_error() holds the text.
 */
int fleet_ctl_call(fleet_ctl *c, const char *request,
    int (*each)(const char *line, void *arg), void *arg, char **okp);

/*
 * Send one request line without reading a reply: for the lines between
 * "begin" and "commit", which fleetd does not answer one by one.
 */
int fleet_ctl_send(fleet_ctl *c, const char *line);

/* The NAME of an "err NAME text" reply for a negative errno ("EIO" for
 * those the protocol does not name). */
const char *fleet_ctl_errname(int code);

/* An address for a VM, as fleetd leases it. */
struct fleet_lease {
	char ip[16];		/* dotted quad */
	unsigned prefix;	/* of the fleet network */
	char gw[16];		/* the router */
	char mac[18];		/* xx:xx:xx:xx:xx:xx */
	char bridge[16];	/* the bridge to attach the NIC to */
};

/*
 * Lease an address for VM name (a domain name) running program, whose NIC
 * is the tap (or veth) ifname on the bridge, and bind tap . mac . ip for
 * anti-spoofing. The lease lasts until fleet_ctl_release() (or the VM's end
 * once fleetd follows libvirt) and survives fleetd restarts.
 */
int fleet_ctl_lease(fleet_ctl *c, const char *name, const char *program,
    const char *ifname, struct fleet_lease *l);
int fleet_ctl_release(fleet_ctl *c, const char *name);

/* One of fleetd's services (fleetd.8, SERVICES). */
struct fleet_service {
	char name[64];		/* as configured */
	char vm[64];		/* the domain running it, "-" between runs */
	char state[16];		/* starting, ready, waiting, done, failed,
				 * stopping */
	unsigned restarts;	/* since fleetd started */
};

/*
 * fleetd's services, in its configuration's order (the `services`
 * request). *listp is an array of *np entries, owned by the caller:
 * free() it. No services: *listp NULL, *np 0.
 */
int fleet_ctl_services(fleet_ctl *c, struct fleet_service **listp,
    size_t *np);

#endif
