/* claim.c: a VM from fleetd's warm pool (docs/protocol.md, 6.1) */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include "internal.h"

/*
 * Pool VMs are booted the way a default spawn would be: default memory,
 * names of fleetd's choosing, TCG, on fleetd's libvirt (never the
 * embedded driver), stdio on the virtio-serial port where the
 * connection is local. FLEET_POOL=0 turns claiming off.
 */
static int
poolable(const fleet_conn *c, const struct fleet_spawn_attr *a,
    const char *image)
{
	const char *e = getenv("FLEET_POOL"), *con = getenv("FLEET_CONSOLE");

	if ((e != NULL && strcmp(e, "0") == 0) ||
	    (con != NULL && strcmp(con, "serial") == 0))
		return 0;
	return !c->embedded && a->name == NULL && (a->mem_mib == 0 ||
	    a->mem_mib == FLEET_MEM_DEFAULT) && !proc_use_kvm() &&
	    strpbrk(image, " \t\r\n") == NULL &&
	    strlen(image) < FLEET_CTL_LINE_MAX - 16;
}

/*
 * 1: p holds a claimed VM (p->name, p->dom, p->claim), paused, its args
 * not sent yet; 0: none to be had (no fleetd, no pool for the image, a VM
 * on another libvirt): spawn cold. A failed claim is no error.
 */
int
claim_take(fleet_conn *c, const struct fleet_spawn_attr *a,
    const char *image, fleet_proc *p)
{
	char req[FLEET_CTL_LINE_MAX], *name = NULL;
	fleet_ctl *ctl = NULL;

	if (!poolable(c, a, image) || fleet_ctl_open(&ctl, NULL) < 0)
		goto none;
	snprintf(req, sizeof(req), "claim %s", image);
	if (fleet_ctl_call(ctl, req, NULL, NULL, &name) < 0)
		goto none;
	/* fleetd destroys it when ctl closes, if it is not ours to see */
	if ((p->dom = virDomainLookupByName(c->vc, name)) == NULL)
		goto none;
	p->name = name;
	p->claim = ctl;
	return 1;
none:
	free(name);
	fleet_ctl_close(ctl);
	fleet_clearerr();
	return 0;
}

/* A detached VM outlives its owner: fleetd lets go of it. */
int
claim_detach(fleet_proc *p)
{
	char req[FLEET_CTL_LINE_MAX];
	int r;

	/* fleetd's error ("fleetd: ...") is the message */
	snprintf(req, sizeof(req), "detach %s", p->name);
	r = fleet_ctl_call(p->claim, req, NULL, NULL, NULL);
	fleet_ctl_close(p->claim);
	p->claim = NULL;
	return r;
}
