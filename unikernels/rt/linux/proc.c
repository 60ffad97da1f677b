/*
 * The process: one, pid 1, never forking or executing another (a fleet
 * VM is one process; pipelines are made of VMs). Its identity, limits,
 * the calls glibc and musl make at start-up, and its end.
 */
#include "linux.h"
#include "sys.h"

#define RLIMIT_STACK	3
#define RLIMIT_NOFILE	7
#define RLIM_INFINITY	(~0ull)
#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004
#define PR_SET_NAME	15
#define PR_GET_NAME	16
#define FUTEX_WAIT	0
#define FUTEX_WAKE	1

struct rlimit {
	uint64_t cur, max;
};

static uint64_t fs_base, gs_base;
static int mask = 022;
static char comm[16];

_Noreturn void
linux_exit(int status)
{
	rt_exit(status);
}

long
sys_exit(long status)
{
	linux_exit((int)status);
}

long
sys_exit_group(long status)
{
	linux_exit((int)status);
}

/* Said once, on stderr: the program asked for a second process. */
static long
one_process(const char *call)
{
	static int said;

	if (!said++) {
		static const char pre[] = "fleetrt: ";
		static const char post[] = ": a fleet VM runs one process "
		    "(no fork or exec)\n";

		rt_stderr(pre, sizeof(pre) - 1);
		rt_stderr(call, strlen(call));
		rt_stderr(post, sizeof(post) - 1);
	}
	return -ENOSYS;
}

long sys_fork(void) { return one_process("fork"); }
long sys_vfork(void) { return one_process("vfork"); }
long sys_clone(long a, long b, long c, long d, long e) { return one_process("clone"); }
long sys_clone3(long a, long b) { return one_process("clone3"); }
long sys_execve(long a, long b, long c) { return one_process("execve"); }
long sys_wait4(long a, long b, long c, long d) { return -ECHILD; }

static long
setting_id(const char *key)
{
	uint64_t n = rt_setting_num(key, 10, 0);

	return n > 0x7fffffff ? 0x7fffffff : (long)n;
}

long sys_getpid(void) { return 1; }
long sys_gettid(void) { return 1; }
long sys_getppid(void) { return 0; }
long sys_getpgrp(void) { return 1; }
long sys_getpgid(long pid) { return pid == 0 || pid == 1 ? 1 : -ESRCH; }
long sys_getsid(long pid) { return pid == 0 || pid == 1 ? 1 : -ESRCH; }
long sys_setpgid(long pid, long pgid) { return 0; }
long sys_setsid(void) { return -EPERM; }
long sys_getuid(void) { return setting_id("uid"); }
long sys_geteuid(void) { return setting_id("uid"); }
long sys_getgid(void) { return setting_id("gid"); }
long sys_getegid(void) { return setting_id("gid"); }
long sys_setuid(long id) { return id == setting_id("uid") ? 0 : -EPERM; }
long sys_setgid(long id) { return id == setting_id("gid") ? 0 : -EPERM; }
long sys_getgroups(long n, long list) { return 0; }
long sys_set_tid_address(long p) { return 1; }
long sys_set_robust_list(long head, long len) { return 0; }
long sys_sched_yield(void) { return 0; }

/* The caller's umask (fleet.umask, octal), else 022. */
void
proc_init(void)
{
	mask = (int)(rt_setting_num("umask", 8, 022) & 0777);
}

int
proc_umask(void)
{
	return mask;
}

long
sys_umask(long m)
{
	int old = mask;

	mask = (int)(m & 0777);
	return old;
}

long
sys_arch_prctl(long code, long addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if ((uint64_t)addr >= USER_TOP)
			return -EPERM;
		fs_base = (uint64_t)addr;
		cpu_set_fs(fs_base);
		return 0;
	case ARCH_SET_GS:
		gs_base = (uint64_t)addr;
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		if (!user_ok((uintptr_t)addr, 8, PROT_WRITE))
			return -EFAULT;
		*(uint64_t *)addr = code == ARCH_GET_FS ? fs_base : gs_base;
		return 0;
	default:
		return -EINVAL;
	}
}

long
sys_prctl(long op, long a, long b, long c, long d)
{
	switch (op) {
	case PR_SET_NAME:
		if (user_str((uintptr_t)a, comm, sizeof(comm)) == -EFAULT)
			return -EFAULT;
		comm[sizeof(comm) - 1] = '\0';
		return 0;
	case PR_GET_NAME:
		if (!user_ok((uintptr_t)a, sizeof(comm), PROT_WRITE))
			return -EFAULT;
		memcpy((void *)a, comm, sizeof(comm));
		return 0;
	default:
		return -EINVAL;
	}
}

static struct rlimit
limit(long res)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	if (res == RLIMIT_STACK)
		r.cur = STACK_MAX;
	else if (res == RLIMIT_NOFILE)
		r.cur = r.max = 256;
	return r;
}

long
sys_prlimit64(long pid, long res, long new, long old)
{
	if (pid != 0 && pid != 1)
		return -ESRCH;
	if (res < 0 || res >= 16)
		return -EINVAL;
	if (old != 0) {
		if (!user_ok((uintptr_t)old, sizeof(struct rlimit), PROT_WRITE))
			return -EFAULT;
		*(struct rlimit *)old = limit(res);
	}
	return 0;
}

long
sys_getrlimit(long res, long old)
{
	return sys_prlimit64(0, res, 0, old);
}

long
sys_setrlimit(long res, long new)
{
	return sys_prlimit64(0, res, new, 0);
}

long
sys_sched_getaffinity(long pid, long len, long set)
{
	if (len < 8)
		return -EINVAL;
	if (!user_ok((uintptr_t)set, (size_t)len, PROT_WRITE))
		return -EFAULT;
	memset((void *)set, 0, (size_t)len);
	*(uint8_t *)set = 1;
	return 8;
}

/* One thread: nobody else could wake a waiter, nor change the word. */
long
sys_futex(long uaddr, long op, long val, long ts, long uaddr2, long val3)
{
	if ((op & 127) == FUTEX_WAKE)
		return 0;
	if ((op & 127) == FUTEX_WAIT)
		return -EAGAIN;
	return -ENOSYS;
}

long
sys_madvise(long addr, long len, long advice)
{
	return 0;
}
