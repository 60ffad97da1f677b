/* pool-boot.c: one pool VM: leased an address, created paused, run to
 * the guest's `ready`, paused again with its ptys held (protocol.md 6.1) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <fleet/fleet.h>
#include "core.h"
#include "router.h"
#include "pool.h"

#define READY_WAIT_MS	20000
#define PTY_POLL_MS	1100	/* QEMU's pty reconnect poll, and some */

/* The tap is named after the VM, as libfleet names a spawn's. */
static void
tap_name(const char *name, char tap[IFNAMSIZ])
{
	size_t n = strlen(name);

	memcpy(tap, "fl-", 3);
	snprintf(tap + 3, IFNAMSIZ - 3, "%.12s", n > 12 ? name + n - 12 :
	    name);
}

/* What lib/vmnet.c would have from a `lease` reply, from v and s. */
static void
net_of(const struct state *s, const struct vm *v, struct vm_net *net)
{
	struct fleet_lease *l = &net->lease;

	inet_ntop(AF_INET, &v->ip, l->ip, sizeof(l->ip));
	inet_ntop(AF_INET, &s->net.addr, l->gw, sizeof(l->gw));
	mac_format(v->mac, l->mac);
	l->prefix = s->net.prefix;
	snprintf(l->bridge, sizeof(l->bridge), "%s", s->net.bridge);
	snprintf(net->bridge, sizeof(net->bridge), "%s", l->bridge);
	snprintf(net->set_ip, sizeof(net->set_ip), "fleet.ip=%s/%u", l->ip,
	    l->prefix);
	snprintf(net->set_gw, sizeof(net->set_gw), "fleet.gw=%s", l->gw);
	snprintf(net->set_mac, sizeof(net->set_mac), "fleet.mac=%s", l->mac);
}

/* Under fleetd's lock: bind v with the lowest free address, as one
 * change (the `lease` request's, done here rather than on the socket). */
static int
lease_add(struct state *s, struct vm *v)
{
	struct state next;
	size_t i;
	int r;

	if (state_find_vm(s, v->name) != NULL)
		return fleet_seterr(-EEXIST, "VM %s is registered already",
		    v->name);
	for (i = 0; i < s->nvms; i++)
		if (strcmp(s->vms[i].ifname, v->ifname) == 0)
			return fleet_seterr(-EEXIST, "interface %s is VM "
			    "%s's", v->ifname, s->vms[i].name);
	if ((r = lease_alloc(s, &v->ip)) < 0)
		return r;
	lease_mac(v->ip, v->mac);
	if ((r = state_copy(&next, s)) < 0)
		return r;
	if ((r = state_add_vm(&next, v)) < 0) {
		state_free(&next);
		return r;
	}
	return change_apply(s, &next);
}

/* 1 and *net for a VM on the fleet network, 0 for none (no state), or
 * a negative error. The lease ends with the VM (fleetd's events). */
static int
lease(struct pool *p, const struct pool_vm *pv, const char *program,
    struct vm_net *net)
{
	struct vm v;
	int r;

	memset(net, 0, sizeof(*net));
	if (p->state == NULL)
		return 0;
	memset(&v, 0, sizeof(v));
	snprintf(v.name, sizeof(v.name), "%s", pv->name);
	snprintf(v.program, sizeof(v.program), "%s", program);
	tap_name(pv->name, v.ifname);
	snprintf(net->tap, sizeof(net->tap), "%s", v.ifname);
	pthread_mutex_lock(p->state_lock);
	if ((r = lease_add(p->state, &v)) == 0)
		net_of(p->state, &v, net);
	pthread_mutex_unlock(p->state_lock);
	return r < 0 ? fleet_seterr(r, "pool: %s: lease: %s", pv->name,
	    fleet_last_error()) : 1;
}

/* The VM never started: its lease goes; the error stays the caller's. */
static void
unlease(struct pool *p, const char *name)
{
	char why[512];

	snprintf(why, sizeof(why), "%s", fleet_last_error());
	pthread_mutex_lock(p->state_lock);
	(void)change_release_vm(p->state, name);
	pthread_mutex_unlock(p->state_lock);
	fleet_clearerr();
	fleet_seterr(-EIO, "%s", why);
}

/* What is left of the time until *t, in ms (0 once it passed). */
static int
ms_left(const struct timespec *t)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = clock_ms_since(&now, t);
	return ms > 0 ? (int)ms : 0;
}

/* 1: `ready`, 2: `ready ... again` (a runtime that recycles). */
static void
heard(void *arg, const struct guest_line *l)
{
	if (l->kind == GL_READY)
		*(int *)arg = l->again ? 2 : 1;
}

/* Read the control channel until the guest's `ready`, or fail; between
 * reads, sleep until the stream's event rings. 0, or 1 when the guest
 * can be recycled, or a negative error. */
static int
wait_ready(virStreamPtr st)
{
	struct guest_lines lines = { .len = 0 };
	struct pollfd pfd = { .events = POLLIN };
	struct timespec until;
	struct kick *k;
	char buf[256];
	int fd[2], n, r = -ETIMEDOUT, ready = 0;

	if (pipe2(fd, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	if ((k = kick_new(fd[1])) == NULL) {
		close(fd[0]);
		close(fd[1]);
		return -ENOMEM;
	}
	if (virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE |
	    VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP, kick_stream,
	    kick_ref(k), kick_unref) < 0) {
		kick_unref(k);
		r = -EIO;
		goto out;
	}
	clock_after(&until, CLOCK_MONOTONIC, READY_WAIT_MS);
	pfd.fd = fd[0];
	while (!ready) {
		n = virStreamRecv(st, buf, sizeof(buf));
		if (n == -2 && (n = ms_left(&until)) > 0) {
			poll(&pfd, 1, n);
			while (read(fd[0], buf, sizeof(buf)) > 0)
				;
			continue;
		}
		if (n <= 0) {
			r = n == 0 ? -ETIMEDOUT : -EIO;
			break;
		}
		guest_lines_feed(&lines, buf, (size_t)n, heard, &ready);
	}
	if (ready)
		r = ready - 1;
	virStreamEventRemoveCallback(st);
out:
	kick_unref(k);
	close(fd[0]);
	return r;
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
hold(struct pool_vm *v)
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
start(struct pool *p, struct pool_vm *v, const char *xml)
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
	v->again = r == 1;
	if (virDomainSuspend(v->dom) < 0)
		return fleet_seterr(-EIO, "pool: %s: suspend: %s", v->name,
		    virGetLastErrorMessage());
	v->paused = true;
	hold(v);
	return 0;
}

/*
 * A Linux program boots on the runtime with its module beside the VM's
 * socket, NAME.program: a copy of the image as it is now (QEMU, which may
 * run as another user, never reads the image itself), gone with the
 * socket at the claim; the words come in the claim's `args` line.
 */
static int
linux_boot(const struct pool_image *im, struct pool_vm *v, bool staged,
    struct vm_spec *s, char **runtime)
{
	uint64_t span;
	int r;

	if (image_classify(im->path, &span) != IMAGE_LINUX)
		return 0;
	if ((r = image_runtime(runtime)) < 0)
		return r;
	s->kernel = *runtime;
	s->initrd = im->path;
	if (!staged || snprintf(v->module, sizeof(v->module), "%s.program",
	    v->sock) >= (int)sizeof(v->module))
		return 0;
	if ((r = module_stage(v->module, im->path, NULL)) < 0)
		return r;
	s->initrd = v->module;
	return 0;
}

/* The domain XML libfleet's spawn would write, with fleet.pool=1 and no
 * argv (a pool VM's mark: sweep_left), on the network as net says. */
static int
domain_xml(struct pool *p, const struct pool_image *im, struct pool_vm *v,
    const struct vm_net *net, char **xmlp)
{
	char *argv[] = { NULL }, *set[6] = { "fleet.pool=1" };
	struct vm_spec s;
	char *line = NULL, *uri = NULL, *runtime = NULL, sock[108];
	int r, n = 1;

	/* the file port, for a claimer that brings a directory */
	if ((uri = virConnectGetURI(p->conn)) != NULL &&
	    sockdir_stdio_path(uri, v->name, sock, sizeof(sock)) &&
	    snprintf(v->files, sizeof(v->files), "%s.files", sock) <
	    (int)sizeof(v->files)) {
		snprintf(v->sock, sizeof(v->sock), "%s", sock);
		set[n++] = "fleet.9p=1";
	}
	vmnet_settings(net, set + n);
	if ((r = cmdline_settings(set, &line)) < 0) {
		free(uri);
		return r;
	}
	vm_spec_init(&s, v->name, im->program, im->path);
	s.kvm = 0;	/* what claims are for (lib/claim.c) */
	s.argv = argv;
	s.cmdline = line;
	s.owner_uid = geteuid();
	s.parent_pid = getpid();
	s.detached = 1;
	s.net = net;
	if (v->sock[0] != '\0') {
		s.console_sock = v->sock;
		s.files_sock = v->files;
	}
	if ((r = linux_boot(im, v, v->sock[0] != '\0', &s, &runtime)) == 0 &&
	    (r = domxml_build(&s, xmlp)) == 0)
		r = domxml_meta(&s, &v->meta);	/* a recycled VM's again */
	free(runtime);
	free(uri);
	free(line);
	return r;
}

/* A new VM of image, idle (claimable once ripe) in *vp. */
int
boot_vm(struct pool *p, size_t image, struct pool_vm **vp)
{
	const struct pool_image *im = &p->img[image];
	struct pool_vm *v = pvm_new(image);
	struct vm_net net;
	char *name = NULL, *xml = NULL;
	int leased = 0, r;

	if (v == NULL || (name = vm_name(im->program)) == NULL) {
		free(v);
		return fleet_seterr(-ENOMEM, "pool: out of memory");
	}
	snprintf(v->name, sizeof(v->name), "%s", name);
	free(name);
	/* before QEMU reads the file: a change after it shows at claim */
	if ((r = ident_of(im->path, &v->id)) < 0)
		r = fleet_seterr(r, "pool: %s: %s", im->path, strerror(-r));
	else if ((r = leased = lease(p, v, im->program, &net)) >= 0 &&
	    (r = domain_xml(p, im, v, leased ? &net : NULL, &xml)) == 0)
		r = start(p, v, xml);
	/* once created, the VM's end takes its lease (fleetd's events) */
	if (r < 0 && leased > 0 && v->dom == NULL)
		unlease(p, v->name);
	free(xml);
	if (r < 0) {
		pvm_free(v, true);
		return r;
	}
	*vp = v;
	return 0;
}
