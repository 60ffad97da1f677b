/* error.c: the thread-local last error, first failure of a call kept */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

static _Thread_local char last_error[512];
static _Thread_local int last_set;

const char *
fleet_last_error(void)
{
	return last_set ? last_error : "no error";
}

int
fleet_seterr(int code, const char *fmt, ...)
{
	va_list ap;

	if (last_set)
		return code;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	last_set = 1;
	return code;
}

void
fleet_clearerr(void)
{
	last_set = 0;
	last_error[0] = '\0';
}

/* A note on stderr when $FLEET_DEBUG is set: a fallback taken, say. */
void
debug_note(const char *fmt, ...)
{
	const char *d = getenv("FLEET_DEBUG");
	va_list ap;

	if (d == NULL || *d == '\0')
		return;
	va_start(ap, fmt);
	fputs("libfleet: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
