/* Physical page frames for the program: the free memory past the kernel
 * and its boot module, handed out from the bottom, freed ones first. */
#include <string.h>
#include "rt.h"

static uintptr_t base;		/* the first frame */
static uintptr_t next, top;	/* the untouched part: [next, top) */
static uintptr_t freed;		/* a list through the frames themselves */
static size_t nfree;

void
frames_init(uintptr_t start, uintptr_t end)
{
	base = next = (start + 4095) & ~(uintptr_t)4095;
	top = end & ~(uintptr_t)4095;
}

/* A frame of zeroes, or 0 when memory is used up. */
uintptr_t
frame_alloc(void)
{
	uintptr_t f;

	if (freed != 0) {
		f = freed;
		freed = *(uintptr_t *)phys_to_virt(f);
		nfree--;
	} else if (next < top) {
		f = next;
		next += 4096;
	} else
		return 0;
	memset(phys_to_virt(f), 0, 4096);
	return f;
}

void
frame_free(uintptr_t f)
{
	*(uintptr_t *)phys_to_virt(f) = freed;
	freed = f;
	nfree++;
}

/* Bytes still free, for sysinfo(2). */
size_t
frames_left(void)
{
	return (top - next) + nfree * 4096;
}

/* The frames handed out so far, in use or freed: [*lo, *hi). */
void
frames_span(uintptr_t *lo, uintptr_t *hi)
{
	*lo = base;
	*hi = next;
}

/* n bytes of untouched frames off the top, for good: their first
 * frame's address, or 0 when they are not there. */
uintptr_t
frames_take_top(size_t n)
{
	size_t len = (n + 4095) & ~(size_t)4095;

	if (len > top - next)
		return 0;
	top -= len;
	return top;
}
