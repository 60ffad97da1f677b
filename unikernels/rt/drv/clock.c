/* PIT channel 0 at 100 Hz: the tick that wakes hlt, polls the control
 * port, and with the counter's sub-tick a monotonic clock. */
#include "rt.h"
#include "../arch/x86_64/io.h"

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define DIVISOR		11932		/* 1193182 Hz / 11932 = 100 Hz */
#define TICK_NS		10000151ull	/* DIVISOR / 1193182 Hz, in ns */
#define COUNT_PS	838095ull	/* one PIT count, in ps */

static volatile uint64_t ticks RT_KEEP;	/* time goes on through a recycle */
static uint64_t last RT_KEEP;

void
clock_init(void)
{
	outb(PIT_CMD, 0x34);		/* channel 0, lo/hi, mode 2 */
	outb(PIT_CH0, DIVISOR & 0xFF);
	outb(PIT_CH0, DIVISOR >> 8);
}

void
clock_tick(void)
{
	ticks++;
}

uint64_t
clock_ns(void)
{
	uint32_t f = eflags();
	uint64_t t, ns;
	unsigned count;
	int pending;

	cli();
	outb(PIT_CMD, 0x00);		/* latch channel 0 */
	count = inb(PIT_CH0);
	count |= inb(PIT_CH0) << 8;
	outb(0x20, 0x0A);		/* read the master PIC's IRR */
	pending = inb(0x20) & 1;
	t = ticks + (pending && count > DIVISOR / 2);
	if (count > DIVISOR)
		count = DIVISOR;
	ns = t * TICK_NS + (DIVISOR - count) * COUNT_PS / 1000;
	if (ns < last)
		ns = last;
	last = ns;
	if (f & 0x200)
		sti();
	return ns;
}
