/*
 * The system-call table: number -> handler and name. Unknown calls are
 * -ENOSYS; with `fleet.strace=1` every call is logged on stderr as
 * strace prints it (name, arguments in hex, result).
 */
#include "linux.h"
#include "sys.h"
#include "../arch/x86_64/io.h"

typedef long (*handler)(long, long, long, long, long, long);

struct call {
	const char *name;
	handler fn;
	int nargs;
};

/* Every argument is a register: a handler may take fewer, or typed. */
#define CALL(nr, fn, n)	[nr] = { #fn, (handler)(void (*)(void))sys_##fn, n }
static const struct call calls[] = {
	CALL(0, read, 3), CALL(1, write, 3), CALL(2, open, 3),
	CALL(3, close, 1), CALL(4, stat, 2), CALL(5, fstat, 2),
	CALL(6, lstat, 2), CALL(7, poll, 3), CALL(8, lseek, 3),
	CALL(9, mmap, 6), CALL(10, mprotect, 3), CALL(11, munmap, 2),
	CALL(12, brk, 1), CALL(13, rt_sigaction, 4),
	CALL(14, rt_sigprocmask, 4), CALL(16, ioctl, 3),
	CALL(17, pread64, 4), CALL(18, pwrite64, 4), CALL(19, readv, 3),
	CALL(20, writev, 3), CALL(21, access, 2), CALL(22, pipe, 1),
	CALL(24, sched_yield, 0), CALL(25, mremap, 5), CALL(28, madvise, 3),
	CALL(32, dup, 1), CALL(33, dup2, 2), CALL(35, nanosleep, 2),
	CALL(39, getpid, 0), CALL(40, sendfile, 4), CALL(56, clone, 5),
	CALL(57, fork, 0), CALL(58, vfork, 0), CALL(59, execve, 3),
	CALL(60, exit, 1), CALL(61, wait4, 4), CALL(62, kill, 2),
	CALL(63, uname, 1), CALL(72, fcntl, 3), CALL(74, fsync, 1),
	CALL(75, fdatasync, 1), CALL(77, ftruncate, 2),
	CALL(79, getcwd, 2), CALL(80, chdir, 1), CALL(89, readlink, 3),
	CALL(95, umask, 1), CALL(96, gettimeofday, 2),
	CALL(97, getrlimit, 2), CALL(98, getrusage, 2),
	CALL(99, sysinfo, 1), CALL(100, times, 1), CALL(102, getuid, 0),
	CALL(104, getgid, 0), CALL(105, setuid, 1), CALL(106, setgid, 1),
	CALL(107, geteuid, 0), CALL(108, getegid, 0),
	CALL(109, setpgid, 2), CALL(110, getppid, 0),
	CALL(111, getpgrp, 0), CALL(112, setsid, 0),
	CALL(115, getgroups, 2), CALL(121, getpgid, 1),
	CALL(124, getsid, 1), CALL(131, sigaltstack, 2),
	CALL(157, prctl, 5), CALL(158, arch_prctl, 2),
	CALL(160, setrlimit, 2), CALL(186, gettid, 0),
	CALL(200, tkill, 2), CALL(201, time, 1), CALL(202, futex, 6),
	CALL(204, sched_getaffinity, 3), CALL(217, getdents64, 3),
	CALL(218, set_tid_address, 1), CALL(228, clock_gettime, 2),
	CALL(229, clock_getres, 2), CALL(230, clock_nanosleep, 4),
	CALL(231, exit_group, 1), CALL(234, tgkill, 3),
	CALL(257, openat, 4), CALL(262, newfstatat, 4),
	CALL(267, readlinkat, 4), CALL(269, faccessat, 3),
	CALL(270, pselect6, 6), CALL(271, ppoll, 4),
	CALL(273, set_robust_list, 2), CALL(292, dup3, 3),
	CALL(293, pipe2, 2), CALL(302, prlimit64, 4),
	CALL(318, getrandom, 3), CALL(435, clone3, 2),
	CALL(439, faccessat2, 4),
	CALL(76, truncate, 2), CALL(81, fchdir, 1), CALL(82, rename, 2),
	CALL(83, mkdir, 2), CALL(84, rmdir, 1), CALL(85, creat, 2),
	CALL(86, link, 2), CALL(87, unlink, 1), CALL(88, symlink, 2),
	CALL(90, chmod, 2), CALL(91, fchmod, 2), CALL(92, chown, 3),
	CALL(93, fchown, 3), CALL(94, lchown, 3), CALL(137, statfs, 2),
	CALL(138, fstatfs, 2), CALL(258, mkdirat, 3),
	CALL(260, fchownat, 5), CALL(263, unlinkat, 3),
	CALL(264, renameat, 4), CALL(265, linkat, 5),
	CALL(266, symlinkat, 3), CALL(268, fchmodat, 3),
	CALL(280, utimensat, 4), CALL(316, renameat2, 5),
};
#define NCALLS	(sizeof(calls) / sizeof(calls[0]))

int strace;

struct line {
	char buf[240];
	size_t n;
};

static void
vadd(struct line *l, const char *fmt, va_list ap)
{
	int k = fmt_vsnprintf(l->buf + l->n, sizeof(l->buf) - l->n, fmt, ap);

	l->n += (size_t)k < sizeof(l->buf) - l->n ? (size_t)k :
	    sizeof(l->buf) - l->n - 1;
}

static void
add(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(l, fmt, ap);
	va_end(ap);
}

static void
trace(const struct call *c, unsigned long nr, const long *a, long r,
    int done)
{
	struct line l = { .n = 0 };
	int i, n = c != NULL ? c->nargs : 6;

	if (c != NULL)
		add(&l, "fleetrt: %s(", c->name);
	else
		add(&l, "fleetrt: syscall_%lu(", nr);
	for (i = 0; i < n; i++)
		add(&l, "%s%#lx", i ? ", " : "", a[i]);
	if (done)
		add(&l, ") = %ld\n", r);
	else
		add(&l, c != NULL ? ") ...\n" : ") = -ENOSYS (unknown)\n");
	rt_stderr(l.buf, l.n);
}

/* Under `fleet.strace=1`: why a call failed, in words. */
void
strace_note(const char *fmt, ...)
{
	struct line l = { .n = 0 };
	va_list ap;

	if (!strace)
		return;
	add(&l, "fleetrt: ");
	va_start(ap, fmt);
	vadd(&l, fmt, ap);
	va_end(ap);
	rt_stderr(l.buf, l.n);
}

void
syscall_dispatch(struct frame *f)
{
	unsigned long nr = f->rax;
	long a[6] = { (long)f->rdi, (long)f->rsi, (long)f->rdx,
	    (long)f->r10, (long)f->r8, (long)f->r9 };
	const struct call *c = nr < NCALLS && calls[nr].fn != NULL ?
	    &calls[nr] : NULL;
	long r;

	sti();
	if (strace && (c == NULL || nr == 60 || nr == 231))
		trace(c, nr, a, 0, 0);
	r = c != NULL ? c->fn(a[0], a[1], a[2], a[3], a[4], a[5]) : -ENOSYS;
	if (strace && c != NULL)
		trace(c, nr, a, r, 1);
	f->rax = (uint64_t)r;
}
