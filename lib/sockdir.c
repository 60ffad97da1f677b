/* sockdir.c: where a VM's console sockets live, and who may reach them */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "core.h"

/*
 * QEMU runs as libvirt-qemu on a stock qemu:///system: it must traverse
 * the directory of every socket it connects to or listens on, and libvirt's
 * DAC driver gives each socket to libvirt-qemu while the domain runs. So
 * the base directory is 0711 (search only) and a foreground VM's sockets
 * are 0600 in a directory of their own, which is private until they
 * exist: nobody but QEMU (and root) can connect to them. The base:
 *	root			/run/libvirt/fleet
 *	a user, system URI	/tmp/fleet-UID (their runtime directory is 0700)
 *	a user, session URI	$XDG_RUNTIME_DIR/libvirt/fleet (QEMU is them)
 * A VM's private directory is BASE/NAME.PID: when PID is gone, whoever
 * comes next with the same rights removes what it left.
 */
#define BASE_MODE	0711
#define ACCEPT_MS	5000	/* QEMU connects as it starts: at once */

static const char *const suffix[ST_N] = { "com1", "com2", "ctl", "stdio",
    "files" };

static int
session_uri(const char *uri)
{
	return strncmp(uri, "qemu:///session", 15) == 0;
}

/* dir exists, is ours, and nobody else may write it; made if missing. */
static int
own_dir(const char *dir, mode_t mode)
{
	struct stat st;

	if (mkdir(dir, mode) == -1 && errno != EEXIST)
		return -1;
	if (lstat(dir, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		errno = EPERM;
		return -1;
	}
	if ((st.st_mode & 07777) != mode && chmod(dir, mode) == -1)
		return -1;
	return 0;
}

/* The base directory for uri: 1 with it in buf, 0 when the VM's consoles
 * are not on sockets (remote URIs, FLEET_CONSOLE=serial). */
static int
base_dir(const char *uri, char *buf, size_t n)
{
	const char *v = getenv("FLEET_CONSOLE"), *xdg;
	int k;

	if ((v != NULL && strcmp(v, "serial") == 0) ||
	    uri == NULL || strncmp(uri, "qemu:///", 8) != 0)
		return 0;
	if (geteuid() == 0) {
		(void)mkdir("/run/libvirt", 0755);
		k = snprintf(buf, n, "%s", SOCKDIR_ROOT);
	} else if (session_uri(uri)) {
		if ((xdg = getenv("XDG_RUNTIME_DIR")) == NULL)
			return 0;
		k = snprintf(buf, n, "%s/libvirt", xdg);
		if (k < 0 || (size_t)k >= n)
			return 0;
		(void)mkdir(buf, 0700);
		k = snprintf(buf, n, "%s/libvirt/fleet", xdg);
	} else
		k = snprintf(buf, n, "/tmp/fleet-%u", (unsigned)geteuid());
	if (k < 0 || (size_t)k >= n)
		return 0;
	return own_dir(buf, session_uri(uri) ? 0700 : BASE_MODE) == 0;
}

/*
 * The path of a socket QEMU listens on for a VM's stdio (a detached or
 * pool VM's): 1 with it in buf, or 0 (base_dir()). Stdio is on a
 * virtio-serial port behind a unix socket on local connections: libvirt's
 * console streams cost a libvirtd round trip per pty read and moved
 * 0.2 MB/s (docs/benchmarks.md), and libvirt cannot stream such a
 * channel to a remote client, so remote URIs keep COM1.
 */
int
sockdir_stdio_path(const char *uri, const char *name, char *buf, size_t n)
{
	char base[80];
	int k;

	if (!base_dir(uri, base, sizeof(base)))
		return 0;
	k = snprintf(buf, n, "%s/%s", base, name);
	return k > 0 && (size_t)k < n;
}

/* A VM's socket directory, once its domain is gone (or never was). */
void
sockdir_remove(const char *dir)
{
	char path[PATH_MAX_SOCK];
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.' && snprintf(path, sizeof(path),
			    "%s/%s", dir, e->d_name) < (int)sizeof(path))
				(void)unlink(path);
		closedir(d);
	}
	(void)rmdir(dir);
}

/*
 * NAME.PID of a process that is gone, whose VM is gone too: libvirt gives
 * the sockets back to their owner (or root, where it could not remember
 * who that was) when the domain stops, and must find them then, or it
 * gives back nothing, the program's image included. So sockets still
 * someone else's belong to a VM that runs, unless older than STALE_S.
 */
#define STALE_S	600

static int
stale(const char *base, const char *entry, const char *unused)
{
	const char *dot = strrchr(entry, '.');
	char path[PATH_MAX_SOCK];
	struct stat st;
	char *end;
	long pid;

	if (dot == NULL || dot[1] == '\0')
		return 0;
	pid = strtol(dot + 1, &end, 10);
	if (*end != '\0' || pid <= 0 || pid == getpid() ||
	    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return 0;
	if (snprintf(path, sizeof(path), "%s/%s/%s", base, entry,
	    suffix[ST_VIRTIO]) >= (int)sizeof(path) || lstat(path, &st) == -1)
		return 1;
	return st.st_uid == geteuid() || st.st_uid == 0 ||
	    time(NULL) - st.st_mtime > STALE_S;
}

/* Remove each VM directory in base that pick() says is done with. */
static void
remove_where(const char *base, int (*pick)(const char *base,
    const char *entry, const char *arg), const char *arg)
{
	char path[PATH_MAX_SOCK];
	struct dirent *e;
	DIR *d;

	if ((d = opendir(base)) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if ((e->d_type == DT_DIR || e->d_type == DT_UNKNOWN) &&
		    e->d_name[0] != '.' && pick(base, e->d_name, arg) &&
		    snprintf(path, sizeof(path), "%s/%s", base, e->d_name) <
		    (int)sizeof(path))
			sockdir_remove(path);
	closedir(d);
}

/* NAME.PID for name, whatever PID. */
static int
named(const char *base, const char *entry, const char *name)
{
	size_t n = strlen(name);

	return strncmp(entry, name, n) == 0 && entry[n] == '.' &&
	    strspn(entry + n + 1, "0123456789") == strlen(entry + n + 1);
}

/*
 * The directories of root's VM called name, whoever spawned it (fleetd,
 * for a VM it created for a client and has destroyed).
 */
void
sockdir_remove_vm(const char *name)
{
	char base[80];

	if (base_dir("qemu:///system", base, sizeof(base)))
		remove_where(base, named, name);
}

/* Each spawn sweeps for what spawners killed before they could clean up
 * left behind. */
void
sockdir_sweep(const char *uri)
{
	char base[80];

	if (base_dir(uri, base, sizeof(base)))
		remove_where(base, stale, NULL);
}

/* A socket at path for QEMU to connect to (a chardev in connect mode),
 * 0600 before anyone can reach it: its fd, or -1 with errno set. */
static int
sock_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    chmod(path, 0600) == -1 || listen(fd, 1) == -1) {
		e = errno;
		close(fd);
		(void)unlink(path);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * The host ends of a foreground VM's consoles, COM1-COM3 then stdio:
 * sockets we listen on and QEMU connects to as it starts, so what the
 * guest writes waits in them until we read it, and the VM needs not
 * start paused for its consoles to be opened (protocol.md, 3.1).
 */
void
sockdir_listen_init(struct relay_listen *l)
{
	int i;

	l->dir[0] = '\0';
	for (i = 0; i < ST_N; i++)
		l->fd[i] = -1;
}

/* The listening sockets go; what QEMU connected stays connected. Their
 * files go too, unless sockdir_listen_keep() took them. */
void
sockdir_listen_close(struct relay_listen *l)
{
	int i;

	for (i = 0; i < ST_N; i++)
		if (l->fd[i] >= 0) {
			close(l->fd[i]);
			l->fd[i] = -1;
		}
	if (l->dir[0] != '\0')
		sockdir_remove(l->dir);
	l->dir[0] = '\0';
}

/* The files stay for whoever sweeps after us: a domain we walked away
 * from may yet use them. */
void
sockdir_listen_leave(struct relay_listen *l)
{
	l->dir[0] = '\0';
}

/* The files stay until the domain is gone (sockdir_remove(dir)). */
void
sockdir_listen_keep(struct relay_listen *l, char *dir, size_t n)
{
	snprintf(dir, n, "%s", l->dir);
	l->dir[0] = '\0';
}

/* 1 with the sockets listening (stdio's, the serial ports' with
 * LISTEN_SERIAL, the file port's with LISTEN_FILES), 0 when uri has no
 * console sockets, or a negative errno. */
int
sockdir_listen_open(struct relay_listen *l, const char *uri,
    const char *name, int what)
{
	char base[80];
	int i, k;

	if (!base_dir(uri, base, sizeof(base)))
		return 0;
	k = snprintf(l->dir, sizeof(l->dir), "%s/%s.%ld", base, name,
	    (long)getpid());
	if (k < 0 || (size_t)k >= sizeof(l->dir) ||
	    (mkdir(l->dir, 0700) == -1 && errno != EEXIST)) {
		l->dir[0] = '\0';
		return fleet_seterr(-errno, "console directory %s/%s: %s",
		    base, name, strerror(errno));
	}
	for (i = what & LISTEN_SERIAL ? 0 : ST_VIRTIO; i < ST_N; i++) {
		if (i == ST_FILES && !(what & LISTEN_FILES))
			continue;
		snprintf(l->path[i], sizeof(l->path[i]), "%s/%s", l->dir,
		    suffix[i]);
		if ((l->fd[i] = sock_listen(l->path[i])) < 0) {
			k = fleet_seterr(-errno, "console %s: %s", l->path[i],
			    strerror(errno));
			sockdir_listen_close(l);
			return k;
		}
	}
	if (chmod(l->dir, session_uri(uri) ? 0700 : BASE_MODE) == -1) {
		k = fleet_seterr(-errno, "console directory %s: %s", l->dir,
		    strerror(errno));
		sockdir_listen_close(l);
		return k;
	}
	return 1;
}

/* A failed create through fleetd may have left its QEMU's connections
 * waiting on our sockets: drop them before ours comes. */
void
sockdir_listen_drain(struct relay_listen *l)
{
	struct pollfd pfd = { .events = POLLIN };
	int i;

	for (i = 0; i < ST_N; i++)
		for (pfd.fd = l->fd[i]; poll(&pfd, 1, 0) == 1;)
			close(accept4(l->fd[i], NULL, NULL, SOCK_CLOEXEC));
}

/* Connect to a socket QEMU listens on; the path goes once we are in
 * (nobody else needs it). The fd, or -1 with errno set. */
int
sockdir_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	(void)unlink(path);
	return fd;
}

/* QEMU's connections, made as it started: fd[i] for each socket we
 * listen on, or -1. 0, or -EIO when one did not come. */
int
sockdir_listen_accept(struct relay_listen *l, int fd[ST_N])
{
	struct pollfd pfd = { .events = POLLIN };
	struct timespec start, now;
	int64_t left;
	int i, r = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	/* one deadline for them all: QEMU connects to each as it starts */
	for (i = 0; i < ST_N; i++) {
		fd[i] = -1;
		if ((pfd.fd = l->fd[i]) < 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ACCEPT_MS - clock_ms_since(&start, &now);
		if (poll(&pfd, 1, left > 0 ? (int)left : 0) == 1)
			fd[i] = accept4(l->fd[i], NULL, NULL,
			    SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd[i] < 0 && r == 0)
			r = fleet_seterr(-EIO, "console %s: QEMU did not "
			    "connect", l->path[i]);
	}
	return r;
}
