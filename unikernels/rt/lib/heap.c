/*
 * Next-fit allocator over one arena with boundary tags. Each block starts
 * with an 8-byte header (its size with bit 0 as "used", and the previous
 * block's size) so that payloads are 16-byte aligned; a zero-sized used
 * header ends the arena.
 */
#include "pure.h"

#define ALIGN	16
#define HDR	8
#define USED	1u

struct blk {
	uint32_t size;		/* whole block, header included; | USED */
	uint32_t prev;		/* size of the block before, 0 for the first */
};

static struct blk *first, *rover;

static uint32_t
bsize(const struct blk *b)
{
	return b->size & ~USED;
}

static struct blk *
after(struct blk *b)
{
	return (struct blk *)((char *)b + bsize(b));
}

static struct blk *
before(struct blk *b)
{
	return (struct blk *)((char *)b - b->prev);
}

void
heap_init(void *base, size_t len)
{
	uintptr_t a = ((uintptr_t)base + HDR + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
	uintptr_t end = (uintptr_t)base + len;
	uint32_t n;

	a -= HDR;
	end = ((end - a) & ~(uintptr_t)(ALIGN - 1)) + a;
	if (end - a > 0xFFFFFFF0u)
		end = a + 0xFFFFFFF0u;
	n = (uint32_t)(end - a) - ALIGN;
	first = rover = (struct blk *)a;
	first->size = n;
	first->prev = 0;
	after(first)->size = USED;
	after(first)->prev = n;
}

/* Cut b down to n bytes when the rest makes a useful free block. */
static void
split(struct blk *b, uint32_t n)
{
	uint32_t used = b->size & USED, total = bsize(b);
	struct blk *rest;

	if (total - n < 2 * ALIGN)
		return;
	b->size = n | used;
	rest = after(b);
	rest->size = total - n;
	rest->prev = n;
	after(rest)->prev = rest->size;
}

void *
heap_alloc(size_t len)
{
	struct blk *b = rover;
	uint32_t n;
	int wrapped = 0;

	if (first == NULL || len > 0x7FFFFFF0u)
		return NULL;
	n = (uint32_t)(len + HDR + ALIGN - 1) & ~(uint32_t)(ALIGN - 1);
	for (;;) {
		if (b->size == USED) {
			if (wrapped++)
				return NULL;
			b = first;
			continue;
		}
		if (!(b->size & USED) && b->size >= n)
			break;
		b = after(b);
	}
	split(b, n);
	b->size |= USED;
	rover = after(b);
	return (char *)b + HDR;
}

/* Merge b with the free block after it. */
static void
merge(struct blk *b)
{
	struct blk *n = after(b);

	if (rover == n)
		rover = b;
	b->size += n->size;
	after(b)->prev = bsize(b);
}

void
heap_free(void *p)
{
	struct blk *b;

	if (p == NULL)
		return;
	b = (struct blk *)((char *)p - HDR);
	b->size &= ~USED;
	if (!(after(b)->size & USED))
		merge(b);
	if (b->prev != 0 && !(before(b)->size & USED))
		merge(before(b));
}

void *
heap_realloc(void *p, size_t len)
{
	struct blk *b, *n;
	uint32_t need;
	char *q, *s;
	uint32_t i;

	if (p == NULL)
		return heap_alloc(len);
	if (len > 0x7FFFFFF0u)
		return NULL;
	b = (struct blk *)((char *)p - HDR);
	need = (uint32_t)(len + HDR + ALIGN - 1) & ~(uint32_t)(ALIGN - 1);
	n = after(b);
	if (bsize(b) < need && !(n->size & USED) && bsize(b) + n->size >= need)
		merge(b);
	if (bsize(b) >= need) {
		split(b, need);
		n = after(b);
		if (!(n->size & USED) && !(after(n)->size & USED))
			merge(n);
		return p;
	}
	if ((q = heap_alloc(len)) == NULL)
		return NULL;
	for (s = p, i = 0; i < bsize(b) - HDR; i++)
		q[i] = s[i];
	heap_free(p);
	return q;
}

/* Walk the arena checking the tags; returns bytes in use, or -1. */
size_t
heap_check(void)
{
	struct blk *b;
	uint32_t prev = 0;
	size_t used = 0;

	for (b = first; b->size != USED; b = after(b)) {
		if (b->prev != prev || bsize(b) < ALIGN ||
		    bsize(b) % ALIGN != 0)
			return (size_t)-1;
		if (b->size & USED)
			used += bsize(b);
		else if (prev != 0 && !(before(b)->size & USED))
			return (size_t)-1;
		prev = bsize(b);
	}
	if (b->prev != prev)
		return (size_t)-1;
	return used;
}
