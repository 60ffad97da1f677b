/* fuzz_rpc: hostile frames into the proxy's frame reader and its policy,
 * both ways (libFuzzer) */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domtab.h"
#include "proxy.h"
#include "rpc.h"

/*
 * An input: a mode byte (bit 0: the client is the owner), then records:
 * a byte whose bit 0 says the direction (0: from the client, 1: from
 * libvirtd), then a frame as its length word says. The fleet domains:
 * one, "fleet-a". Whatever comes in, what the policy writes out must be
 * whole frames, and a VM-side client's list names fleet domains only.
 */
static const uint8_t uuid_a[16] = { 0xaa, 1, 2, 3 };

/* A list a VM-side client gets: fleet names only, and well-formed. */
static void
check_list(const uint8_t *frame, const struct rpc_hdr *h)
{
	struct rpc_dom d;
	struct rpc_rd x;
	uint32_t n;

	rpc_rd_init(&x, frame + RPC_FRAME_MIN, h->len - RPC_FRAME_MIN);
	for (n = rpc_get_u32(&x); n > 0; n--)
		if (!rpc_get_dom(&x, &d) ||
		    !domtab_is_fleet(d.name, d.namelen))
			abort();
	rpc_get_u32(&x);
	if (x.bad || x.off != x.len)
		abort();
}

static void
check_out(const struct rpc_out *o, uint32_t max, bool owner)
{
	struct rpc_hdr h;
	size_t off = 0;
	int r;

	while (off < o->len) {
		r = rpc_frame(o->p + off, o->len - off, max, &h);
		if (r <= 0)
			abort();	/* a torn or bad frame written out */
		if (!owner && h.prog == RPC_PROG_REMOTE &&
		    h.type == RPC_REPLY && h.proc == 273 &&
		    h.status == RPC_OK)
			check_list(o->p + off, &h);
		off += h.len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domtab dt = { 0 };
	struct pol p = { .dt = &dt, .uri = "qemu:///system" };
	struct pol_client *c;
	struct rpc_out up = { 0 }, down = { 0 };
	struct rpc_hdr h;
	size_t off = 1;
	uint32_t max;
	int r;

	if (size < 1 || (c = calloc(1, sizeof(*c))) == NULL)
		return 0;
	c->owner = data[0] & 1;
	domtab_put(&dt, uuid_a, "fleet-a", 7, 1);
	pol_start(c, &up);
	while (off + 1 < size) {
		bool back = data[off] & 1;

		off++;
		max = back ? RPC_SERVER_MAX : RPC_CLIENT_MAX;
		r = rpc_frame(data + off, size - off, max, &h);
		if (r <= 0)
			break;
		if (back)
			r = pol_back(&p, c, data + off, &h, &down);
		else
			r = pol_call(&p, c, data + off, &h, &up, &down);
		if (r < 0)
			break;
		off += h.len;
	}
	check_out(&up, RPC_SERVER_MAX, c->owner);
	check_out(&down, RPC_SERVER_MAX, c->owner);
	rpc_out_free(&up);
	rpc_out_free(&down);
	domtab_free(&dt);
	free(c);
	return 0;
}
