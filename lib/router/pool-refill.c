/* pool-refill.c: the pool's workers: destroy what is doomed, put
 * recycled VMs to sleep, size each image's pool by its demand, boot what
 * is missing, several at once */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <fleet/fleet.h>
#include "core.h"
#include "router.h"
#include "pool.h"
#include "log.h"

#define BACKOFF_MAX_S	30
#define REFILL_DELAY_MS	300	/* after a claim: its VM runs first */
#define DECAY_MS	60000	/* unclaimed this long: half the growth goes */
#define NAP_MS		1000
#define SLEEP_MS	250	/* a recycled VM unclaimed this long sleeps */

static long
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* Under lock: one more VM for image i, within --pool-max; at the cap,
 * taken from the image that grew the most, while it has more than i. */
static void
grow(struct pool *p, size_t i)
{
	size_t k, from = p->nimg;
	unsigned sum = 0, most = p->img[i].want + 1;

	if (p->img[i].want >= POOL_VMS_MAX)
		return;
	for (k = 0; k < p->nimg; k++) {
		sum += p->img[k].want;
		if (k != i && p->img[k].want > p->img[k].floor &&
		    p->img[k].want > most) {
			most = p->img[k].want;
			from = k;
		}
	}
	if (sum >= p->max && from == p->nimg)
		return;
	if (sum >= p->max)
		p->img[from].want--;
	p->img[i].want++;
}

/*
 * Under lock, before the claim takes its VM: a claim of image (hit: it
 * gets a VM; recycled: one recycled for its user) or a miss. A miss, or
 * a fresh VM's claim that leaves no other, means claims outrun the
 * refill: the image keeps one more VM from now on.
 */
void
refill_demand(struct pool *p, size_t image, bool hit, bool recycled)
{
	struct pool_image *im = &p->img[image];

	clock_gettime(CLOCK_MONOTONIC, &im->used_at);
	if (hit)
		p->claimed_at = im->used_at;
	if (!hit || (!recycled && pvm_count_ripe(p, image) <= 1))
		grow(p, image);
	pthread_cond_broadcast(&p->cond);
}

/* Under lock: doom an idle VM of image i (the last one found). */
static bool
doom_one(struct pool *p, size_t i)
{
	size_t k;

	for (k = p->nvms; k-- > 0;)
		if (p->vms[k]->image == i && p->vms[k]->state == VM_IDLE &&
		    !p->vms[k]->pausing) {
			p->vms[k]->state = VM_DOOMED;
			return true;
		}
	return false;
}

/* Under lock: the recycled VM unclaimed longest, or NULL. */
static struct pool_vm *
oldest_recycled(struct pool *p)
{
	struct pool_vm *v, *old = NULL;
	size_t i;

	for (i = 0; i < p->nvms; i++) {
		v = p->vms[i];
		if (v->state == VM_RECYCLED && !v->pausing && (old == NULL ||
		    ms_since(&v->idle_at) > ms_since(&old->idle_at)))
			old = v;
	}
	return old;
}

/* Under lock: an image left alone for DECAY_MS gives back half of what
 * it grew by, and its idle VMs over that are destroyed; so is a
 * recycled VM left unclaimed as long. */
static void
decay(struct pool *p)
{
	struct pool_image *im;
	struct pool_vm *v;
	size_t i;

	while ((v = oldest_recycled(p)) != NULL &&
	    ms_since(&v->idle_at) >= DECAY_MS)
		v->state = VM_DOOMED;

	for (i = 0; i < p->nimg; i++) {
		im = &p->img[i];
		if (im->want > im->floor && ms_since(&im->used_at) >= DECAY_MS) {
			im->want = im->floor + (im->want - im->floor) / 2;
			clock_gettime(CLOCK_MONOTONIC, &im->used_at);
		}
		while (pvm_count(p, i, VM_IDLE) > im->want && doom_one(p, i))
			;
	}
}

/* Under lock: VMs of image i idle or booting. */
static unsigned
have(const struct pool *p, size_t i)
{
	return (unsigned)pvm_count(p, i, VM_IDLE) + p->img[i].booting;
}

/*
 * Under lock: at --pool-max, an image below its floor takes the place of
 * a recycled VM, the oldest, else of an idle VM of the image furthest
 * over its own.
 */
static void
make_room(struct pool *p, size_t short_i)
{
	struct pool_vm *old = oldest_recycled(p);
	size_t i, best = p->nimg;
	unsigned over = 0, h;

	if (old != NULL) {
		old->state = VM_DOOMED;
		return;
	}
	for (i = 0; i < p->nimg; i++) {
		h = (unsigned)pvm_count(p, i, VM_IDLE);
		if (i != short_i && h > p->img[i].floor &&
		    h - p->img[i].floor > over) {
			over = h - p->img[i].floor;
			best = i;
		}
	}
	if (best < p->nimg)
		doom_one(p, best);
}

/*
 * Under lock: the image to boot a VM of now, or -1 (then *wait: ms until
 * one may be due). First below its floor, then the furthest below what
 * it wants; none while claims go on, even once an image is empty: a
 * boot costs QEMU and libvirtd far more CPU than a claimed VM's run, and
 * on a small machine a loop's cold spawns beside refill boots came out
 * 1.35x slower than alone (docs/benchmarks.md).
 */
static int
pick(struct pool *p, long *wait)
{
	time_t now = time(NULL);
	long quiet = REFILL_DELAY_MS - ms_since(&p->claimed_at);
	unsigned h, gap, best_gap = 0;
	bool below, best_below = false, full;
	int best = -1;
	size_t i;

	*wait = quiet > 0 ? quiet : NAP_MS;
	if (quiet > 0)
		return -1;
	full = pvm_pooled(p) >= p->max;
	for (i = 0; i < p->nimg; i++) {
		h = have(p, i);
		if (p->img[i].retry_at > now || h >= p->img[i].want)
			continue;
		below = h < p->img[i].floor;
		if (full && below)
			make_room(p, i);
		gap = p->img[i].want - h;
		if (!full && (best < 0 || (below && !best_below) ||
		    (below == best_below && gap > best_gap))) {
			best = (int)i;
			best_gap = gap;
			best_below = below;
		}
	}
	return best;
}

/* Under lock: a doomed VM, off the list, for the caller to destroy. */
static struct pool_vm *
take_doomed(struct pool *p)
{
	struct pool_vm *v;
	size_t i;

	for (i = 0; i < p->nvms; i++)
		if (p->vms[i]->state == VM_DOOMED) {
			v = p->vms[i];
			pvm_remove(p, i);
			return v;
		}
	return NULL;
}

/*
 * Under lock: a recycled VM left running SLEEP_MS unclaimed, now the
 * caller's to suspend, or NULL; *wait: ms until the next one is due
 * (at most what it was). A loop claims its VM back well before.
 */
static struct pool_vm *
take_awake(struct pool *p, long *wait)
{
	struct pool_vm *v;
	long left;
	size_t i;

	for (i = 0; i < p->nvms; i++) {
		v = p->vms[i];
		if (v->state != VM_RECYCLED || v->paused || v->pausing)
			continue;
		if ((left = SLEEP_MS - ms_since(&v->idle_at)) <= 0) {
			v->pausing = true;
			return v;
		}
		if (left < *wait)
			*wait = left;
	}
	return NULL;
}

/* No lock held: v sleeps as a booted pool VM does; one that cannot is
 * destroyed. */
static void
put_to_sleep(struct pool *p, struct pool_vm *v)
{
	bool ok = virDomainSuspend(v->dom) == 0;

	pthread_mutex_lock(&p->lock);
	v->pausing = false;
	v->paused = ok;
	if (!ok)
		v->state = VM_DOOMED;
	pthread_mutex_unlock(&p->lock);
}

/* Under lock: a boot of image i ended with r (v when 0). */
static void
booted(struct pool *p, size_t i, int r, struct pool_vm *v)
{
	struct pool_image *im = &p->img[i];
	unsigned back;

	im->booting--;
	if (r == 0 && pvm_add(p, v) == 0) {
		im->fails = 0;
		return;
	}
	if (r == 0) {
		pthread_mutex_unlock(&p->lock);
		pvm_free(v, true);
		pthread_mutex_lock(&p->lock);
		return;
	}
	back = im->fails < 5 ? 1u << im->fails : BACKOFF_MAX_S;
	im->fails++;
	im->retry_at = time(NULL) + (back > BACKOFF_MAX_S ? BACKOFF_MAX_S :
	    back);
	log_warnx("%s (retry in %u s)", fleet_last_error(), back);
}

/* Under lock: sleep ms at most, or until signalled. */
static void
nap(struct pool *p, long ms)
{
	struct timespec ts;

	clock_after(&ts, CLOCK_REALTIME, ms);
	pthread_cond_timedwait(&p->cond, &p->lock, &ts);
}

/* One of p->jobs alike: destroy what is doomed, else put to sleep what
 * is due, else boot what is due. */
static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct pool_vm *v;
	long wait, wake;
	int i, r;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		if ((v = take_doomed(p)) != NULL) {
			pthread_mutex_unlock(&p->lock);
			pvm_free(v, true);
			pthread_mutex_lock(&p->lock);
			continue;
		}
		wake = NAP_MS;
		if ((v = take_awake(p, &wake)) != NULL) {
			pthread_mutex_unlock(&p->lock);
			put_to_sleep(p, v);
			pthread_mutex_lock(&p->lock);
			continue;
		}
		decay(p);
		if ((i = pick(p, &wait)) < 0) {
			nap(p, wait < wake ? wait : wake);
			continue;
		}
		p->img[i].booting++;
		pthread_mutex_unlock(&p->lock);
		fleet_clearerr();
		r = boot_vm(p, (size_t)i, &v);
		pthread_mutex_lock(&p->lock);
		booted(p, (size_t)i, r, v);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
refill_start(struct pool *p)
{
	while (p->nthreads < p->jobs) {
		if (pthread_create(&p->thread[p->nthreads], NULL, worker,
		    p) != 0)
			return fleet_seterr(-EAGAIN, "pool: cannot start its "
			    "threads");
		p->nthreads++;
	}
	return 0;
}

void
refill_stop(struct pool *p)
{
	unsigned i;

	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->thread[i], NULL);
	p->nthreads = 0;
}
