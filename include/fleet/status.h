/* status.h: signal names and wait statuses, as the tools print them */
#ifndef FLEET_STATUS_H
#define FLEET_STATUS_H

#include <stddef.h>

/*
 * "TERM", "SIGTERM", "term" or "15" to 15. Names: HUP INT QUIT KILL PIPE
 * ALRM TERM USR1 USR2 CONT STOP TSTP SEGV. -EINVAL if unknown.
 */
int fleet_signal_parse(const char *s);

/* "TERM" for 15; NULL for a number without a name. */
const char *fleet_signal_name(int sig);

/* A waitpid-style status as a shell's exit code: S, or 128+N. */
int fleet_status_exit_code(int status);

/*
 * "exited 42", "killed by SIGKILL", "crashed (SIGSEGV)" into buf (at most
 * len bytes, NUL included). Returns the length it needed, like snprintf.
 */
int fleet_status_format(int status, char *buf, size_t len);

/* The statuses libfleet builds (docs/protocol.md, section 5). */
int fleet_status_exited(int code);
int fleet_status_signaled(int sig);
int fleet_status_crashed(void);

#endif
