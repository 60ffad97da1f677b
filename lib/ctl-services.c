/* ctl-services.c: fleetd's services as its `services` request lists them
 * (protocol.md, 6) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fleet/ctl.h>
#include "internal.h"

struct list {
	struct fleet_service *v;
	size_t n;
};

/* `service NAME VM STATE RESTARTS` */
static int
one(const char *line, void *arg)
{
	struct list *l = arg;
	struct fleet_service s, *v;
	char end;

	memset(&s, 0, sizeof(s));
	if (sscanf(line, "service %63s %63s %15s %u%c", s.name, s.vm, s.state,
	    &s.restarts, &end) != 4)
		return fleet_seterr(-EPROTO, "fleetd: bad service line "
		    "\"%.80s\"", line);
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	l->v = v;
	l->v[l->n++] = s;
	return 0;
}

int
fleet_ctl_services(fleet_ctl *c, struct fleet_service **listp, size_t *np)
{
	struct list l = { NULL, 0 };
	int r;

	*listp = NULL;
	*np = 0;
	if ((r = fleet_ctl_call(c, "services", one, &l, NULL)) < 0) {
		free(l.v);
		return r;
	}
	*listp = l.v;
	*np = l.n;
	return 0;
}
