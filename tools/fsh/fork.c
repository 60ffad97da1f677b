/* fork.c: copies of the shell for subshells, command substitutions and
 * the shell's own pipeline members */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fsh.h"
#include "strbuf.h"

#define FORK_DEPTH	8	/* functions followed into, at most */

/* Builtins that need the shell's jobs or its libfleet connection. */
static const char *parent_only[] = {
	"command", "exec", "eval", ".", "source", "fg", "bg", "wait", "jobs",
	"kill", "ps", "allow", "disown", NULL,
};

static bool forkable_node(const struct node *n, int depth);

static bool
parent_only_builtin(const char *name)
{
	size_t i;

	for (i = 0; parent_only[i] != NULL; i++)
		if (strcmp(parent_only[i], name) == 0)
			return true;
	return false;
}

/* Words (a list of them), with the command substitutions inside. */
static bool
forkable_words(const struct word *w, int depth)
{
	const struct part *p;

	for (; w != NULL; w = w->next)
		for (p = w->parts; p != NULL; p = p->next)
			if ((p->cmd != NULL && !forkable_node(p->cmd, depth)) ||
			    (p->arg != NULL && !forkable_words(p->arg, depth)))
				return false;
	return true;
}

static bool
forkable_redirs(const struct redir *r, int depth)
{
	for (; r != NULL; r = r->next)
		if (!forkable_words(r->target, depth) ||
		    !forkable_words(r->body, depth))
			return false;
	return true;
}

static bool
forkable_simple(const struct simple *s, int depth)
{
	const struct assign *a;
	const struct func *f;
	const char *name;

	for (a = s->assigns; a != NULL; a = a->next)
		if (!forkable_words(a->value, depth))
			return false;
	if (!forkable_words(s->words, depth))
		return false;
	if (s->words == NULL)
		return true;
	if ((name = word_literal(s->words)) == NULL)
		return false;
	if ((f = func_find(name)) != NULL)
		return depth < FORK_DEPTH && forkable_node(f->body, depth + 1);
	return builtin_find(name) != NULL && !parent_only_builtin(name);
}

static bool
forkable_list(const struct list *l, int depth)
{
	const struct list_item *it;

	for (it = l->items; it != NULL; it = it->next)
		if (!forkable_node(it->node, depth))
			return false;
	return true;
}

static bool
forkable_case(const struct case_clause *c, int depth)
{
	const struct case_item *it;

	if (!forkable_words(c->subject, depth))
		return false;
	for (it = c->items; it != NULL; it = it->next)
		if (!forkable_words(it->patterns, depth) ||
		    (it->body != NULL && !forkable_node(it->body, depth)))
			return false;
	return true;
}

/* Whether a forked copy can run n itself: no VM, nothing of libfleet's,
 * in n or in the command substitutions of its words. */
static bool
forkable_node(const struct node *n, int depth)
{
	const struct pipeline *pl;
	size_t i;

	if (n == NULL)
		return true;
	if (!forkable_redirs(n->redirs, depth))
		return false;
	switch (n->type) {
	case NODE_LIST:
		return forkable_list((const struct list *)n, depth);
	case NODE_AND:
	case NODE_OR:
		return forkable_node(((const struct binop *)n)->left, depth) &&
		    forkable_node(((const struct binop *)n)->right, depth);
	case NODE_PIPELINE:
		pl = (const struct pipeline *)n;
		for (i = 0; i < pl->n; i++)
			if (!forkable_node(pl->cmds[i], depth))
				return false;
		return true;
	case NODE_SIMPLE:
		return forkable_simple((const struct simple *)n, depth);
	case NODE_BRACE:
	case NODE_SUBSHELL:
		return forkable_node(((const struct brace *)n)->body, depth);
	case NODE_IF:
		return forkable_node(((const struct if_clause *)n)->cond,
		    depth) &&
		    forkable_node(((const struct if_clause *)n)->then, depth) &&
		    forkable_node(((const struct if_clause *)n)->otherwise,
		    depth);
	case NODE_WHILE:
	case NODE_UNTIL:
		return forkable_node(((const struct loop *)n)->cond, depth) &&
		    forkable_node(((const struct loop *)n)->body, depth);
	case NODE_FOR:
		return forkable_words(((const struct for_clause *)n)->words,
		    depth) &&
		    forkable_node(((const struct for_clause *)n)->body, depth);
	case NODE_CASE:
		return forkable_case((const struct case_clause *)n, depth);
	case NODE_FUNC:
		return true;
	}
	return false;
}

static void
put_func(const struct func *f, void *arg)
{
	char *src = node_source(&f->node);

	sb_puts(arg, src);
	free(src);
}

/*
 * What a fresh fsh needs to carry on as this one: a first line that
 * says $$ and $?, then shell text that sets the variables, functions,
 * options and positional parameters.
 */
static void
state_text(struct shell *sh, struct strbuf *b)
{
	char line[64];
	int i;

	snprintf(line, sizeof(line), "#fsh-state %ld %d\n",
	    (long)sh->root_pid, sh->status);
	sb_puts(b, line);
	var_state(b);
	func_each(put_func, b);
	sb_puts(b, "set -");
	sb_puts(b, opt_letters(sh));
	sb_puts(b, "\nset --");
	for (i = 0; i < sh->nargs; i++) {
		sb_putc(b, ' ');
		sb_put_quoted(b, sh->args[i]);
	}
	sb_putc(b, '\n');
	if (sh->opt_pipefail)
		sb_puts(b, "set -o pipefail\n");
}

/*
 * In a forked copy of the shell: become a fresh fsh that runs n's text
 * with this shell's state. The copy cannot use libfleet, whose threads
 * did not survive the fork.
 */
static void __attribute__((noreturn))
reexec(struct shell *sh, const struct node *n)
{
	struct strbuf b = { 0 };
	char fdarg[32];
	char *argv[6];
	int fd;

	state_text(sh, &b);
	fd = memfd_create("fsh-state", 0);
	if (fd < 0 || write(fd, b.s, b.len) != (ssize_t)b.len) {
		fprintf(stderr, "fsh: state: %s\n", strerror(errno));
		_exit(126);
	}
	sb_free(&b);
	snprintf(fdarg, sizeof(fdarg), "--state=%d", fd);
	argv[0] = "fsh";
	argv[1] = fdarg;
	argv[2] = "-c";
	argv[3] = n->type == NODE_SUBSHELL ?
	    list_source((const struct list *)((const struct brace *)n)->body) :
	    node_source(n);
	argv[4] = sh->arg0 ? sh->arg0 : "fsh";
	argv[5] = NULL;
	signal(SIGINT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	execv("/proc/self/exe", argv);
	fprintf(stderr, "fsh: /proc/self/exe: %s\n", strerror(errno));
	_exit(126);
}

/* Set fds 0, 1, 2 from fds[3]; close every other fd. */
static void
child_fds(const int fds[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		if (fds[i] < 0)
			close(i);
		else if (fds[i] != i)
			dup2(fds[i], i);
		if (fds[i] >= 0)
			fcntl(i, F_SETFD, 0);
	}
	close_range(3, ~0U, 0);
}

/* A forked copy that runs n itself, then exits as a shell would. */
static void __attribute__((noreturn))
run_forked(struct shell *sh, struct node *n)
{
	int status;

	sh->conn = NULL;	/* the parent's: not ours to use */
	sh->forked = true;
	sh->subshell++;
	sh->interactive = false;
	jobs_forget(sh);
	traps_reset(sh);
	signals_fork();
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (n->type == NODE_SUBSHELL)
		status = exec_redirected(sh, n->redirs,
		    ((struct brace *)n)->body);
	else
		status = exec_node(sh, n);
	if (sh->exiting)
		status = sh->exit_status;
	status = traps_exit(sh, status);
	fflush(NULL);
	_exit(status);
}

/* ( ... ) >file: the fresh fsh that runs the body inherits the fds. */
static int
subshell_redirs(struct shell *sh, const struct node *n)
{
	struct redir_save *save;

	sh->forked = true;
	if (redir_apply(sh, n->redirs, &save) < 0)
		return -1;
	redir_forget(save);
	return 0;
}

/* A copy of the shell that runs n with fds as its stdio; its pid. */
pid_t
shell_fork(struct shell *sh, struct job *j, struct node *n, const int fds[3])
{
	bool here = forkable_node(n, 0);
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "fsh: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	if (j != NULL)
		job_setpgid(j, 0);
	child_fds(fds);
	if (here)
		run_forked(sh, n);
	if (n->type == NODE_SUBSHELL && subshell_redirs(sh, n) < 0)
		_exit(1);
	reexec(sh, n);
}

/* --state=FD: take what the parent shell was, before its text runs. */
int
state_load(struct shell *sh, int fd)
{
	struct strbuf b = { 0 };
	char chunk[4096], *nl;
	long pid;
	ssize_t n;
	int status;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		sb_putn(&b, chunk, (size_t)n);
	close(fd);
	if (b.s == NULL || sscanf(b.s, "#fsh-state %ld %d", &pid,
	    &status) != 2 || (nl = strchr(b.s, '\n')) == NULL) {
		fprintf(stderr, "fsh: --state: not a shell's state\n");
		sb_free(&b);
		return -1;
	}
	run_buffer(sh, nl + 1, b.len - (size_t)(nl + 1 - b.s), "state");
	sh->root_pid = (pid_t)pid;
	sh->status = status;
	sh->subshell++;
	sb_free(&b);
	return 0;
}
