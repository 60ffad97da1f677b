/* conn.h: one endpoint (libvirt through fleetd, local libvirtd, embedded) */
#ifndef FLEET_CONN_H
#define FLEET_CONN_H

typedef struct fleet_conn fleet_conn;

/*
 * Open an endpoint. uri NULL resolves in this order: $FLEET_URI; the
 * router named $FLEET_ROUTER, found by DNS-SD (none: an error); unless
 * $FLEET_CTL is set or this machine runs fleetd, the first router that
 * answers by DNS-SD (its proxy's URI and control endpoint; none within
 * about a second, or no avahi-daemon: the next step); the local libvirtd
 * (qemu:///system when its socket answers); the embedded driver
 * qemu:///embed?root=<state dir>.
 * On success *cp is owned by the caller: release it with fleet_close().
 */
int fleet_open(fleet_conn **cp, const char *uri);

/*
 * Close; destroys every foreground VM spawned on this connection (and, on
 * the embedded driver, every VM at all). NULL is fine.
 */
void fleet_close(fleet_conn *c);

/*
 * Interrupt the spawn in flight on c, at whatever stage (connecting to
 * libvirt, creating, waiting for QEMU): fleet_spawn() returns -EINTR at
 * once and what it had made is destroyed behind it. With no spawn in
 * flight the next one is interrupted. Safe in a signal handler and from
 * any thread; 0.
 */
int fleet_conn_interrupt(fleet_conn *c);

/*
 * The connection's events (VMs' output, their ends, timers) move when
 * its loop runs: inside fleet_proc_wait() and fleet_job_wait(), or when
 * the caller runs it. fleet_conn_fd() is readable when there is work:
 * poll it beside one's own fds and call fleet_conn_dispatch(), which
 * does what is ready without blocking. The fd is owned by c.
 */
int fleet_conn_fd(const fleet_conn *c);
int fleet_conn_dispatch(fleet_conn *c);

/* The URI in use; owned by c. */
const char *fleet_conn_uri(const fleet_conn *c);

/* The DNS-SD name of the router c goes through, or NULL when c's URI
 * was not found by DNS-SD; owned by c. */
const char *fleet_conn_router(const fleet_conn *c);

#endif
