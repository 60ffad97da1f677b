/* pool.c: the warm pool's registry: per image, VMs booted to `ready` and
 * paused, handed to clients that claim them (docs/protocol.md, 6.1) */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <fleet/fleet.h>
#include "core.h"
#include "router.h"
#include "pool.h"

#define POOL_VMS_DFLT	2	/* --pool IMAGE */
#define POOL_MAX_DFLT	32	/* --pool-max, unless the floors ask more */
#define POOL_JOBS_DFLT	2	/* --pool-jobs: this machine's two cores */

int
pool_new(struct pool **pp)
{
	struct pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return fleet_seterr(-ENOMEM, "pool: out of memory");
	p->jobs = POOL_JOBS_DFLT;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	*pp = p;
	return 0;
}

/* A decimal number in 1..max. */
static int
parse_count(const char *s, unsigned long max, unsigned *n)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return fleet_seterr(-EINVAL, "\"%s\" is not 1..%lu", s, max);
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v < 1 || v > max)
		return fleet_seterr(-EINVAL, "\"%s\" is not 1..%lu", s, max);
	*n = (unsigned)v;
	return 0;
}

/* "IMAGE[:N]": N from the last colon when digits follow it. */
static int
parse_spec(const char *spec, char **name, unsigned *n)
{
	const char *colon = strrchr(spec, ':');
	int r;

	*n = POOL_VMS_DFLT;
	if (colon != NULL && colon[1] >= '0' && colon[1] <= '9') {
		if ((r = parse_count(colon + 1, POOL_VMS_MAX, n)) < 0) {
			fleet_clearerr();
			return fleet_seterr(r, "size \"%s\" is not 1..%d",
			    colon + 1, POOL_VMS_MAX);
		}
	} else
		colon = NULL;
	*name = colon ? strndup(spec, (size_t)(colon - spec)) : strdup(spec);
	return *name ? 0 : fleet_seterr(-ENOMEM, "pool: out of memory");
}

int
pool_add(struct pool *p, const char *spec)
{
	struct pool_image *im, *v;
	char *name = NULL, *path = NULL, *real = NULL;
	unsigned n = 0;
	size_t i;
	int r;

	if ((r = parse_spec(spec, &name, &n)) < 0)
		return r;
	if ((r = fleet_image_find(name, &path)) < 0)
		goto out;
	if ((real = realpath(path, NULL)) == NULL) {
		r = fleet_seterr(-errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* busybox's applets are one program: one pool serves them all */
	for (i = 0; i < p->nimg; i++)
		if (strcmp(p->img[i].path, real) == 0) {
			im = &p->img[i];
			im->floor += n;
			im->want += n;
			free(im->program);
			im->program = strdup(vm_program(real));
			r = im->program != NULL ? 0 : fleet_seterr(-ENOMEM,
			    "pool: out of memory");
			goto out;
		}
	if ((v = realloc(p->img, (p->nimg + 1) * sizeof(*v))) == NULL) {
		r = fleet_seterr(-ENOMEM, "pool: out of memory");
		goto out;
	}
	p->img = v;
	im = &p->img[p->nimg++];
	memset(im, 0, sizeof(*im));
	im->program = strdup(vm_program(name));
	im->path = real;
	im->floor = im->want = n;
	real = NULL;
out:
	free(name);
	free(path);
	free(real);
	return r;
}

/*
 * After every pool_add: at most max VMs idle or booting over all images
 * (NULL: 32, or what the floors add up to), jobs boots at once (NULL: 2).
 * The floors must fit under max.
 */
int
pool_limits(struct pool *p, const char *max, const char *jobs)
{
	unsigned floors = 0;
	size_t i;
	int r;

	for (i = 0; i < p->nimg; i++)
		floors += p->img[i].floor;
	p->max = floors > POOL_MAX_DFLT ? floors : POOL_MAX_DFLT;
	if (max != NULL && (r = parse_count(max, 1024, &p->max)) < 0)
		return r;
	if (jobs != NULL && (r = parse_count(jobs, POOL_JOBS_MAX,
	    &p->jobs)) < 0)
		return r;
	if (p->max < floors)
		return fleet_seterr(-EINVAL, "%u VMs at most, but the images "
		    "ask for %u", p->max, floors);
	return 0;
}

int
ident_of(const char *path, struct ident *id)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	memset(id, 0, sizeof(*id));
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->size = st.st_size;
	id->mtime = st.st_mtim;
	return 0;
}

bool
ident_same(const struct ident *a, const struct ident *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* A VM not made yet, of image (or ADOPTED): no consoles open. */
struct pool_vm *
pvm_new(size_t image)
{
	struct pool_vm *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return NULL;
	v->image = image;
	v->pty[0] = v->pty[1] = v->pty[2] = -1;
	v->link[0] = v->link[1] = -1;
	return v;
}

/* Destroy (or only let go of) a VM; no lock held: libvirt calls. */
void
pvm_free(struct pool_vm *v, bool destroy)
{
	int i;

	if (destroy && v->dom != NULL)
		virDomainDestroy(v->dom);
	/* libvirt has given the sockets back: a claim took the pool VM's
	 * (or it is still there), a client's created VM had its own */
	if (destroy && v->sock[0] != '\0') {
		(void)unlink(v->sock);
		(void)unlink(v->files);
	}
	if (destroy && v->module[0] != '\0')
		(void)unlink(v->module);
	if (destroy && v->image == ADOPTED)
		sockdir_remove_vm(v->name);
	for (i = 0; i < 3; i++) {
		if (v->st[i] != NULL) {
			virStreamAbort(v->st[i]);
			virStreamFree(v->st[i]);
		}
		if (v->pty[i] >= 0)
			close(v->pty[i]);
	}
	for (i = 0; i < 2; i++)
		if (v->link[i] >= 0)
			close(v->link[i]);
	if (v->dom != NULL)
		virDomainFree(v->dom);
	free(v->meta);
	free(v);
}

int
pvm_add(struct pool *p, struct pool_vm *v)
{
	struct pool_vm **n = realloc(p->vms, (p->nvms + 1) * sizeof(*n));

	if (n == NULL)
		return -ENOMEM;
	p->vms = n;
	p->vms[p->nvms++] = v;
	return 0;
}

void
pvm_remove(struct pool *p, size_t i)
{
	p->vms[i] = p->vms[--p->nvms];
}

bool
pvm_ripe(const struct pool_vm *v)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > v->ripe_at.tv_sec || (now.tv_sec ==
	    v->ripe_at.tv_sec && now.tv_nsec >= v->ripe_at.tv_nsec);
}

/* Idle or recycled, and not being worked on. */
bool
pvm_waiting(const struct pool_vm *v)
{
	return (v->state == VM_IDLE || v->state == VM_RECYCLED) &&
	    !v->pausing;
}

/* Claimable by uid now: a recycled VM only by its owner. */
bool
pvm_free_to(const struct pool_vm *v, uid_t uid)
{
	return pvm_waiting(v) && pvm_ripe(v) &&
	    (v->state == VM_IDLE || v->owner == uid);
}

size_t
pvm_count(const struct pool *p, size_t image, enum vm_state s)
{
	size_t i, n = 0;

	for (i = 0; i < p->nvms; i++)
		if (p->vms[i]->image == image && p->vms[i]->state == s)
			n++;
	return n;
}

/* Idle VMs that may be claimed now. */
size_t
pvm_count_ripe(const struct pool *p, size_t image)
{
	size_t i, n = 0;

	for (i = 0; i < p->nvms; i++)
		if (p->vms[i]->image == image &&
		    p->vms[i]->state == VM_IDLE && pvm_ripe(p->vms[i]))
			n++;
	return n;
}

/* What counts against --pool-max: idle, recycled and booting VMs, all
 * images. */
unsigned
pvm_pooled(const struct pool *p)
{
	size_t i;
	unsigned n = 0;

	for (i = 0; i < p->nvms; i++)
		n += p->vms[i]->image != ADOPTED &&
		    (p->vms[i]->state == VM_IDLE ||
		    p->vms[i]->state == VM_RECYCLED);
	for (i = 0; i < p->nimg; i++)
		n += p->img[i].booting;
	return n;
}

/*
 * Fill the pool from now on, with VMs on libvirt uri, leased from s
 * (fleetd's, held under lock; NULL: pool VMs have no network).
 */
int
pool_start(struct pool *p, const char *uri, struct state *s,
    pthread_mutex_t *lock)
{
	if (p->max == 0 && pool_limits(p, NULL, NULL) < 0)
		return -EINVAL;
	p->state = s;
	p->state_lock = lock;
	if ((p->conn = virConnectOpen(uri)) == NULL)
		return fleet_seterr(-ECONNREFUSED, "pool: libvirt %s: %s", uri,
		    virGetLastErrorMessage());
	if ((p->uri = virConnectGetURI(p->conn)) == NULL)
		return fleet_seterr(-ENOMEM, "pool: libvirt %s: %s", uri,
		    virGetLastErrorMessage());
	sweep_left(p);
	return refill_start(p);
}

const char *
pool_uri(const struct pool *p)
{
	return p->uri;
}

size_t
pool_images(const struct pool *p)
{
	return p ? p->nimg : 0;
}

/* Image i: its path, VMs wanted now, idle (claimable), booting (or not
 * yet claimable), claimed (or being destroyed); claims served. */
void
pool_info(struct pool *p, size_t i, struct pool_stat *ps)
{
	pthread_mutex_lock(&p->lock);
	ps->path = p->img[i].path;
	ps->want = p->img[i].want;
	ps->idle = (unsigned)pvm_count_ripe(p, i);
	ps->booting = p->img[i].booting + (unsigned)(pvm_count(p, i,
	    VM_IDLE) - ps->idle);
	ps->claimed = (unsigned)(pvm_count(p, i, VM_CLAIMED) +
	    pvm_count(p, i, VM_DOOMED));
	ps->served = p->img[i].served;
	pthread_mutex_unlock(&p->lock);
}

/* Each claimable VM, its name, image and owner (-1: anyone) to fn
 * (which must not call back). */
void
pool_idle(struct pool *p, void (*fn)(const char *, const char *, long,
    void *), void *arg)
{
	struct pool_vm *v;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nvms; i++) {
		v = p->vms[i];
		if (pvm_waiting(v) && pvm_ripe(v))
			fn(v->name, p->img[v->image].path, v->state ==
			    VM_RECYCLED ? (long)v->owner : -1L, arg);
	}
	pthread_mutex_unlock(&p->lock);
}

/* Stop refilling; destroy every VM not let go of, idle or claimed. */
void
pool_close(struct pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	refill_stop(p);
	for (i = 0; i < p->nvms; i++)
		pvm_free(p->vms[i], true);
	for (i = 0; i < p->nimg; i++) {
		free(p->img[i].path);
		free(p->img[i].program);
	}
	free(p->vms);
	free(p->img);
	if (p->conn != NULL)
		virConnectClose(p->conn);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p->uri);
	free(p);
}
