/* spawn.c: making a VM for fleet_spawn(): from fleetd's pool, by
 * fleetd, or by libvirt here */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <grp.h>
#include <pwd.h>
#include "internal.h"
#include "relay.h"
#include "share.h"
#include "virt.h"

#define DETACHED_LINGER_MS	"3000"

/*
 * What a spawn tells the guest besides its settings: argv, and for a
 * Linux program its environment and the runtime it boots on.
 */
struct words {
	int kind;		/* IMAGE_NATIVE or IMAGE_LINUX */
	char *runtime;		/* fleetrt, for IMAGE_LINUX */
	char *const *env;	/* a->envp, or env_default()'s */
	char **env_own;		/* env_default()'s array */
	char module[PATH_MAX_SOCK];	/* the staged program */
	char uid[32], gid[32];	/* fleet.uid=, fleet.gid=: the caller's */
	char user[64], group[64];	/* fleet.user=, fleet.group=, or "" */
	char seed[80];		/* fleet.seed=: the guest's random key */
	char *files;		/* the directory the VM sees, or NULL */
	int files_ro;
	char *cwd;		/* fleet.cwd=: where it appears, encoded */
	char dev[40], umask[24];	/* fleet.dev=, fleet.umask= */
	char updir[160];		/* fleet.updir=: its parent's stat */
	int claimed;		/* the words go in an `args` line or ahead
				 * of stdin, not on a kernel command line */
};

#define SETTINGS_MAX	18
#define ARGS_LINE_MAX	FLEET_CMDLINE_MAX	/* an `args` line's words */
#define PORT_WORDS_MAX	(128 * 1024)		/* words on the stdio port */

/* The caller's user and group names, which the guest's /etc/passwd and
 * /etc/group give (as they are: a name that needs encoding is left out). */
static void
names(struct words *w)
{
	struct passwd *pw = getpwuid(geteuid());
	struct group *gr = getgrgid(getegid());
	char enc[40];

	w->user[0] = w->group[0] = '\0';
	if (pw != NULL && fleet_word_encode(pw->pw_name, enc, sizeof(enc)) ==
	    strlen(pw->pw_name) && strlen(pw->pw_name) < sizeof(enc))
		snprintf(w->user, sizeof(w->user), "fleet.user=%s", enc);
	if (gr != NULL && fleet_word_encode(gr->gr_name, enc, sizeof(enc)) ==
	    strlen(gr->gr_name) && strlen(gr->gr_name) < sizeof(enc))
		snprintf(w->group, sizeof(w->group), "fleet.group=%s", enc);
}

/*
 * fleet.KEY=VALUE settings for the guest: linger, the caller's ids (what
 * getuid() says), tracing, then the network. A detached VM lingers too,
 * for an owner that still reads it (fsh's background jobs), but for a
 * bounded time: its owner may be gone.
 */
static void
guest_settings(const struct fleet_spawn_attr *a, const struct vm_net *net,
    struct words *w, char *set[SETTINGS_MAX])
{
	int n = 0;

	set[n++] = "fleet.linger=1";
	if (a->detached)
		set[n++] = "fleet.lingerms=" DETACHED_LINGER_MS;
	snprintf(w->uid, sizeof(w->uid), "fleet.uid=%u", (unsigned)geteuid());
	snprintf(w->gid, sizeof(w->gid), "fleet.gid=%u", (unsigned)getegid());
	set[n++] = w->uid;
	set[n++] = w->gid;
	if (w->user[0] != '\0')
		set[n++] = w->user;
	if (w->group[0] != '\0')
		set[n++] = w->group;
	if (a->trace)
		set[n++] = "fleet.strace=1";
	if (w->files != NULL)
		set[n++] = "fleet.9p=1";
	n += vmnet_settings(net, set + n);
	set[n] = NULL;
}

/* The caller's umask, which the guest's new files honour. */
static unsigned
caller_umask(void)
{
	char line[64];
	unsigned m = 022;
	FILE *f = fopen("/proc/self/status", "re");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return m & 0777;
}

/* What `..` of the directory is on the host, for `ls -la`. */
static void
updir_setting(struct words *w)
{
	char *parent = malloc(strlen(w->files) + 4);
	struct stat st;

	w->updir[0] = '\0';
	if (parent == NULL)
		return;
	sprintf(parent, "%s/..", w->files);
	if (strcmp(w->files, "/") != 0 && stat(parent, &st) == 0)
		snprintf(w->updir, sizeof(w->updir), "fleet.updir=%o,%u,%u,"
		    "%llu,%lld,%lld,%llu", (unsigned)st.st_mode,
		    (unsigned)st.st_uid, (unsigned)st.st_gid,
		    (unsigned long long)st.st_nlink, (long long)st.st_size,
		    (long long)st.st_mtim.tv_sec,
		    (unsigned long long)st.st_ino);
	free(parent);
}

/*
 * The directory the VM works in (a->dir, else ours), as the host names
 * it: the guest shows it at that path, on that device.
 */
static int
files_init(struct words *w, const struct fleet_spawn_attr *a)
{
	const char *dir = a->dir != NULL ? a->dir : ".";
	struct stat st;
	size_t n;

	/* -EINVAL: a bad argument, not a program that is not there */
	if ((w->files = realpath(dir, NULL)) == NULL)
		return fleet_seterr(-EINVAL, "directory %s: %s", dir,
		    strerror(errno));
	if (stat(w->files, &st) == -1 || !S_ISDIR(st.st_mode))
		return fleet_seterr(-EINVAL, "directory %s: not a directory",
		    dir);
	w->files_ro = a->files_ro;
	n = fleet_word_encode(w->files, NULL, 0) + sizeof("fleet.cwd=");
	if ((w->cwd = malloc(n)) == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	memcpy(w->cwd, "fleet.cwd=", 10);
	fleet_word_encode(w->files, w->cwd + 10, n - 10);
	snprintf(w->dev, sizeof(w->dev), "fleet.dev=%llu",
	    (unsigned long long)st.st_dev);
	snprintf(w->umask, sizeof(w->umask), "fleet.umask=%03o",
	    caller_umask());
	updir_setting(w);
	return 0;
}

static int
words_init(struct words *w, const struct fleet_spawn_attr *a,
    const char *image)
{
	uint64_t span;
	int r;

	memset(w, 0, sizeof(*w));
	if ((r = image_classify(image, &span)) < 0)
		return r;
	w->kind = r;
	if (w->kind == IMAGE_NATIVE)
		return 0;
	names(w);
	if ((r = image_runtime(&w->runtime)) < 0)
		return r;
	if (a->envp != NULL)
		w->env = a->envp;
	else if ((w->env = w->env_own = env_default()) == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	return a->no_files ? 0 : files_init(w, a);
}

static void
words_free(struct words *w)
{
	free(w->runtime);
	free(w->env_own);
	free(w->files);
	free(w->cwd);
}

/*
 * The key of the guest's random numbers (AT_RANDOM, getrandom), from
 * ours. It goes where only the VM's owner and QEMU read it: the boot
 * module or the claim's `args` line, never the domain XML.
 */
static int
seed_setting(struct words *w)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char key[32];
	size_t i, n = strlen("fleet.seed=");

	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return fleet_seterr(-EIO, "spawn: getrandom: %s",
		    strerror(errno));
	memcpy(w->seed, "fleet.seed=", n);
	for (i = 0; i < sizeof(key); i++) {
		w->seed[n++] = hex[key[i] >> 4];
		w->seed[n++] = hex[key[i] & 15];
	}
	w->seed[n] = '\0';
	return 0;
}

/*
 * What the guest is told: settings (linger, the network), argv and the
 * environment. Linger: after its last line the guest halts instead of
 * powering off (runtimes that know `fleet.linger`); libfleet destroys
 * it once it has read everything (a detached VM's owner may not: it
 * powers off by itself after DETACHED_LINGER_MS). A native program has
 * it all on its command line; a Linux program staged in moddir (its
 * VM's directory) has its words after its copy in the boot module, the
 * command line only settings; with no moddir, the program itself is
 * the module and the command line holds everything.
 */
static int
spec_fill(const struct fleet_spawn_attr *a, const char *image,
    const char *name, const struct vm_net *net, struct words *w,
    const char *moddir, struct vm_spec *s, char *dflt[2])
{
	char *set[SETTINGS_MAX], *secret[6] = { w->seed, w->cwd, w->dev,
	    w->umask, w->updir[0] != '\0' ? w->updir : NULL, NULL };
	char *words = NULL;
	int i, k, r;

	dflt[0] = (char *)a->image;
	dflt[1] = NULL;
	vm_spec_init(s, name, a->image, image);
	s->argv = a->argv != NULL && a->argv[0] != NULL ? a->argv : dflt;
	if (a->mem_mib)
		s->mem_mib = a->mem_mib;
	s->owner_uid = geteuid();
	s->parent_pid = getpid();
	s->detached = a->detached;
	s->net = net;
	guest_settings(a, net, w, set);
	if (w->kind == IMAGE_NATIVE)
		return fleet_cmdline_encode(set, s->argv,
		    (char **)&s->cmdline);
	s->kernel = w->runtime;
	if ((r = seed_setting(w)) < 0)
		return r;
	if (w->files == NULL)
		secret[1] = NULL;
	if (moddir == NULL) {
		for (i = 0; set[i] != NULL; i++)
			;
		for (k = 0; secret[k] != NULL && i + 1 < SETTINGS_MAX; k++)
			set[i++] = secret[k];
		set[i] = NULL;
		s->initrd = image;
		return cmdline_encode_env(set, w->env, s->argv, w->claimed ?
		    PORT_WORDS_MAX : FLEET_CMDLINE_MAX, (char **)&s->cmdline);
	}
	snprintf(w->module, sizeof(w->module), "%s/program", moddir);
	s->initrd = w->module;
	if ((r = cmdline_settings(set, (char **)&s->cmdline)) < 0 ||
	    (r = cmdline_encode_env(secret, w->env, s->argv, FLEET_WORDS_MAX,
	    &words)) < 0)
		return r;
	r = module_stage(w->module, image, words);
	free(words);
	return r;
}

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
	if (!ours) {		/* no sockets of ours: no files either */
		free(w->files);
		w->files = NULL;
	}
	s.cmdline = NULL;
	if ((r = spec_fill(a, image, name, net, w, ours ? l->dir : NULL, &s,
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
	if (fd < 0) {		/* a pool VM without a file port */
		free(w->files);
		w->files = NULL;
	}
	w->claimed = 1;
	if ((r = spec_fill(a, image, p->name, NULL, w, NULL, &s, dflt)) < 0 ||
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
