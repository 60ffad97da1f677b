/* log.c: fleetd's messages: stderr prefixed "fleetd: ", or syslog(3) */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include "log.h"

static int use_syslog;

void
log_init(int to_syslog)
{
	use_syslog = to_syslog;
	if (use_syslog)
		openlog("fleetd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* One line, whole: threads' messages do not interleave. */
static void
vlog(int pri, const char *fmt, va_list ap)
{
	if (use_syslog) {
		vsyslog(pri, fmt, ap);
		return;
	}
	flockfile(stderr);
	fputs("fleetd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}
