/* read, write, exit, sleep, clocks: the calls that reach the kernel. */
#include <errno.h>
#include <fleetrt.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "rt.h"

ssize_t
read(int fd, void *buf, size_t n)
{
	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	if (n > 0x7FFFFFFF)
		n = 0x7FFFFFFF;
	return (ssize_t)rt_stdin(buf, n);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	if (n > 0x7FFFFFFF)
		n = 0x7FFFFFFF;
	if (fd == 1)
		rt_stdout(buf, n);
	else if (fd == 2)
		rt_stderr(buf, n);
	else {
		errno = EBADF;
		return -1;
	}
	return (ssize_t)n;
}

int
isatty(int fd)
{
	errno = EINVAL;
	return 0;
}

void exit(int status) { rt_exit(status); }
void fleetrt_exit(int status) { rt_exit(status); }
void fleetrt_kill(int sig) { rt_signaled(sig); }

void
_Exit(int status)
{
	rt_stdio_flush();	/* the buffer is ours, not the program's */
	rt_exit(status);
}

void _exit(int status) { _Exit(status); }
void abort(void) { rt_signaled(6); }
char *getenv(const char *name) { return NULL; }
const char *fleetrt_setting(const char *key) { return rt_setting(key); }
uint64_t fleetrt_clock_ns(void) { return clock_ns(); }
void fleetrt_idle(void) { cpu_idle(); }

void
fleetrt_sleep_ns(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	while (clock_ns() < end)
		cpu_idle();
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns = clock_ns();

	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}

int
nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec > 999999999) {
		errno = EINVAL;
		return -1;
	}
	fleetrt_sleep_ns((uint64_t)req->tv_sec * 1000000000u +
	    (uint64_t)req->tv_nsec);
	if (rem != NULL)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

unsigned
sleep(unsigned s)
{
	fleetrt_sleep_ns((uint64_t)s * 1000000000u);
	return 0;
}

int
usleep(unsigned us)
{
	fleetrt_sleep_ns((uint64_t)us * 1000u);
	return 0;
}

clock_t
clock(void)
{
	return (clock_t)(clock_ns() / 1000u);
}

time_t
time(time_t *t)
{
	time_t v = (time_t)(clock_ns() / 1000000000u);

	if (t != NULL)
		*t = v;
	return v;
}
