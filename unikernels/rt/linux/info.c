/* What the system says of itself: uname, sysinfo, getrandom. */
#include "linux.h"
#include "sys.h"

struct utsname {
	char sysname[65], nodename[65], release[65], version[65];
	char machine[65], domainname[65];
};

struct sysinfo {
	int64_t uptime;
	uint64_t loads[3], totalram, freeram, sharedram, bufferram;
	uint64_t totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};

static void
field(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n > 64)
		n = 64;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

long
sys_uname(long buf)
{
	struct utsname *u = (struct utsname *)buf;
	const char *host = rt_setting("host");

	if (!user_ok((uintptr_t)buf, sizeof(*u), PROT_WRITE))
		return -EFAULT;
	memset(u, 0, sizeof(*u));
	field(u->sysname, "Linux");
	field(u->nodename, host != NULL ? host : "fleet");
	field(u->release, "6.1.0-fleet");
	field(u->version, "#1 fleet unikernel");
	field(u->machine, "x86_64");
	field(u->domainname, "(none)");
	return 0;
}

long
sys_sysinfo(long buf)
{
	struct sysinfo *s = (struct sysinfo *)buf;

	if (!user_ok((uintptr_t)buf, sizeof(*s), PROT_WRITE))
		return -EFAULT;
	memset(s, 0, sizeof(*s));
	s->uptime = (int64_t)(clock_ns() / 1000000000ull);
	s->totalram = rt_boot.memtop;
	s->freeram = frames_left();
	s->procs = 1;
	s->mem_unit = 1;
	return 0;
}

long
sys_getrandom(long buf, long n, long flags)
{
	if (n < 0)
		return -EINVAL;
	if (!user_ok((uintptr_t)buf, (size_t)n, PROT_WRITE))
		return -EFAULT;
	random_fill((void *)buf, (size_t)n);
	return n;
}
