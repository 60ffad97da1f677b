/* listen.c: fleetd's listening sockets (control port, libvirt proxy) */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "core.h"
#include "router.h"

/* The socket's directory (/run/fleet) is fleetd's to make, as a daemon
 * makes its /run/NAME: /run is empty at every boot. */
static int
make_socket_dir(const char *what, const char *path)
{
	char *dir, *slash;
	int r = 0;

	if ((dir = strdup(path)) == NULL)
		return fleet_seterr(-ENOMEM, "%s: out of memory", what);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		/* 0755 whatever the umask: every user may reach the socket */
		if ((mkdir(dir, 0755) < 0 || chmod(dir, 0755) < 0) &&
		    errno != EEXIST)
			r = fleet_seterr(-errno, "%s: cannot create the "
			    "socket's directory %s: %s", what, dir,
			    strerror(errno));
	}
	free(dir);
	return r;
}

/* A unix socket every user may connect to (0666): what each may ask is
 * fleetd's to decide. flags: SOCK_NONBLOCK, say. */
int
listen_unix(const char *what, const char *path, int backlog, int flags)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof(sun.sun_path))
		return fleet_seterr(-ENAMETOOLONG, "%s: %s: path too long",
		    what, path);
	if ((r = make_socket_dir(what, path)) < 0)
		return r;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0)) < 0)
		return fleet_seterr(-errno, "%s: socket: %s", what,
		    strerror(errno));
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(path, 0666) < 0 || listen(fd, backlog) < 0) {
		r = errno;
		close(fd);
		return fleet_seterr(-r, "%s: %s: %s", what, path, strerror(r));
	}
	return fd;
}

/* TCP on addr (network order) and port. */
int
listen_tcp(const char *what, uint32_t addr, int port, int backlog,
    int flags)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port), .sin_addr.s_addr = addr };
	int fd, one = 1, e;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0)) < 0)
		return fleet_seterr(-errno, "%s: socket: %s", what,
		    strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, backlog) < 0) {
		e = errno;
		close(fd);
		return fleet_seterr(-e, "%s: tcp port %d: %s", what, port,
		    strerror(e));
	}
	return fd;
}
