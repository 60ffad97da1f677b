/* status.c: signal names, wait statuses and shell exit codes */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <fleet/status.h>

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "HUP", SIGHUP },	{ "INT", SIGINT },	{ "QUIT", SIGQUIT },
	{ "KILL", SIGKILL },	{ "PIPE", SIGPIPE },	{ "ALRM", SIGALRM },
	{ "TERM", SIGTERM },	{ "USR1", SIGUSR1 },	{ "USR2", SIGUSR2 },
	{ "CONT", SIGCONT },	{ "STOP", SIGSTOP },	{ "TSTP", SIGTSTP },
	{ "SEGV", SIGSEGV },
};

#define NSIGNALS (sizeof(signals) / sizeof(signals[0]))

int
fleet_signal_parse(const char *s)
{
	char *end;
	long n;
	size_t i;

	if (s[0] >= '0' && s[0] <= '9') {
		n = strtol(s, &end, 10);
		if (*end != '\0' || n < 1 || n > 64)
			return -EINVAL;
		return (int)n;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < NSIGNALS; i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -EINVAL;
}

const char *
fleet_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

int
fleet_status_exited(int code)
{
	return (code & 0xff) << 8;
}

int
fleet_status_signaled(int sig)
{
	return sig & 0x7f;
}

int
fleet_status_crashed(void)
{
	return SIGSEGV | 0x80;
}

int
fleet_status_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int
fleet_status_format(int status, char *buf, size_t len)
{
	const char *name;
	char num[16];

	if (WIFEXITED(status))
		return snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	if (!WIFSIGNALED(status))
		return snprintf(buf, len, "unknown status %#x", status);
	if ((name = fleet_signal_name(WTERMSIG(status))) == NULL) {
		snprintf(num, sizeof(num), "%d", WTERMSIG(status));
		name = num;
	}
	if (WCOREDUMP(status))
		return snprintf(buf, len, "crashed (SIG%s)", name);
	return snprintf(buf, len, "killed by SIG%s", name);
}
