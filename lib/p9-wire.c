/* p9-wire.c: 9P's little-endian fields, read and written with bounds */
#include <errno.h>
#include <string.h>
#include "p9.h"

/* n bytes of the message, or NULL (and the message is bad) */
static const unsigned char *
take(struct p9in *in, size_t n)
{
	const unsigned char *p;

	if (in->err || n > in->len - in->off) {
		in->err = 1;
		return NULL;
	}
	p = in->p + in->off;
	in->off += n;
	return p;
}

uint32_t
p9_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint8_t
p9_get8(struct p9in *in)
{
	const unsigned char *p = take(in, 1);

	return p ? p[0] : 0;
}

uint16_t
p9_get16(struct p9in *in)
{
	const unsigned char *p = take(in, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t
p9_get32(struct p9in *in)
{
	const unsigned char *p = take(in, 4);

	return p ? p9_le32(p) : 0;
}

uint64_t
p9_get64(struct p9in *in)
{
	const unsigned char *p = take(in, 8);

	return p ? p9_le32(p) | (uint64_t)p9_le32(p + 4) << 32 : 0;
}

void
p9_getstr(struct p9in *in, struct p9str *str)
{
	str->len = p9_get16(in);
	str->s = (const char *)take(in, str->len);
	if (str->s == NULL) {
		str->s = "";
		str->len = 0;
	}
}

const void *
p9_getdata(struct p9in *in, size_t n)
{
	return take(in, n);
}

/* The whole message read, and nothing more to it. */
int
p9_end(const struct p9in *in)
{
	return in->err || in->off != in->len ? -EPROTO : 0;
}

void *
p9_reserve(struct p9out *out, size_t n)
{
	void *p;

	if (out->err || n > out->max - out->len) {
		out->err = 1;
		return NULL;
	}
	p = out->p + out->len;
	out->len += n;
	return p;
}

size_t
p9_room(const struct p9out *out)
{
	return out->err ? 0 : out->max - out->len;
}

static void
le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
put(struct p9out *out, uint64_t v, int n)
{
	unsigned char *p = p9_reserve(out, (size_t)n);

	if (p != NULL)
		le(p, v, n);
}

void
p9_put8(struct p9out *out, uint8_t v)
{
	put(out, v, 1);
}

void
p9_put16(struct p9out *out, uint16_t v)
{
	put(out, v, 2);
}

void
p9_put32(struct p9out *out, uint32_t v)
{
	put(out, v, 4);
}

void
p9_put64(struct p9out *out, uint64_t v)
{
	put(out, v, 8);
}

/* A patch to what is already written (a count known once it is). */
void
p9_set32(struct p9out *out, size_t at, uint32_t v)
{
	if (at + 4 <= out->len)
		le(out->p + at, v, 4);
}

void
p9_putstr(struct p9out *out, const char *s, size_t n)
{
	unsigned char *p;

	if (n > UINT16_MAX) {
		out->err = 1;
		return;
	}
	p9_put16(out, (uint16_t)n);
	if ((p = p9_reserve(out, n)) != NULL)
		memcpy(p, s, n);
}

void
p9_putqid(struct p9out *out, const struct p9qid *qid)
{
	p9_put8(out, qid->type);
	p9_put32(out, qid->version);
	p9_put64(out, qid->path);
}
