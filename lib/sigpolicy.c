/* sigpolicy.c: what a signal does to a VM, whoever sends it */
#include <signal.h>
#include "internal.h"

/*
 * As to a process: KILL destroys, STOP and TSTP suspend, CONT resumes;
 * any other signal goes to the program (`sig N` on the control channel,
 * which its owner holds), and unanswered, after TERM_GRACE_MS, the ACPI
 * power button, then after as long again the destroy.
 */
enum sig_action
sig_action(int sig)
{
	switch (sig) {
	case SIGKILL:
		return SIG_DESTROY;
	case SIGSTOP:
	case SIGTSTP:
		return SIG_SUSPEND;
	case SIGCONT:
		return SIG_RESUME;
	default:
		return sig > 0 && sig < 128 ? SIG_DELIVER : SIG_BAD;
	}
}
