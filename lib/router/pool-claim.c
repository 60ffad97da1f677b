/* pool-claim.c: a client's claim of a pool VM, or of one fleetd created
 * for it, from the claim to its end (docs/protocol.md, 6.1 and 6.2) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <fleet/fleet.h>
#include "core.h"
#include "router.h"
#include "pool.h"

/* Under lock: doom every idle VM of image i that booted another file. */
static void
drain_stale(struct pool *p, size_t i, const struct ident *now)
{
	size_t k;

	for (k = 0; k < p->nvms; k++)
		if (p->vms[k]->image == i && pvm_waiting(p->vms[k]) &&
		    !ident_same(&p->vms[k]->id, now))
			p->vms[k]->state = VM_DOOMED;
}

/* Copies of the VM's serial ptys held open since boot, for its claimer:
 * all three, or none (a libvirt elsewhere; the claimer opens consoles).
 * How many. */
static int
pty_dup(const struct pool_vm *v, int fds[3])
{
	int i, ok = 1;

	for (i = 0; i < 3; i++)
		ok &= (fds[i] = v->pty[i] >= 0 ?
		    fcntl(v->pty[i], F_DUPFD_CLOEXEC, 0) : -1) >= 0;
	for (i = 0; i < 3 && !ok; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
	return ok ? 3 : 0;
}

/*
 * The stdio socket and the file port's, connected here at the first
 * claim (QEMU's socket is libvirt-qemu's, which only root may connect
 * to, so a claimer that is not root could not) and kept: a recycled
 * VM's next claimer gets them again. 0 or -errno.
 */
static int
link_up(struct pool_vm *v)
{
	int e;

	if (v->link[0] >= 0)
		return 0;
	if ((v->link[0] = sockdir_connect(v->sock)) < 0)
		return -errno;
	/* QEMU read its module at boot; it goes with the socket */
	if (v->module[0] != '\0')
		(void)unlink(v->module);
	if ((v->link[1] = sockdir_connect(v->files)) >= 0)
		return 0;
	e = errno;
	close(v->link[0]);
	v->link[0] = -1;
	return -e;
}

/* Every console the claimer needs, in fds: copies of the ptys, then of
 * the stdio and file port connections. How many, or a negative error
 * (none open then). */
static int
consoles(struct pool_vm *v, int fds[POOL_FDS])
{
	int n = pty_dup(v, fds), e, i;

	if (v->sock[0] == '\0')
		return n;
	if ((e = link_up(v)) == 0) {
		for (i = 0; i < 2; i++)
			if ((fds[n + i] = fcntl(v->link[i], F_DUPFD_CLOEXEC,
			    0)) < 0)
				break;
		if (i == 2)
			return n + 2;
		e = -errno;
		if (i == 1)
			close(fds[n]);
	}
	while (n > 0)
		close(fds[--n]);
	return fleet_seterr(-EIO, "%s: console %s: %s", v->name, v->sock,
	    strerror(-e));
}

/* The pooled image at path (by real path), or p->nimg. */
static size_t
image_at(const struct pool *p, const char *path)
{
	char *real = realpath(path, NULL);
	size_t i = p->nimg, k;

	for (k = 0; real != NULL && k < p->nimg && i == p->nimg; k++)
		if (strcmp(p->img[k].path, real) == 0)
			i = k;
	free(real);
	return i;
}

/* Under lock: the VM of image i for uid: one recycled for it, else a
 * fresh one; NULL when there is none. */
static struct pool_vm *
pick_vm(struct pool *p, size_t i, uid_t uid)
{
	struct pool_vm *v = NULL;
	size_t k;

	for (k = 0; k < p->nvms; k++)
		if (p->vms[k]->image == i && pvm_free_to(p->vms[k], uid) &&
		    (v == NULL || p->vms[k]->state == VM_RECYCLED))
			v = p->vms[k];
	return v;
}

/*
 * An idle VM of the image at path for uid, now claimed, its name in name
 * and its consoles in fds (the caller closes them): how many, or a
 * negative error. A claim that finds none counts as demand too.
 */
int
pool_claim(struct pool *p, const char *path, uid_t uid,
    char name[FLEET_NAME_MAX], int fds[POOL_FDS])
{
	struct ident now;
	struct pool_vm *v;
	size_t i = image_at(p, path);
	int n;

	if (i == p->nimg)
		return fleet_seterr(-ENOENT, "%s is not pooled", path);
	if (ident_of(p->img[i].path, &now) < 0)
		return fleet_seterr(-ENOENT, "%s: %s", path, strerror(errno));
	pthread_mutex_lock(&p->lock);
	drain_stale(p, i, &now);
	v = pick_vm(p, i, uid);
	/* a recycled VM's claim is no sign that the refill falls behind */
	refill_demand(p, i, v != NULL, v != NULL && v->state == VM_RECYCLED);
	if (v != NULL) {
		v->state = VM_CLAIMED;
		p->img[i].served++;
		strcpy(name, v->name);
	}
	pthread_mutex_unlock(&p->lock);
	if (v == NULL)
		return fleet_seterr(-ENOENT, "no pooled VM of %s ready", path);
	/* claimed: only this thread frees it now (pool_release) */
	if ((n = consoles(v, fds)) < 0)
		pool_release(p, name, true);
	return n;
}

/* Under lock: the claimed VM called name, or NULL. Claimed VMs are
 * freed only by the control thread (pool_release), which calls this. */
static struct pool_vm *
claimed(struct pool *p, const char *name, size_t *ip)
{
	size_t i;

	for (i = 0; i < p->nvms; i++)
		if (p->vms[i]->state == VM_CLAIMED &&
		    strcmp(p->vms[i]->name, name) == 0) {
			if (ip != NULL)
				*ip = i;
			return p->vms[i];
		}
	return NULL;
}

/* The claimed VM called name, or an error naming it. */
static int
claimed_vm(struct pool *p, const char *name, struct pool_vm **vp)
{
	pthread_mutex_lock(&p->lock);
	*vp = claimed(p, name, NULL);
	pthread_mutex_unlock(&p->lock);
	return *vp ? 0 : fleet_seterr(-ENOENT, "%s: not claimed", name);
}

/* The claimer has its consoles: let the VM run. */
int
pool_resume(struct pool *p, const char *name)
{
	struct pool_vm *v;
	int r;

	if ((r = claimed_vm(p, name, &v)) < 0)
		return r;
	if (v->paused && virDomainResume(v->dom) < 0)
		return fleet_seterr(-EIO, "%s: resume: %s", name,
		    virGetLastErrorMessage());
	v->paused = false;
	return 0;
}

/* What a claimed VM runs: its program and image (valid while fleetd
 * runs). */
int
pool_program(struct pool *p, const char *name, const char **program,
    const char **image)
{
	struct pool_vm *v;
	int r;

	if ((r = claimed_vm(p, name, &v)) < 0)
		return r;
	if (v->image == ADOPTED)
		return fleet_seterr(-EINVAL, "%s: not a pool VM", name);
	*program = p->img[v->image].program;
	*image = p->img[v->image].path;
	return 0;
}

/* The claimer's metadata. */
int
pool_set_meta(struct pool *p, const char *name, const char *xml)
{
	struct pool_vm *v;
	int r;

	if ((r = claimed_vm(p, name, &v)) < 0)
		return r;
	if (virDomainSetMetadata(v->dom, VIR_DOMAIN_METADATA_ELEMENT, xml,
	    "fleet", FLEET_XMLNS, VIR_DOMAIN_AFFECT_LIVE) < 0)
		return fleet_seterr(-EIO, "%s: metadata: %s", name,
		    virGetLastErrorMessage());
	return 0;
}

/*
 * A cold spawn done here for a local client, which saves it loading and
 * connecting libvirt: create the domain described by xml, running, and
 * hold it as claimed (name) until the claim ends like a pool VM's. It
 * dies with fleetd's libvirt connection too.
 */
int
pool_adopt(struct pool *p, const char *xml, char name[FLEET_NAME_MAX])
{
	struct pool_vm *v = pvm_new(ADOPTED);
	int r = 0;

	if (v == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	v->state = VM_CLAIMED;
	v->dom = virDomainCreateXML(p->conn, xml,
	    VIR_DOMAIN_START_AUTODESTROY);
	if (v->dom == NULL) {
		r = fleet_seterr(-EIO, "create on %s: %s", p->uri,
		    virGetLastErrorMessage());
		free(v);
		return r;
	}
	snprintf(v->name, sizeof(v->name), "%s", virDomainGetName(v->dom));
	pthread_mutex_lock(&p->lock);
	if (pvm_add(p, v) < 0) {
		r = fleet_seterr(-ENOMEM, "out of memory");
		v->state = VM_DOOMED;
	} else {
		clock_gettime(CLOCK_MONOTONIC, &p->claimed_at);
		strcpy(name, v->name);
	}
	pthread_mutex_unlock(&p->lock);
	if (r < 0)
		pvm_free(v, true);
	return r;
}

/* A claim ends: its owner went away (destroy) or detached it (keep). */
void
pool_release(struct pool *p, const char *name, bool destroy)
{
	struct pool_vm *v;
	size_t i;

	pthread_mutex_lock(&p->lock);
	v = claimed(p, name, &i);
	if (v != NULL && destroy)
		v->state = VM_DOOMED;
	else if (v != NULL)
		pvm_remove(p, i);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (v != NULL && !destroy)
		pvm_free(v, false);
}

/*
 * A claim whose program exited, its output all read, and whose claimer
 * told it `again`: the VM makes itself new (protocol.md 2.3) and waits,
 * running, for uid's next claim of its image (pool_recycled next).
 * fleetd, not the claimer,
 * decides: a runtime that does not recycle, or a VM fleetd created for a
 * client, is refused (then its claim ends as always).
 */
int
pool_recycle(struct pool *p, const char *name, uid_t uid)
{
	struct pool_vm *v;
	int r = 0;

	pthread_mutex_lock(&p->lock);
	if ((v = claimed(p, name, NULL)) == NULL)
		r = fleet_seterr(-ENOENT, "%s: not claimed", name);
	else if (v->image == ADOPTED || !v->again || v->link[0] < 0)
		r = fleet_seterr(-EINVAL, "%s: not a VM that recycles", name);
	else if (pvm_pooled(p) >= p->max)
		r = fleet_seterr(-ENOSPC, "%s: the pool is full (--pool-max)",
		    name);
	else {
		v->state = VM_RECYCLED;
		v->pausing = true;	/* until pool_recycled */
		v->owner = uid;
		clock_gettime(CLOCK_MONOTONIC, &v->idle_at);
	}
	pthread_mutex_unlock(&p->lock);
	return r;
}

/*
 * After pool_recycle, once its claimer has its answer: the VM shows as
 * unclaimed again (a fleetd started after this one's end destroys it,
 * sweep_left), then may be claimed. The control thread's, as claims
 * are: the next claim's metadata comes after this.
 */
void
pool_recycled(struct pool *p, const char *name)
{
	struct pool_vm *v = NULL;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nvms && v == NULL; i++)
		if (p->vms[i]->state == VM_RECYCLED && p->vms[i]->pausing &&
		    strcmp(p->vms[i]->name, name) == 0)
			v = p->vms[i];
	pthread_mutex_unlock(&p->lock);
	if (v == NULL)
		return;
	/* pausing: no worker takes it meanwhile */
	if (v->meta != NULL)
		(void)virDomainSetMetadata(v->dom, VIR_DOMAIN_METADATA_ELEMENT,
		    v->meta, "fleet", FLEET_XMLNS, VIR_DOMAIN_AFFECT_LIVE);
	pthread_mutex_lock(&p->lock);
	v->pausing = false;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}
