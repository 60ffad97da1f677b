/* flow.c: the flow model and its text form (no netlink here) */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fleet/ctl.h>
#include <fleet/flow.h>
#include "internal.h"

static const char *const proto_names[] = {
	[FLEET_TCP] = "tcp",
	[FLEET_UDP] = "udp",
	[FLEET_ICMP] = "icmp",
};

const char *
fleet_proto_name(enum fleet_proto p)
{
	switch (p) {
	case FLEET_TCP:
	case FLEET_UDP:
	case FLEET_ICMP:
		return proto_names[p];
	}
	abort();
}

static int
name_char(char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 1;
	return !first && (c == '_' || c == '.' || c == '-');
}

/* which: "source", "destination" or "name", for the message. */
static int
check_name(const char *name, const char *which)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++) {
		if (i >= FLEET_NAME_MAX - 1)
			return fleet_seterr(-EINVAL, "%s \"%.16s...\" is "
			    "longer than %d characters", which, name,
			    FLEET_NAME_MAX - 1);
		if (!name_char(name[i], i == 0))
			return fleet_seterr(-EINVAL, "%s \"%s\": character "
			    "%zu is not allowed (a program name is "
			    "[a-z0-9][a-z0-9_.-]*, or router)", which, name,
			    i + 1);
	}
	if (i == 0)
		return fleet_seterr(-EINVAL, "%s: empty program name", which);
	return 0;
}

int
fleet_flow_check_name(const char *name)
{
	fleet_clearerr();
	return check_name(name, "name");
}

/* A decimal port 1..65535; what names the whole spec for messages. */
static int
parse_port(const char *s, size_t n, uint16_t *port, const char *what)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0)
		return fleet_seterr(-EINVAL, "\"%s\": missing port", what);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return fleet_seterr(-EINVAL, "\"%s\": port \"%.*s\" "
			    "is not a number", what, (int)n, s);
		if (v <= 65535)
			v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return fleet_seterr(-EINVAL, "\"%s\": port %.*s out of range "
		    "1..65535", what, (int)n, s);
	*port = (uint16_t)v;
	return 0;
}

static int
parse_ports(struct fleet_flow *f, const char *s, const char *spec)
{
	const char *dash = strchr(s, '-');
	int r;

	if (dash == NULL) {
		r = parse_port(s, strlen(s), &f->port_lo, spec);
		f->port_hi = f->port_lo;
		return r;
	}
	if ((r = parse_port(s, (size_t)(dash - s), &f->port_lo, spec)) < 0 ||
	    (r = parse_port(dash + 1, strlen(dash + 1), &f->port_hi, spec)) < 0)
		return r;
	if (f->port_hi < f->port_lo)
		return fleet_seterr(-EINVAL, "\"%s\": port range %u-%u is "
		    "backwards", spec, f->port_lo, f->port_hi);
	return 0;
}

static int
parse_spec(struct fleet_flow *f, const char *spec)
{
	const char *slash = strchr(spec, '/');
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);

	if (n == 4 && strncmp(spec, "icmp", 4) == 0) {
		if (slash)
			return fleet_seterr(-EINVAL, "\"%s\": icmp takes no "
			    "port", spec);
		f->proto = FLEET_ICMP;
		f->port_lo = f->port_hi = 0;
		return 0;
	}
	if (n == 3 && strncmp(spec, "tcp", 3) == 0)
		f->proto = FLEET_TCP;
	else if (n == 3 && strncmp(spec, "udp", 3) == 0)
		f->proto = FLEET_UDP;
	else
		return fleet_seterr(-EINVAL, "\"%s\": unknown protocol "
		    "\"%.*s\" (tcp, udp or icmp)", spec, (int)n, spec);
	if (slash == NULL)
		return fleet_seterr(-EINVAL, "\"%s\": %s needs a port, as "
		    "%s/PORT or %s/LOW-HIGH", spec, spec, spec, spec);
	return parse_ports(f, slash + 1, spec);
}

static int
parse_end(char *out, const char *name, const char *which)
{
	int r;

	if ((r = check_name(name, which)) < 0)
		return r;
	strcpy(out, name);
	return 0;
}

int
fleet_flow_parse(struct fleet_flow *f, const char *src, const char *dst,
    const char *spec)
{
	int r;

	fleet_clearerr();
	memset(f, 0, sizeof(*f));
	if ((r = parse_end(f->src, src, "source")) < 0 ||
	    (r = parse_end(f->dst, dst, "destination")) < 0 ||
	    (r = parse_spec(f, spec)) < 0)
		return r;
	if (strcmp(f->src, f->dst) == 0 && strcmp(f->src, "router") == 0)
		return fleet_seterr(-EINVAL, "a flow from the router to "
		    "itself means nothing");
	return 0;
}

int
fleet_flow_parse_line(struct fleet_flow *f, const char *line)
{
	char buf[3 * FLEET_NAME_MAX + 32], *w[4], *save = NULL, *p;
	int n = 0;

	fleet_clearerr();
	if (strlen(line) >= sizeof(buf))
		return fleet_seterr(-EINVAL, "flow \"%.32s...\" is too long",
		    line);
	strcpy(buf, line);
	for (p = strtok_r(buf, " \t\r\n", &save); p != NULL;
	    p = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 3)
			return fleet_seterr(-EINVAL, "flow \"%s\": more than "
			    "three words (SRC DST PROTO/PORT)", line);
		w[n++] = p;
	}
	if (n != 3)
		return fleet_seterr(-EINVAL, "flow \"%s\": expected three "
		    "words, SRC DST PROTO/PORT", line);
	return fleet_flow_parse(f, w[0], w[1], w[2]);
}

int
fleet_flow_format(const struct fleet_flow *f, char *buf, size_t len)
{
	const char *p = fleet_proto_name(f->proto);

	if (f->proto == FLEET_ICMP)
		return snprintf(buf, len, "%s %s %s", f->src, f->dst, p);
	if (f->port_lo == f->port_hi)
		return snprintf(buf, len, "%s %s %s/%u", f->src, f->dst, p,
		    f->port_lo);
	return snprintf(buf, len, "%s %s %s/%u-%u", f->src, f->dst, p,
	    f->port_lo, f->port_hi);
}

int
fleet_flow_equal(const struct fleet_flow *a, const struct fleet_flow *b)
{
	return a->proto == b->proto && a->port_lo == b->port_lo &&
	    a->port_hi == b->port_hi && strcmp(a->src, b->src) == 0 &&
	    strcmp(a->dst, b->dst) == 0;
}

/* Talking to fleetd (lib/ctl.c carries the lines). */

static int
flow_call(const char *ctl, const char *verb, const struct fleet_flow *f)
{
	char req[FLEET_CTL_LINE_MAX], text[3 * FLEET_NAME_MAX + 32];
	fleet_ctl *c = NULL;
	int r;

	fleet_flow_format(f, text, sizeof(text));
	snprintf(req, sizeof(req), "%s %s", verb, text);
	if ((r = fleet_ctl_open(&c, ctl)) == 0)
		r = fleet_ctl_call(c, req, NULL, NULL, NULL);
	fleet_ctl_close(c);
	return r;
}

int
fleet_flow_allow(const char *ctl, const struct fleet_flow *f)
{
	return flow_call(ctl, "allow", f);
}

int
fleet_flow_revoke(const char *ctl, const struct fleet_flow *f)
{
	return flow_call(ctl, "revoke", f);
}

int
fleet_flow_revoke_id(const char *ctl, unsigned id)
{
	char req[32];
	fleet_ctl *c = NULL;
	int r;

	snprintf(req, sizeof(req), "revoke %u", id);
	if ((r = fleet_ctl_open(&c, ctl)) == 0)
		r = fleet_ctl_call(c, req, NULL, NULL, NULL);
	fleet_ctl_close(c);
	return r;
}

int
fleet_flow_id_parse(const char *s, unsigned *idp)
{
	unsigned long id;
	char *end;

	errno = 0;
	id = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || id == 0 ||
	    id > 0xffffffffUL)
		return fleet_seterr(-EINVAL, "\"%s\" is not a flow id", s);
	*idp = (unsigned)id;
	return 0;
}

/* begin, the allow lines (fleetd answers none of them), commit. */
int
fleet_flow_allow_many(const char *ctl, const struct fleet_flow *f, size_t n)
{
	char req[FLEET_CTL_LINE_MAX], text[3 * FLEET_NAME_MAX + 32];
	fleet_ctl *c = NULL;
	size_t i;
	int r;

	if ((r = fleet_ctl_open(&c, ctl)) < 0 ||
	    (r = fleet_ctl_call(c, "begin", NULL, NULL, NULL)) < 0)
		goto out;
	for (i = 0; i < n && r == 0; i++) {
		fleet_flow_format(&f[i], text, sizeof(text));
		snprintf(req, sizeof(req), "allow %s", text);
		r = fleet_ctl_send(c, req);
	}
	if (r == 0)
		r = fleet_ctl_call(c, "commit", NULL, NULL, NULL);
out:
	fleet_ctl_close(c);
	return r;
}

struct list_acc {
	struct fleet_flow *v;
	size_t n, cap;
};

static int
list_line(const char *line, void *arg)
{
	struct list_acc *a = arg;
	struct fleet_flow f, *nv;
	unsigned id;
	int off = 0;

	if (sscanf(line, "flow %u %n", &id, &off) != 1 || off == 0 ||
	    fleet_flow_parse_line(&f, line + off) < 0)
		return fleet_seterr(-EPROTO, "fleetd: bad list line \"%s\"",
		    line);
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		if ((nv = reallocarray(a->v, a->cap, sizeof(*nv))) == NULL)
			return fleet_seterr(-ENOMEM, "out of memory");
		a->v = nv;
	}
	f.id = id;
	a->v[a->n++] = f;
	return 0;
}

int
fleet_flow_list(const char *ctl, struct fleet_flow **listp, size_t *np)
{
	struct list_acc a = { 0 };
	fleet_ctl *c = NULL;
	int r;

	if ((r = fleet_ctl_open(&c, ctl)) == 0)
		r = fleet_ctl_call(c, "list", list_line, &a, NULL);
	fleet_ctl_close(c);
	if (r < 0) {
		free(a.v);
		return r;
	}
	*listp = a.v;
	*np = a.n;
	return 0;
}
