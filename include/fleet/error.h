/* error.h: how libfleet reports failure */
#ifndef FLEET_ERROR_H
#define FLEET_ERROR_H

/*
 * Every call returns 0 (or a pointer) on success and a negative errno-style
 * code on failure (-ENOENT, -ENOEXEC, -EACCES, -ECONNREFUSED, -ESRCH,
 * -EINVAL, -EIO, -ETIMEDOUT, ...). The message of the first failure of the
 * last call, naming the object involved, is kept per thread.
 */

/* Thread-local; valid until the next libfleet call in this thread. */
const char *fleet_last_error(void);

#endif
