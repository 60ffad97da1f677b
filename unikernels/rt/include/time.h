#ifndef FLEETRT_TIME_H
#define FLEETRT_TIME_H

#include "_types.h"

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1
#define CLOCKS_PER_SEC	1000000L

typedef int clockid_t;
typedef long clock_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

int	 clock_gettime(clockid_t, struct timespec *);
int	 nanosleep(const struct timespec *, struct timespec *);
clock_t	 clock(void);
time_t	 time(time_t *);

#endif
