/* File descriptors 0, 1, 2, with the byte counts that the status line
 * reports: stdin and stdout on the virtio console when there is one
 * (and `fleet.console=uart` does not say otherwise), else on COM1;
 * stderr on COM2. */
#include "rt.h"

void
rt_console_init(void)
{
	const char *v = rt_setting("console");

	/* fleet.9p=1: the host's domain has port 2, for files */
	if (v == NULL || v[0] != 'u')
		(void)vcons_init(rt_flag("9p") ? 2 : 1);
}

void
rt_stdout_flush(void)
{
	if (vcons_present())
		vport_flush(VPORT_STDIO);
	else
		uart_flush(COM1);
}

int
rt_stdout_flush_bounded(uint64_t ns)
{
	if (vcons_present())
		return vport_flush_bounded(VPORT_STDIO, ns);
	return uart_flush_bounded(COM1, ns);
}

void
rt_stderr(const void *buf, size_t n)
{
	uart_putn(COM2, buf, n, &rt_err);
}

void
rt_stdout(const void *buf, size_t n)
{
	if (vcons_present())
		vport_putn(VPORT_STDIO, buf, n, &rt_out);
	else
		uart_putn(COM1, buf, n, &rt_out);
}

/*
 * The host sends stdin only as far as the program asks (`want N`, N
 * the bytes in all it may take): a program that never reads takes
 * nothing, and the rest stays for the next reader, as a process leaves
 * a pipe. Asked a window ahead, topped up at half of it.
 */
#define STDIN_WINDOW	(256 * 1024)

static uint64_t in_wanted;

static void
want_more(void)
{
	if (in_wanted >= rt_in + STDIN_WINDOW / 2)
		return;
	in_wanted = rt_in + STDIN_WINDOW;
	ctl_send("want %llu\n", (unsigned long long)in_wanted);
}

/* Up to n bytes of stdin, at least one unless it has ended. */
size_t
rt_stdin(void *buf, size_t n)
{
	size_t k;

	for (;;) {
		want_more();
		if (ctl_eof >= 0 && rt_in >= (uint64_t)ctl_eof)
			return 0;
		if (ctl_eof >= 0 && n > (uint64_t)ctl_eof - rt_in)
			n = (size_t)((uint64_t)ctl_eof - rt_in);
		k = vcons_present() ? vport_getn(VPORT_STDIO, buf, n) :
		    uart_getn(COM1, buf, n);
		if (k > 0) {
			rt_in += k;
			return k;
		}
		if (vcons_present())
			vport_wait_rx(VPORT_STDIO);
		else
			uart_wait_rx(COM1);
	}
}
