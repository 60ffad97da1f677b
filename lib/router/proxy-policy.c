/* proxy-policy.c: what a VM-side client of the proxy may call (default
 * deny), and what it sees of libvirt's replies and events */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "domtab.h"
#include "proxy.h"

/* How a procedure's arguments are checked. */
enum kind {
	K_PASS,		/* no domain in them */
	K_AUTH,		/* answered here: AUTH_NONE */
	K_OPEN,		/* the URI becomes fleetd's */
	K_DOM,		/* a remote_nonnull_domain first */
	K_BY_NAME, K_BY_UUID, K_BY_ID,
	K_CREATE,	/* domain XML, then flags */
	K_LIST,		/* list_all_domains: the reply is filtered */
	K_EVENT,	/* register_any: an event id */
	K_CB_EVENT,	/* callback_register_any: an event id, a domain or
			 * none */
};

/* remote_protocol.x's numbers (libvirt 9.0) */
enum {
	P_OPEN = 1, P_CLOSE = 2, P_GET_TYPE = 3, P_GET_VERSION = 4,
	P_NODE_INFO = 6, P_CAPABILITIES = 7, P_CREATE_XML = 10,
	P_DESTROY = 12, P_XML_DESC = 14, P_INFO = 16, P_BY_ID = 22,
	P_BY_NAME = 23, P_BY_UUID = 24, P_RESUME = 28, P_SHUTDOWN = 33,
	P_SUSPEND = 34, P_HOSTNAME = 59, P_FEATURE = 60, P_AUTH_LIST = 66,
	P_EVENT_LIFECYCLE = 107, P_GET_URI = 110, P_IS_SECURE = 149,
	P_IS_ACTIVE = 150, P_LIB_VERSION = 157, P_REGISTER_ANY = 167,
	P_DEREGISTER_ANY = 168, P_EVENT_REBOOT = 169, P_OPEN_CONSOLE = 201,
	P_STATE = 212, P_DESTROY_FLAGS = 234, P_SHUTDOWN_FLAGS = 258,
	P_SET_METADATA = 264, P_GET_METADATA = 265, P_LIST_ALL = 273,
	P_CB_REGISTER_ANY = 316, P_CB_DEREGISTER_ANY = 317,
	P_CB_EVENT_LIFECYCLE = 318, P_CB_EVENT_REBOOT = 319,
	P_CLOSE_CALLBACK = 360, P_CLOSE_UNCALLBACK = 361,
};

/* virDomainEventID: what libfleet follows */
#define EVENT_LIFECYCLE	0
#define EVENT_REBOOT	1

struct proc {
	int32_t proc;
	enum kind kind;
};

/* What libfleet and virsh's everyday commands call (grep vir[A-Z] lib/). */
static const struct proc procs[] = {
	{ P_OPEN, K_OPEN },		{ P_CLOSE, K_PASS },
	{ P_GET_TYPE, K_PASS },		{ P_GET_VERSION, K_PASS },
	{ P_NODE_INFO, K_PASS },	{ P_CAPABILITIES, K_PASS },
	{ P_CREATE_XML, K_CREATE },	{ P_DESTROY, K_DOM },
	{ P_XML_DESC, K_DOM },		{ P_INFO, K_DOM },
	{ P_BY_ID, K_BY_ID },		{ P_BY_NAME, K_BY_NAME },
	{ P_BY_UUID, K_BY_UUID },	{ P_RESUME, K_DOM },
	{ P_SHUTDOWN, K_DOM },		{ P_SUSPEND, K_DOM },
	{ P_HOSTNAME, K_PASS },		{ P_FEATURE, K_PASS },
	{ P_AUTH_LIST, K_AUTH },	{ P_GET_URI, K_PASS },
	{ P_IS_SECURE, K_PASS },	{ P_IS_ACTIVE, K_DOM },
	{ P_LIB_VERSION, K_PASS },	{ P_REGISTER_ANY, K_EVENT },
	{ P_DEREGISTER_ANY, K_PASS },	{ P_OPEN_CONSOLE, K_DOM },
	{ P_STATE, K_DOM },		{ P_DESTROY_FLAGS, K_DOM },
	{ P_SHUTDOWN_FLAGS, K_DOM },	{ P_SET_METADATA, K_DOM },
	{ P_GET_METADATA, K_DOM },	{ P_LIST_ALL, K_LIST },
	{ P_CB_REGISTER_ANY, K_CB_EVENT }, { P_CB_DEREGISTER_ANY, K_PASS },
	{ P_CLOSE_CALLBACK, K_PASS },	{ P_CLOSE_UNCALLBACK, K_PASS },
};

static const struct proc *
find_proc(int32_t proc)
{
	size_t i;

	for (i = 0; i < sizeof(procs) / sizeof(procs[0]); i++)
		if (procs[i].proc == proc)
			return &procs[i];
	return NULL;
}

/* The error reply the client prints: "denied by fleet policy: why". */
#define DENIED	"denied by fleet policy: "

static int
deny(const struct rpc_hdr *h, struct rpc_out *down, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
deny(const struct rpc_hdr *h, struct rpc_out *down, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), DENIED);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return rpc_error_frame(down, h, msg);
}

static const uint8_t *
body(const uint8_t *frame)
{
	return frame + RPC_FRAME_MIN;
}

static size_t
bodylen(const struct rpc_hdr *h)
{
	return h->len - RPC_FRAME_MIN;
}

/* A domain named in a call: a fleet name, and the table's for its UUID. */
static const char *
check_dom(const struct pol *p, const struct rpc_dom *d)
{
	const struct domtab_ent *e;

	if (!domtab_is_fleet(d->name, d->namelen))
		return "not a fleet domain";
	if ((e = domtab_by_uuid(p->dt, d->uuid)) == NULL)
		return "no fleet domain has its UUID";
	if (strlen(e->name) != d->namelen ||
	    memcmp(e->name, d->name, d->namelen) != 0)
		return "its UUID is another domain's";
	return NULL;
}

static int
deny_dom(const struct rpc_hdr *h, struct rpc_out *down,
    const struct rpc_dom *d, const char *why)
{
	return deny(h, down, "domain '%.*s': %s",
	    (int)(d->namelen > 80 ? 80 : d->namelen), d->name, why);
}

/* Remember a call whose reply is rewritten or learned from. */
static int
expect(struct pol_client *c, const struct rpc_hdr *h, uint32_t arg)
{
	if (c->npend == POL_PENDING_MAX)
		return -1;
	c->pend[c->npend++] = (struct pol_pending){ h->serial, h->proc, arg };
	return 0;
}

static void
put_frame(struct rpc_out *o, const uint8_t *frame, const struct rpc_hdr *h)
{
	rpc_put_raw(o, frame, h->len);
}

/* A header for a frame of body bytes, written later at start. */
static size_t
begin_frame(struct rpc_out *o)
{
	size_t start = o->len;
	static const uint8_t zero[RPC_FRAME_MIN];

	rpc_put_bytes(o, zero, sizeof(zero));
	return start;
}

static void
end_frame(struct rpc_out *o, size_t start, const struct rpc_hdr *h)
{
	struct rpc_hdr n = *h;

	if (o->bad)
		return;
	n.len = (uint32_t)(o->len - start);
	rpc_hdr_put(o->p + start, &n);
}

/*
 * A VM-side client's connection to libvirtd begins with an AUTH_LIST of
 * fleetd's own: libvirtd lets a root peer skip polkit there and only
 * there (its answer, and the client's own AUTH_LIST, are fleetd's). The
 * client's calls wait for its answer: libvirtd runs one connection's
 * calls side by side.
 */
#define OWN_SERIAL	0xfffffff0u

void
pol_start(struct pol_client *c, struct rpc_out *up)
{
	struct rpc_hdr h = { .len = RPC_FRAME_MIN, .prog = RPC_PROG_REMOTE,
	    .vers = RPC_VERS_REMOTE, .proc = P_AUTH_LIST, .type = RPC_CALL,
	    .serial = OWN_SERIAL };
	size_t start;

	if (c->owner)
		return;
	start = begin_frame(up);
	end_frame(up, start, &h);
	c->authing = true;
}

static int
auth_list(const struct rpc_hdr *h, struct rpc_out *down)
{
	struct rpc_hdr r = *h;
	size_t start = begin_frame(down);

	r.type = RPC_REPLY;
	r.status = RPC_OK;
	rpc_put_u32(down, 1);		/* one type: */
	rpc_put_u32(down, 0);		/* REMOTE_AUTH_NONE */
	end_frame(down, start, &r);
	return 0;
}

/* connect_open(remote_string name, unsigned flags), name fleetd's. */
static int
open_uri(const struct pol *p, const uint8_t *frame, const struct rpc_hdr *h,
    struct rpc_out *up, struct rpc_out *down)
{
	struct rpc_rd x;
	size_t start, len;
	uint32_t flags;

	rpc_rd_init(&x, body(frame), bodylen(h));
	if (rpc_get_u32(&x) == 1)
		rpc_get_string(&x, &len, RPC_CLIENT_MAX);
	flags = rpc_get_u32(&x);
	if (x.bad)
		return deny(h, down, "connect_open: bad arguments");
	start = begin_frame(up);
	rpc_put_u32(up, 1);
	rpc_put_string(up, p->uri, strlen(p->uri));
	rpc_put_u32(up, flags);
	end_frame(up, start, h);
	return 0;
}

static int
create_xml(const struct pol *p, struct pol_client *c, const uint8_t *frame,
    const struct rpc_hdr *h, struct rpc_out *up, struct rpc_out *down)
{
	struct rpc_rd x;
	const char *xml, *why;
	size_t len;

	rpc_rd_init(&x, body(frame), bodylen(h));
	if ((xml = rpc_get_string(&x, &len, RPC_CLIENT_MAX)) == NULL)
		return deny(h, down, "create_xml: bad arguments");
	if (p->xml_check == NULL)
		return deny(h, down, "create_xml: no XML policy in this "
		    "fleetd");
	if (p->xml_check(xml, len, p->xml) < 0) {
		why = fleet_last_error();
		if (strncmp(why, DENIED, strlen(DENIED)) == 0)
			why += strlen(DENIED);
		return deny(h, down, "%s", why);
	}
	if (expect(c, h, 0) < 0)
		return deny(h, down, "too many calls at once");
	put_frame(up, frame, h);
	return 0;
}

/* list_all_domains(int need_results, unsigned flags): results always
 * asked for, so that the count can be of fleet domains only. */
static int
list_all(struct pol_client *c, const uint8_t *frame, const struct rpc_hdr *h,
    struct rpc_out *up, struct rpc_out *down)
{
	struct rpc_rd x;
	uint32_t need;
	size_t start;

	rpc_rd_init(&x, body(frame), bodylen(h));
	need = rpc_get_u32(&x);
	if (x.bad)
		return deny(h, down, "list_all_domains: bad arguments");
	if (expect(c, h, need) < 0)
		return deny(h, down, "too many calls at once");
	start = up->len;
	put_frame(up, frame, h);
	if (!up->bad)
		memcpy(up->p + start + RPC_FRAME_MIN, "\0\0\0\1", 4);
	return 0;
}

static int
event_id_ok(uint32_t id)
{
	return id == EVENT_LIFECYCLE || id == EVENT_REBOOT;
}

/* The arguments of a whitelisted call; the frame goes up if they pass. */
static int
check_args(const struct pol *p, struct pol_client *c, const struct proc *pr,
    const uint8_t *frame, const struct rpc_hdr *h, struct rpc_out *up,
    struct rpc_out *down)
{
	struct rpc_dom d;
	struct rpc_rd x;
	const char *why, *name;
	const uint8_t *uuid;
	uint32_t id;
	size_t len;

	rpc_rd_init(&x, body(frame), bodylen(h));
	switch (pr->kind) {
	case K_PASS:
		break;
	case K_AUTH:
		return auth_list(h, down);
	case K_OPEN:
		return open_uri(p, frame, h, up, down);
	case K_CREATE:
		return create_xml(p, c, frame, h, up, down);
	case K_LIST:
		return list_all(c, frame, h, up, down);
	case K_DOM:
		if (!rpc_get_dom(&x, &d))
			return deny(h, down, "procedure %d: bad domain",
			    h->proc);
		if ((why = check_dom(p, &d)) != NULL)
			return deny_dom(h, down, &d, why);
		break;
	case K_BY_NAME:
		if ((name = rpc_get_string(&x, &len, RPC_CLIENT_MAX)) == NULL)
			return deny(h, down, "lookup: bad name");
		if (!domtab_is_fleet(name, len))
			return deny(h, down, "domain '%.*s': not a fleet "
			    "domain", (int)(len > 80 ? 80 : len), name);
		break;
	case K_BY_UUID:
		if ((uuid = rpc_get_bytes(&x, RPC_UUID_LEN)) == NULL)
			return deny(h, down, "lookup: bad UUID");
		if (domtab_by_uuid(p->dt, uuid) == NULL)
			return deny(h, down, "no fleet domain has this UUID");
		break;
	case K_BY_ID:
		id = rpc_get_u32(&x);
		if (x.bad || domtab_by_id(p->dt, (int)id) == NULL)
			return deny(h, down, "no fleet domain has id %d",
			    (int)id);
		break;
	case K_EVENT:
	case K_CB_EVENT:
		id = rpc_get_u32(&x);
		if (x.bad || !event_id_ok(id))
			return deny(h, down, "domain event %d", (int)id);
		if (pr->kind == K_CB_EVENT && rpc_get_u32(&x) == 1) {
			if (!rpc_get_dom(&x, &d))
				return deny(h, down, "events: bad domain");
			if ((why = check_dom(p, &d)) != NULL)
				return deny_dom(h, down, &d, why);
		}
		break;
	}
	put_frame(up, frame, h);
	return 0;
}

/*
 * A frame from the client: to up (maybe rewritten), or an answer to down
 * (an error reply, the auth list), or dropped. < 0: end the client.
 */
int
pol_call(const struct pol *p, struct pol_client *c, const uint8_t *frame,
    const struct rpc_hdr *h, struct rpc_out *up, struct rpc_out *down)
{
	const struct proc *pr;
	int r;

	if (c->owner || h->prog == RPC_PROG_KEEPALIVE) {
		put_frame(up, frame, h);
		r = 0;
	} else if (h->prog != RPC_PROG_REMOTE || h->vers != RPC_VERS_REMOTE)
		r = deny(h, down, "program 0x%x version %u", h->prog,
		    h->vers);
	else if (h->type == RPC_STREAM || h->type == RPC_STREAM_HOLE) {
		/* a console's bytes; libvirtd knows its streams' serials */
		if (h->proc == P_OPEN_CONSOLE)
			put_frame(up, frame, h);
		r = 0;
	} else if (h->type == RPC_CALL_WITH_FDS)
		r = deny(h, down, "procedure %d with file descriptors",
		    h->proc);
	else if (h->type != RPC_CALL)
		r = 0;		/* a client sends no replies or events */
	else if ((pr = find_proc(h->proc)) == NULL)
		r = deny(h, down, "remote procedure %d", h->proc);
	else
		r = check_args(p, c, pr, frame, h, up, down);
	if (r == 0 && (up->bad || down->bad))
		r = fleet_seterr(-ENOMEM, "proxy: out of memory");
	return r;
}

/* The call a reply answers, if it was remembered. */
static bool
take(struct pol_client *c, uint32_t serial, struct pol_pending *out)
{
	size_t i;

	for (i = 0; i < c->npend; i++)
		if (c->pend[i].serial == serial) {
			*out = c->pend[i];
			c->pend[i] = c->pend[--c->npend];
			return true;
		}
	return false;
}

/* list_all_domains' reply (domains<>, unsigned ret): fleet ones only. */
static int
filter_list(const uint8_t *frame, const struct rpc_hdr *h, uint32_t need,
    struct rpc_out *down)
{
	struct rpc_dom *doms;
	struct rpc_rd x;
	uint32_t n, i, kept = 0;
	size_t start;

	rpc_rd_init(&x, body(frame), bodylen(h));
	n = rpc_get_u32(&x);
	/* a domain takes 24 bytes at least: n is bounded by the frame */
	if (x.bad || n > bodylen(h) / 24)
		return fleet_seterr(-EPROTO, "proxy: a bad domain list");
	if ((doms = calloc(n ? n : 1, sizeof(*doms))) == NULL)
		return fleet_seterr(-ENOMEM, "proxy: out of memory");
	for (i = 0; i < n; i++)
		if (rpc_get_dom(&x, &doms[kept]) &&
		    domtab_is_fleet(doms[kept].name, doms[kept].namelen))
			kept++;
	if (x.bad) {
		free(doms);
		return fleet_seterr(-EPROTO, "proxy: a bad domain list");
	}
	start = begin_frame(down);
	rpc_put_u32(down, need ? kept : 0);
	for (i = 0; need && i < kept; i++)
		rpc_put_dom(down, &doms[i]);
	rpc_put_u32(down, kept);
	end_frame(down, start, h);
	free(doms);
	return 0;
}

/* create_xml's reply: the new domain, known before its event comes. */
static void
learn(const struct pol *p, const uint8_t *frame, const struct rpc_hdr *h)
{
	struct rpc_dom d;
	struct rpc_rd x;

	rpc_rd_init(&x, body(frame), bodylen(h));
	if (rpc_get_dom(&x, &d))
		domtab_put(p->dt, d.uuid, d.name, d.namelen, d.id);
}

/* A domain event reaches a VM-side client only for a fleet domain. */
static bool
event_ok(const uint8_t *frame, const struct rpc_hdr *h)
{
	struct rpc_dom d;
	struct rpc_rd x;

	rpc_rd_init(&x, body(frame), bodylen(h));
	switch (h->proc) {
	case P_CB_EVENT_LIFECYCLE:
	case P_CB_EVENT_REBOOT:
		rpc_get_u32(&x);		/* callbackID */
		/* fall through */
	case P_EVENT_LIFECYCLE:
	case P_EVENT_REBOOT:
		return rpc_get_dom(&x, &d) &&
		    domtab_is_fleet(d.name, d.namelen);
	default:
		return false;
	}
}

/* A reply to a VM-side client: a list of fleet domains only. */
static int
reply(const struct pol *p, struct pol_client *c, const uint8_t *frame,
    const struct rpc_hdr *h, struct rpc_out *down)
{
	struct pol_pending pd = { 0 };
	bool ours = take(c, h->serial, &pd) && pd.proc == h->proc;

	if (h->serial == OWN_SERIAL && h->proc == P_AUTH_LIST)
		c->authing = false;	/* the answer to fleetd's own */
	else if (h->status == RPC_ERROR)
		put_frame(down, frame, h);
	else if (h->status != RPC_OK)
		;	/* no such reply */
	else if (h->proc == P_LIST_ALL) {
		/* a list no call of ours asked for is never passed on */
		if (ours)
			return filter_list(frame, h, pd.need_results, down);
	} else {
		if (ours && h->proc == P_CREATE_XML)
			learn(p, frame, h);
		put_frame(down, frame, h);
	}
	return 0;
}

/*
 * A frame from libvirtd to down, rewritten or dropped as the client's
 * class wants. < 0: end the client.
 */
int
pol_back(const struct pol *p, struct pol_client *c, const uint8_t *frame,
    const struct rpc_hdr *h, struct rpc_out *down)
{
	int r = 0;

	if (c->owner || h->prog == RPC_PROG_KEEPALIVE)
		put_frame(down, frame, h);
	else if (h->prog != RPC_PROG_REMOTE)
		;	/* no call of a VM's asked another program */
	else if (h->type == RPC_MESSAGE) {
		if (event_ok(frame, h))
			put_frame(down, frame, h);
	} else if (h->type == RPC_REPLY)
		r = reply(p, c, frame, h, down);
	else
		put_frame(down, frame, h);
	if (r == 0 && down->bad)
		r = fleet_seterr(-ENOMEM, "proxy: out of memory");
	return r;
}

/*
 * The name connect_open gives libvirtd: fleetd's URI without its
 * transport and query (qemu+unix:///system?socket=... is qemu:///system
 * to a daemon that is already the other end).
 */
char *
pol_open_uri(const char *uri)
{
	const char *colon = strstr(uri, "://"), *plus, *path, *q;
	char *out;

	if (colon == NULL)
		return strdup(uri);
	plus = memchr(uri, '+', (size_t)(colon - uri));
	path = strchr(colon + 3, '/');
	if (path == NULL)
		path = "/";
	q = path + strcspn(path, "?#");
	if (asprintf(&out, "%.*s://%.*s", (int)((plus ? plus : colon) - uri),
	    uri, (int)(q - path), path) < 0)
		return NULL;
	return out;
}
