/* services.h: the boot process and services, fleet VMs kept running
 * (fleetd.8, SERVICES) */
#ifndef FLEET_ROUTER_SERVICES_H
#define FLEET_ROUTER_SERVICES_H

#include <stddef.h>
#include <fleet/flow.h>

#define SVC_EXIT_NORESTART	78	/* EX_CONFIG: do not restart */

struct config;
struct services;

/* What the `services` request shows of one service. */
struct service_stat {
	char name[FLEET_NAME_MAX];
	char vm[FLEET_NAME_MAX];	/* "-" between runs */
	const char *state;		/* "starting", "ready", "waiting",
					 * "done", "failed", "stopping" */
	unsigned restarts;
};

/*
 * Start c's boot process, then its services, on libvirt uri, from a
 * supervisor thread of their own. *sp (NULL when c has neither) is the
 * caller's: services_stop(), wait for services_fd(), services_free().
 */
int	services_start(struct services **sp, const struct config *c,
	    const char *uri);
/* SIGTERM to every VM; returns at once. NULL is fine. */
void	services_stop(struct services *s);
/* Readable once the stop is over (every VM ended); -1 for NULL. */
int	services_fd(const struct services *s);
/* Joins the thread (stopping first if need be). NULL is fine. */
void	services_free(struct services *s);
size_t	services_count(const struct services *s);
void	services_info(struct services *s, size_t i, struct service_stat *st);

#endif
