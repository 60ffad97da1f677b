/* req-pool.c: the warm pool's requests: claim, create, run, detach,
 * pool (docs/protocol.md, 6.1 and 6.2) */
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

/* Room for one more claim on cl's list. */
static int
claims_room(struct client *cl)
{
	void *v = realloc(cl->claims, (cl->nclaims + 1) * sizeof(*cl->claims));

	if (v == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	cl->claims = v;
	return 0;
}

int
req_claim(struct control *c, struct client *cl, char **w, int n)
{
	char name[FLEET_NAME_MAX];
	int fds[POOL_FDS], i, nfds, r;

	if (c->pool == NULL)
		return fleet_seterr(-ENOENT, "no warm pool here (fleetd "
		    "--pool)");
	if ((r = claims_room(cl)) < 0 ||
	    (r = nfds = pool_claim(c->pool, w[0], cl->uid, name, fds)) < 0)
		return r;
	strcpy(cl->claims[cl->nclaims++], name);
	/* its consoles travel with the reply: the claimer opens none */
	if ((r = client_reply(cl, "ok %s %s", name, pool_uri(c->pool))) == 0)
		r = client_flush_fds(cl, fds, (size_t)nfds);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	return r;
}

/* create URI XML: a cold spawn for a local client (pool_adopt), which
 * then holds the VM as it would a claimed one. URI is the libvirt the
 * client was asked to use: on another, nothing is created. */
int
req_create(struct control *c, struct client *cl, char **w, int n)
{
	char name[FLEET_NAME_MAX], *uri = NULL, *xml = NULL;
	int r;

	if (c->pool == NULL)
		return fleet_seterr(-ENOENT, "no libvirt here (fleetd -L)");
	if (fleet_word_decode(w[0], &uri) < 0 ||
	    fleet_word_decode(w[1], &xml) < 0) {
		r = fleet_seterr(-EINVAL, "create: bad word");
		goto out;
	}
	if (strcmp(uri, pool_uri(c->pool)) != 0) {
		r = fleet_seterr(-ENOENT, "create: fleetd's libvirt is %s, not "
		    "%s", pool_uri(c->pool), uri);
		goto out;
	}
	if ((r = claims_room(cl)) < 0 ||
	    (r = pool_adopt(c->pool, xml, name)) < 0)
		goto out;
	strcpy(cl->claims[cl->nclaims++], name);
	r = client_reply(cl, "ok %s %s", name, pool_uri(c->pool));
out:
	free(uri);
	free(xml);
	return r;
}

/* Which of this connection's claims is name: its index, or -ENOENT. */
static int
claim_index(struct client *cl, const char *name)
{
	size_t i;

	for (i = 0; i < cl->nclaims; i++)
		if (strcmp(cl->claims[i], name) == 0)
			return (int)i;
	return fleet_seterr(-ENOENT, "%s: not claimed on this connection",
	    name);
}

static void
claim_forget(struct client *cl, size_t i)
{
	memcpy(cl->claims[i], cl->claims[--cl->nclaims], FLEET_NAME_MAX);
}

static void
claim_drop(struct control *c, struct client *cl, size_t i)
{
	pool_release(c->pool, cl->claims[i], false);
	claim_forget(cl, i);
}

int
req_detach(struct control *c, struct client *cl, char **w, int n)
{
	int i;

	if ((i = claim_index(cl, w[0])) < 0)
		return i;
	claim_drop(c, cl, (size_t)i);
	return client_reply(cl, "ok");
}

/* recycle NAME: NAME's program exited and it was told `again`; it goes
 * back to the pool for this user (pool_recycle), off this connection. */
int
req_recycle(struct control *c, struct client *cl, char **w, int n)
{
	int i, r;

	if ((i = claim_index(cl, w[0])) < 0)
		return i;
	if ((r = pool_recycle(c->pool, w[0], cl->uid)) < 0)
		return r;
	claim_forget(cl, (size_t)i);
	if ((r = client_reply(cl, "ok")) == 0)
		r = client_flush(cl);
	pool_recycled(c->pool, w[0]);
	return r;
}

/* The metadata libfleet's spawn would give it: its claimer's. */
static int
run_meta(struct control *c, struct client *cl, char **w, int n,
    char **xmlp)
{
	struct vm_spec s = { 0 };
	char **argv = calloc((size_t)n - 1, sizeof(*argv));
	int i, r = 0;

	if (argv == NULL)
		return fleet_seterr(-ENOMEM, "out of memory");
	for (i = 2; i < n && r == 0; i++)
		if (fleet_word_decode(w[i], &argv[i - 2]) < 0)
			r = fleet_seterr(-EINVAL, "run: bad word \"%s\"", w[i]);
	s.name = w[0];
	s.argv = argv;
	s.owner_uid = cl->uid;
	s.parent_pid = (long)cl->pid;
	s.start_time = time(NULL);
	s.detached = strcmp(w[1], "bg") == 0;
	if (r == 0 && (r = pool_program(c->pool, w[0], &s.program,
	    &s.image)) == 0)
		r = domxml_meta(&s, xmlp);
	for (i = 0; i < n - 2; i++)
		free(argv[i]);
	free(argv);
	return r;
}

/*
 * run NAME fg|bg WORD...: the claimer holds the consoles; fleetd resumes
 * the VM and gives it the claimer's metadata (argv, owner, parent), for
 * a background VM before answering, and lets it outlive the connection.
 */
int
req_run(struct control *c, struct client *cl, char **w, int n)
{
	char *xml = NULL;
	int i, r;

	if ((i = claim_index(cl, w[0])) < 0)
		return i;
	if (strcmp(w[1], "fg") != 0 && strcmp(w[1], "bg") != 0)
		return fleet_seterr(-EINVAL, "run: \"%s\" is not fg or bg",
		    w[1]);
	if ((r = run_meta(c, cl, w, n, &xml)) < 0 ||
	    (r = pool_resume(c->pool, w[0])) < 0)
		goto out;
	if (strcmp(w[1], "bg") == 0) {
		r = pool_set_meta(c->pool, w[0], xml);
		claim_drop(c, cl, (size_t)i);
		if (r == 0)
			r = client_reply(cl, "ok");
		goto out;
	}
	/* fleet-ps's view can follow; the program runs now */
	if ((r = client_reply(cl, "ok")) == 0 && client_flush(cl) == 0)
		pool_set_meta(c->pool, w[0], xml);
	fleet_clearerr();
out:
	free(xml);
	return r;
}

static void
reply_idle(const char *name, const char *path, long owner, void *arg)
{
	if (owner < 0)
		client_reply(arg, "idle %s %s", name, path);
	else
		client_reply(arg, "recycled %s %s %ld", name, path, owner);
}

int
req_pool(struct control *c, struct client *cl, char **w, int n)
{
	struct pool_stat ps;
	size_t i;

	for (i = 0; i < pool_images(c->pool); i++) {
		pool_info(c->pool, i, &ps);
		if (client_reply(cl, "pool %s %u %u %u %u %lu", ps.path,
		    ps.want, ps.idle, ps.booting, ps.claimed, ps.served) < 0)
			return 0;
	}
	if (c->pool != NULL)
		pool_idle(c->pool, reply_idle, cl);
	return client_reply(cl, "ok %zu", pool_images(c->pool));
}
