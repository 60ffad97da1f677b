/* resolve.c: which libvirt a connection uses, and the embedded
 * driver's set-up */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <fleet/discover.h>
#include "internal.h"

#define LOCAL_SOCK	"/run/libvirt/libvirt-sock"
#define OPEN_DISCOVER_MS	1500	/* about 1 s is avahi's all-for-now */

static int
answers(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ok;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* A router chosen already: $FLEET_CTL, or this machine's own fleetd. */
static int
router_chosen(void)
{
	const char *ctl = getenv("FLEET_CTL");

	return (ctl != NULL && *ctl != '\0') || answers(FLEET_CTL_DEFAULT);
}

/*
 * The DNS-SD step: the router named $FLEET_ROUTER (fsh -H), else the
 * first to answer unless one is chosen. *uripp NULL: none, fall back.
 */
static int
discover_fleetd(char **uripp, char **routerp)
{
	const char *want = getenv("FLEET_ROUTER");
	struct fleet_router r;
	int e;

	*uripp = *routerp = NULL;
	if (want != NULL && *want == '\0')
		want = NULL;
	if (want == NULL && router_chosen())
		return 0;
	if ((e = fleet_discover_one(want, want ? FLEET_DISCOVER_MS :
	    OPEN_DISCOVER_MS, &r)) < 0) {
		if (want != NULL)
			return e;
		debug_note("%s; falling back to the local libvirt",
		    fleet_last_error());
		fleet_clearerr();
		return 0;
	}
	debug_note("DNS-SD: router %s at %s (%s)", r.name, r.address, r.uri);
	if ((*routerp = strdup(r.name)) == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	/* this machine's own router fronts its local libvirt */
	if (r.local || r.uri[0] == '\0')
		return 0;
	ctl_set_found(r.ctl);
	return (*uripp = strdup(r.uri)) ? 0 :
	    fleet_seterr(-ENOMEM, "out of memory");
}

static int
mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * The embedded driver's qemu.conf, written once: no relabelling or
 * chown of the user's image files, and root's QEMU stays root.
 */
void
embed_conf(const char *uri)
{
	static const char *names[] = { "etc/qemu.conf", "etc/qemu/qemu.conf" };
	const char *root = strstr(uri, "root=");
	char *path, *slash;
	FILE *f;
	size_t i;

	for (i = 0; root != NULL && i < 2; i++) {
		if (asprintf(&path, "%.*s/%s", (int)strcspn(root + 5, "&"),
		    root + 5, names[i]) == -1)
			return;
		slash = strrchr(path, '/');
		*slash = '\0';
		mkdirs(path);
		*slash = '/';
		if (access(path, F_OK) != 0 && (f = fopen(path, "w")) != NULL) {
			fputs("# written by libfleet\ndynamic_ownership = 0\n"
			    "remember_owner = 0\nsecurity_driver = \"none\"\n",
			    f);
			if (geteuid() == 0)
				fputs("user = \"root\"\ngroup = \"root\"\n"
				    "namespaces = [ ]\n", f);
			fclose(f);
		}
		free(path);
	}
}

static char *
embed_uri(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir = NULL, *uri = NULL;

	if (geteuid() == 0)
		dir = strdup("/var/lib/fleet/embed");
	else if (xdg != NULL && *xdg == '/')
		asprintf(&dir, "%s/fleet/embed", xdg);
	else if (home != NULL)
		asprintf(&dir, "%s/.local/state/fleet/embed", home);
	if (dir == NULL)
		return NULL;
	if (mkdirs(dir) == 0 && asprintf(&uri, "qemu:///embed?root=%s",
	    dir) == -1)
		uri = NULL;
	free(dir);
	return uri;
}

/*
 * In this order: uri, $FLEET_URI, a fleetd found by DNS-SD, the local
 * libvirtd (a connect to its socket, without libvirt: an old socket file
 * with no daemon behind it refuses), the embedded driver. *uripp is
 * malloc'd, and so is *routerp: the DNS-SD name of the router, or NULL.
 */
int
resolve_uri(const char *uri, char **uripp, char **routerp)
{
	char *found = NULL;
	int r;

	*routerp = NULL;
	if (uri == NULL)
		uri = getenv("FLEET_URI");
	if (uri != NULL && *uri != '\0')
		found = strdup(uri);
	else if ((r = discover_fleetd(&found, routerp)) < 0)
		return r;
	else if (found == NULL && answers(LOCAL_SOCK))
		found = strdup(SYSTEM_URI);
	else if (found == NULL && (found = embed_uri()) == NULL)
		return fleet_seterr(-ENOMEM, "embedded driver: no state "
		    "directory");
	if (found == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	*uripp = found;
	return 0;
}
