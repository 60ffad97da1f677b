/* File descriptors 0, 1, 2 on the serial ports, with the byte counts
 * that the status line reports. */
#include "rt.h"

void
rt_stderr(const void *buf, size_t n)
{
	uart_putn(COM2, buf, n, &rt_err);
}

void
rt_stdout(const void *buf, size_t n)
{
	uart_putn(COM1, buf, n, &rt_out);
}

/* Up to n bytes of stdin, at least one unless it has ended. */
size_t
rt_stdin(void *buf, size_t n)
{
	size_t k;
	int flushed = 0;

	for (;;) {
		if (ctl_eof >= 0 && rt_in >= (uint64_t)ctl_eof)
			return 0;
		if (ctl_eof >= 0 && n > (uint64_t)ctl_eof - rt_in)
			n = (size_t)((uint64_t)ctl_eof - rt_in);
		if ((k = uart_getn(COM1, buf, n)) > 0) {
			rt_in += k;
			return k;
		}
		if (!flushed++)
			rt_stdio_flush();
		uart_wait_rx(COM1);
	}
}
