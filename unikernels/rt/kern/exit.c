/* The three ways a program ends: exit, a signal from the host, a fault.
 * Each reports on the control channel, then powers off (in linger mode
 * after the host's `bye`). */
#include "rt.h"
#include "../lib/pure.h"
#include "../arch/x86_64/io.h"

#define DRAIN_NS	200000000ull	/* how long a dying VM flushes */

uint64_t rt_out, rt_err, rt_in;
static volatile int ending;

/* `fleet.lingerms=N`: how long a host that may have gone away (the
 * owner of a detached VM) has to say `bye`; 0 or none: no bound. */
static uint64_t
linger_bound(void)
{
	const char *v = rt_setting("lingerms");
	uint64_t ms = 0;

	for (; v != NULL && *v >= '0' && *v <= '9' && ms < 86400000; v++)
		ms = ms * 10 + (uint64_t)(*v - '0');
	return ms * 1000000ull;
}

/* After the status line: power off, in linger mode (`fleet.linger=1`)
 * only once the host has said `bye` (or the bound passed), so that it
 * reads all our output before the VM goes away. No COM3, no `bye`: no
 * lingering. After an exit, the host's `again` recycles a pool VM. */
static _Noreturn void
power_off(int exited)
{
	if (rt_flag("linger") && uart_present(COM3))
		ctl_await_bye(linger_bound());
	if (exited && ctl_again >= 0)
		rt_recycle((uint64_t)ctl_again);
	acpi_poweroff();
}

/* Claim the single way out; 0 if someone else already has. */
static int
claim(void)
{
	uint32_t f = eflags();
	int mine;

	cli();
	mine = !ending;
	ending = 1;
	if (f & 0x200)
		sti();
	return mine;
}

void
rt_exit(int status)
{
	rt_stdout_flush();
	uart_flush(COM2);
	if (!claim())
		for (;;)
			cpu_idle();
	ctl_final("exit %d %llu %llu\n", status & 255, rt_out, rt_err);
	power_off(1);
}

void
rt_signaled(int sig)
{
	if (!claim())
		for (;;)
			cpu_idle();
	sti();
	rt_stdout_flush_bounded(DRAIN_NS);
	uart_flush_bounded(COM2, DRAIN_NS);
	ctl_final("signaled %d %llu %llu\n", sig, rt_out, rt_err);
	power_off(0);
}

/* From an IRQ handler, after EOI: a pending `sig N` ends the program. */
void
rt_check_signal(void)
{
	if (ctl_sig != 0 && !ending)
		rt_signaled(ctl_sig);
}

void
rt_crash(const char *what, const char *fmt, ...)
{
	static int crashing;
	char msg[160];
	va_list ap;
	int n;

	if (crashing++)
		acpi_poweroff();
	ending = 1;
	va_start(ap, fmt);
	n = fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sti();
	rt_stderr(msg, n < (int)sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	rt_stdout_flush_bounded(DRAIN_NS);
	uart_flush_bounded(COM2, DRAIN_NS);
	ctl_final("crash %s %llu %llu\n", what, rt_out, rt_err);
	power_off(0);
}
