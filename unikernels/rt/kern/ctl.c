/* The control channel on COM3: `eof N` and `sig N` in, status lines out. */
#include "rt.h"
#include "../lib/pure.h"

volatile int ctl_sig;
volatile int64_t ctl_eof = -1;

static char line[64];
static size_t len;
static int overlong;

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

static void
handle(const char *s)
{
	int64_t v;

	if (s[0] == 'e' && s[1] == 'o' && s[2] == 'f' && s[3] == ' ' &&
	    number(s + 4, &v) == 0)
		ctl_eof = v;
	else if (s[0] == 's' && s[1] == 'i' && s[2] == 'g' && s[3] == ' ' &&
	    number(s + 4, &v) == 0 && v > 0 && v < 128 && ctl_sig == 0)
		ctl_sig = (int)v;
}

/* Called with interrupts off: from IRQ handlers and from waiters.
 * Returns how many lines it handled. */
int
ctl_poll(void)
{
	int lines = 0;
	char c;

	while (uart_getn(COM3, &c, 1) == 1) {
		if (c != '\n') {
			if (len + 1 < sizeof(line))
				line[len++] = c;
			else
				overlong = 1;
			continue;
		}
		line[len] = '\0';
		if (!overlong)
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
