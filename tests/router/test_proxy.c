/* test_proxy: the proxy's frame reader and policy on frames made here:
 * bounds, refusals as libvirt errors, rewritten lists and open URIs. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include "domtab.h"
#include "proxy.h"
#include "rpc.h"
#include "../unit/check.h"

static const uint8_t uuid_a[16] = { 0xaa, 1 }, uuid_o[16] = { 0xbb, 2 };
static struct domtab dt;
static struct pol pol = { .dt = &dt, .uri = "qemu:///system" };

/* A call of proc with body, serial 7, into o. */
static void
call(struct rpc_out *o, int32_t proc, uint32_t type, const struct rpc_out *b)
{
	struct rpc_hdr h = { .prog = RPC_PROG_REMOTE, .vers = 1, .proc = proc,
	    .type = type, .serial = 7 };
	uint8_t hdr[RPC_FRAME_MIN];

	h.len = (uint32_t)(RPC_FRAME_MIN + (b ? b->len : 0));
	rpc_hdr_put(hdr, &h);
	rpc_put_raw(o, hdr, sizeof(hdr));
	if (b)
		rpc_put_raw(o, b->p, b->len);
}

static void
dom(struct rpc_out *o, const char *name, const uint8_t *uuid)
{
	struct rpc_dom d = { name, strlen(name), uuid, 1 };

	rpc_put_dom(o, &d);
}

/* The VM policy on one frame: what goes up, what comes down. */
static int
vm_call(const struct rpc_out *f, struct rpc_out *up, struct rpc_out *down)
{
	static struct pol_client c;
	struct rpc_hdr h;

	CHECK(rpc_frame(f->p, f->len, RPC_CLIENT_MAX, &h) == (int)f->len);
	return pol_call(&pol, &c, f->p, &h, up, down);
}

/* down holds one error reply naming why. */
static void
check_denied(const struct rpc_out *down, int32_t proc, const char *why)
{
	struct rpc_hdr h;
	struct rpc_rd x;
	const char *msg;
	size_t len;

	CHECK(rpc_frame(down->p, down->len, RPC_SERVER_MAX, &h) ==
	    (int)down->len);
	CHECK(h.type == RPC_REPLY && h.status == RPC_ERROR && h.serial == 7 &&
	    h.proc == proc && h.prog == RPC_PROG_REMOTE);
	rpc_rd_init(&x, down->p + RPC_FRAME_MIN, down->len - RPC_FRAME_MIN);
	CHECK(rpc_get_u32(&x) == 88);		/* VIR_ERR_ACCESS_DENIED */
	CHECK(rpc_get_u32(&x) == 55);		/* VIR_FROM_ACCESS */
	CHECK(rpc_get_u32(&x) == 1);
	msg = rpc_get_string(&x, &len, 1024);
	CHECK(msg != NULL && memmem(msg, len, why, strlen(why)) != NULL &&
	    strncmp(msg, "denied by fleet policy: ", 24) == 0);
}

static void
test_bounds(void)
{
	uint8_t big[4] = { 0x06, 0x40, 0, 0 }, small[4] = { 0, 0, 0, 27 };
	struct rpc_hdr h;

	CHECK(rpc_frame(big, 4, RPC_CLIENT_MAX, &h) == -EMSGSIZE);
	CHECK(rpc_frame(small, 4, RPC_CLIENT_MAX, &h) == -EPROTO);
	CHECK(rpc_frame(small, 3, RPC_CLIENT_MAX, &h) == 0);
	CHECK(RPC_SERVER_MAX == 4 + 33554432);
}

static void
test_refusals(void)
{
	struct rpc_out f = { 0 }, b = { 0 }, up = { 0 }, down = { 0 };

	call(&f, 40, RPC_CALL, NULL);		/* network_create_xml */
	CHECK(vm_call(&f, &up, &down) == 0 && up.len == 0);
	check_denied(&down, 40, "remote procedure 40");
	rpc_out_free(&f);
	rpc_out_free(&down);

	dom(&b, "fleet-a", uuid_o);		/* a fleet name, a foreign UUID */
	call(&f, 16, RPC_CALL, &b);
	CHECK(vm_call(&f, &up, &down) == 0 && up.len == 0);
	check_denied(&down, 16, "no fleet domain has its UUID");
	rpc_out_free(&f);
	rpc_out_free(&b);
	rpc_out_free(&down);

	dom(&b, "fleet-a", uuid_a);		/* the table's: passes whole */
	call(&f, 16, RPC_CALL, &b);
	CHECK(vm_call(&f, &up, &down) == 0 && down.len == 0);
	CHECK(up.len == f.len && memcmp(up.p, f.p, f.len) == 0);
	rpc_out_free(&f);
	rpc_out_free(&b);
	rpc_out_free(&up);

	rpc_put_string(&b, "other", 5);
	call(&f, 23, RPC_CALL, &b);		/* lookup by name */
	CHECK(vm_call(&f, &up, &down) == 0 && up.len == 0);
	check_denied(&down, 23, "'other': not a fleet domain");
	rpc_out_free(&f);
	rpc_out_free(&b);
	rpc_out_free(&down);

	rpc_put_string(&b, "<domain/>", 9);
	rpc_put_u32(&b, 0);
	call(&f, 10, RPC_CALL, &b);		/* no XML policy given */
	CHECK(vm_call(&f, &up, &down) == 0 && up.len == 0);
	check_denied(&down, 10, "no XML policy");
	rpc_out_free(&f);
	rpc_out_free(&b);
	rpc_out_free(&down);
}

/* list_all_domains: need_results forced on, the reply cut to fleet's. */
static void
test_list(void)
{
	struct pol_client c = { 0 };
	struct rpc_out f = { 0 }, b = { 0 }, up = { 0 }, down = { 0 };
	struct rpc_hdr h;
	struct rpc_rd x;
	struct rpc_dom d;

	rpc_put_u32(&b, 0);			/* the count only */
	rpc_put_u32(&b, 0);
	call(&f, 273, RPC_CALL, &b);
	CHECK(rpc_frame(f.p, f.len, RPC_CLIENT_MAX, &h) > 0);
	CHECK(pol_call(&pol, &c, f.p, &h, &up, &down) == 0 && down.len == 0);
	CHECK(up.len == f.len && up.p[RPC_FRAME_MIN + 3] == 1);
	rpc_out_free(&f);
	rpc_out_free(&b);

	rpc_put_u32(&b, 2);
	dom(&b, "other", uuid_o);
	dom(&b, "fleet-a", uuid_a);
	rpc_put_u32(&b, 2);
	call(&f, 273, RPC_REPLY, &b);
	CHECK(rpc_frame(f.p, f.len, RPC_SERVER_MAX, &h) > 0);
	CHECK(pol_back(&pol, &c, f.p, &h, &down) == 0);
	rpc_rd_init(&x, down.p + RPC_FRAME_MIN, down.len - RPC_FRAME_MIN);
	CHECK(rpc_get_u32(&x) == 0);		/* none asked for */
	CHECK(rpc_get_u32(&x) == 1 && x.off == x.len);
	rpc_out_free(&down);

	/* the same reply again: no call asked for it, it is dropped */
	CHECK(pol_back(&pol, &c, f.p, &h, &down) == 0 && down.len == 0);

	/* as asked by a client that wants the domains */
	c.pend[c.npend++] = (struct pol_pending){ 7, 273, 1 };
	CHECK(pol_back(&pol, &c, f.p, &h, &down) == 0);
	rpc_rd_init(&x, down.p + RPC_FRAME_MIN, down.len - RPC_FRAME_MIN);
	CHECK(rpc_get_u32(&x) == 1 && rpc_get_dom(&x, &d) &&
	    d.namelen == 7 && memcmp(d.name, "fleet-a", 7) == 0);
	CHECK(rpc_get_u32(&x) == 1 && x.off == x.len);
	rpc_out_free(&f);
	rpc_out_free(&b);
	rpc_out_free(&up);
	rpc_out_free(&down);
}

static void
test_open(void)
{
	struct rpc_out f = { 0 }, b = { 0 }, up = { 0 }, down = { 0 };
	struct rpc_rd x;
	const char *s;
	size_t len;
	char *u;

	rpc_put_u32(&b, 1);
	rpc_put_string(&b, "lxc:///", 7);
	rpc_put_u32(&b, 0);
	call(&f, 1, RPC_CALL, &b);
	CHECK(vm_call(&f, &up, &down) == 0 && down.len == 0);
	rpc_rd_init(&x, up.p + RPC_FRAME_MIN, up.len - RPC_FRAME_MIN);
	CHECK(rpc_get_u32(&x) == 1);
	s = rpc_get_string(&x, &len, 100);
	CHECK(s != NULL && len == 14 && memcmp(s, "qemu:///system", 14) == 0);
	rpc_out_free(&f);
	rpc_out_free(&b);
	rpc_out_free(&up);

	CHECK_STR(u = pol_open_uri("qemu+unix:///system?socket=/x"),
	    "qemu:///system");
	free(u);
	CHECK_STR(u = pol_open_uri("qemu:///system"), "qemu:///system");
	free(u);
}

int
main(void)
{
	CHECK(domtab_put(&dt, uuid_a, "fleet-a", 7, 1) == 0);
	CHECK(domtab_put(&dt, uuid_o, "other", 5, 2) == 0);	/* ignored */
	test_bounds();
	test_refusals();
	test_list();
	test_open();
	domtab_free(&dt);
	CHECK_DONE();
}
