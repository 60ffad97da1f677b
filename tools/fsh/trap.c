/* trap.c: what the shell does on a signal or at its exit */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fleet/status.h>
#include "fsh.h"
#include "strbuf.h"

#define NTRAP	65	/* 0 is EXIT, then the signals */

static char *action[NTRAP];	/* NULL: default; "": ignored */
static volatile sig_atomic_t pending[NTRAP];

static void
on_trapped(int sig)
{
	pending[sig] = 1;
	sig_wake();
}

/* The shell's own handling of sig, as when no trap is set. */
static void
handle_default(int sig)
{
	struct sigaction sa = { 0 };

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
		signals_default(sig);
		return;
	}
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
}

static void
handle(int sig, const char *what)
{
	struct sigaction sa = { 0 };

	if (sig == 0)
		return;
	if (what == NULL) {
		handle_default(sig);
		return;
	}
	sa.sa_handler = what[0] == '\0' ? SIG_IGN : on_trapped;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static int
trap_number(const char *s)
{
	int sig;

	if (strcmp(s, "EXIT") == 0 || strcmp(s, "0") == 0)
		return 0;
	sig = fleet_signal_parse(s);
	if (sig <= 0 || sig >= NTRAP || sig == SIGKILL || sig == SIGSTOP)
		return -1;
	return sig;
}

static void
trap_set(int sig, const char *what)
{
	free(action[sig]);
	action[sig] = what ? xstrdup(what) : NULL;
	pending[sig] = 0;
	handle(sig, what);
}

static void
traps_print(void)
{
	const char *name;
	char num[16];
	int sig;

	for (sig = 0; sig < NTRAP; sig++) {
		if (action[sig] == NULL)
			continue;
		if ((name = sig == 0 ? "EXIT" : fleet_signal_name(sig)) == NULL) {
			snprintf(num, sizeof(num), "%d", sig);
			name = num;
		}
		fputs("trap -- ", stdout);
		put_quoted(stdout, action[sig]);
		printf(" %s\n", name);
	}
}

/* trap [ACTION CONDITION...]: ACTION "-" resets, "" ignores. */
int
bi_trap(struct shell *sh, int argc, char **argv)
{
	const char *what;
	int i = 1, sig, ret = 0;

	(void)sh;
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		i++;
	if (i >= argc) {
		traps_print();
		return 0;
	}
	what = argv[i];
	if (trap_number(what) >= 0 && strspn(what, "0123456789") ==
	    strlen(what))
		what = "-";	/* trap N...: all conditions reset */
	else
		i++;
	for (; i < argc; i++) {
		if ((sig = trap_number(argv[i])) < 0) {
			fprintf(stderr, "fsh: trap: %s: bad trap\n", argv[i]);
			ret = 1;
			continue;
		}
		trap_set(sig, strcmp(what, "-") == 0 ? NULL : what);
	}
	return ret;
}

bool
trap_caught(int sig)
{
	return sig > 0 && sig < NTRAP && action[sig] != NULL &&
	    action[sig][0] != '\0';
}

void
trap_note(int sig)
{
	if (trap_caught(sig))
		pending[sig] = 1;
}

static void
trap_run(struct shell *sh, const char *what)
{
	char *text = xstrdup(what);
	int status = sh->status;

	run_buffer(sh, text, strlen(text), NULL);
	if (!sh->exiting)
		sh->status = status;
	free(text);
}

/* Between commands: the actions of the signals that came. */
void
traps_run(struct shell *sh)
{
	int sig;

	for (sig = 1; sig < NTRAP; sig++) {
		if (!pending[sig])
			continue;
		pending[sig] = 0;
		if (trap_caught(sig))
			trap_run(sh, action[sig]);
	}
}

bool
traps_pending(void)
{
	int sig;

	for (sig = 1; sig < NTRAP; sig++)
		if (pending[sig])
			return true;
	return false;
}

/* A subshell: caught signals back to the default, ignored ones stay. */
void
traps_reset(struct shell *sh)
{
	int sig;

	(void)sh;
	for (sig = 0; sig < NTRAP; sig++)
		if (action[sig] != NULL && action[sig][0] != '\0') {
			free(action[sig]);
			action[sig] = NULL;
			pending[sig] = 0;
			if (sig != 0)
				signal(sig, SIG_DFL);
		}
}

/* The shell ends with status: run the EXIT trap; the final status. */
int
traps_exit(struct shell *sh, int status)
{
	char *what = action[0];

	if (what == NULL || what[0] == '\0')
		return status;
	action[0] = NULL;
	sh->status = status;
	sh->exiting = false;
	run_buffer(sh, what, strlen(what), NULL);
	free(what);
	return sh->exiting ? sh->exit_status : status;
}
