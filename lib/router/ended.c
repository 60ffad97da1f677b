/* ended.c: a VM's lease ends with the VM */
#include <stdio.h>
#include <string.h>
#include "core.h"
#include "router.h"
#include "log.h"

/* libvirt said the domain stopped (events_read()'s callback). */
void
ended_vm(const char *name, void *arg)
{
	struct state *s = arg;

	if (state_find_vm(s, name) == NULL)
		return;
	if (change_release_vm(s, name) < 0)
		log_warnx("%s ended: %s", name, fleet_last_error());
}

/* Leases of fleet VMs that libvirt no longer knows (they ended while no
 * fleetd was watching). Stand-ins with other names are left alone. */
void
ended_reconcile(struct events *ev, struct state *s)
{
	char name[FLEET_NAME_MAX];
	size_t i = 0;

	while (i < s->nvms) {
		snprintf(name, sizeof(name), "%s", s->vms[i].name);
		if (strncmp(name, FLEET_PREFIX, strlen(FLEET_PREFIX)) == 0 &&
		    events_domain_exists(ev, name) == 0 &&
		    change_release_vm(s, name) == 0)
			continue;
		i++;
	}
}
