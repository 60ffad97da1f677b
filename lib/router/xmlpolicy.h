/* xmlpolicy.h: the domain XML a VM-side client may create through
 * fleetd's libvirt proxy (docs/proxy.md, "What a VM may create") */
#ifndef FLEET_XMLPOLICY_H
#define FLEET_XMLPOLICY_H

#include <stddef.h>

#define XMLPOLICY_MAX	(1024 * 1024)	/* bytes of domain XML, at most */
#define XMLPOLICY_BRIDGE	"fleet0"

/*
 * Where a domain's files may be. Each list is NULL-terminated; a NULL
 * list admits nothing. An entry is a directory (a path below it is in)
 * or a file (that path alone); paths are compared as given and again
 * with their directories' symbolic links resolved. A NULL policy admits
 * no file, socket or firmware, and the bridge fleet0.
 */
struct xmlpolicy {
	const char *const *image_dirs;	/* <kernel>, <initrd> */
	const char *const *socket_dirs;	/* unix chardevs' <source path> */
	const char *const *loaders;	/* firmware <loader> may name (fleet's
					 * is domxml_loader()), or NULL: none */
	const char *bridge;		/* the one an <interface> may join;
					 * NULL: XMLPOLICY_BRIDGE */
};

/*
 * 0 if a VM-side client may create the domain xml (len bytes, no NUL in
 * them) describes: only the elements and attributes fleet's own domain
 * XML has (lib/domxml.c), with the values fleet gives them. Otherwise
 * -EACCES, with fleet_last_error() naming what is refused ("denied by
 * fleet policy: <disk>"), -EINVAL for XML that does not parse (or
 * -ENOMEM).
 * Clears the last error first. Parses with libxml2 and prints nothing.
 */
int	xmlpolicy_check(const char *xml, size_t len,
	    const struct xmlpolicy *pol);

/* fleet's own policy, for fleetd's proxy (xmlpolicy-fleet.c): 0, or
 * -ENOMEM. The lists pol points to live as long as the process. */
int	xmlpolicy_fleet(struct xmlpolicy *pol, const char *bridge);

/* Inside the check (xmlpolicy.c, xmlpolicy-path.c): */
/* -EACCES, "denied by fleet policy: " and what (control bytes as '?'). */
int	xmlpolicy_deny(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* 0 if path is plain, in dirs, and still once its directory's links
 * are resolved (a socket: and no link itself); else xmlpolicy_deny()
 * naming what ("<kernel>") and kind ("an image directory"). */
int	xmlpath_check(const char *what, const char *path,
	    const char *const *dirs, const char *kind, int socket);
/* 1 if path, in dirs, is a socket of domain name's own. */
int	xmlpath_own_socket(const char *path, const char *const *dirs,
	    const char *name);

#endif
