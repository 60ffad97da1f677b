/* exec.c: run syntax trees; a simple command is a VM spawned by libfleet,
 * a pipeline a libfleet job */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fleet/status.h>
#include "fsh.h"
#include "strbuf.h"

int
status_code(int w)
{
	if (WIFSTOPPED(w))
		return 128 + WSTOPSIG(w);
	return fleet_status_exit_code(w);
}

fleet_conn *
sh_conn(struct shell *sh)
{
	if (sh->forked) {	/* libfleet's threads did not survive fork(2) */
		fprintf(stderr, "fsh: a VM in a copy of the shell that "
		    "cannot run one\n");
		return NULL;
	}
	if (sh->conn == NULL && fleet_open(&sh->conn, NULL) < 0) {
		fprintf(stderr, "fsh: cannot open a fleet endpoint: %s\n",
		    fleet_last_error());
		sh->conn = NULL;
	}
	return sh->conn;
}

static void
trace(struct shell *sh, char **argv)
{
	size_t i;

	if (!sh->opt_x)
		return;
	fputc('+', stderr);
	for (i = 0; argv[i] != NULL; i++)
		fprintf(stderr, " %s", argv[i]);
	fputc('\n', stderr);
}

static int
assign_all(struct shell *sh, const struct assign *a)
{
	char *v;
	int r;

	for (; a != NULL; a = a->next) {
		v = expand_string(sh, a->value);
		if (sh->opt_x)
			fprintf(stderr, "+ %s=%s\n", a->name, v);
		r = var_assign(a->name, v);
		free(v);
		if (r < 0) {
			expand_fail(sh);
			return -1;
		}
	}
	return 0;
}

/* A command with no words: assignments, and redirections for effect. */
static int
run_empty(struct shell *sh, const struct simple *s)
{
	struct redir_save *save;

	if (assign_all(sh, s->assigns) < 0)
		return 1;
	if (redir_apply(sh, s->node.redirs, &save) < 0)
		return 2;	/* as dash, for every redirection that fails */
	redir_restore(save);
	return sh->subst_status >= 0 ? sh->subst_status : 0;
}

static int
run_builtin(struct shell *sh, const struct simple *s, builtin_fn *fn,
    char **argv)
{
	struct redir_save *save;
	int status;

	if (assign_all(sh, s->assigns) < 0)
		return 1;
	if (redir_apply(sh, s->node.redirs, &save) < 0) {
		special_fail(sh);
		return 2;
	}
	if (fn == bi_exec && argv[1] == NULL) {
		redir_forget(save);	/* exec >file: for the rest */
		return 0;
	}
	status = fn(sh, (int)argv_len(argv), argv);
	fflush(stdout);
	fflush(stderr);
	redir_restore(save);
	return status;
}

/* What a VM's program gets as its environment: the shell's exported
 * variables, with the command's own assignments over them. */
static char **
vm_env(struct shell *sh, const struct assign *a)
{
	char **extra, **env = NULL, *v;
	size_t n = 0, i;
	const struct assign *p;

	for (p = a; p != NULL; p = p->next)
		n++;
	extra = xcalloc(n + 1, sizeof(*extra));
	for (p = a, i = 0; p != NULL; p = p->next, i++) {
		v = expand_string(sh, p->value);
		if (sh->opt_x)
			fprintf(stderr, "+ %s=%s\n", p->name, v);
		if (asprintf(&extra[i], "%s=%s", p->name, v) < 0)
			extra[i] = NULL;
		free(v);
	}
	if (fleet_env_with(environ, extra, &env) < 0)
		fprintf(stderr, "fsh: %s\n", fleet_last_error());
	argv_free(extra);
	return env;
}

/* argv's redirections applied to fds, its image and its environment;
 * the shell status when it cannot start (said on its own stderr), else
 * -1. */
static int
vm_prepare(struct shell *sh, const struct simple *s, char **argv,
    int fds[3], char **pathp, char ***envp)
{
	int r;

	*pathp = NULL;
	*envp = NULL;
	if (redir_fds(sh, s->node.redirs, fds) < 0)
		return 2;	/* as dash */
	r = fleet_image_find(argv[0], pathp);
	if (r == -ENOENT) {
		dprintf(fds[2], "fsh: %s: not found\n", argv[0]);
		return 127;
	} else if (r < 0) {
		dprintf(fds[2], "fsh: %s: %s\n", argv[0], fleet_last_error());
		return 126;
	}
	if ((*envp = vm_env(sh, s->assigns)) == NULL)
		return 126;
	return -1;
}

/* The shell status of a spawn that failed with r, as msg says. */
static int
spawn_status(const char *name, int r, const char *msg)
{
	if (r == -EINTR)	/* ctrl-C, TERM or HUP: as if it had died of it */
		return 128 + (got_term != 0 ? got_term : SIGINT);
	fprintf(stderr, "fsh: %s: %s\n", name, msg ? msg : strerror(-r));
	return 126;
}

static int run_simple_here(struct shell *sh, const struct simple *s);
static bool is_vm(struct shell *sh, const char *name);

/* One member of a pipeline: a VM, or something the shell runs itself. */
struct member {
	struct node *node;
	char **argv;		/* simple commands: the expanded words */
	bool vm;
	int fds[3];		/* owned until spawned or forked */
	char *path;		/* a VM's image */
	char **env;		/* and its program's environment */
	int status;		/* a VM's shell status if it did not start */
	int pid;		/* a forked member's index in the job's pids */
};

/* A pipeline member the shell runs itself, in a forked copy. */
static void
fork_member(struct shell *sh, struct job *j, struct member *m, bool last)
{
	pid_t pid = shell_fork(sh, j, m->node, m->fds);

	m->pid = -1;
	if (pid > 0) {
		m->pid = (int)j->npids;
		job_add_pid(j, pid, last);
	}
}

/* The members in pipeline order, for set -o pipefail. */
static void
members_record(struct shell *sh, struct job *j, struct member *m, size_t n)
{
	size_t i;
	int k = 0;

	j->pipefail = sh->opt_pipefail;
	for (i = 0; i < n; i++) {
		if (!m[i].vm)
			job_add_member(j, -1, m[i].pid, m[i].pid < 0 ? 1 : -1);
		else if (m[i].status >= 0)
			job_add_member(j, -1, -1, m[i].status);
		else
			job_add_member(j, k++, -1, -1);
	}
}

static int
dup_cloexec(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/* Expand each member and give it its fds: pipe(2)s between them. */
static int
members_prepare(struct shell *sh, const struct pipeline *pl,
    struct member *m, bool bg, char **argv0, int out)
{
	struct simple *s;
	int p[2];
	size_t i;

	for (i = 0; i < pl->n; i++) {
		m[i].node = pl->cmds[i];
		m[i].fds[0] = m[i].fds[1] = -1;
		m[i].fds[2] = dup_cloexec(2);
		if (pl->cmds[i]->type != NODE_SIMPLE)
			continue;
		s = (struct simple *)pl->cmds[i];
		if (i == 0 && argv0 != NULL) {	/* run_argv chose a VM */
			m[i].argv = argv0;
			m[i].vm = true;
			continue;
		}
		if (s->words != NULL && word_literal(s->words) != NULL &&
		    !is_vm(sh, word_literal(s->words)))
			continue;	/* its copy expands its words */
		expand_words(sh, s->words, &m[i].argv);
		m[i].vm = m[i].argv[0] != NULL && is_vm(sh, m[i].argv[0]);
	}
	m[0].fds[0] = bg && sh->interactive ? -1 : dup_cloexec(0);
	m[pl->n - 1].fds[1] = dup_cloexec(out >= 0 ? out : 1);
	for (i = 0; i + 1 < pl->n; i++) {
		if (pipe2(p, O_CLOEXEC) < 0) {
			fprintf(stderr, "fsh: pipe: %s\n", strerror(errno));
			return -1;
		}
		m[i].fds[1] = p[1];
		m[i + 1].fds[0] = p[0];
	}
	return 0;
}

static void
members_free(struct member *m, size_t n)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < 3; k++)
			if (m[i].fds[k] >= 0)
				close(m[i].fds[k]);
		argv_free(m[i].argv);
		free(m[i].path);
		fleet_env_free(m[i].env);
	}
	free(m);
}

/*
 * On a terminal the first member reads a pipe the shell fills from the
 * terminal while the job is in the foreground: a stopped or background
 * VM's relay must not take what is typed at the prompt.
 */
static void
tty_proxy(struct job *j, struct member *m)
{
	int p[2];

	if (m[0].fds[0] < 0 || !isatty(m[0].fds[0]) ||
	    pipe2(p, O_CLOEXEC) < 0)
		return;
	close(m[0].fds[0]);
	m[0].fds[0] = p[0];
	j->tty_in = p[1];
}

/*
 * The VMs of a pipeline, made at once (each waits on libvirt for most
 * of its spawn); what could not start says why, in order.
 */
static void
spawn_members(struct shell *sh, struct job *j, struct member *m, size_t n,
    bool bg)
{
	struct fleet_spawn_attr *a = xcalloc(n, sizeof(*a));
	size_t *idx = xcalloc(n, sizeof(*idx)), i, k = 0;
	int *res = xcalloc(n, sizeof(*res));
	char **msg = xcalloc(n, sizeof(*msg));
	fleet_conn *c;

	for (i = 0; i < n; i++) {
		m[i].status = -1;
		if (!m[i].vm)
			continue;
		if (got_sigint || got_term) {	/* the rest are not made */
			m[i].status = 128 + (got_term ? got_term : SIGINT);
			continue;
		}
		trace(sh, m[i].argv);
		if ((m[i].status = vm_prepare(sh, (struct simple *)m[i].node,
		    m[i].argv, m[i].fds, &m[i].path, &m[i].env)) >= 0)
			continue;
		a[k] = (struct fleet_spawn_attr){ .image = m[i].path,
		    .argv = m[i].argv, .stdin_fd = m[i].fds[0],
		    .stdout_fd = m[i].fds[1], .stderr_fd = m[i].fds[2],
		    .detached = bg, .envp = m[i].env };
		idx[k++] = i;
	}
	if (k > 0 && (c = sh_conn(sh)) == NULL)
		for (i = 0; i < k; i++)
			m[idx[i]].status = 1;
	else if (k > 0) {
		spawn_guard(c);
		if (got_sigint || got_term)	/* came while c was opened */
			fleet_conn_interrupt(c);
		fleet_job_spawn_all(j->vms, c, a, k, res, msg);
		spawn_guard(NULL);
		for (i = 0; i < k; i++)
			if (res[i] < 0)
				m[idx[i]].status = spawn_status(
				    m[idx[i]].argv[0], res[i], msg[i]);
	}
	for (i = 0; i < k; i++)
		free(msg[i]);
	if (n > 0 && m[n - 1].vm && m[n - 1].status >= 0)
		j->start_status = m[n - 1].status;
	free(a);
	free(idx);
	free(res);
	free(msg);
}

/* Fork the shell's own members first, so that no copy of the shell holds
 * a pipe end meant for a VM; then spawn the VMs. */
static void
start_job(struct shell *sh, struct job *j, const struct pipeline *pl,
    bool bg, char **argv0, int out)
{
	struct member *m = xcalloc(pl->n, sizeof(*m));
	size_t i;
	int k;

	if (members_prepare(sh, pl, m, bg, argv0, out) < 0)
		goto out;
	if (!bg && sh->interactive)
		tty_proxy(j, m);
	for (i = 0; i < pl->n; i++) {
		if (m[i].vm)
			continue;
		fork_member(sh, j, &m[i], i + 1 == pl->n);
		for (k = 0; k < 3; k++)
			if (m[i].fds[k] >= 0)
				close(m[i].fds[k]);
		m[i].fds[0] = m[i].fds[1] = m[i].fds[2] = -1;
	}
	spawn_members(sh, j, m, pl->n, bg);
	members_record(sh, j, m, pl->n);
out:
	members_free(m, pl->n);
}

/* argv0: the first member's words, already expanded (taken) and a VM's,
 * or NULL. */
static int
run_job(struct shell *sh, const struct pipeline *pl, bool bg, char **argv0)
{
	struct job *j = job_new(sh, node_text(&pl->node));
	size_t n;

	start_job(sh, j, pl, bg, argv0, -1);
	if (!bg)
		return job_wait_fg(sh, j);
	n = fleet_job_size(j->vms);
	free(sh->last_bg);
	sh->last_bg = NULL;
	if (n > 0)
		sh->last_bg = xstrdup(fleet_job_id(j->vms, n - 1));
	else if (j->npids > 0)
		asprintf(&sh->last_bg, "%ld", (long)j->pids[j->npids - 1]);
	if (sh->interactive)
		fprintf(stderr, "[%d] %s\n", j->id,
		    sh->last_bg ? sh->last_bg : "");
	return 0;
}

/* Assignments for one command only: undone by assign_end(), even when
 * one failed (-1: a readonly variable). */
static int
assign_temp(struct shell *sh, const struct assign *a)
{
	int ret = 0;
	char *v;

	if (a == NULL)
		return 0;
	var_frame_push();
	for (; a != NULL; a = a->next) {
		v = expand_string(sh, a->value);
		if (sh->opt_x)
			fprintf(stderr, "+ %s=%s\n", a->name, v);
		var_local(a->name);
		if (var_assign(a->name, v) == 0)
			var_export(a->name, NULL);
		else
			ret = -1;
		free(v);
	}
	if (ret < 0)
		expand_fail(sh);
	return ret;
}

static void
assign_end(const struct assign *a)
{
	if (a != NULL)
		var_frame_pop();
}

/* A function, or a regular builtin (fn): the command's assignments and
 * redirections last while it runs. */
static int
run_here(struct shell *sh, const struct simple *s, const struct func *f,
    builtin_fn *fn, char **argv)
{
	struct redir_save *save;
	int status;

	if (assign_temp(sh, s->assigns) < 0 ||
	    redir_apply(sh, s->node.redirs, &save) < 0) {
		assign_end(s->assigns);
		return 2;
	}
	if (f != NULL) {
		status = run_function(sh, f, argv);
	} else {
		status = fn(sh, (int)argv_len(argv), argv);
		fflush(stdout);
		fflush(stderr);
	}
	redir_restore(save);
	assign_end(s->assigns);
	return status;
}

/* Is name a VM (not a function or a builtin)? */
static bool
is_vm(struct shell *sh, const char *name)
{
	(void)sh;
	return func_find(name) == NULL && builtin_find(name) == NULL;
}

/* s, its words expanded to argv (taken), as a VM in the foreground. */
static int
run_vm(struct shell *sh, const struct simple *s, char **argv)
{
	struct pipeline pl = { .node = { NODE_PIPELINE, s->node.pos, NULL } };
	struct node *cmds[1] = { (struct node *)&s->node };

	pl.n = 1;
	pl.cmds = cmds;
	return run_job(sh, &pl, false, argv);
}

/* argv as a command, in the shell's own order: special builtins,
 * functions (unless !funcs), builtins, then a VM. Takes argv. */
static int
run_argv(struct shell *sh, const struct simple *s, char **argv, bool funcs)
{
	const struct func *f;
	builtin_fn *fn;
	int status;

	trace(sh, argv);
	fn = builtin_find(argv[0]);
	if (fn != NULL && builtin_special(argv[0]))
		status = run_builtin(sh, s, fn, argv);
	else if (funcs && (f = func_find(argv[0])) != NULL)
		status = run_here(sh, s, f, NULL, argv);
	else if (fn != NULL)
		status = run_here(sh, s, NULL, fn, argv);
	else
		return run_vm(sh, s, argv);
	argv_free(argv);
	return status;
}

/* `command NAME ARG...`, `exec NAME ARG...`: the program NAME when there
 * is one (a VM), else the builtin, never a function; with the shell's
 * fds as they are. Takes argv. */
int
exec_argv(struct shell *sh, char **argv)
{
	struct simple s = { .node = { NODE_SIMPLE, { 0, 0 }, NULL } };
	char *path = NULL;

	if (fleet_image_find(argv[0], &path) < 0)
		return run_argv(sh, &s, argv, false);
	free(path);
	trace(sh, argv);
	return run_vm(sh, &s, argv);
}

/* A simple command run by this shell process (no pipeline around it). */
static int
run_simple_here(struct shell *sh, const struct simple *s)
{
	char **argv;

	sh->subst_status = -1;
	expand_words(sh, s->words, &argv);
	if (sh->exiting || sh->interrupted) {	/* ${name?message} */
		argv_free(argv);
		return sh->exiting ? sh->exit_status : 2;
	}
	if (argv[0] == NULL) {
		argv_free(argv);
		return run_empty(sh, s);
	}
	return run_argv(sh, s, argv, true);
}

int
run_function(struct shell *sh, const struct func *f, char **argv)
{
	struct node *hold = (struct node *)&f->node;
	char **args = sh->args;
	int nargs = sh->nargs, status, i;

	hold->refs++;
	sh->nargs = (int)argv_len(argv) - 1;
	sh->args = xcalloc(sh->nargs + 1, sizeof(*sh->args));
	for (i = 0; i < sh->nargs; i++)
		sh->args[i] = xstrdup(argv[i + 1]);
	sh->funcs++;
	var_frame_push();
	status = exec_node(sh, f->body);
	if (sh->returning) {
		sh->returning = false;
		status = sh->status;
	}
	var_frame_pop();
	sh->funcs--;
	argv_free(sh->args);
	sh->args = args;
	sh->nargs = nargs;
	ast_free(hold);
	return status;
}

/* The commands of a command substitution, their stdout read here. */
static char *
capture(struct shell *sh, struct job *j, int rfd)
{
	struct strbuf b = { 0 };
	char chunk[8192];
	ssize_t n;

	for (;;) {
		if (got_sigint || sh_terminated(sh))
			break;
		if (!shell_sleep(sh, rfd, -1))
			continue;
		n = read(rfd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sb_putn(&b, chunk, (size_t)n);
	}
	close(rfd);
	sh->subst_status = job_wait_fg(sh, j);
	sh->status = sh->subst_status;
	while (b.len > 0 && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	return b.s ? sb_take(&b) : xstrdup("");
}

char *
exec_capture(struct shell *sh, struct node *n)
{
	struct pipeline one = { .node = { NODE_PIPELINE, n->pos, NULL } };
	struct list *l = (struct list *)n;
	const struct pipeline *pl = &one;
	struct node *cmds[1] = { n };
	struct job *j;
	int p[2];

	if (l->items == NULL)
		return xstrdup("");
	if (l->items->next == NULL && !l->items->background &&
	    l->items->node->type == NODE_PIPELINE)
		pl = (const struct pipeline *)l->items->node;
	one.n = 1;
	one.cmds = cmds;
	if (pipe2(p, O_CLOEXEC) < 0) {
		fprintf(stderr, "fsh: pipe: %s\n", strerror(errno));
		return xstrdup("");
	}
	j = job_new(sh, xstrdup("$(...)"));
	start_job(sh, j, pl, false, NULL, p[1]);
	close(p[1]);
	return capture(sh, j, p[0]);
}

static int
exec_pipeline(struct shell *sh, struct pipeline *pl, bool bg)
{
	int status;

	if (pl->bang)
		sh->cond++;
	if (bg)
		status = run_job(sh, pl, true, NULL);
	else if (pl->n == 1 && pl->cmds[0]->type == NODE_SIMPLE)
		status = run_simple_here(sh, (struct simple *)pl->cmds[0]);
	else if (pl->n == 1)
		status = exec_node(sh, pl->cmds[0]);
	else
		status = run_job(sh, pl, false, NULL);
	if (pl->bang) {
		sh->cond--;
		status = !status;
	}
	sh->status = status;
	if (sh->opt_e && status != 0 && sh->cond == 0 && !pl->bang &&
	    !sh->exiting) {
		sh->exiting = true;
		sh->exit_status = status;
	}
	return status;
}

/* Run in the background: a pipeline as a job, anything else forked. */
static int
exec_background(struct shell *sh, struct node *n)
{
	struct pipeline pl = { .node = { NODE_PIPELINE, n->pos, NULL } };
	struct node *cmds[1] = { n };

	if (n->type == NODE_PIPELINE)
		return exec_pipeline(sh, (struct pipeline *)n, true);
	pl.n = 1;
	pl.cmds = cmds;
	return run_job(sh, &pl, true, NULL);
}

/* The rest of a list does not run: exit, break, continue, return. */
static bool
stopping(const struct shell *sh)
{
	return sh->exiting || sh->brk || sh->cont || sh->returning ||
	    sh->interrupted;
}

static int
exec_list(struct shell *sh, struct list *l)
{
	struct list_item *it;
	int status = 0;

	for (it = l->items; it != NULL && !stopping(sh); it = it->next) {
		if (it->background)
			status = exec_background(sh, it->node);
		else
			status = exec_node(sh, it->node);
		sh->status = status;
		if (traps_pending())
			traps_run(sh);
	}
	return status;
}

static int
exec_andor(struct shell *sh, struct binop *b)
{
	int status;

	sh->cond++;
	status = exec_node(sh, b->left);
	sh->cond--;
	sh->status = status;
	if (stopping(sh))
		return status;
	if ((b->node.type == NODE_AND) == (status == 0))
		status = exec_node(sh, b->right);
	return status;
}

static int
exec_cond(struct shell *sh, struct node *n)
{
	int status;

	sh->cond++;
	status = exec_node(sh, n);
	sh->cond--;
	return status;
}

static int
exec_if(struct shell *sh, struct if_clause *c)
{
	int status = exec_cond(sh, c->cond);

	if (stopping(sh))
		return status;
	if (status == 0)
		return exec_node(sh, c->then);
	if (c->otherwise != NULL)
		return exec_node(sh, c->otherwise);
	return 0;
}

/* After a loop's body: false when the loop ends (break, continue N,
 * ctrl-C, exit). */
static bool
loop_next(struct shell *sh)
{
	if (got_sigint || sh->interrupted) {
		got_sigint = 0;
		return false;
	}
	if (sh->brk > 0) {
		sh->brk--;
		return false;
	}
	if (sh->cont > 0 && --sh->cont > 0)
		return false;
	return !sh->exiting && !sh->returning;
}

static int
exec_loop(struct shell *sh, struct loop *l)
{
	int status = 0, c;

	sh->loops++;
	while (!sh->exiting) {
		c = exec_cond(sh, l->cond);
		if (stopping(sh) || (c == 0) != (l->node.type == NODE_WHILE))
			break;
		if ((got_sigint && !sh->interactive) || sh_terminated(sh))
			break;
		status = exec_node(sh, l->body);
		if (!loop_next(sh))
			break;
	}
	sh->loops--;
	return status;
}

static int
exec_for(struct shell *sh, struct for_clause *f)
{
	char **argv;
	size_t i;
	int status = 0;

	if (f->has_in) {
		expand_words(sh, f->words, &argv);
	} else {
		argv = xcalloc(sh->nargs + 1, sizeof(*argv));
		for (i = 0; i < (size_t)sh->nargs; i++)
			argv[i] = xstrdup(sh->args[i]);
	}
	sh->loops++;
	for (i = 0; argv[i] != NULL && !sh->exiting; i++) {
		if (var_assign(f->name, argv[i]) < 0) {
			expand_fail(sh);
			break;
		}
		status = exec_node(sh, f->body);
		if (!loop_next(sh))
			break;
	}
	sh->loops--;
	argv_free(argv);
	return status;
}

static int
exec_case(struct shell *sh, struct case_clause *c)
{
	char *subject = expand_string(sh, c->subject), *pat;
	const struct case_item *it;
	const struct word *w;
	int status = 0;
	bool match;

	for (it = c->items; it != NULL; it = it->next) {
		for (w = it->patterns; w != NULL; w = w->next) {
			pat = expand_pattern(sh, w);
			match = fnmatch(pat, subject, 0) == 0;
			free(pat);
			if (match)
				goto found;
		}
	}
	free(subject);
	return 0;
found:
	free(subject);
	if (it->body != NULL)
		status = exec_node(sh, it->body);
	return status;
}

/* ( list ): a copy of the shell runs it, as a job of its own. */
static int
exec_subshell(struct shell *sh, struct node *n)
{
	struct pipeline pl = { .node = { NODE_PIPELINE, n->pos, NULL } };
	struct node *cmds[1] = { n };

	pl.n = 1;
	pl.cmds = cmds;
	return run_job(sh, &pl, false, NULL);
}

static int
exec_compound(struct shell *sh, struct node *n)
{
	switch (n->type) {
	case NODE_BRACE:
		return exec_node(sh, ((struct brace *)n)->body);
	case NODE_IF:
		return exec_if(sh, (struct if_clause *)n);
	case NODE_WHILE:
	case NODE_UNTIL:
		return exec_loop(sh, (struct loop *)n);
	case NODE_FOR:
		return exec_for(sh, (struct for_clause *)n);
	case NODE_CASE:
		return exec_case(sh, (struct case_clause *)n);
	default:
		abort();
	}
}

/* body with redirections applied around it. */
int
exec_redirected(struct shell *sh, const struct redir *r, struct node *body)
{
	struct redir_save *save;
	int status;

	if (redir_apply(sh, r, &save) < 0)
		return 2;
	status = exec_node(sh, body);
	redir_restore(save);
	return status;
}

int
exec_node(struct shell *sh, struct node *n)
{
	struct redir_save *save;
	int status;

	switch (n->type) {
	case NODE_LIST:
		return exec_list(sh, (struct list *)n);
	case NODE_AND:
	case NODE_OR:
		return exec_andor(sh, (struct binop *)n);
	case NODE_PIPELINE:
		return exec_pipeline(sh, (struct pipeline *)n, false);
	case NODE_SIMPLE:
		return run_simple_here(sh, (struct simple *)n);
	case NODE_SUBSHELL:
		return exec_subshell(sh, n);
	case NODE_FUNC:
		func_define((struct func *)n);
		return 0;
	case NODE_CASE:
	case NODE_BRACE:
	case NODE_IF:
	case NODE_WHILE:
	case NODE_UNTIL:
	case NODE_FOR:
		if (redir_apply(sh, n->redirs, &save) < 0)
			return 2;
		status = exec_compound(sh, n);
		redir_restore(save);
		return status;
	}
	abort();
}
