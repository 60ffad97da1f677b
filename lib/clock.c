/* clock.c: deadlines, for condition waits and timers */
#include <time.h>
#include "internal.h"

/* *ts = the clock's now plus ms milliseconds. */
void
clock_after(struct timespec *ts, clockid_t clock, long ms)
{
	clock_gettime(clock, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* CLOCK_MONOTONIC in milliseconds. */
int64_t
clock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds from then to now (negative when now is before). */
int64_t
clock_ms_since(const struct timespec *then, const struct timespec *now)
{
	return (now->tv_sec - then->tv_sec) * 1000 +
	    (now->tv_nsec - then->tv_nsec) / 1000000;
}
