/* internal.h: libfleet's private interfaces, grouped by file */
#ifndef FLEET_INTERNAL_H
#define FLEET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <fleet/fleet.h>

#ifndef __GNUC__
#define __attribute__(x)
#endif

/* error.c */
/*
 * Record a message for fleet_last_error() unless this call already failed
 * (the first error wins); returns code so callers can write
 * `return fleet_seterr(-ENOENT, "image %s: not found", name);`.
 * Public calls begin with fleet_clearerr().
 */
int	fleet_seterr(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	fleet_clearerr(void);

#endif
