/* internal.h: libfleet's private prototypes, grouped by file */
#ifndef FLEET_INTERNAL_H
#define FLEET_INTERNAL_H

/* error.c */
/*
 * Record the message for fleet_last_error() and return code (a negative
 * errno), so that callers write `return fleet_seterr(-EINVAL, "...")`.
 */
int fleet_seterr(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void fleet_clearerr(void);

#endif
