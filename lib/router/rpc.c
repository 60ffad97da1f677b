/* rpc.c: libvirt's RPC frames: the length word, the header, XDR fields */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "rpc.h"

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * The frame at the start of buf (avail bytes so far): its length as soon
 * as the length word is in, checked against RPC_FRAME_MIN and max (which
 * counts the length word), so that a bad frame is refused before its
 * body comes. Returns 0 until the whole frame is in, then its length
 * with h filled; -EMSGSIZE or -EPROTO for a bad length.
 */
int
rpc_frame(const uint8_t *buf, size_t avail, uint32_t max, struct rpc_hdr *h)
{
	uint32_t len;

	if (avail < RPC_LEN_SIZE)
		return 0;
	len = get32(buf);
	if (len > max)
		return fleet_seterr(-EMSGSIZE, "rpc: a frame of %u bytes, more "
		    "than %u", len, max);
	if (len < RPC_FRAME_MIN)
		return fleet_seterr(-EPROTO, "rpc: a frame of %u bytes, less "
		    "than a header", len);
	if (avail < len)
		return 0;
	h->len = len;
	h->prog = get32(buf + 4);
	h->vers = get32(buf + 8);
	h->proc = (int32_t)get32(buf + 12);
	h->type = get32(buf + 16);
	h->serial = get32(buf + 20);
	h->status = get32(buf + 24);
	return (int)len;
}

/* The length word and header of h at the start of frame. */
void
rpc_hdr_put(uint8_t *frame, const struct rpc_hdr *h)
{
	put32(frame, h->len);
	put32(frame + 4, h->prog);
	put32(frame + 8, h->vers);
	put32(frame + 12, (uint32_t)h->proc);
	put32(frame + 16, h->type);
	put32(frame + 20, h->serial);
	put32(frame + 24, h->status);
}

void
rpc_rd_init(struct rpc_rd *x, const uint8_t *p, size_t len)
{
	*x = (struct rpc_rd){ .p = p, .len = len };
}

/* n bytes and their padding to 4, or NULL past the end. */
const uint8_t *
rpc_get_bytes(struct rpc_rd *x, size_t n)
{
	size_t padded = (n + 3) & ~(size_t)3;
	const uint8_t *p;

	if (x->bad || padded < n || padded > x->len - x->off) {
		x->bad = true;
		return NULL;
	}
	p = x->p + x->off;
	x->off += padded;
	return p;
}

uint32_t
rpc_get_u32(struct rpc_rd *x)
{
	const uint8_t *p = rpc_get_bytes(x, 4);

	return p ? get32(p) : 0;
}

/* A string of at most max bytes (not NUL-terminated). */
const char *
rpc_get_string(struct rpc_rd *x, size_t *len, size_t max)
{
	uint32_t n = rpc_get_u32(x);
	const uint8_t *p;

	if (!x->bad && n > max)
		x->bad = true;
	if ((p = rpc_get_bytes(x, n)) == NULL)
		return NULL;
	*len = n;
	return (const char *)p;
}

/* remote_nonnull_domain: name, 16-byte uuid, id. */
bool
rpc_get_dom(struct rpc_rd *x, struct rpc_dom *d)
{
	d->name = rpc_get_string(x, &d->namelen, RPC_SERVER_MAX);
	d->uuid = rpc_get_bytes(x, RPC_UUID_LEN);
	d->id = (int32_t)rpc_get_u32(x);
	return !x->bad;
}

static bool
out_room(struct rpc_out *o, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (o->bad)
		return false;
	if (o->cap - o->len >= n)
		return true;
	cap = o->cap ? o->cap : 256;
	while (cap - o->len < n)
		cap *= 2;
	if ((p = realloc(o->p, cap)) == NULL) {
		o->bad = true;
		return false;
	}
	o->p = p;
	o->cap = cap;
	return true;
}

void
rpc_put_bytes(struct rpc_out *o, const void *p, size_t n)
{
	size_t padded = (n + 3) & ~(size_t)3;

	if (!out_room(o, padded))
		return;
	if (n > 0)
		memcpy(o->p + o->len, p, n);
	memset(o->p + o->len + n, 0, padded - n);
	o->len += padded;
}

/* n bytes as they are: a whole frame, whose length need not be even. */
void
rpc_put_raw(struct rpc_out *o, const void *p, size_t n)
{
	if (n == 0 || !out_room(o, n))
		return;
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

void
rpc_put_u32(struct rpc_out *o, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	rpc_put_bytes(o, b, 4);
}

void
rpc_put_string(struct rpc_out *o, const char *s, size_t len)
{
	rpc_put_u32(o, (uint32_t)len);
	rpc_put_bytes(o, s, len);
}

void
rpc_put_dom(struct rpc_out *o, const struct rpc_dom *d)
{
	rpc_put_string(o, d->name, d->namelen);
	rpc_put_bytes(o, d->uuid, RPC_UUID_LEN);
	rpc_put_u32(o, (uint32_t)d->id);
}

void
rpc_out_free(struct rpc_out *o)
{
	free(o->p);
	*o = (struct rpc_out){ 0 };
}

/* libvirt's virterror.h, stable on the wire */
#define VIR_ERR_ACCESS_DENIED	88
#define VIR_FROM_ACCESS		55
#define VIR_ERR_ERROR		2

/*
 * Append to o the error reply to call: its prog, vers, proc and serial,
 * status ERROR, a remote_error the client prints as msg.
 */
int
rpc_error_frame(struct rpc_out *o, const struct rpc_hdr *call,
    const char *msg)
{
	struct rpc_hdr h = *call;
	size_t start = o->len;

	h.type = RPC_REPLY;
	h.status = RPC_ERROR;
	if (!out_room(o, RPC_FRAME_MIN))
		return -ENOMEM;
	o->len += RPC_FRAME_MIN;
	rpc_put_u32(o, VIR_ERR_ACCESS_DENIED);	/* code */
	rpc_put_u32(o, VIR_FROM_ACCESS);	/* domain */
	rpc_put_u32(o, 1);			/* message, present */
	rpc_put_string(o, msg, strlen(msg));
	rpc_put_u32(o, VIR_ERR_ERROR);		/* level */
	rpc_put_u32(o, 0);			/* dom */
	rpc_put_u32(o, 1);			/* str1: the message */
	rpc_put_string(o, msg, strlen(msg));
	rpc_put_u32(o, 0);			/* str2 */
	rpc_put_u32(o, 0);			/* str3 */
	rpc_put_u32(o, 0);			/* int1 */
	rpc_put_u32(o, 0);			/* int2 */
	rpc_put_u32(o, 0);			/* net */
	if (o->bad)
		return -ENOMEM;
	h.len = (uint32_t)(o->len - start);
	rpc_hdr_put(o->p + start, &h);
	return 0;
}
