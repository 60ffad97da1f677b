/* spawn.c: making a VM for fleet_spawn(): from fleetd's pool, by
 * fleetd, or by libvirt here */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "relay.h"
#include "share.h"
#include "virt.h"
#include "words.h"

/*
 * The domain's XML. A VM on a local connection has its stdio on a socket
 * we listen on (l, filled), and a foreground one its serial ports too; a
 * detached one keeps those on ptys, where fleet-kill and libvirt's
 * consoles find them, opened while it is paused.
 */
static int
build_xml(fleet_conn *c, const struct fleet_spawn_attr *a,
    const char *image, const char *name, const struct vm_net *net,
    struct words *w, char **xmlp, struct relay_listen *l)
{
	struct vm_spec s;
	char *dflt[2];
	int i, r, ours;

	if ((ours = sockdir_listen_open(l, c->uri, name,
	    (a->detached ? 0 : LISTEN_SERIAL) |
	    (w->files != NULL ? LISTEN_FILES : 0))) < 0)
		return ours;
	if (!ours)		/* no sockets of ours: no files either */
		words_no_files(w);
	s.cmdline = NULL;
	if ((r = words_spec(a, image, name, net, w, ours ? l->dir : NULL, &s,
	    dflt)) == 0 && ours) {
		s.sock_connect = 1;
		s.console_sock = l->path[ST_VIRTIO];
		if (l->fd[ST_FILES] >= 0)
			s.files_sock = l->path[ST_FILES];
		for (i = ST_COM1; i <= ST_COM3 && l->fd[i] >= 0; i++)
			s.serial_sock[i] = l->path[i];
	}
	if (r == 0)
		r = domxml_build(&s, xmlp);
	free((char *)s.cmdline);
	return r;
}

/* Each serial console on a host fd (our sockets, fleetd's ptys), or else
 * a libvirt stream; stdio's socket, where there is one, is ours already. */
static int
open_consoles(fleet_proc *p)
{
	static const char *dev[3] = { "serial0", "serial1", "serial2" };
	virStreamPtr st;
	int i, r;

	for (i = 0; i < 3; i++) {
		if (relay_has_fd(p->relay, i))
			continue;
		if ((r = proc_dom(p)) < 0)
			return r;
		if ((st = virStreamNew(p->conn->vc, VIR_STREAM_NONBLOCK)) ==
		    NULL || virDomainOpenConsole(p->dom, dev[i], st,
		    VIR_DOMAIN_CONSOLE_FORCE) < 0) {
			if (st != NULL)
				virStreamFree(st);
			return fleet_seterr(-EIO, "%s: console %s: %s",
			    p->name, dev[i], virt_err());
		}
		loop_lock(p->conn->loop);
		r = relay_set_stream(p->relay, i, st);
		loop_unlock(p->conn->loop);
		if (r < 0)
			return fleet_seterr(-EIO, "%s: console events: %s",
			    p->name, virt_err());
	}
	return 0;
}

/* QEMU's connections, made as it started, become p's consoles. */
/* The caller's directory on fd (taken), when the VM gets one. */
static int
serve_files(fleet_proc *p, int fd, const struct words *w)
{
	struct share *sh;
	int r = 0;

	if (fd < 0)
		return 0;
	if (w->files == NULL) {
		close(fd);
		return 0;
	}
	loop_lock(p->conn->loop);
	if ((r = share_start(p->conn->loop, fd, w->files, w->files_ro,
	    &sh)) == 0)
		proc_share(p, sh);
	loop_unlock(p->conn->loop);
	return r;
}

static int
accept_consoles(fleet_proc *p, struct relay_listen *l, const struct words *w)
{
	int fd[ST_N], i, r;

	r = sockdir_listen_accept(l, fd);
	loop_lock(p->conn->loop);
	for (i = 0; i < ST_CONS; i++)
		if (fd[i] >= 0)
			relay_set_fd(p->relay, i, fd[i]);
	loop_unlock(p->conn->loop);
	if (r < 0) {
		if (fd[ST_FILES] >= 0)
			close(fd[ST_FILES]);
		return r;	/* its message names the socket, and so the VM */
	}
	return serve_files(p, fd[ST_FILES], w);
}

/* virDomainCreateXML() on a call of its own (call.c): an interrupted
 * spawn walks away, and the domain, should it come, is destroyed. */
struct creating {
	virConnectPtr vc;	/* a reference of its own */
	char *xml;
	unsigned flags;
	char sockdir[96];	/* its sockets: the undo's to remove */
	char err[256];
};

static void *
create_call(void *arg)
{
	struct creating *k = arg;
	virDomainPtr dom = virDomainCreateXML(k->vc, k->xml, k->flags);

	if (dom == NULL)
		snprintf(k->err, sizeof(k->err), "%s", virt_err());
	return dom;
}

static void
creating_free(struct creating *k)
{
	virConnectClose(k->vc);
	free(k->xml);
	free(k);
}

static void
create_undo(void *arg, void *dom)
{
	struct creating *k = arg;

	if (dom != NULL) {
		virDomainDestroy(dom);
		virDomainFree(dom);
	}
	if (k->sockdir[0] != '\0')
		sockdir_remove(k->sockdir);
	creating_free(k);
}

/* An interrupted create leaves l's sockets to its undo: libvirt must
 * find them when the domain it may yet start stops. */
static int
create_here(fleet_proc *p, const char *xml, unsigned flags,
    struct relay_listen *l)
{
	struct creating *k;
	void *dom = NULL;
	int r;

	if ((r = conn_virt(p->conn)) < 0)
		return r;
	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->xml = strdup(xml)) == NULL) {
		free(k);
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	}
	k->vc = p->conn->vc;
	virConnectRef(k->vc);
	k->flags = flags;
	snprintf(k->sockdir, sizeof(k->sockdir), "%s", l->dir);
	if ((r = call_run(p->conn, create_call, create_undo, k, -1,
	    &dom)) < 0) {
		sockdir_listen_leave(l);
		return fleet_seterr(r, "%s: %s", p->name, r == -EINTR ?
		    "interrupted" : "no thread to create it");
	}
	if (dom == NULL)
		r = fleet_seterr(-EIO, "%s: create on %s: %s", p->name,
		    p->conn->uri, k->err);
	else
		proc_created(p, dom);
	creating_free(k);
	return r;
}

/*
 * Create the domain (fleetd does, when it will, or libvirt here), then
 * its consoles. A VM whose consoles are on our sockets (l) runs at
 * once; any other starts paused until they are open.
 */
static int
create(fleet_proc *p, const char *xml, struct relay_listen *l,
    const struct words *w)
{
	int ours = l->fd[ST_VIRTIO] >= 0, paused = !ours || p->detached;
	unsigned flags = paused ? VIR_DOMAIN_START_PAUSED : 0;
	int r;

	/* The embedded driver has no auto-destroy: conn.c destroys those. */
	if (!p->detached && !p->conn->embedded)
		flags |= VIR_DOMAIN_START_AUTODESTROY;
	if (!ours || p->detached || claim_create(p->conn, xml, p) == 0) {
		if (conn_interrupted(p->conn)) {
			sockdir_listen_leave(l);	/* fleetd's QEMU's? */
			return fleet_seterr(-EINTR, "%s: interrupted",
			    p->name);
		}
		if (ours)
			sockdir_listen_drain(l);
		if ((r = create_here(p, xml, flags, l)) < 0)
			return r;
	}
	procs_link(p);
	if (ours)
		proc_keep_sockdir(p, l);
	if ((ours && (r = accept_consoles(p, l, w)) < 0) ||
	    (r = open_consoles(p)) < 0)
		return r;
	proc_start(p, 0);
	if (paused && virDomainResume(p->dom) < 0)
		return fleet_seterr(-EIO, "%s: resume: %s", p->name,
		    virt_err());
	return 0;
}

/*
 * A VM from fleetd's pool, booted and paused after its `ready` (fleetd
 * read it): our consoles (the ptys fleetd held, the virtio-serial
 * socket fleetd connected to, all passed with its claim), fleetd
 * resumes it, then its argv on the control channel. No libvirt call:
 * fleetd makes them.
 */
static int
start_claimed(fleet_proc *p, const struct fleet_spawn_attr *a,
    const char *image, struct words *w)
{
	struct vm_spec s;
	char *dflt[2], *args = NULL;
	size_t n;
	int r, fd;

	procs_link(p);
	s.cmdline = NULL;
	loop_lock(p->conn->loop);
	fd = proc_take_files_fd(p);
	loop_unlock(p->conn->loop);
	if (fd < 0)		/* a pool VM without a file port */
		words_no_files(w);
	words_claimed(w);
	if ((r = words_spec(a, image, p->name, NULL, w, NULL, &s, dflt)) < 0 ||
	    (r = open_consoles(p)) < 0 || (r = serve_files(p, fd, w)) < 0)
		goto out;
	/* words too long for an `args` line go on the stdio port first */
	n = strlen(s.cmdline);
	if ((n <= ARGS_LINE_MAX ? asprintf(&args, "args %s\n", s.cmdline) :
	    asprintf(&args, "args fleet.wordlen=%zu\n", n)) < 0) {
		r = fleet_seterr(-ENOMEM, "spawn: out of memory");
		goto out;
	}
	/* args after the resume: a long line may not fit in a paused
	 * VM's pty */
	if ((r = claim_run(p, s.argv, a->detached)) < 0)
		goto out;
	loop_lock(p->conn->loop);
	if (n > ARGS_LINE_MAX && (r = relay_put_first(p->relay, ST_VIRTIO,
	    s.cmdline, n)) < 0)
		r = fleet_seterr(r, "%s: stdio: %s", p->name, strerror(-r));
	else
		r = relay_send_ctl(p->relay, args);
	loop_unlock(p->conn->loop);
	if (r < 0)
		r = fleet_seterr(r, "%s: control channel: %s", p->name,
		    strerror(-r));
	else
		proc_start(p, 1);
out:
	free((char *)s.cmdline);
	free(args);
	return r;
}

/*
 * A claimed VM takes its words in an `args` line, which has the command
 * line's limit, or ahead of stdin on its stdio port, up to 128 KiB
 * (protocol.md 2.1); the settings take at most 384 bytes of either.
 */
static int
args_fit(const struct fleet_spawn_attr *a, const struct words *w)
{
	char *const dflt[] = { (char *)a->image, NULL };
	char *line;

	if (cmdline_encode_env(NULL, w->env, a->argv != NULL &&
	    a->argv[0] != NULL ? a->argv : dflt, PORT_WORDS_MAX - 384,
	    &line) < 0) {
		fleet_clearerr();
		return 0;
	}
	free(line);
	return 1;
}

/* What a spawn that failed had made goes. */
static void
spawn_undo(fleet_proc *p, int leased)
{
	if (leased && p->dom == NULL && p->claim == NULL)
		vmnet_release(NULL, p->name);
	if (p->dom != NULL || p->claim != NULL)
		proc_destroy(p);
	proc_unref(p);
}

int
fleet_spawn(fleet_conn *c, const struct fleet_spawn_attr *a, fleet_proc **pp)
{
	fleet_proc *p = NULL;
	char *image = NULL, *xml = NULL;
	struct vm_net net;
	struct relay_listen l;
	struct words w;
	int r, leased = 0;

	fleet_clearerr();
	sockdir_listen_init(&l);
	memset(&w, 0, sizeof(w));
	*pp = NULL;
	conn_spawn_begin(c);
	if (conn_interrupted(c)) {
		conn_spawn_end(c);
		return fleet_seterr(-EINTR, "spawn: interrupted");
	}
	sockdir_sweep(c->uri);
	if ((r = fleet_image_find(a->image, &image)) < 0)
		goto out;
	if ((r = image_check_mem(image, a->image,
	    a->mem_mib ? a->mem_mib : vm_mem_default(image))) < 0 ||
	    (r = words_init(&w, a, image)) < 0)
		goto out;
	if ((r = proc_new(c, a, &p)) < 0)
		goto out;
	if (args_fit(a, &w) && claim_take(c, a, image, p) == 1) {
		if ((r = start_claimed(p, a, image, &w)) == 0)
			goto made;
		goto out;
	}
	if ((r = proc_name(p, a->name, a->image)) < 0)
		goto out;
	if ((leased = vmnet_lease(NULL, p->name, a->image, &net)) < 0) {
		r = leased;
		leased = 0;
		goto out;
	}
	if ((r = build_xml(c, a, image, p->name, leased ? &net : NULL, &w,
	    &xml, &l)) < 0 || (r = create(p, xml, &l, &w)) < 0)
		goto out;
made:
	if (conn_interrupted(c)) {
		r = fleet_seterr(-EINTR, "%s: interrupted", p->name);
		goto out;
	}
	*pp = p;
	p = NULL;
out:
	conn_spawn_end(c);
	sockdir_listen_close(&l);
	if (p != NULL)
		spawn_undo(p, leased);
	words_free(&w);
	free(image);
	free(xml);
	return r;
}
