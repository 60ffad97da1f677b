/* request.c: what each control request does (docs/protocol.md, section 6) */
#include <arpa/inet.h>
#include <errno.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fleet/fleet.h>
#include <fleet/argv.h>
#include "core.h"
#include "control.h"
#include "router.h"
#include "request.h"


/* Who may ask (SO_PEERCRED; protocol.md, section 6). */
enum who {
	ANYONE,			/* TCP too */
	LOCAL,			/* any user on the unix socket */
	ROOT,			/* local root, or fleetd's own uid */
};

struct request {
	const char *name;
	int min, max;		/* words after the name */
	enum who who;
	bool in_tx;		/* allowed between begin and commit */
	int (*fn)(struct control *, struct client *, char **, int);
	const char *usage;
};

int
req_fail(struct client *cl, int code)
{
	return client_reply(cl, "err %s %s", fleet_ctl_errname(code),
	    fleet_last_error());
}

int
req_ping(struct control *c, struct client *cl, char **w, int n)
{
	return client_reply(cl, "ok fleetd %s", FLEET_VERSION);
}


/*
 * A claim is a connection's own (run, detach and recycle name only its
 * claims),
 * its VM runs an image root pooled, and its owner is the claimer: any
 * local user may. create takes domain XML from the client (disks, host
 * devices, any kernel): root only, as are leases and flows.
 */
static const struct request requests[] = {
	{ "abort", 0, 0, ANYONE, true, req_abort, "" },
	{ "allow", 3, 3, ROOT, true, req_allow, "SRC DST PROTO/PORT" },
	{ "begin", 0, 0, ROOT, false, req_begin, "" },
	{ "claim", 1, 1, LOCAL, false, req_claim, "IMAGE" },
	{ "commit", 0, 0, ROOT, true, req_commit, "" },
	{ "create", 2, 2, ROOT, false, req_create, "URI XML" },
	{ "detach", 1, 1, LOCAL, false, req_detach, "NAME" },
	{ "lease", 3, 3, ROOT, false, req_lease, "NAME PROGRAM IFNAME" },
	{ "list", 0, 0, ANYONE, false, req_list, "" },
	{ "ping", 0, 0, ANYONE, false, req_ping, "" },
	{ "pool", 0, 0, ANYONE, false, req_pool, "" },
	{ "recycle", 1, 1, LOCAL, false, req_recycle, "NAME" },
	{ "register", 5, 5, ROOT, false, req_register,
	    "NAME PROGRAM IFNAME MAC IP" },
	{ "release", 1, 1, ROOT, false, req_release, "NAME" },
	{ "revoke", 1, 3, ROOT, true, req_revoke, "SRC DST PROTO/PORT | ID" },
	{ "run", 3, WORDS_MAX - 1, LOCAL, false, req_run,
	    "NAME fg|bg WORD..." },
	{ "services", 0, 0, ANYONE, false, req_services, "" },
	{ "vms", 0, 0, ANYONE, false, req_vms, "" },
};

static const struct request *
lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		if (strcmp(requests[i].name, name) == 0)
			return &requests[i];
	return NULL;
}

static int
split(char *line, char **w)
{
	char *save = NULL, *p;
	int n = 0;

	for (p = strtok_r(line, " \t", &save); p;
	    p = strtok_r(NULL, " \t", &save)) {
		if (n == WORDS_MAX)
			return -1;
		w[n++] = p;
	}
	return n;
}

static int
check(const struct request *q, struct client *cl, int n)
{
	bool known = cl->local && cl->uid != (uid_t)-1;

	if (q->who == ROOT && (!known ||
	    (cl->uid != 0 && cl->uid != geteuid())))
		return fleet_seterr(-EPERM, "%s: only local root may change "
		    "fleetd", q->name);
	if (q->who == LOCAL && !known)
		return fleet_seterr(-EPERM, "%s: only on fleetd's unix socket",
		    q->name);
	if (cl->tx && !q->in_tx)
		return fleet_seterr(-EBUSY, "%s: not allowed between begin "
		    "and commit", q->name);
	if (n < q->min || n > q->max || (q->fn == req_revoke && n == 2))
		return fleet_seterr(-EINVAL, "usage: %s %s", q->name,
		    q->usage);
	return 0;
}

/* Inside a transaction, failures are kept for commit, not replied. */
static void
tx_fail(struct client *cl, int r)
{
	if (cl->txerr == 0) {
		cl->txerr = r;
		snprintf(cl->txmsg, sizeof(cl->txmsg), "line %zu: %s",
		    cl->txline, fleet_last_error());
	}
}

void
control_request(struct control *c, struct client *cl, char *line)
{
	const struct request *q;
	char *w[WORDS_MAX];
	int n, r;
	bool tx;

	fleet_clearerr();
	if ((n = split(line, w)) <= 0) {
		r = n == 0 ? fleet_seterr(-EINVAL, "empty request") :
		    fleet_seterr(-EINVAL, "too many words");
		q = NULL;
	} else if ((q = lookup(w[0])) == NULL) {
		r = fleet_seterr(-EINVAL, "unknown request \"%s\"", w[0]);
	} else {
		r = check(q, cl, n - 1);
	}
	tx = cl->tx != NULL && (q == NULL || (q->fn != req_commit &&
	    q->fn != req_abort));
	if (tx)
		cl->txline++;
	if (r == 0)
		r = q->fn(c, cl, w + 1, n - 1);
	if (r < 0 && tx && cl->tx)
		tx_fail(cl, r);
	else if (r < 0)
		req_fail(cl, r);
}
