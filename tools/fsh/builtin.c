/* builtin.c: the commands fsh runs itself, POSIX's builtins and job
 * control; every other program is a VM */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <fleet/flow.h>
#include <fleet/image.h>
#include <fleet/ps.h>
#include <fleet/status.h>
#include "fsh.h"
#include "strbuf.h"
#include "bi.h"

struct builtin {
	const char *name;
	builtin_fn *fn;
	bool special;		/* POSIX's special builtins */
	const char *usage;
};

static int bi_help(struct shell *sh, int argc, char **argv);

static const char *keywords[] = {
	"!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if",
	"in", "then", "until", "while", "{", "}", NULL,
};

bool
keyword_is(const char *name)
{
	size_t i;

	for (i = 0; keywords[i] != NULL; i++)
		if (strcmp(keywords[i], name) == 0)
			return true;
	return false;
}

static int
bi_colon(struct shell *sh, int argc, char **argv)
{
	return 0;
}

/* dir made absolute against pwd, with ".", ".." and "//" worked out on
 * the text as cd -L does: malloc'd. */
static char *
logical_path(const char *pwd, const char *dir)
{
	struct strbuf in = { 0 }, out = { 0 };
	char *p, *comp, *save = NULL, *slash;

	if (dir[0] != '/' && pwd != NULL)
		sb_puts(&in, pwd);
	sb_putc(&in, '/');
	sb_puts(&in, dir);
	for (comp = strtok_r(in.s, "/", &save); comp != NULL;
	    comp = strtok_r(NULL, "/", &save)) {
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (out.s != NULL && (slash = strrchr(out.s, '/')))
				out.len = (size_t)(slash - out.s);
			if (out.s != NULL)
				out.s[out.len] = '\0';
			continue;
		}
		sb_putc(&out, '/');
		sb_puts(&out, comp);
	}
	sb_free(&in);
	p = out.len > 0 ? sb_take(&out) : xstrdup("/");
	sb_free(&out);
	return p;
}

/* The shell's logical directory, if $PWD names where it is. */
static const char *
pwd_logical(void)
{
	const char *pwd = var_get("PWD");
	struct stat a, b;

	if (pwd == NULL || pwd[0] != '/' || stat(pwd, &a) < 0 ||
	    stat(".", &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return NULL;
	return pwd;
}

/* -L or -P, as cd and pwd take them: physical (true) or not. */
static int
physical_opt(int argc, char **argv, bool *physical)
{
	int i;

	*physical = false;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strcmp(argv[i], "-P") == 0)
			*physical = true;
		else if (strcmp(argv[i], "-L") == 0)
			*physical = false;
		else
			return -1;
	}
	return i;
}

static int
bi_cd(struct shell *sh, int argc, char **argv)
{
	const char *dir, *old = pwd_logical();
	char cwd[PATH_MAX], *path;
	bool print = false, physical;
	int i = physical_opt(argc, argv, &physical);

	if (i < 0) {
		fprintf(stderr, "fsh: cd: usage: cd [-L|-P] [DIR|-]\n");
		return 2;
	}
	dir = i < argc ? argv[i] : var_get("HOME");
	if (dir != NULL && strcmp(dir, "-") == 0) {
		dir = var_get("OLDPWD");
		print = true;
	}
	if (dir == NULL) {
		fprintf(stderr, "fsh: cd: no directory\n");
		return 1;
	}
	path = physical ? xstrdup(dir) : logical_path(old, dir);
	if (chdir(path) < 0) {
		fprintf(stderr, "fsh: cd: can't cd to %s: %s\n", dir,
		    strerror(errno));
		free(path);
		return 2;
	}
	var_export("OLDPWD", old != NULL ? old :
	    getcwd(cwd, sizeof(cwd)) ? cwd : "");
	if (physical && getcwd(cwd, sizeof(cwd)) != NULL)
		var_export("PWD", cwd);
	else if (!physical)
		var_export("PWD", path);
	if (print)
		printf("%s\n", var_get("PWD"));
	free(path);
	return 0;
}

static int
bi_pwd(struct shell *sh, int argc, char **argv)
{
	char cwd[PATH_MAX];
	bool physical;

	if (physical_opt(argc, argv, &physical) != argc) {
		fprintf(stderr, "fsh: pwd: usage: pwd [-L|-P]\n");
		return 2;
	}
	if (!physical && pwd_logical() != NULL) {
		printf("%s\n", pwd_logical());
		return 0;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		fprintf(stderr, "fsh: pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

/* break [N], continue [N]: the innermost N loops. */
static int
loop_levels(struct shell *sh, int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;

	if (n < 1) {
		fprintf(stderr, "fsh: %s: bad count\n", argv[0]);
		return -1;
	}
	if (sh->loops == 0) {
		fprintf(stderr, "fsh: %s: only inside a loop\n", argv[0]);
		return -1;
	}
	return n < sh->loops ? n : sh->loops;
}

/* break and continue */
static int
bi_loop(struct shell *sh, int argc, char **argv)
{
	int n = loop_levels(sh, argc, argv);

	if (n < 0)
		return 1;
	if (strcmp(argv[0], "break") == 0)
		sh->brk = n;
	else
		sh->cont = n;
	return 0;
}

static int
bi_exit(struct shell *sh, int argc, char **argv)
{
	char *end;
	long n = sh->status;

	if (argc > 1) {
		n = strtol(argv[1], &end, 10);
		if (argv[1][0] == '\0' || *end != '\0' || n < 0) {
			fprintf(stderr, "fsh: exit: Illegal number: %s\n",
			    argv[1]);
			n = 2;
		}
	}
	sh->exiting = true;
	sh->exit_status = (int)(n & 255);
	return sh->exit_status;
}

/* A special builtin's error ends a script, as POSIX says, unless the
 * builtin runs under `command`; at a prompt it drops the line. */
void
special_fail(struct shell *sh)
{
	if (sh->command_prefix == 0)
		expand_fail(sh);
}

static int
bi_source(struct shell *sh, int argc, char **argv)
{
	struct strbuf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f;
	int status;

	if (argc < 2) {
		fprintf(stderr, "fsh: %s: usage: %s FILE\n", argv[0], argv[0]);
		special_fail(sh);
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "fsh: .: cannot open %s: %s\n", argv[1],
		    strerror(errno));
		special_fail(sh);
		return 2;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_putn(&b, chunk, n);
	fclose(f);
	sh->sourcing++;
	status = run_buffer(sh, b.s ? b.s : "", b.len, argv[1]);
	sh->sourcing--;
	if (sh->returning && sh->sourcing == 0 && sh->funcs == 0)
		sh->returning = false;
	sb_free(&b);
	return status;
}

static struct job *
job_arg(struct shell *sh, const char *cmd, int argc, char **argv)
{
	struct job *j = job_find(sh, argc > 1 ? argv[1] : NULL);

	if (j == NULL)
		fprintf(stderr, "fsh: %s: %s: no such job\n", cmd,
		    argc > 1 ? argv[1] : "current");
	return j;
}

/* Make j the current job (the head of the list). */
static void
job_front(struct shell *sh, struct job *j)
{
	struct job **jp;

	for (jp = &sh->jobs; *jp != j; jp = &(*jp)->next)
		;
	*jp = j->next;
	j->next = sh->jobs;
	sh->jobs = j;
}

static int
bi_fg(struct shell *sh, int argc, char **argv)
{
	struct job *j = job_arg(sh, "fg", argc, argv);

	if (j == NULL)
		return 1;
	job_front(sh, j);
	fprintf(stderr, "%s\n", j->text);
	if (j->state == JOB_STOPPED)
		job_kill(j, SIGCONT);
	return job_wait_fg(sh, j);
}

static int
bi_bg(struct shell *sh, int argc, char **argv)
{
	struct job *j = job_arg(sh, "bg", argc, argv);

	if (j == NULL)
		return 1;
	if (j->state == JOB_STOPPED) {
		job_kill(j, SIGCONT);
		j->state = JOB_RUNNING;
	}
	fprintf(stderr, "[%d]+ %s &\n", j->id, j->text);
	return 0;
}

static int
bi_jobs(struct shell *sh, int argc, char **argv)
{
	jobs_print(sh, stdout);
	return 0;
}

static int
bi_disown(struct shell *sh, int argc, char **argv)
{
	struct job *j = job_arg(sh, "disown", argc, argv);

	if (j == NULL)
		return 1;
	j->disowned = true;
	return 0;
}

static struct job *
running_job(struct shell *sh)
{
	struct job *j;

	for (j = sh->jobs; j != NULL; j = j->next)
		if (j->state == JOB_RUNNING)
			return j;
	return NULL;
}

static int
bi_wait(struct shell *sh, int argc, char **argv)
{
	struct job *j;
	int i, status = 0;

	if (argc == 1) {
		while ((j = running_job(sh)) != NULL)
			if (job_wait_bg(sh, j) < 0)
				return 130;
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if ((j = job_find(sh, argv[i])) == NULL) {
			fprintf(stderr, "fsh: wait: %s: no such job\n", argv[i]);
			status = 127;
			continue;
		}
		if ((status = job_wait_bg(sh, j)) < 0)
			return 130;
	}
	return status;
}

static int
kill_one(struct shell *sh, const char *spec, int sig)
{
	struct job *j = job_find(sh, spec);
	fleet_conn *c;
	size_t i;

	if (j != NULL && spec[0] == '%')
		return job_kill(j, sig);
	for (i = 0; j != NULL && i < fleet_job_size(j->vms); i++)
		if (strcmp(fleet_job_id(j->vms, i), spec) == 0)
			return fleet_job_proc(j->vms, i) == NULL ? 0 :
			    fleet_proc_kill(fleet_job_proc(j->vms, i), sig);
	if (spec[0] >= '0' && spec[0] <= '9')
		return kill(atoi(spec), sig) < 0 ? -errno : 0;
	if ((c = sh_conn(sh)) == NULL)
		return -ENOTCONN;
	return fleet_kill(c, spec, sig);
}

static const char *
sig_name(int sig)
{
	const char *name = fleet_signal_name(sig);

	return name != NULL ? name : sigabbrev_np(sig);
}

/* kill -l [N...]: every signal's name, or N's (a status 128+N too). */
static int
kill_list(int argc, char **argv)
{
	const char *name;
	char *end;
	long n;
	int i, ret = 0;

	if (argc == 0) {
		printf("0\n");
		for (i = 1; i < 32; i++)
			if ((name = sig_name(i)) != NULL)
				printf("%s\n", name);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		n = strtol(argv[i], &end, 10);
		if (n > 128)
			n -= 128;
		if (*argv[i] == '\0' || *end != '\0' || n <= 0 || n >= NSIG ||
		    (name = sig_name((int)n)) == NULL) {
			fprintf(stderr, "fsh: kill: %s: invalid signal\n",
			    argv[i]);
			ret = 1;
			continue;
		}
		printf("%s\n", name);
	}
	return ret;
}

static int
bi_kill(struct shell *sh, int argc, char **argv)
{
	int i = 1, sig = SIGTERM, ret = 0;

	if (argc > 1 && strcmp(argv[1], "-l") == 0)
		return kill_list(argc - 2, argv + 2);
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		sig = fleet_signal_parse(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-') {
		sig = fleet_signal_parse(argv[1] + 1);
		i = 2;
	}
	if (sig < 0 || i >= argc) {
		fprintf(stderr, "usage: kill [-s SIGNAL | -SIGNAL] %%N|ID...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (kill_one(sh, argv[i], sig) < 0) {
			fprintf(stderr, "fsh: kill: %s: %s\n", argv[i],
			    job_find(sh, argv[i]) || argv[i][0] != '%' ?
			    fleet_last_error() : "no such job");
			ret = 1;
		}
	}
	return ret;
}

static int
bi_ps(struct shell *sh, int argc, char **argv)
{
	struct fleet_proc_info *l;
	fleet_conn *c = sh_conn(sh);
	size_t n;

	if (c == NULL)
		return 1;
	if (fleet_list(c, &l, &n) < 0) {
		fprintf(stderr, "fsh: ps: %s\n", fleet_last_error());
		return 1;
	}
	fleet_ps_table(stdout, l, n, time(NULL));
	fleet_proc_info_free(l, n);
	return 0;
}

/* allow [-l] | allow [-r] SRC DST PROTO/PORT | allow -r ID: fleetd's flows */
static int
bi_allow(struct shell *sh, int argc, char **argv)
{
	struct fleet_flow f, *l = NULL;
	bool revoke = argc > 1 && strcmp(argv[1], "-r") == 0;
	size_t n = 0;
	unsigned id;
	int r;

	if (argc == 1 || (argc == 2 && strcmp(argv[1], "-l") == 0)) {
		if ((r = fleet_flow_list(NULL, &l, &n)) == 0)
			fleet_flow_table(stdout, l, n);
		free(l);
	} else if (revoke && argc == 3) {
		if ((r = fleet_flow_id_parse(argv[2], &id)) == 0)
			r = fleet_flow_revoke_id(NULL, id);
	} else if (argc - revoke == 4) {
		argv += revoke;
		if ((r = fleet_flow_parse(&f, argv[1], argv[2], argv[3])) == 0)
			r = revoke ? fleet_flow_revoke(NULL, &f) :
			    fleet_flow_allow(NULL, &f);
	} else {
		fprintf(stderr, "usage: allow [-l] | allow [-r] SRC DST "
		    "PROTO/PORT | allow -r ID\n");
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "fsh: allow: %s\n", fleet_last_error());
		return r == -EINVAL ? 2 : 1;
	}
	return 0;
}

static int
bi_history(struct shell *sh, int argc, char **argv)
{
	edit_history_print(stdout);
	return 0;
}

static const struct builtin builtins[] = {	/* sorted by name */
	{ ".", bi_source, true, ". FILE: run FILE in this shell" },
	{ ":", bi_colon, true, ": [ARG...]: do nothing, successfully" },
	{ "[", bi_test, false, "[ EXPR ]: test EXPR" },
	{ "alias", bi_alias, false, "alias [NAME[=VALUE]...]: aliases" },
	{ "allow", bi_allow, false,
	    "allow [-r] SRC DST PROTO/PORT: flows (fleetd)" },
	{ "bg", bi_bg, false, "bg [%N]: resume a stopped job in the background" },
	{ "break", bi_loop, true, "break [N]: leave N loops" },
	{ "cd", bi_cd, false, "cd [-L|-P] [DIR|-]: change the directory" },
	{ "command", bi_command, false,
	    "command [-v|-V] NAME [ARG...]: NAME, not a function" },
	{ "continue", bi_loop, true, "continue [N]: next round of the Nth loop" },
	{ "disown", bi_disown, false, "disown [%N]: let a job outlive the shell" },
	{ "echo", bi_echo, false, "echo [-n] [ARG...]: write ARGs" },
	{ "eval", bi_eval, true, "eval [ARG...]: run ARGs as shell text" },
	{ "exec", bi_exec, true,
	    "exec [NAME [ARG...]]: become NAME, or keep redirections" },
	{ "exit", bi_exit, true, "exit [N]: leave the shell" },
	{ "export", bi_export, true, "export [NAME[=VALUE]...]: export" },
	{ "false", bi_false, false, "false: fail" },
	{ "fg", bi_fg, false, "fg [%N]: run a job in the foreground" },
	{ "getopts", bi_getopts, false,
	    "getopts OPTSTRING NAME [ARG...]: parse options" },
	{ "hash", bi_hash, false, "hash [NAME...]: check NAMEs are programs" },
	{ "help", bi_help, false, "help [-p]: this list, or the programs" },
	{ "history", bi_history, false, "history: lines entered so far" },
	{ "jobs", bi_jobs, false, "jobs: list jobs" },
	{ "kill", bi_kill, false,
	    "kill [-SIGNAL] %N|ID... | -l [N]: signal jobs or VMs" },
	{ "local", bi_local, false, "local NAME[=VALUE]...: function's own" },
	{ "printf", bi_printf, false, "printf FORMAT [ARG...]: formatted" },
	{ "ps", bi_ps, false, "ps: list every fleet VM" },
	{ "pwd", bi_pwd, false, "pwd [-L|-P]: print the current directory" },
	{ "read", bi_read, false, "read [-r] NAME...: a line into NAMEs" },
	{ "readonly", bi_readonly, true,
	    "readonly [NAME[=VALUE]...]: fixed variables" },
	{ "return", bi_return, true, "return [N]: leave a function" },
	{ "set", bi_set, true,
	    "set [-efnuvxC] [-o NAME] [-- ARG...]: options, arguments" },
	{ "shift", bi_shift, true, "shift [N]: drop N arguments" },
	{ "source", bi_source, true, "source FILE: run FILE in this shell" },
	{ "test", bi_test, false, "test EXPR: true or false" },
	{ "times", bi_times, true, "times: the shell's CPU times" },
	{ "trap", bi_trap, true, "trap [ACTION CONDITION...]: on signals" },
	{ "true", bi_true, false, "true: succeed" },
	{ "type", bi_type, false, "type NAME...: what a name runs" },
	{ "ulimit", bi_ulimit, false, "ulimit [-HS] [-fcnsvt] [N]: limits" },
	{ "umask", bi_umask, false, "umask [-S] [MODE]: file creation mask" },
	{ "unalias", bi_unalias, false, "unalias [-a] NAME...: remove aliases" },
	{ "unset", bi_unset, true, "unset [-fv] NAME...: remove" },
	{ "wait", bi_wait, false, "wait [%N|ID...]: wait for background jobs" },
};

#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static int
bi_help(struct shell *sh, int argc, char **argv)
{
	char *path;
	size_t i;

	if (argc == 2 && strcmp(argv[1], "-p") == 0) {
		programs_print(stdout);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "fsh: help: usage: help [-p]\n");
		return 2;
	}
	path = fleet_image_path();
	printf("fsh %s: every other command is a VM, the program of that "
	    "name\non FLEET_PATH (%s; `help -p` lists them).\n"
	    "These run in the shell:\n", FLEET_VERSION, path ? path : "?");
	free(path);
	for (i = 0; i < NBUILTINS; i++)
		printf("  %s\n", builtins[i].usage);
	return 0;
}

static int
builtin_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct builtin *)elem)->name);
}

builtin_fn *
builtin_find(const char *name)
{
	const struct builtin *b = bsearch(name, builtins, NBUILTINS,
	    sizeof(builtins[0]), builtin_cmp);

	return b ? b->fn : NULL;
}

bool
builtin_special(const char *name)
{
	const struct builtin *b = bsearch(name, builtins, NBUILTINS,
	    sizeof(builtins[0]), builtin_cmp);

	return b != NULL && b->special;
}

void
builtin_names(void (*fn)(const char *name, void *arg), void *arg)
{
	size_t i;

	for (i = 0; i < NBUILTINS; i++)
		fn(builtins[i].name, arg);
}
