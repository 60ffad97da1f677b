/* fsh.h: the shell's state and its files' prototypes */
#ifndef FSH_FSH_H
#define FSH_FSH_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <fleet/fleet.h>
#include "ast.h"

struct job;

struct shell {
	fleet_conn *conn;	/* opened on first use */
	bool interactive;
	int status;		/* $? */
	char *last_bg;		/* $!: id of the last background VM */
	char *arg0;		/* $0 */
	char **args;		/* $1 ...; malloc'd, NULL-terminated */
	int nargs;
	bool opt_e, opt_x, opt_u, opt_f, opt_v, opt_C, opt_n, opt_pipefail;
	pid_t root_pid;		/* $$: the first shell's, in every copy */
	bool forked;		/* a copy of the shell without libfleet */
	int funcs;		/* functions running now */
	bool returning;		/* `return` ran: leave the function */
	int sourcing;		/* `.` files running now */
	int cond;		/* > 0 inside a condition: set -e is off */
	bool exiting;
	int exit_status;
	struct job *jobs;	/* newest first */
	int subshell;		/* > 0 in a forked pipeline member */
	bool noexec;		/* -n: print the syntax tree only */
	int loops;		/* loops running now */
	int brk, cont;		/* levels of loops that break, continue */
	bool interrupted;	/* ctrl-C ended a job: end the command line */
	int state_fd;		/* --state=FD: a parent shell's state, or -1 */
	int subst_status;	/* the last command substitution's, or -1 */
	int command_prefix;	/* > 0 while `command` runs a command */
};

/* Shell flags as $- shows them: static storage. */
const char *opt_letters(const struct shell *sh);
struct strbuf;

/* main.c */
int run_buffer(struct shell *sh, const char *buf, size_t len,
    const char *name);
void sh_error_pos(const char *name, struct pos pos, const char *msg);

/* progs.c */
void programs_each(void (*fn)(const char *name, const char *dir, void *arg),
    void *arg);
void programs_print(FILE *f);

/* builtin.c */
void special_fail(struct shell *sh);

/* var.c */
void var_init(void);
const char *var_get(const char *name);
void var_set(const char *name, const char *value);
void var_export(const char *name, const char *value);
int var_unset(const char *name);
enum var_which { VAR_ALL, VAR_EXPORTED, VAR_READONLY };
void var_print(enum var_which which);
bool var_valid_name(const char *s);
/* 0, or -1 after "NAME: is read only" */
int var_assign(const char *name, const char *value);
void var_readonly(const char *name, const char *value);
bool var_is_readonly(const char *name);
/* local NAME: restored when the function's frame ends */
void var_local(const char *name);
void var_frame_push(void);
void var_frame_pop(void);
/* The variables as shell text that sets them again. */
void var_state(struct strbuf *b);

/* expand.c */
/* Words to fields (split, globbed); *argvp NULL-terminated, argv_free it. */
int expand_words(struct shell *sh, const struct word *w, char ***argvp);
/* One word to one string, no splitting or globbing. */
char *expand_string(struct shell *sh, const struct word *w);
/* One word to a fnmatch(3) pattern: quoted characters escaped. */
char *expand_pattern(struct shell *sh, const struct word *w);
/* An expansion failed: a script ends with 2, a prompt drops the line. */
void expand_fail(struct shell *sh);
void argv_free(char **argv);
size_t argv_len(char *const *argv);

/* exec.c */
int exec_node(struct shell *sh, struct node *n);
/* A command substitution's output, its trailing newlines gone; $? set. */
char *exec_capture(struct shell *sh, struct node *n);
int run_function(struct shell *sh, const struct func *f, char **argv);
int exec_redirected(struct shell *sh, const struct redir *r,
    struct node *body);
/* argv (taken) as `command` runs it: no functions, the shell's fds. */
int exec_argv(struct shell *sh, char **argv);
fleet_conn *sh_conn(struct shell *sh);
int status_code(int wstatus);

/* redir.c */
struct redir_save;
/* Apply to the shell's own fds; undo with redir_restore(). */
int redir_apply(struct shell *sh, const struct redir *r,
    struct redir_save **savep);
void redir_restore(struct redir_save *s);
/* Keep what was applied, for good (exec with no command). */
void redir_forget(struct redir_save *s);
/* Apply to fds[3] (owned, -1 closed) for a VM; 0 or -1 after a message. */
int redir_fds(struct shell *sh, const struct redir *r, int fds[3]);

/* progs.c */
void programs_each(void (*fn)(const char *name, const char *dir, void *arg),
    void *arg);
void programs_print(FILE *f);

/* builtin.c */
typedef int builtin_fn(struct shell *sh, int argc, char **argv);
builtin_fn *builtin_find(const char *name);
bool builtin_special(const char *name);
/* bi-shell.c */
int bi_set(struct shell *sh, int argc, char **argv);
int bi_shift(struct shell *sh, int argc, char **argv);
int bi_alias(struct shell *sh, int argc, char **argv);
int bi_unalias(struct shell *sh, int argc, char **argv);
int bi_unset(struct shell *sh, int argc, char **argv);
int bi_export(struct shell *sh, int argc, char **argv);
int bi_readonly(struct shell *sh, int argc, char **argv);
int bi_local(struct shell *sh, int argc, char **argv);
int bi_return(struct shell *sh, int argc, char **argv);
int bi_eval(struct shell *sh, int argc, char **argv);
int bi_exec(struct shell *sh, int argc, char **argv);
int bi_command(struct shell *sh, int argc, char **argv);
int bi_type(struct shell *sh, int argc, char **argv);
int bi_true(struct shell *sh, int argc, char **argv);
int bi_false(struct shell *sh, int argc, char **argv);
int bi_umask(struct shell *sh, int argc, char **argv);
int bi_times(struct shell *sh, int argc, char **argv);
int bi_ulimit(struct shell *sh, int argc, char **argv);
int bi_hash(struct shell *sh, int argc, char **argv);
int bi_getopts(struct shell *sh, int argc, char **argv);
int bi_read(struct shell *sh, int argc, char **argv);
bool keyword_is(const char *name);
void builtin_names(void (*fn)(const char *name, void *arg), void *arg);

/* jobs.c */
enum job_state { JOB_RUNNING, JOB_STOPPED, JOB_DONE };

struct job {
	int id;			/* %N */
	fleet_job *vms;
	pid_t *pids;		/* forked shell members of the pipeline */
	int *pid_status;
	size_t npids, npids_done;
	char *text;
	enum job_state state;
	int status;		/* waitpid-style, of the last member */
	bool last_is_pid;	/* the last member is pids[npids - 1] */
	int start_status;	/* >= 0: the last member could not start */
	bool disowned;
	int tty_in;		/* >= 0: the terminal's bytes go here while
				 * the job is in the foreground */
	bool pipefail;		/* its status: the last member that failed */
	struct job_member {	/* in pipeline order; -1: not this kind */
		int vm;		/* index in vms */
		int pid;	/* index in pids */
		int start;	/* the status it could not start with */
	} *members;
	size_t nmembers;
	struct job *next;
};

struct job *job_new(struct shell *sh, char *text);	/* takes text */
void job_setpgid(const struct job *j, pid_t pid);
void job_add_pid(struct job *j, pid_t pid, bool last);
void job_add_member(struct job *j, int vm, int pid, int start);
int job_kill(struct job *j, int sig);
/* Foreground: wait, answering ctrl-C and ctrl-Z; the shell status code. */
int shell_sleep(struct shell *sh, int fd, int timeout_ms);
int job_wait_fg(struct shell *sh, struct job *j);
int job_wait_bg(struct shell *sh, struct job *j);
struct job *job_find(struct shell *sh, const char *spec);
void job_remove(struct shell *sh, struct job *j);
void jobs_notify(struct shell *sh);
void jobs_print(struct shell *sh, FILE *f);
void jobs_end(struct shell *sh);
const char *job_state_text(const struct job *j);
void tty_take(void);
void tty_release(void);
void signals_init(struct shell *sh);
void spawn_guard(fleet_conn *c);
void sig_wake(void);
void signals_default(int sig);
void signals_fork(void);
void jobs_forget(struct shell *sh);
extern volatile sig_atomic_t got_sigint, got_sigtstp, got_term;
bool sh_terminated(struct shell *sh);

/* fork.c */
pid_t shell_fork(struct shell *sh, struct job *j, struct node *n,
    const int fds[3]);
int state_load(struct shell *sh, int fd);

/* func.c */
const struct func *func_find(const char *name);
void func_define(struct func *def);
int func_unset(const char *name);
void func_each(void (*fn)(const struct func *, void *), void *arg);

/* trap.c */
int bi_trap(struct shell *sh, int argc, char **argv);
bool trap_caught(int sig);
void trap_note(int sig);
void traps_run(struct shell *sh);
bool traps_pending(void);
void traps_reset(struct shell *sh);
int traps_exit(struct shell *sh, int status);

/* arith.c through expand.c */
char *arith_expand(struct shell *sh, const struct word *w);

/* text.c */
char *node_text(const struct node *n);
char *node_source(const struct node *n);
char *list_source(const struct list *l);
const char *word_literal(const struct word *w);

/* edit.c */
char *edit_readline(const char *prompt);
void edit_init(struct shell *sh);
void edit_add_history(const char *line);
void edit_finish(void);
void edit_history_print(FILE *f);

#endif
