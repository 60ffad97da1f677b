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

#define WORDS_MAX	1024	/* run's argv; the others take at most 5 */

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

static int
fail(struct client *cl, int code)
{
	return client_reply(cl, "err %s %s", fleet_ctl_errname(code),
	    fleet_last_error());
}

/* A copy of the state to change, or the open transaction's. */
static int
begin_change(struct control *c, struct client *cl, struct state **np)
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
static int
end_change(struct control *c, struct client *cl, struct state *next,
    const char *text)
{
	int r;

	if (cl->tx)
		return 0;
	r = change_apply(c->s, next);
	free(next);
	return r < 0 ? fail(cl, r) : client_reply(cl, "ok%s%s",
	    *text ? " " : "", text);
}

static void
drop_change(struct client *cl, struct state *next)
{
	if (next != cl->tx) {
		state_free(next);
		free(next);
	}
}

static int
req_allow(struct control *c, struct client *cl, char **w, int n)
{
	struct state *next = NULL;
	struct fleet_flow f;
	char buf[32];
	int r;

	if ((r = fleet_flow_parse(&f, w[0], w[1], w[2])) < 0)
		return r;
	if ((r = begin_change(c, cl, &next)) < 0)
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
	return end_change(c, cl, next, buf);
fail:
	drop_change(cl, next);
	return r;
}

static int
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
	if ((r = begin_change(c, cl, &next)) < 0)
		return r;
	found = n == 1 ? state_flow_by_id(next, (unsigned)id) :
	    state_find_flow(next, &f);
	if (found == NULL) {
		r = n == 1 ? fleet_seterr(-ENOENT, "no flow with id %s", w[0]) :
		    fleet_seterr(-ENOENT, "no flow \"%s %s %s\"", w[0], w[1],
		    w[2]);
		drop_change(cl, next);
		return r;
	}
	snprintf(buf, sizeof(buf), "%u", found->id);
	state_del_flow(next, found);
	return end_change(c, cl, next, buf);
}

static int
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

static int
req_begin(struct control *c, struct client *cl, char **w, int n)
{
	int r;

	if (cl->tx)
		return fleet_seterr(-EBUSY, "a transaction is open already");
	if ((r = begin_change(c, cl, &cl->tx)) < 0)
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

static int
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

static int
req_abort(struct control *c, struct client *cl, char **w, int n)
{
	if (cl->tx)
		tx_end(cl);
	return client_reply(cl, "ok");
}

static int
req_ping(struct control *c, struct client *cl, char **w, int n)
{
	return client_reply(cl, "ok fleetd %s", FLEET_VERSION);
}


/* NAME of a VM: [A-Za-z0-9_.-], 1..63 characters; IFNAME 1..15, no '/'. */
static int
check_vm_words(const char *name, const char *program, const char *ifname)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", name[i]))
			break;
	if (n == 0 || n >= FLEET_NAME_MAX || i < n)
		return fleet_seterr(-EINVAL, "VM name \"%s\": 1..%d of "
		    "[A-Za-z0-9_.-]", name, FLEET_NAME_MAX - 1);
	if (fleet_flow_check_name(program) < 0 ||
	    strcmp(program, "router") == 0) {
		fleet_clearerr();
		return fleet_seterr(-EINVAL, "program \"%s\" cannot be a "
		    "program name", program);
	}
	if (!*ifname || strlen(ifname) >= IFNAMSIZ || strchr(ifname, '/'))
		return fleet_seterr(-EINVAL, "interface name \"%s\": 1..%d "
		    "characters", ifname, IFNAMSIZ - 1);
	return 0;
}

static int
reply_lease(struct client *cl, const struct state *s, const struct vm *v)
{
	char ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], mac[18];

	inet_ntop(AF_INET, &v->ip, ip, sizeof(ip));
	inet_ntop(AF_INET, &s->net.addr, gw, sizeof(gw));
	mac_format(v->mac, mac);
	return client_reply(cl, "ok %s/%u %s %s %s", ip, s->net.prefix, gw, mac,
	    s->net.bridge);
}

/* Bind v (its address and MAC set, or to be leased) and apply. */
static int
add_vm(struct control *c, struct client *cl, struct vm *v, bool leased)
{
	struct state *next = NULL;
	size_t i;
	int r;

	if (state_find_vm(c->s, v->name))
		return fleet_seterr(-EEXIST, "VM %s is registered already",
		    v->name);
	for (i = 0; i < c->s->nvms; i++)
		if (strcmp(c->s->vms[i].ifname, v->ifname) == 0)
			return fleet_seterr(-EEXIST, "interface %s is VM "
			    "%s's", v->ifname, c->s->vms[i].name);
	if (leased) {
		if ((r = lease_alloc(c->s, &v->ip)) < 0)
			return r;
		lease_mac(v->ip, v->mac);
	}
	if ((r = lease_check(c->s, v->ip, v->mac)) < 0 ||
	    (r = begin_change(c, cl, &next)) < 0)
		return r;
	if ((r = state_add_vm(next, v)) < 0) {
		drop_change(cl, next);
		return r;
	}
	if ((r = change_apply(c->s, next)) < 0) {
		free(next);
		return r;
	}
	free(next);
	return reply_lease(cl, c->s, state_find_vm(c->s, v->name));
}

/* NAME PROGRAM IFNAME, checked, into v. */
static int
vm_words(struct vm *v, char **w)
{
	int r;

	if ((r = check_vm_words(w[0], w[1], w[2])) < 0)
		return r;
	memset(v, 0, sizeof(*v));
	strcpy(v->name, w[0]);
	strcpy(v->program, w[1]);
	strcpy(v->ifname, w[2]);
	return 0;
}

static int
req_lease(struct control *c, struct client *cl, char **w, int n)
{
	struct vm v;
	int r;

	return (r = vm_words(&v, w)) < 0 ? r : add_vm(c, cl, &v, true);
}

static int
req_register(struct control *c, struct client *cl, char **w, int n)
{
	struct vm v;
	int r;

	if ((r = vm_words(&v, w)) < 0)
		return r;
	if ((r = mac_parse(w[3], v.mac)) < 0)
		return r;
	if (inet_pton(AF_INET, w[4], &v.ip) != 1)
		return fleet_seterr(-EINVAL, "\"%s\" is not an IPv4 address",
		    w[4]);
	return add_vm(c, cl, &v, false);
}

static int
req_release(struct control *c, struct client *cl, char **w, int n)
{
	int r = change_release_vm(c->s, w[0]);

	return r < 0 ? r : client_reply(cl, "ok");
}

static int
req_vms(struct control *c, struct client *cl, char **w, int n)
{
	char ip[INET_ADDRSTRLEN], mac[18];
	const struct vm *v;
	size_t i;

	for (i = 0; i < c->s->nvms; i++) {
		v = &c->s->vms[i];
		inet_ntop(AF_INET, &v->ip, ip, sizeof(ip));
		mac_format(v->mac, mac);
		if (client_reply(cl, "vm %s %s %s %s %s", v->name, v->program,
		    v->ifname, mac, ip) < 0)
			return 0;
	}
	return client_reply(cl, "ok %zu", c->s->nvms);
}

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

static int
req_claim(struct control *c, struct client *cl, char **w, int n)
{
	char name[FLEET_NAME_MAX];
	int fds[POOL_FDS], i, nfds, r;

	if (c->pool == NULL)
		return fleet_seterr(-ENOENT, "no warm pool here (fleetd "
		    "--pool)");
	if ((r = claims_room(cl)) < 0 ||
	    (r = nfds = pool_claim(c->pool, w[0], name, fds)) < 0)
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
static int
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
claim_drop(struct control *c, struct client *cl, size_t i)
{
	pool_release(c->pool, cl->claims[i], false);
	memcpy(cl->claims[i], cl->claims[--cl->nclaims], FLEET_NAME_MAX);
}

static int
req_detach(struct control *c, struct client *cl, char **w, int n)
{
	int i;

	if ((i = claim_index(cl, w[0])) < 0)
		return i;
	claim_drop(c, cl, (size_t)i);
	return client_reply(cl, "ok");
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
static int
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
reply_idle(const char *name, const char *path, void *arg)
{
	client_reply(arg, "idle %s %s", name, path);
}

static int
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

/*
 * A claim is a connection's own (run and detach name only its claims),
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
	{ "register", 5, 5, ROOT, false, req_register,
	    "NAME PROGRAM IFNAME MAC IP" },
	{ "release", 1, 1, ROOT, false, req_release, "NAME" },
	{ "revoke", 1, 3, ROOT, true, req_revoke, "SRC DST PROTO/PORT | ID" },
	{ "run", 3, WORDS_MAX - 1, LOCAL, false, req_run,
	    "NAME fg|bg WORD..." },
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
		fail(cl, r);
}
