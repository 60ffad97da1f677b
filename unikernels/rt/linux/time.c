/* Clocks and sleeps: monotonic time from the PIT, the wall clock from
 * the CMOS clock at boot (or `fleet.time=SECONDS`, the host's). */
#include "linux.h"
#include "sys.h"
#include "../arch/x86_64/io.h"

#define CLOCK_REALTIME		0
#define CLOCK_REALTIME_COARSE	5
#define TIMER_ABSTIME		1
#define NS			1000000000ull

struct timespec {
	int64_t sec, nsec;
};

struct timeval {
	int64_t sec, usec;
};

static uint64_t boot_wall;	/* ns since the epoch at clock_ns() == 0 */

static unsigned
cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned
bcd(unsigned v, int binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 15);
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static int64_t
days(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static uint64_t
rtc_seconds(void)
{
	unsigned s, mi, h, d, mo, y, b;

	while (cmos(0x0A) & 0x80)	/* an update in progress */
		;
	b = cmos(0x0B) & 4;
	s = bcd(cmos(0x00), b);
	mi = bcd(cmos(0x02), b);
	h = bcd(cmos(0x04), b);
	d = bcd(cmos(0x07), b);
	mo = bcd(cmos(0x08), b);
	y = bcd(cmos(0x09), b) + 2000;
	return (uint64_t)(days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s);
}

void
time_init(void)
{
	uint64_t s = rt_setting_num("time", 10, 0);

	if (s == 0)
		s = rtc_seconds();
	boot_wall = s * NS - clock_ns();
}

uint64_t
realtime_ns(void)
{
	return boot_wall + clock_ns();
}

static uint64_t
clock_of(long id)
{
	return id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE ?
	    realtime_ns() : clock_ns();
}

static int
put_ts(long a, uint64_t ns)
{
	struct timespec *ts = (struct timespec *)a;

	if (!user_ok((uintptr_t)a, sizeof(*ts), PROT_WRITE))
		return -EFAULT;
	ts->sec = (int64_t)(ns / NS);
	ts->nsec = (int64_t)(ns % NS);
	return 0;
}

static int
get_ts(long a, uint64_t *ns)
{
	const struct timespec *ts = (const struct timespec *)a;

	if (!user_ok((uintptr_t)a, sizeof(*ts), PROT_READ))
		return -EFAULT;
	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= (int64_t)NS)
		return -EINVAL;
	*ns = (uint64_t)ts->sec * NS + (uint64_t)ts->nsec;
	return 0;
}

long
sys_clock_gettime(long id, long ts)
{
	if (id < 0 || id > 11)
		return -EINVAL;
	return put_ts(ts, clock_of(id));
}

long
sys_clock_getres(long id, long ts)
{
	if (id < 0 || id > 11)
		return -EINVAL;
	return ts == 0 ? 0 : put_ts(ts, 1);
}

long
sys_gettimeofday(long tv, long tz)
{
	uint64_t ns = realtime_ns();
	struct timeval *t = (struct timeval *)tv;

	if (tv != 0) {
		if (!user_ok((uintptr_t)tv, sizeof(*t), PROT_WRITE))
			return -EFAULT;
		t->sec = (int64_t)(ns / NS);
		t->usec = (int64_t)(ns % NS / 1000);
	}
	return 0;
}

long
sys_time(long t)
{
	int64_t s = (int64_t)(realtime_ns() / NS);

	if (t != 0) {
		if (!user_ok((uintptr_t)t, 8, PROT_WRITE))
			return -EFAULT;
		*(int64_t *)t = s;
	}
	return s;
}

/* Halt until clock id reaches end: the tick wakes us at least. */
static void
sleep_until(long id, uint64_t end)
{
	while (clock_of(id) < end)
		cpu_idle();
}

long
sys_clock_nanosleep(long id, long flags, long req, long rem)
{
	uint64_t ns;
	int r;

	if (id < 0 || id > 11)
		return -EINVAL;
	if ((r = get_ts(req, &ns)) < 0)
		return r;
	sleep_until(id, (flags & TIMER_ABSTIME) ? ns : clock_of(id) + ns);
	return 0;
}

long
sys_nanosleep(long req, long rem)
{
	return sys_clock_nanosleep(1, 0, req, rem);
}

/* The CPU is the program's alone: its time is the time since boot. */
long
sys_times(long buf)
{
	uint64_t t = clock_ns() / (NS / 100);
	int64_t *v = (int64_t *)buf;

	if (buf != 0) {
		if (!user_ok((uintptr_t)buf, 32, PROT_WRITE))
			return -EFAULT;
		v[0] = (int64_t)t;
		v[1] = v[2] = v[3] = 0;
	}
	return (long)t;
}

long
sys_getrusage(long who, long buf)
{
	uint64_t ns = clock_ns();
	int64_t *v = (int64_t *)buf;

	if (!user_ok((uintptr_t)buf, 144, PROT_WRITE))
		return -EFAULT;
	memset(v, 0, 144);
	if (who == 0) {
		v[0] = (int64_t)(ns / NS);
		v[1] = (int64_t)(ns % NS / 1000);
		v[4] = (int64_t)(mm_resident() / 1024);	/* maxrss, KiB */
	}
	return 0;
}
