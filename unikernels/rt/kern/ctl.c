/* The control channel on COM3: `eof N`, `sig N`, `args ...`, `bye` and
 * `again N` in, status lines out. */
#include "rt.h"
#include "../lib/pure.h"

/* The longest line read whole: `args ` and a 4095-byte command line. */
#define LINE_MAX	(5 + 4095)

volatile int ctl_sig;
volatile int64_t ctl_eof = -1;
volatile int64_t ctl_again = -1;

static char line[LINE_MAX + 1];
static size_t len;
static int overlong;

static volatile int final, bye;	/* the last line is out; `bye` came */
static char *volatile args;	/* where an awaited `args` line goes */
static volatile int args_len = -1;	/* its length once it came */
static volatile int args_long;		/* it came, too long */

static int
number(const char *s, int64_t *v)
{
	int64_t n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (*s != '\0')
		return -1;
	*v = n;
	return 0;
}

/* What follows the word cmd and one space in s, "" for cmd alone,
 * or NULL when s is another line. */
static const char *
after(const char *s, const char *cmd)
{
	while (*cmd != '\0')
		if (*s++ != *cmd++)
			return NULL;
	if (*s == ' ')
		return s + 1;
	return *s == '\0' ? s : NULL;
}

/* The first `args` line while main.c waits for one. */
static void
take_args(const char *p)
{
	int n;

	if (args == NULL || args_len >= 0 || args_long)
		return;
	if (overlong) {
		args_long = 1;
		return;
	}
	for (n = 0; p[n] != '\0'; n++)
		args[n] = p[n];
	args[n] = '\0';
	args_len = n;
}

static void
handle(const char *s)
{
	const char *p;
	int64_t v;

	if ((p = after(s, "args")) != NULL)
		take_args(p);
	else if (overlong)
		return;
	else if ((p = after(s, "eof")) != NULL && number(p, &v) == 0)
		ctl_eof = v;
	else if ((p = after(s, "sig")) != NULL && number(p, &v) == 0 &&
	    v > 0 && v < 128 && ctl_sig == 0)
		ctl_sig = (int)v;
	else if (s[0] == 'b' && s[1] == 'y' && s[2] == 'e' && s[3] == '\0' &&
	    final)
		bye = 1;
	else if ((p = after(s, "again")) != NULL && number(p, &v) == 0 &&
	    final && rt_recyclable())
		ctl_again = v;
}

/* Called with interrupts off: from IRQ handlers and from waiters.
 * Returns how many lines it handled. After `again`, what follows is
 * the next claimer's: left in the port for the recycled VM. */
int
ctl_poll(void)
{
	int lines = 0;
	char c;

	while (ctl_again < 0 && uart_getn(COM3, &c, 1) == 1) {
		if (c != '\n') {
			if (len < LINE_MAX)
				line[len++] = c;
			else
				overlong = 1;
			continue;
		}
		line[len] = '\0';
		handle(line);
		len = 0;
		overlong = 0;
		lines++;
	}
	return lines;
}

static void
put(void *arg, const char *s, size_t n)
{
	uart_putn(COM3, s, n, NULL);
}

void
ctl_send(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(put, NULL, fmt, ap);
	va_end(ap);
}

/* The status line, after which `bye` counts; returns once it has left
 * the UART. */
void
ctl_final(const char *fmt, ...)
{
	va_list ap;

	final = 1;
	va_start(ap, fmt);
	fmt_vformat(put, NULL, fmt, ap);
	va_end(ap);
	uart_flush(COM3);
}

/* Linger mode: halt until the host's `bye` or `again`, or ns pass (0:
 * no bound). */
void
ctl_await_bye(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	while (!bye && ctl_again < 0 && (ns == 0 || clock_ns() < end))
		uart_wait_rx(COM3);
}

/* `ready`, with the word `virtio` when stdin and stdout use the virtio
 * console, and `again` when the VM can be recycled. */
void
ctl_ready(void)
{
	ctl_send("ready%s%s\n", vcons_present() ? " virtio" : "",
	    rt_recyclable() ? " again" : "");
}

/* Pool mode: send `ready`, then halt until the host's `args` line,
 * copied to buf (LINE_MAX - 4 bytes). Returns its length, or -1 if it
 * was too long. A recycled VM comes back here, its `ready` said. */
int
ctl_args(char *buf)
{
	args = buf;
	if (rt_checkpoint() == 0)
		ctl_ready();
	while (args_len < 0 && !args_long)
		uart_wait_rx(COM3);
	uart_rx_off(COM3);
	return args_long ? -1 : args_len;
}
