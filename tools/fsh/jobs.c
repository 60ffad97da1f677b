/* jobs.c: the shell's job table; the VMs of a job are a libfleet job */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fsh.h"
#include "strbuf.h"

volatile sig_atomic_t got_sigint, got_sigtstp, got_term;

/* Written by the signal handlers: what fsh sleeps on wakes. */
static int sig_pipe[2] = { -1, -1 };

void
sig_wake(void)
{
	int e = errno;

	if (sig_pipe[1] >= 0)
		(void)!write(sig_pipe[1], "", 1);
	errno = e;
}

static void
on_child(int sig)
{
	sig_wake();
}

/* The terminal's foreground group before fsh took it; -1: no job control. */
static pid_t tty_pgrp = -1;

/* The connection a spawn is in flight on: a signal interrupts it. */
static fleet_conn *volatile spawning;

void
spawn_guard(fleet_conn *c)
{
	spawning = c;
}

static void
on_signal(int sig)
{
	fleet_conn *c = spawning;

	if (c != NULL && sig != SIGTSTP)
		fleet_conn_interrupt(c);
	trap_note(sig);
	if (sig == SIGINT)
		got_sigint = 1;
	else if (sig == SIGTSTP)
		got_sigtstp = 1;
	else
		got_term = sig;
	sig_wake();
}

/*
 * Sleep until something happens: a VM's event (the connection's loop
 * runs then), a signal (a forked member's end among them), a byte typed
 * for the foreground job (tty_in), or timeout_ms. 1 if fd is readable.
 */
int
shell_sleep(struct shell *sh, int fd, int timeout_ms)
{
	struct pollfd pfd[3] = { { sig_pipe[0], POLLIN, 0 },
	    { sh->conn ? fleet_conn_fd(sh->conn) : -1, POLLIN, 0 },
	    { fd, POLLIN, 0 } };
	char buf[64];

	if (poll(pfd, 3, timeout_ms) <= 0)
		return 0;
	if (pfd[0].revents != 0)
		while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
			;
	if (pfd[1].revents != 0)
		fleet_conn_dispatch(sh->conn);
	return pfd[2].revents != 0;
}

/* SIGHUP or SIGTERM: leave (through jobs_end, which ends the VMs). */
bool
sh_terminated(struct shell *sh)
{
	if (got_term == 0)
		return false;
	if (trap_caught(got_term)) {
		got_term = 0;
		return false;
	}
	if (!sh->exiting) {
		sh->exiting = true;
		sh->exit_status = 128 + got_term;
	}
	return true;
}

/*
 * On a terminal, as job-control shells do: wait to be in the foreground,
 * then lead a process group of its own and take the terminal, so that
 * ctrl-C and ctrl-Z reach fsh alone, not what started it (sandbox.sh and
 * the daemons beside it).
 */
void
tty_take(void)
{
	pid_t pgrp;

	while ((pgrp = tcgetpgrp(STDIN_FILENO)) != getpgrp()) {
		if (pgrp < 0)
			return;		/* not our controlling terminal */
		signal(SIGTTIN, SIG_DFL);
		kill(0, SIGTTIN);
	}
	signal(SIGTTOU, SIG_IGN);
	if (getpgrp() != getpid() && setpgid(0, 0) < 0)
		return;
	if (tcsetpgrp(STDIN_FILENO, getpid()) < 0) {
		setpgid(0, pgrp);
		return;
	}
	tty_pgrp = pgrp;
}

/* fsh ends: the terminal and fsh go back to the group they came from. */
void
tty_release(void)
{
	if (tty_pgrp < 0)
		return;
	tcsetpgrp(STDIN_FILENO, tty_pgrp);
	setpgid(0, tty_pgrp);
	tty_pgrp = -1;
}

/* INT, TERM or HUP back to the shell's own handling. */
void
signals_default(int sig)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* In a forked copy: a wake-up pipe of its own, the parent's closed. */
void
signals_fork(void)
{
	sig_pipe[0] = sig_pipe[1] = -1;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		sig_pipe[0] = sig_pipe[1] = -1;
}

/* A forked copy leaves its parent's jobs to the parent. */
void
jobs_forget(struct shell *sh)
{
	sh->jobs = NULL;
}

void
signals_init(struct shell *sh)
{
	struct sigaction sa = { 0 }, chld = { 0 };

	if (sig_pipe[0] < 0 && pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		sig_pipe[0] = sig_pipe[1] = -1;
	chld.sa_handler = on_child;
	chld.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&chld.sa_mask);
	sigaction(SIGCHLD, &chld, NULL);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A script, a -c string or a forked copy keeps SIGPIPE as it came:
	 * `while :; do echo x; done | head -3` ends as in sh. libfleet
	 * takes its own. */
	if (sh->interactive) {
		signal(SIGPIPE, SIG_IGN);
		sigaction(SIGTSTP, &sa, NULL);
		signal(SIGQUIT, SIG_IGN);
		signal(SIGTTOU, SIG_IGN);
		signal(SIGTTIN, SIG_IGN);
	}
}

struct job *
job_new(struct shell *sh, char *text)
{
	struct job *j = xcalloc(1, sizeof(*j)), *o;

	if (fleet_job_new(&j->vms) < 0)
		abort();
	j->text = text;
	j->start_status = -1;
	j->tty_in = -1;
	j->id = 1;
	for (o = sh->jobs; o != NULL; o = o->next)
		if (o->id >= j->id)
			j->id = o->id + 1;
	j->next = sh->jobs;
	sh->jobs = j;
	return j;
}

/*
 * With job control a job's forked members make a process group of their
 * own, the first member's; the child and the shell both set it, whichever
 * runs first. fsh keeps the terminal: it relays what is typed to the job
 * and passes ctrl-C and ctrl-Z on to its VMs and processes alike.
 */
void
job_setpgid(const struct job *j, pid_t pid)
{
	if (tty_pgrp >= 0)
		setpgid(pid, j->npids > 0 ? j->pids[0] : 0);
}

void
job_add_pid(struct job *j, pid_t pid, bool last)
{
	job_setpgid(j, pid);
	j->pids = realloc(j->pids, (j->npids + 1) * sizeof(*j->pids));
	j->pid_status = realloc(j->pid_status,
	    (j->npids + 1) * sizeof(*j->pid_status));
	if (j->pids == NULL || j->pid_status == NULL)
		abort();
	j->pids[j->npids] = pid;
	j->pid_status[j->npids] = -1;
	j->npids++;
	j->last_is_pid = last;
}

void
job_add_member(struct job *j, int vm, int pid, int start)
{
	j->members = realloc(j->members,
	    (j->nmembers + 1) * sizeof(*j->members));
	if (j->members == NULL)
		abort();
	j->members[j->nmembers++] = (struct job_member){ vm, pid, start };
}

/* set -o pipefail: the status of the last member that failed, else st. */
static int
pipefail_status(const struct job *j, int st)
{
	const struct job_member *m;
	size_t i;
	int s;

	for (i = j->nmembers; i-- > 0;) {
		m = &j->members[i];
		if (m->start >= 0)
			s = m->start << 8;
		else if (m->pid >= 0)
			s = j->pid_status[m->pid];
		else if (fleet_job_status(j->vms, (size_t)m->vm, &s) < 0)
			continue;
		if (status_code(s) != 0)
			return s;
	}
	return st;
}

int
job_kill(struct job *j, int sig)
{
	int r = fleet_job_kill(j->vms, sig);
	size_t i;

	if (tty_pgrp >= 0 && j->npids_done < j->npids) {
		if (kill(-j->pids[0], sig) < 0 && r == 0)
			r = -errno;
		return r;
	}
	for (i = 0; i < j->npids; i++)
		if (j->pid_status[i] == -1 && kill(j->pids[i], sig) < 0 &&
		    r == 0)
			r = -errno;
	return r;
}

/* Reap forked members; block (until a signal) only if block. */
static void
poll_pids(struct job *j, bool block)
{
	size_t i;
	int st;
	pid_t r;

	for (i = 0; i < j->npids; i++) {
		if (j->pid_status[i] != -1)
			continue;
		r = waitpid(j->pids[i], &st, block ? 0 : WNOHANG);
		if (r == j->pids[i]) {
			j->pid_status[i] = st;
			j->npids_done++;
		} else if (r < 0 && errno == ECHILD) {
			j->pid_status[i] = 0;
			j->npids_done++;
		}
		block = false;
	}
}

/* 0 once every member has ended (j->status set), else -ETIMEDOUT. */
static int
job_poll(struct job *j, int timeout_ms)
{
	bool vms = fleet_job_size(j->vms) > 0;
	int st = 0, r = 0;

	if (vms)
		r = fleet_job_wait(j->vms, &st, timeout_ms);
	poll_pids(j, !vms && timeout_ms != 0);
	if (r < 0 || j->npids_done < j->npids)
		return -ETIMEDOUT;
	if (j->start_status >= 0)
		j->status = j->start_status << 8;
	else if (j->last_is_pid)
		j->status = j->pid_status[j->npids - 1];
	else if (vms)
		j->status = st;
	else
		j->status = 0;
	if (j->pipefail)
		j->status = pipefail_status(j, j->status);
	j->state = JOB_DONE;
	return 0;
}

void
job_remove(struct shell *sh, struct job *j)
{
	struct job **jp;

	for (jp = &sh->jobs; *jp != NULL; jp = &(*jp)->next) {
		if (*jp == j) {
			*jp = j->next;
			break;
		}
	}
	if (j->tty_in >= 0)
		close(j->tty_in);
	fleet_job_free(j->vms);
	free(j->pids);
	free(j->pid_status);
	free(j->members);
	free(j->text);
	free(j);
}

static void
job_stop(struct shell *sh, struct job *j)
{
	job_kill(j, SIGSTOP);
	j->state = JOB_STOPPED;
	fprintf(stderr, "\n[%d]+  Stopped                 %s\n", j->id,
	    j->text);
}

/* Pass what was typed to the foreground job; ctrl-D ends its input. */
static void
forward_tty(struct job *j)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char buf[4096];
	ssize_t n, w;
	size_t off;

	if (j->tty_in < 0 || poll(&pfd, 1, 0) <= 0)
		return;	/* nothing typed */
	n = read(0, buf, sizeof(buf));
	if (n < 0 && errno == EINTR)
		return;
	for (off = 0; n > 0 && off < (size_t)n; off += w) {
		w = write(j->tty_in, buf + off, n - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
		} else if (w < 0) {
			n = -1;
			break;
		}
	}
	if (n <= 0) {
		close(j->tty_in);
		j->tty_in = -1;
	}
}

int
job_wait_fg(struct shell *sh, struct job *j)
{
	int status;

	j->state = JOB_RUNNING;
	for (;;) {
		if (got_sigint) {
			got_sigint = 0;
			job_kill(j, SIGINT);
			if (trap_caught(SIGINT))
				continue;
			sh->interrupted = true;
			if (!sh->interactive && !sh->exiting) {
				sh->exiting = true;
				sh->exit_status = 130;
			}
		}
		if (got_sigtstp) {
			got_sigtstp = 0;
			if (sh->interactive) {
				job_stop(sh, j);
				return 128 + SIGTSTP;
			}
		}
		if (sh_terminated(sh))
			return sh->exit_status;
		forward_tty(j);
		if (job_poll(j, 0) == 0)
			break;
		shell_sleep(sh, j->tty_in >= 0 ? STDIN_FILENO : -1, -1);
	}
	status = status_code(j->status);
	if (WIFSIGNALED(j->status) && WTERMSIG(j->status) == SIGINT &&
	    sh->interactive)
		fputc('\n', stderr);
	job_remove(sh, j);
	return status;
}

/* `wait`: the status once j ends; -1 on ctrl-C or if j is stopped. */
int
job_wait_bg(struct shell *sh, struct job *j)
{
	int status;

	while (job_poll(j, 0) < 0) {
		if (got_sigint) {
			got_sigint = 0;
			return -1;
		}
		if (j->state == JOB_STOPPED || sh_terminated(sh))
			return -1;
		shell_sleep(sh, -1, -1);
	}
	status = status_code(j->status);
	job_remove(sh, j);
	return status;
}

/* %N, %% or %+ (the newest), %-, a VM id, or a forked member's pid. */
struct job *
job_find(struct shell *sh, const char *spec)
{
	struct job *j;
	size_t i;
	int n;

	if (spec == NULL || strcmp(spec, "%%") == 0 ||
	    strcmp(spec, "%+") == 0 || strcmp(spec, "%") == 0)
		return sh->jobs;
	if (strcmp(spec, "%-") == 0)
		return sh->jobs ? sh->jobs->next : NULL;
	if (spec[0] == '%') {
		n = atoi(spec + 1);
		for (j = sh->jobs; j != NULL; j = j->next)
			if (j->id == n)
				return j;
		return NULL;
	}
	for (j = sh->jobs; j != NULL; j = j->next) {
		for (i = 0; i < fleet_job_size(j->vms); i++)
			if (strcmp(fleet_job_id(j->vms, i), spec) == 0)
				return j;
		for (i = 0; i < j->npids; i++)
			if (atol(spec) == (long)j->pids[i])
				return j;
	}
	return NULL;
}

const char *
job_state_text(const struct job *j)
{
	static char buf[32];
	int st = j->status;

	switch (j->state) {
	case JOB_RUNNING:
		return "Running";
	case JOB_STOPPED:
		return "Stopped";
	case JOB_DONE:
		break;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return "Done";
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "Done(%d)", WEXITSTATUS(st));
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)
		return "Terminated";
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		return "Killed";
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGINT)
		return "Interrupt";
	else
		snprintf(buf, sizeof(buf), "Signal %d", WTERMSIG(st));
	return buf;
}

static void
job_line(struct shell *sh, const struct job *j, FILE *f)
{
	fprintf(f, "[%d]%c  %-24s%s\n", j->id, j == sh->jobs ? '+' :
	    (sh->jobs && j == sh->jobs->next) ? '-' : ' ',
	    job_state_text(j), j->text);
}

/* Report (and forget) background jobs that have ended. */
void
jobs_notify(struct shell *sh)
{
	struct job *j, *next;

	for (j = sh->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->state == JOB_RUNNING && job_poll(j, 0) < 0)
			continue;
		if (j->state != JOB_DONE)
			continue;
		job_line(sh, j, stderr);
		job_remove(sh, j);
	}
}

void
jobs_print(struct shell *sh, FILE *f)
{
	struct job *j, *next;

	for (j = sh->jobs; j != NULL; j = j->next)
		if (j->state == JOB_RUNNING)
			job_poll(j, 0);
	for (j = sh->jobs; j != NULL; j = next) {
		next = j->next;
		job_line(sh, j, f);
		if (j->state == JOB_DONE)
			job_remove(sh, j);
	}
}

/* The shell ends: so do its jobs' VMs, unless disowned. */
void
jobs_end(struct shell *sh)
{
	while (sh->jobs != NULL) {
		if (!sh->jobs->disowned && sh->jobs->state != JOB_DONE)
			job_kill(sh->jobs, SIGKILL);
		job_remove(sh, sh->jobs);
	}
}
