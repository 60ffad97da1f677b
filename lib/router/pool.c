/* pool.c: the warm pool: per image, VMs booted to `ready` and paused,
 * handed to clients that claim them (docs/protocol.md, 6.1) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <fleet/fleet.h>
#include "core.h"
#include "router.h"

#define POOL_VMS_MAX	32	/* per image */
#define POOL_VMS_DFLT	2
#define READY_WAIT_MS	20000
#define BACKOFF_MAX_S	30
#define REFILL_DELAY_MS	300	/* after a claim: its VM runs first */
#define PTY_POLL_MS	1100	/* QEMU's pty reconnect poll, and some */

/* What the image file was when a VM booted it: any write changes it.
 * Not its ctime: libvirt's DAC driver changes that by giving the file to
 * QEMU's user at every start and back at every stop. */
struct ident {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

enum vm_state { VM_IDLE, VM_CLAIMED, VM_DOOMED };

#define ADOPTED	((size_t)-1)	/* a pool_vm's image: created for a client */

struct pool_vm {
	char name[FLEET_NAME_MAX];
	size_t image;
	enum vm_state state;
	struct ident id;
	virDomainPtr dom;
	virStreamPtr st[3];	/* its consoles, until it is `ready` */
	int pty[3];		/* then their ptys, held open (vm_hold) */
	char sock[108];		/* its stdio socket (QEMU's), or "" */
	struct timespec ripe_at;	/* QEMU has seen its ptys open */
};

struct pool_image {
	char *path;		/* absolute, as clients name it */
	char *program;
	unsigned want, booting, fails;
	unsigned long served;	/* claims answered, in all */
	time_t retry_at;
};

struct pool {
	virConnectPtr conn;
	char *uri;		/* the libvirt it uses, as it names itself */
	char *ctl;		/* fleetd's own socket, for leases */
	struct pool_image *img;
	size_t nimg;
	struct pool_vm **vms;	/* under lock, as is all that follows */
	size_t nvms;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool running, stop;
	struct timespec claimed_at;	/* the last claim, monotonic */
};

int
pool_new(struct pool **pp, const char *ctl)
{
	struct pool *p = calloc(1, sizeof(*p));

	if (p == NULL || (p->ctl = strdup(ctl)) == NULL) {
		free(p);
		return fleet_seterr(-ENOMEM, "pool: out of memory");
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	*pp = p;
	return 0;
}

/* "IMAGE[:N]": N from the last colon when digits follow it. */
static int
parse_spec(const char *spec, char **name, unsigned *n)
{
	const char *colon = strrchr(spec, ':');
	char *end;
	unsigned long v = POOL_VMS_DFLT;

	if (colon != NULL && colon[1] >= '0' && colon[1] <= '9') {
		v = strtoul(colon + 1, &end, 10);
		if (*end != '\0' || v < 1 || v > POOL_VMS_MAX)
			return fleet_seterr(-EINVAL, "size \"%s\" is not "
			    "1..%d", colon + 1, POOL_VMS_MAX);
	} else
		colon = NULL;
	*n = (unsigned)v;
	*name = colon ? strndup(spec, (size_t)(colon - spec)) : strdup(spec);
	return *name ? 0 : fleet_seterr(-ENOMEM, "pool: out of memory");
}

int
pool_add(struct pool *p, const char *spec)
{
	struct pool_image *im, *v;
	char *name = NULL, *path = NULL, *real = NULL;
	const char *base;
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
	for (i = 0; i < p->nimg; i++)
		if (strcmp(p->img[i].path, real) == 0) {
			r = fleet_seterr(-EEXIST, "%s is pooled already",
			    real);
			goto out;
		}
	if ((v = realloc(p->img, (p->nimg + 1) * sizeof(*v))) == NULL) {
		r = fleet_seterr(-ENOMEM, "pool: out of memory");
		goto out;
	}
	p->img = v;
	im = &p->img[p->nimg++];
	memset(im, 0, sizeof(*im));
	base = strrchr(name, '/');
	im->program = strdup(base ? base + 1 : name);
	im->path = real;
	im->want = n;
	real = NULL;
out:
	free(name);
	free(path);
	free(real);
	return r;
}

static int
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

static bool
ident_same(const struct ident *a, const struct ident *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Destroy (or only let go of) a VM; no lock held: libvirt calls. */
static void
vm_free(struct pool_vm *v, bool destroy)
{
	int i;

	if (destroy && v->dom != NULL)
		virDomainDestroy(v->dom);
	/* libvirt has given the sockets back: a claim took the pool VM's
	 * (or it is still there), a client's created VM had its own */
	if (destroy && v->sock[0] != '\0')
		(void)unlink(v->sock);
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
	if (v->dom != NULL)
		virDomainFree(v->dom);
	free(v);
}

/* Under lock. */
static int
vm_add(struct pool *p, struct pool_vm *v)
{
	struct pool_vm **n = realloc(p->vms, (p->nvms + 1) * sizeof(*n));

	if (n == NULL)
		return -ENOMEM;
	p->vms = n;
	p->vms[p->nvms++] = v;
	return 0;
}

static void
vm_remove(struct pool *p, size_t i)
{
	p->vms[i] = p->vms[--p->nvms];
}

static bool
ripe(const struct pool_vm *v)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > v->ripe_at.tv_sec || (now.tv_sec ==
	    v->ripe_at.tv_sec && now.tv_nsec >= v->ripe_at.tv_nsec);
}

/* Under lock: idle VMs that may be claimed now. */
static size_t
count_ripe(const struct pool *p, size_t image)
{
	size_t i, n = 0;

	for (i = 0; i < p->nvms; i++)
		if (p->vms[i]->image == image &&
		    p->vms[i]->state == VM_IDLE && ripe(p->vms[i]))
			n++;
	return n;
}

static size_t
count(const struct pool *p, size_t image, enum vm_state s)
{
	size_t i, n = 0;

	for (i = 0; i < p->nvms; i++)
		if (p->vms[i]->image == image && p->vms[i]->state == s)
			n++;
	return n;
}

/* Read the control channel until the guest's `ready`, or fail. */
static int
wait_ready(virStreamPtr st)
{
	char buf[256], line[64];
	size_t len = 0;
	int n, i, waited = 0;

	while (waited < READY_WAIT_MS) {
		n = virStreamRecv(st, buf, sizeof(buf));
		if (n == -2) {
			usleep(2000);
			waited += 2;
			continue;
		}
		if (n <= 0)
			return -EIO;
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof(line) - 1)
					line[len++] = buf[i];
				continue;
			}
			line[len] = '\0';
			if (strcmp(line, "ready") == 0 ||
			    strncmp(line, "ready ", 6) == 0)
				return 0;
			len = 0;
		}
	}
	return -ETIMEDOUT;
}

/*
 * QEMU reads a pty only while its other end is open, and after a hangup
 * looks again once a second (or when the guest writes). A client's
 * console would replace ours with such a hangup in between, and its
 * `args` line would wait up to a second: so hold each pty's other end
 * open ourselves (never reading it), and let libvirt's console go. A
 * libvirt on another host has no ptys here: keep its consoles then.
 */
static void
vm_hold(struct pool_vm *v)
{
	char *xml, *path[3] = { NULL, NULL, NULL };
	int i, ok = 0;

	if ((xml = virDomainGetXMLDesc(v->dom, 0)) != NULL &&
	    domxml_ptys(xml, path) == 0)
		for (i = 0, ok = 1; i < 3; i++)
			ok &= (v->pty[i] = open(path[i], O_RDWR | O_NOCTTY |
			    O_CLOEXEC)) >= 0;
	for (i = 0; i < 3; i++) {
		if (ok) {
			virStreamAbort(v->st[i]);
			virStreamFree(v->st[i]);
			v->st[i] = NULL;
		} else if (v->pty[i] >= 0) {
			close(v->pty[i]);
			v->pty[i] = -1;
		}
		free(path[i]);
	}
	free(xml);
}

/* Create paused, hold its consoles, run it to `ready`, pause it again. */
static int
vm_start(struct pool *p, struct pool_vm *v, const char *xml)
{
	static const char *dev[3] = { "serial0", "serial1", "serial2" };
	int i, r;

	v->dom = virDomainCreateXML(p->conn, xml, VIR_DOMAIN_START_PAUSED);
	if (v->dom == NULL)
		return fleet_seterr(-EIO, "pool: %s: create: %s", v->name,
		    virGetLastErrorMessage());
	for (i = 0; i < 3; i++)
		if ((v->st[i] = virStreamNew(p->conn, VIR_STREAM_NONBLOCK)) ==
		    NULL || virDomainOpenConsole(v->dom, dev[i], v->st[i],
		    VIR_DOMAIN_CONSOLE_FORCE) < 0)
			return fleet_seterr(-EIO, "pool: %s: console %s: %s",
			    v->name, dev[i], virGetLastErrorMessage());
	/*
	 * A QEMU pty nobody had open reads nothing until a poll, once a
	 * second, sees it open (or the guest writes to it): the program's
	 * stdin, and its argv, would wait for it. Offer the VM after that.
	 */
	clock_after(&v->ripe_at, CLOCK_MONOTONIC, PTY_POLL_MS);
	if (virDomainResume(v->dom) < 0)
		return fleet_seterr(-EIO, "pool: %s: resume: %s", v->name,
		    virGetLastErrorMessage());
	if ((r = wait_ready(v->st[2])) < 0)
		return fleet_seterr(r, "pool: %s: no `ready` from the guest "
		    "(a runtime without pool mode?)", v->name);
	if (virDomainSuspend(v->dom) < 0)
		return fleet_seterr(-EIO, "pool: %s: suspend: %s", v->name,
		    virGetLastErrorMessage());
	vm_hold(v);
	return 0;
}

/*
 * The domain XML libfleet's spawn would write, with fleet.pool=1 and no
 * argv: leased on fleetd's own socket, so the lease ends with the VM.
 */
static int
vm_xml(struct pool *p, const struct pool_image *im, struct pool_vm *v,
    char **xmlp)
{
	/* no argv in its metadata: a pool VM's mark (pool_sweep) */
	char *argv[] = { NULL }, *set[5] = { "fleet.pool=1" };
	struct vm_spec s = { 0 };
	struct vm_net net;
	char *line = NULL, *uri = NULL, sock[108];
	int leased, r;

	if ((leased = vmnet_lease(p->ctl, v->name, im->program, &net)) < 0)
		return leased;
	vmnet_settings(leased ? &net : NULL, set + 1);
	if ((r = cmdline_settings(set, &line)) < 0)
		goto out;
	s.name = v->name;
	s.program = im->program;
	s.image = im->path;
	s.argv = argv;
	s.cmdline = line;
	s.loader = domxml_loader();
	s.mem_mib = FLEET_MEM_DEFAULT;
	s.owner_uid = geteuid();
	s.parent_pid = getpid();
	s.start_time = time(NULL);
	s.detached = 1;
	s.net = leased ? &net : NULL;
	if ((uri = virConnectGetURI(p->conn)) != NULL &&
	    sockdir_stdio_path(uri, v->name, sock, sizeof(sock))) {
		s.console_sock = sock;
		snprintf(v->sock, sizeof(v->sock), "%s", sock);
	}
	r = domxml_build(&s, xmlp);
	free(uri);
out:
	free(line);
	if (r < 0 && leased)
		vmnet_release(p->ctl, v->name);
	return r;
}

static int
vm_boot(struct pool *p, size_t image, struct pool_vm **vp)
{
	const struct pool_image *im = &p->img[image];
	struct pool_vm *v = calloc(1, sizeof(*v));
	char *name = NULL, *xml = NULL;
	int r;

	if (v == NULL || (name = vm_name(im->program)) == NULL) {
		free(v);
		return fleet_seterr(-ENOMEM, "pool: out of memory");
	}
	snprintf(v->name, sizeof(v->name), "%s", name);
	free(name);
	v->pty[0] = v->pty[1] = v->pty[2] = -1;
	v->image = image;
	/* before QEMU reads the file: a change after it shows at claim */
	if ((r = ident_of(im->path, &v->id)) < 0)
		r = fleet_seterr(r, "pool: %s: %s", im->path, strerror(-r));
	else if ((r = vm_xml(p, im, v, &xml)) == 0 &&
	    (r = vm_start(p, v, xml)) < 0 && v->dom == NULL)
		vmnet_release(p->ctl, v->name);
	free(xml);
	if (r < 0) {
		vm_free(v, true);
		return r;
	}
	*vp = v;
	return 0;
}

/* Under lock: an image short of VMs whose back-off is over, or -1. */
static int
short_of(const struct pool *p)
{
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < p->nimg; i++)
		if (p->img[i].retry_at <= now && count(p, i, VM_IDLE) +
		    p->img[i].booting < p->img[i].want)
			return (int)i;
	return -1;
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
			vm_remove(p, i);
			return v;
		}
	return NULL;
}

static void
booted(struct pool *p, size_t i, int r, struct pool_vm *v)
{
	struct pool_image *im = &p->img[i];
	unsigned back;

	im->booting--;
	if (r == 0 && vm_add(p, v) == 0) {
		im->fails = 0;
		return;
	}
	if (r == 0) {
		v->state = VM_DOOMED;
		pthread_mutex_unlock(&p->lock);
		vm_free(v, true);
		pthread_mutex_lock(&p->lock);
		return;
	}
	back = im->fails < 5 ? 1u << im->fails : BACKOFF_MAX_S;
	im->fails++;
	im->retry_at = time(NULL) + (back > BACKOFF_MAX_S ? BACKOFF_MAX_S :
	    back);
	fprintf(stderr, "fleetd: %s (retry in %u s)\n", fleet_last_error(),
	    back);
}

/*
 * Under lock: ms until a refill may start. A boot costs QEMU and
 * libvirtd far more CPU than a claimed VM's run: on a small machine the
 * two would race, so the pool refills once claims pause.
 */
static long
refill_wait(const struct pool *p)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - p->claimed_at.tv_sec) * 1000 +
	    (now.tv_nsec - p->claimed_at.tv_nsec) / 1000000;
	return ms >= REFILL_DELAY_MS ? 0 : REFILL_DELAY_MS - ms;
}

/* Under lock: sleep ms at most, or until signalled. */
static void
nap(struct pool *p, long ms)
{
	struct timespec ts;

	clock_after(&ts, CLOCK_REALTIME, ms);
	pthread_cond_timedwait(&p->cond, &p->lock, &ts);
}

/* Destroy what is doomed, then boot what is missing, one at a time. */
static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct pool_vm *v;
	long wait;
	int i, r;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		if ((v = take_doomed(p)) != NULL) {
			pthread_mutex_unlock(&p->lock);
			vm_free(v, true);
			pthread_mutex_lock(&p->lock);
		} else if ((i = short_of(p)) >= 0 &&
		    (wait = refill_wait(p)) > 0) {
			nap(p, wait);
		} else if (i >= 0) {
			p->img[i].booting++;
			pthread_mutex_unlock(&p->lock);
			fleet_clearerr();
			r = vm_boot(p, (size_t)i, &v);
			pthread_mutex_lock(&p->lock);
			booted(p, (size_t)i, r, v);
		} else {
			nap(p, 1000);
		}
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Is dom an unclaimed pool VM (fleet metadata with an empty argv)? */
static bool
unclaimed(virDomainPtr dom)
{
	struct fleet_proc_info *info;
	char *md;
	bool r = false;

	if (strncmp(virDomainGetName(dom), FLEET_PREFIX,
	    strlen(FLEET_PREFIX)) != 0 || (md = virDomainGetMetadata(dom,
	    VIR_DOMAIN_METADATA_ELEMENT, FLEET_XMLNS, 0)) == NULL)
		return false;
	if ((info = calloc(1, sizeof(*info))) != NULL &&
	    domxml_meta_parse(md, info) == 0)
		r = info->argv[0] == NULL;
	free(md);
	fleet_proc_info_free(info, 1);
	return r;
}

/* Idle VMs of a fleetd that died without destroying them. */
static void
sweep(struct pool *p)
{
	virDomainPtr *doms = NULL;
	int i, n;

	n = virConnectListAllDomains(p->conn, &doms,
	    VIR_CONNECT_LIST_DOMAINS_ACTIVE);
	for (i = 0; i < n; i++) {
		if (unclaimed(doms[i])) {
			fprintf(stderr, "fleetd: pool: destroying %s, left by "
			    "an earlier fleetd\n", virDomainGetName(doms[i]));
			virDomainDestroy(doms[i]);
		}
		virDomainFree(doms[i]);
	}
	free(doms);
}

/* Fill the pool from now on, with VMs on libvirt uri. */
int
pool_start(struct pool *p, const char *uri)
{
	if ((p->conn = virConnectOpen(uri)) == NULL)
		return fleet_seterr(-ECONNREFUSED, "pool: libvirt %s: %s", uri,
		    virGetLastErrorMessage());
	if ((p->uri = virConnectGetURI(p->conn)) == NULL)
		return fleet_seterr(-ENOMEM, "pool: libvirt %s: %s", uri,
		    virGetLastErrorMessage());
	sweep(p);
	if (pthread_create(&p->thread, NULL, worker, p) != 0)
		return fleet_seterr(-EAGAIN, "pool: cannot start its thread");
	p->running = true;
	return 0;
}

/* Under lock: doom every idle VM of image i that booted another file. */
static void
drain_stale(struct pool *p, size_t i, const struct ident *now)
{
	size_t k;

	for (k = 0; k < p->nvms; k++)
		if (p->vms[k]->image == i && p->vms[k]->state == VM_IDLE &&
		    !ident_same(&p->vms[k]->id, now))
			p->vms[k]->state = VM_DOOMED;
}

/* Copies of the VM's serial ptys held open since boot, for its claimer:
 * all three, or none (a libvirt elsewhere; the claimer opens consoles).
 * How many. */
static int
vm_pty_dup(const struct pool_vm *v, int fds[3])
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
 * Every console the claimer needs, in fds: the ptys, then the stdio
 * socket, connected here: QEMU's socket is libvirt-qemu's, which only
 * root may connect to, so a claimer that is not root could not. How
 * many, or a negative error (none open then).
 */
static int
vm_consoles(const struct pool_vm *v, int fds[POOL_FDS])
{
	int n = vm_pty_dup(v, fds), e;

	if (v->sock[0] == '\0')
		return n;
	if ((fds[n] = sockdir_connect(v->sock)) >= 0)
		return n + 1;
	e = errno;
	while (n > 0)
		close(fds[--n]);
	return fleet_seterr(-EIO, "%s: console %s: %s", v->name, v->sock,
	    strerror(e));
}

/*
 * An idle VM of the image at path, now claimed, its name in name and
 * its consoles in fds (the caller closes them): how many, or a negative
 * error.
 */
int
pool_claim(struct pool *p, const char *path, char name[FLEET_NAME_MAX],
    int fds[POOL_FDS])
{
	struct ident now;
	struct pool_vm *v = NULL;
	char *real = realpath(path, NULL);
	size_t i = p->nimg, k;
	int n;

	for (k = 0; real != NULL && k < p->nimg && i == p->nimg; k++)
		if (strcmp(p->img[k].path, real) == 0)
			i = k;
	free(real);
	if (i == p->nimg)
		return fleet_seterr(-ENOENT, "%s is not pooled", path);
	if (ident_of(p->img[i].path, &now) < 0)
		return fleet_seterr(-ENOENT, "%s: %s", path, strerror(errno));
	pthread_mutex_lock(&p->lock);
	drain_stale(p, i, &now);
	for (k = 0; k < p->nvms && v == NULL; k++)
		if (p->vms[k]->image == i && p->vms[k]->state == VM_IDLE &&
		    ripe(p->vms[k]))
			v = p->vms[k];
	if (v != NULL) {
		v->state = VM_CLAIMED;
		p->img[i].served++;
		clock_gettime(CLOCK_MONOTONIC, &p->claimed_at);
		strcpy(name, v->name);
	}
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (v == NULL)
		return fleet_seterr(-ENOENT, "no pooled VM of %s ready", path);
	/* claimed: only this thread frees it now (pool_release) */
	if ((n = vm_consoles(v, fds)) < 0)
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

const char *
pool_uri(const struct pool *p)
{
	return p->uri;
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
	if (virDomainResume(v->dom) < 0)
		return fleet_seterr(-EIO, "%s: resume: %s", name,
		    virGetLastErrorMessage());
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
	struct pool_vm *v = calloc(1, sizeof(*v));
	int i, r = 0;

	if (v == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	v->image = ADOPTED;
	v->state = VM_CLAIMED;
	for (i = 0; i < 3; i++)
		v->pty[i] = -1;
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
	if (vm_add(p, v) < 0) {
		r = fleet_seterr(-ENOMEM, "out of memory");
		v->state = VM_DOOMED;
	} else {
		clock_gettime(CLOCK_MONOTONIC, &p->claimed_at);
		strcpy(name, v->name);
	}
	pthread_mutex_unlock(&p->lock);
	if (r < 0)
		vm_free(v, true);
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
		vm_remove(p, i);
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (v != NULL && !destroy)
		vm_free(v, false);
}

size_t
pool_images(const struct pool *p)
{
	return p ? p->nimg : 0;
}

/* Image i: its path, VMs wanted, idle (claimable), booting (or not yet
 * claimable), claimed (or being destroyed); claims served. */
void
pool_info(struct pool *p, size_t i, struct pool_stat *ps)
{
	pthread_mutex_lock(&p->lock);
	ps->path = p->img[i].path;
	ps->want = p->img[i].want;
	ps->idle = (unsigned)count_ripe(p, i);
	ps->booting = p->img[i].booting + (unsigned)(count(p, i, VM_IDLE) -
	    ps->idle);
	ps->claimed = (unsigned)(count(p, i, VM_CLAIMED) +
	    count(p, i, VM_DOOMED));
	ps->served = p->img[i].served;
	pthread_mutex_unlock(&p->lock);
}

/* Each idle VM, its name and image to fn (which must not call back). */
void
pool_idle(struct pool *p, void (*fn)(const char *, const char *, void *),
    void *arg)
{
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nvms; i++)
		if (p->vms[i]->state == VM_IDLE && ripe(p->vms[i]))
			fn(p->vms[i]->name, p->img[p->vms[i]->image].path, arg);
	pthread_mutex_unlock(&p->lock);
}

/* Stop refilling; destroy every VM not let go of, idle or claimed. */
void
pool_close(struct pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->running) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_signal(&p->cond);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
	}
	for (i = 0; i < p->nvms; i++)
		vm_free(p->vms[i], true);
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
	free(p->ctl);
	free(p->uri);
	free(p);
}
