/* qsort: heapsort, no recursion and no allocation. */
#include <stdlib.h>

static void
swap(char *a, char *b, size_t n)
{
	char t;

	while (n-- > 0) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void
sift(char *base, size_t root, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && cmp(base + child * size,
		    base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, size);
		root = child;
	}
}

void
qsort(void *b, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *base = b;
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift(base, i, n, size, cmp);
	for (i = n; i-- > 1;) {
		swap(base, base + i * size, size);
		sift(base, 0, i, size, cmp);
	}
}
