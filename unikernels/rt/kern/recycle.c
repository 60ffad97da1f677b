/*
 * A pool VM made new after its program exits (protocol.md 2.3): the
 * memory it had when it said `ready` is copied aside then, and put back
 * on the host's `again N`, so that its next claimer finds it as a boot
 * would have left it: the kernel's data and bss, and every frame handed
 * out by then (the program's loaded segments, its page tables). What
 * devices hold a side of (.keep: the virtio rings and the clock) stays.
 */
#include "rt.h"
#include "../arch/x86_64/io.h"

#define DRAIN_NS	2000000000ull	/* stdin the host says it sent */

extern char __data_start[], __snap_end[], stack_guard[], stack_bottom[];

static struct ctx back RT_KEEP;		/* the wait for the next `args` */
static char *copy RT_KEEP;		/* the kernel's part, then the frames */
static uintptr_t lo RT_KEEP, hi RT_KEEP;
static uint8_t stack[4096] RT_KEEP __attribute__((aligned(16)));

static void
move(void *d, const void *s, size_t n)
{
	n /= 8;
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : :
	    "memory");
}

static int
same(const void *a, const void *b)
{
	size_t n = 4096 / 8;
	unsigned char eq;

	__asm__ volatile("repe cmpsq; sete %0" : "=q"(eq), "+D"(a), "+S"(b),
	    "+c"(n) : : "memory", "cc");
	return eq;
}

/*
 * Put n bytes (whole pages) back from s, only the pages that changed:
 * under TCG a write to a page of code, even of the same bytes, throws
 * its translations away, and the program's would be made again at each
 * run.
 */
static void
put_back(char *d, const char *s, size_t n)
{
	size_t off;

	for (off = 0; off < n; off += 4096)
		if (!same(d + off, s + off))
			move(d + off, s + off, 4096);
}

/* The kernel's data and bss, but for the stack's guard (unmapped), into
 * or out of the copy at c (out: 1): how many bytes. */
static size_t
kernel(char *c, int out)
{
	size_t a = (size_t)(stack_guard - __data_start);
	size_t b = (size_t)(__snap_end - stack_bottom);

	if (c != NULL && out) {
		move(c, __data_start, a);
		move(c + a, stack_bottom, b);
	} else if (c != NULL) {
		put_back(__data_start, c, a);
		put_back(stack_bottom, c + a, b);
	}
	return a + b;
}

/*
 * In pool mode, before `ready`: keep what recycling puts back. Returns
 * 0, and 1 after each recycle, with the VM as it was here. No virtio
 * console, no recycling: stdin left on a UART cannot be told apart.
 */
int
rt_checkpoint(void)
{
	uintptr_t pa;
	size_t k = kernel(NULL, 0);

	if (!vcons_present())
		return 0;
	if (ctx_save(&back) != 0)
		return 1;
	frames_span(&lo, &hi);
	if ((pa = frames_take_top(k + (hi - lo))) == 0)
		return 0;
	copy = phys_to_virt(pa);
	kernel(copy, 1);
	move(copy + k, phys_to_virt(lo), hi - lo);
	return 0;
}

int
rt_recyclable(void)
{
	return copy != NULL;
}

/* Stdin that the last program did not read is not the next one's:
 * 0 once the in bytes the host sent it have come, -1 if they do not. */
static int
drain(uint64_t in)
{
	uint64_t end = clock_ns() + DRAIN_NS;
	char buf[512];
	size_t n, k;

	while (rt_in < in) {
		n = in - rt_in < sizeof(buf) ? (size_t)(in - rt_in) :
		    sizeof(buf);
		if ((k = vport_getn(VPORT_STDIO, buf, n)) > 0) {
			rt_in += k;
			continue;
		}
		if (clock_ns() >= end)
			return -1;
		vport_wait_rx(VPORT_STDIO);
	}
	return 0;
}

/* On the recycle's own stack: the copy overwrites the kernel's. */
static void
restore(void)
{
	size_t k = kernel(copy, 0);

	put_back(phys_to_virt(lo), copy + k, hi - lo);
	cpu_user_reset();
	ctx_resume(&back);
}

/* After `exit` and the host's `again in`; returns when it cannot. */
void
rt_recycle(uint64_t in)
{
	if (copy == NULL || drain(in) < 0)
		return;
	cli();
	on_stack(restore, stack + sizeof(stack));
}
