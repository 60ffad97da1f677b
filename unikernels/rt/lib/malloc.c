/* malloc and friends over the one heap (heap.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pure.h"
#include "rt.h"

void
rt_heap_init(void *base, size_t len)
{
	heap_init(base, len);
}

void *
malloc(size_t n)
{
	void *p = heap_alloc(n);

	if (p == NULL)
		errno = ENOMEM;
	return p;
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = malloc(n * size)) != NULL)
		memset(p, 0, n * size);
	return p;
}

void *
realloc(void *p, size_t n)
{
	void *q = heap_realloc(p, n);

	if (q == NULL)
		errno = ENOMEM;
	return q;
}

void
free(void *p)
{
	heap_free(p);
}
