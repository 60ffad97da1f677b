/* rules.c: the rule model, what fleetd installs for its flows and VMs */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "router.h"

struct elems {
	struct fw_elem *v;
	size_t n, cap;
};

/* VMs sorted by program, to find every VM of a program quickly. */
struct by_prog {
	const struct vm **v;
	size_t n;
};

static int
cmp_prog(const void *a, const void *b)
{
	const struct vm *x = *(const struct vm *const *)a;
	const struct vm *y = *(const struct vm *const *)b;

	return strcmp(x->program, y->program);
}

static int
push(struct elems *e, const struct fw_elem *x)
{
	struct fw_elem *nv;
	size_t ncap;

	if (e->n == e->cap) {
		ncap = e->cap ? e->cap * 2 : 256;
		if ((nv = reallocarray(e->v, ncap, sizeof(*nv))) == NULL)
			return fleet_seterr(-ENOMEM, "rules: out of memory");
		e->v = nv;
		e->cap = ncap;
	}
	e->v[e->n++] = *x;
	return 0;
}

/* The addresses a flow end names: the router, or every VM of a program. */
static size_t
endpoints(const struct by_prog *bp, const struct net_conf *net,
    const char *name, uint32_t *out, size_t max)
{
	size_t lo = 0, hi = bp->n, mid, n = 0;

	if (strcmp(name, "router") == 0) {
		out[0] = net->addr;
		return 1;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(bp->v[mid]->program, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < bp->n && n < max &&
	    strcmp(bp->v[lo]->program, name) == 0; lo++)
		out[n++] = bp->v[lo]->ip;
	return n;
}

static uint8_t
ipproto(enum fleet_proto p)
{
	switch (p) {
	case FLEET_TCP:
		return IPPROTO_TCP;
	case FLEET_UDP:
		return IPPROTO_UDP;
	case FLEET_ICMP:
		return IPPROTO_ICMP;
	}
	abort();
}

static int
expand(const struct fleet_flow *f, const uint32_t *src, size_t ns,
    const uint32_t *dst, size_t nd, struct elems *exact, struct elems *rng)
{
	struct fw_elem e = { .proto = ipproto(f->proto), .flow = f->id };
	size_t i, j;
	int r;

	e.lo = f->proto == FLEET_ICMP ? 0 : f->port_lo;
	e.hi = f->proto == FLEET_ICMP ? 65535 : f->port_hi;
	for (i = 0; i < ns; i++) {
		for (j = 0; j < nd; j++) {
			if (src[i] == dst[j])
				continue;
			e.saddr = src[i];
			e.daddr = dst[j];
			if ((r = push(e.lo == e.hi ? exact : rng, &e)) < 0)
				return r;
		}
	}
	return 0;
}

static int
cmp_elem(const void *a, const void *b)
{
	const struct fw_elem *x = a, *y = b;

	if (x->saddr != y->saddr)
		return ntohl(x->saddr) < ntohl(y->saddr) ? -1 : 1;
	if (x->daddr != y->daddr)
		return ntohl(x->daddr) < ntohl(y->daddr) ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

/* Interval sets refuse overlaps: merge overlapping and adjacent ranges. */
static void
merge(struct elems *e)
{
	size_t i, n = 0;

	if (e->n == 0)
		return;
	qsort(e->v, e->n, sizeof(*e->v), cmp_elem);
	for (i = 0; i < e->n; i++) {
		struct fw_elem *last = n ? &e->v[n - 1] : NULL;

		if (last && last->saddr == e->v[i].saddr &&
		    last->daddr == e->v[i].daddr &&
		    last->proto == e->v[i].proto &&
		    (unsigned)last->hi + 1 >= e->v[i].lo) {
			if (e->v[i].hi > last->hi)
				last->hi = e->v[i].hi;
			continue;
		}
		e->v[n++] = e->v[i];
	}
	e->n = n;
}

static int
build_flows(const struct state *s, const struct by_prog *bp,
    struct elems *exact, struct elems *rng)
{
	uint32_t *src = NULL, *dst = NULL;
	size_t i, ns, nd;
	int r = 0;

	src = calloc(s->nvms + 1, sizeof(*src));
	dst = calloc(s->nvms + 1, sizeof(*dst));
	if (!src || !dst) {
		r = fleet_seterr(-ENOMEM, "rules: out of memory");
		goto out;
	}
	for (i = 0; i < s->nflows && r == 0; i++) {
		ns = endpoints(bp, &s->net, s->flows[i].src, src, s->nvms + 1);
		nd = endpoints(bp, &s->net, s->flows[i].dst, dst, s->nvms + 1);
		r = expand(&s->flows[i], src, ns, dst, nd, exact, rng);
	}
	merge(rng);
out:
	free(src);
	free(dst);
	return r;
}

/* Build m from s; rules_free() it. */
int
rules_build(const struct state *s, struct fw_model *m)
{
	struct elems exact = { 0 }, rng = { 0 };
	struct by_prog bp = { 0 };
	size_t i;
	int r = -ENOMEM;

	memset(m, 0, sizeof(*m));
	m->net = s->net;
	bp.v = calloc(s->nvms + 1, sizeof(*bp.v));
	m->binds = calloc(s->nvms + 1, sizeof(*m->binds));
	if (!bp.v || !m->binds)
		goto fail;
	for (i = 0; i < s->nvms; i++)
		bp.v[i] = &s->vms[i];
	bp.n = s->nvms;
	qsort(bp.v, bp.n, sizeof(*bp.v), cmp_prog);
	if ((r = build_flows(s, &bp, &exact, &rng)) < 0)
		goto fail;
	if (s->nvms)
		memcpy(m->binds, s->vms, s->nvms * sizeof(*s->vms));
	m->nbinds = s->nvms;
	m->exact = exact.v;
	m->nexact = exact.n;
	m->ranges = rng.v;
	m->nranges = rng.n;
	free(bp.v);
	return 0;
fail:
	free(bp.v);
	free(exact.v);
	free(rng.v);
	rules_free(m);
	return r == -ENOMEM ? fleet_seterr(r, "rules: out of memory") : r;
}

void
rules_free(struct fw_model *m)
{
	free(m->exact);
	free(m->ranges);
	free(m->binds);
	memset(m, 0, sizeof(*m));
}
