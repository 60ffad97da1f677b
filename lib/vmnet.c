/* vmnet.c: a VM's place on the fleet network, leased from fleetd */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <fleet/ctl.h>
#include <unistd.h>
#include "internal.h"

/* The tap is named after the VM: "fl-" and the end of its domain name. */
static void
tap_name(const char *name, char tap[16])
{
	size_t n = strlen(name);

	snprintf(tap, 16, "fl-%s", n > 12 ? name + n - 12 : name);
}

/*
 * ctl: fleetd's endpoint, NULL for the default (fleet_ctl_open()).
 * 1 and *v filled when a fleetd answers, 0 when there is none (the VM
 * starts with no network), or a negative error when fleetd refuses.
 */
int
vmnet_lease(const char *ctl_path, const char *name, const char *program,
    struct vm_net *v)
{
	fleet_ctl *ctl;
	int r;

	program = vm_program(program);
	memset(v, 0, sizeof(*v));
	if (fleet_ctl_open(&ctl, ctl_path) < 0) {
		fleet_clearerr();
		return 0;
	}
	tap_name(name, v->tap);
	r = fleet_ctl_lease(ctl, name, program, v->tap, &v->lease);
	fleet_ctl_close(ctl);
	if (r == -EPERM && (geteuid() != 0 ||
	    ctl_unix_path(ctl_path ? ctl_path : ctl_default()) == NULL)) {
		/* a user's cold VM, or one made from another host: fleetd
		 * leases to its own root only, and the VM goes without */
		fleet_clearerr();
		return 0;
	}
	if (r < 0)
		return r;
	snprintf(v->bridge, sizeof(v->bridge), "%s", v->lease.bridge);
	snprintf(v->set_ip, sizeof(v->set_ip), "fleet.ip=%s/%u", v->lease.ip,
	    v->lease.prefix);
	snprintf(v->set_gw, sizeof(v->set_gw), "fleet.gw=%s", v->lease.gw);
	snprintf(v->set_mac, sizeof(v->set_mac), "fleet.mac=%s",
	    v->lease.mac);
	return 1;
}

/* The guest's fleet.ip/gw/mac settings into set; how many (0: no net). */
int
vmnet_settings(const struct vm_net *v, char **set)
{
	if (v == NULL)
		return 0;
	set[0] = (char *)v->set_ip;
	set[1] = (char *)v->set_gw;
	set[2] = (char *)v->set_mac;
	return 3;
}

/* Give a lease back when the VM never started: the error that stopped
 * it stays the caller's. */
void
vmnet_release(const char *ctl_path, const char *name)
{
	char why[512];
	fleet_ctl *ctl;

	snprintf(why, sizeof(why), "%s", fleet_last_error());
	if (fleet_ctl_open(&ctl, ctl_path) == 0) {
		fleet_ctl_release(ctl, name);
		fleet_ctl_close(ctl);
	}
	fleet_clearerr();
	if (strcmp(why, "no error") != 0)
		fleet_seterr(0, "%s", why);
}
