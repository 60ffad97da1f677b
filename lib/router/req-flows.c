/* req-flows.c: the flow requests: allow, revoke, list, and transactions
 * (docs/protocol.md, section 6) */
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

/* A copy of the state to change, or the open transaction's. */
int
req_change_begin(struct control *c, struct client *cl, struct state **np)
{
	int r;

	if (cl->tx) {
		*np = cl->tx;
		return 0;
	}
	if ((*np = malloc(sizeof(**np))) == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	if ((r = state_copy(*np, c->s)) < 0) {
		free(*np);
		*np = NULL;
	}
	return r;
}

/* Outside a transaction: apply next now and reply with text. */
int
req_change_end(struct control *c, struct client *cl, struct state *next,
    const char *text)
{
	int r;

	if (cl->tx)
		return 0;
	r = change_apply(c->s, next);
	free(next);
	return r < 0 ? req_fail(cl, r) : client_reply(cl, "ok%s%s",
	    *text ? " " : "", text);
}

void
req_change_drop(struct client *cl, struct state *next)
{
	if (next != cl->tx) {
		state_free(next);
		free(next);
	}
}

int
req_allow(struct control *c, struct client *cl, char **w, int n)
{
	struct state *next = NULL;
	struct fleet_flow f;
	char buf[32];
	int r;

	if ((r = fleet_flow_parse(&f, w[0], w[1], w[2])) < 0)
		return r;
	if ((r = req_change_begin(c, cl, &next)) < 0)
		return r;
	/* a transaction checks for duplicates once, at commit */
	if (!cl->tx && state_find_flow(next, &f)) {
		r = fleet_seterr(-EEXIST, "flow \"%s %s %s\" exists (id %u)",
		    w[0], w[1], w[2], state_find_flow(next, &f)->id);
		goto fail;
	}
	if ((r = state_add_flow(next, &f)) < 0)
		goto fail;
	snprintf(buf, sizeof(buf), "%u", next->flows[next->nflows - 1].id);
	return req_change_end(c, cl, next, buf);
fail:
	req_change_drop(cl, next);
	return r;
}

int
req_revoke(struct control *c, struct client *cl, char **w, int n)
{
	struct state *next = NULL;
	struct fleet_flow f, *found;
	char *end, buf[32];
	unsigned long id = 0;
	int r;

	if (n == 1) {
		id = strtoul(w[0], &end, 10);
		if (*end || id == 0 || id > 0xffffffffUL)
			return fleet_seterr(-EINVAL, "\"%s\" is not a flow id",
			    w[0]);
	} else if ((r = fleet_flow_parse(&f, w[0], w[1], w[2])) < 0) {
		return r;
	}
	if ((r = req_change_begin(c, cl, &next)) < 0)
		return r;
	found = n == 1 ? state_flow_by_id(next, (unsigned)id) :
	    state_find_flow(next, &f);
	if (found == NULL) {
		r = n == 1 ? fleet_seterr(-ENOENT, "no flow with id %s", w[0]) :
		    fleet_seterr(-ENOENT, "no flow \"%s %s %s\"", w[0], w[1],
		    w[2]);
		req_change_drop(cl, next);
		return r;
	}
	snprintf(buf, sizeof(buf), "%u", found->id);
	state_del_flow(next, found);
	return req_change_end(c, cl, next, buf);
}

int
req_list(struct control *c, struct client *cl, char **w, int n)
{
	char buf[3 * FLEET_NAME_MAX + 32];
	size_t i;

	for (i = 0; i < c->s->nflows; i++) {
		fleet_flow_format(&c->s->flows[i], buf, sizeof(buf));
		if (client_reply(cl, "flow %u %s", c->s->flows[i].id, buf) < 0)
			return 0;
	}
	return client_reply(cl, "ok %zu", c->s->nflows);
}

int
req_begin(struct control *c, struct client *cl, char **w, int n)
{
	int r;

	if (cl->tx)
		return fleet_seterr(-EBUSY, "a transaction is open already");
	if ((r = req_change_begin(c, cl, &cl->tx)) < 0)
		return r;
	cl->txline = 0;
	cl->txerr = 0;
	return client_reply(cl, "ok");
}

static void
tx_end(struct client *cl)
{
	state_free(cl->tx);
	free(cl->tx);
	cl->tx = NULL;
}

int
req_commit(struct control *c, struct client *cl, char **w, int n)
{
	struct state *next = cl->tx;
	size_t lines = cl->txline;
	int r;

	if (next == NULL)
		return fleet_seterr(-EPROTO, "commit without begin");
	if (cl->txerr) {
		r = fleet_seterr(cl->txerr, "%s", cl->txmsg);
		tx_end(cl);
		return r;
	}
	if ((r = state_check_dups(next)) < 0) {
		tx_end(cl);
		return r;
	}
	cl->tx = NULL;
	r = change_apply(c->s, next);
	free(next);
	return r < 0 ? r : client_reply(cl, "ok %zu", lines);
}

int
req_abort(struct control *c, struct client *cl, char **w, int n)
{
	if (cl->tx)
		tx_end(cl);
	return client_reply(cl, "ok");
}
