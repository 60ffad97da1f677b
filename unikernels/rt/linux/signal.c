/*
 * Signals. The program may set dispositions and masks; a signal it
 * sends itself (abort, raise, kill(getpid(), ...)) is ignored where
 * its disposition or Linux's default says so, and otherwise ends the
 * VM as `signaled N`: handlers are kept but not run (the host's `sig N`
 * ends the VM the same way).
 */
#include "linux.h"
#include "sys.h"

#define NSIG		65
#define SIG_IGN		1
#define SIGCHLD		17
#define SIGCONT		18
#define SIGURG		23
#define SIGWINCH	28
#define SIGKILL		9
#define SIGSTOP		19

struct ksigaction {
	uint64_t handler, flags, restorer, mask;
};

static struct ksigaction act[NSIG];
static uint64_t blocked;

long
sys_rt_sigaction(long sig, long new, long old, long size)
{
	if (sig < 1 || sig >= NSIG || size != 8)
		return -EINVAL;
	if (new != 0 && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (old != 0) {
		if (!user_ok((uintptr_t)old, sizeof(act[0]), PROT_WRITE))
			return -EFAULT;
		*(struct ksigaction *)old = act[sig];
	}
	if (new != 0) {
		if (!user_ok((uintptr_t)new, sizeof(act[0]), PROT_READ))
			return -EFAULT;
		act[sig] = *(const struct ksigaction *)new;
	}
	return 0;
}

long
sys_rt_sigprocmask(long how, long set, long old, long size)
{
	uint64_t v;

	if (size != 8)
		return -EINVAL;
	if (old != 0) {
		if (!user_ok((uintptr_t)old, 8, PROT_WRITE))
			return -EFAULT;
		*(uint64_t *)old = blocked;
	}
	if (set == 0)
		return 0;
	if (!user_ok((uintptr_t)set, 8, PROT_READ))
		return -EFAULT;
	v = *(const uint64_t *)set;
	if (how == 0)
		blocked |= v;
	else if (how == 1)
		blocked &= ~v;
	else if (how == 2)
		blocked = v;
	else
		return -EINVAL;
	return 0;
}

long
sys_sigaltstack(long ss, long old)
{
	if (old != 0) {
		if (!user_ok((uintptr_t)old, 24, PROT_WRITE))
			return -EFAULT;
		memset((void *)old, 0, 24);
		*(int32_t *)(old + 8) = 2;	/* SS_DISABLE */
	}
	return 0;
}

static int
ignored(long sig)
{
	if (act[sig].handler == SIG_IGN)
		return 1;
	return act[sig].handler == 0 && (sig == SIGCHLD || sig == SIGCONT ||
	    sig == SIGURG || sig == SIGWINCH);
}

static long
to_self(long sig)
{
	if (sig == 0)
		return 0;
	if (sig < 1 || sig >= NSIG)
		return -EINVAL;
	if (ignored(sig))
		return 0;
	rt_signaled((int)sig);
}

long
sys_kill(long pid, long sig)
{
	if (pid != 1 && pid != 0 && pid != -1)
		return -ESRCH;
	return to_self(sig);
}

long
sys_tkill(long tid, long sig)
{
	return tid == 1 ? to_self(sig) : -ESRCH;
}

long
sys_tgkill(long tgid, long tid, long sig)
{
	return tgid == 1 && tid == 1 ? to_self(sig) : -ESRCH;
}
