/* error.c: the last error message, per thread */
#include <stdarg.h>
#include <stdio.h>
#include <fleet/error.h>
#include "internal.h"

static _Thread_local char last_error[512];

const char *
fleet_last_error(void)
{
	return last_error;
}

void
fleet_clearerr(void)
{
	last_error[0] = '\0';
}

int
fleet_seterr(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return code;
}
