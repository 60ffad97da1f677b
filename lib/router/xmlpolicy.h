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
 * with symbolic links resolved.
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
 * fleet policy: <disk>"), or -EINVAL for XML that does not parse.
 * Clears the last error first. Parses with libxml2 and prints nothing.
 */
int	xmlpolicy_check(const char *xml, size_t len,
	    const struct xmlpolicy *pol);

#endif
