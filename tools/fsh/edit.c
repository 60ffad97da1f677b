/* edit.c: the terminal: libedit line editing, history, completion (the
 * only libedit user; scripts never come here) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <editline/readline.h>
#include "fsh.h"
#include "strbuf.h"

static char *history_path;

struct names {
	char **v;
	size_t n;
};

static void
names_add(const char *name, void *arg)
{
	struct names *ns = arg;

	ns->v = realloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	if (ns->v == NULL)
		abort();
	ns->v[ns->n++] = xstrdup(name);
}

static void
program_add(const char *name, const char *dir, void *arg)
{
	(void)dir;
	names_add(name, arg);
}

static char *
command_generator(const char *text, int state)
{
	static struct names ns;
	static size_t i;
	size_t len = strlen(text);

	if (state == 0) {
		while (ns.n > 0)
			free(ns.v[--ns.n]);
		builtin_names(names_add, &ns);
		programs_each(program_add, &ns);
		i = 0;
	}
	while (i < ns.n) {
		const char *s = ns.v[i++];

		if (strncmp(s, text, len) == 0)
			return xstrdup(s);
	}
	return NULL;
}

/* The first word completes to builtins and images, the rest to files. */
static char **
complete(const char *text, int start, int end)
{
	int i = start;

	while (i > 0 && (rl_line_buffer[i - 1] == ' ' ||
	    rl_line_buffer[i - 1] == '\t'))
		i--;
	if (i == 0 || strchr("|;&", rl_line_buffer[i - 1]) != NULL)
		return rl_completion_matches(text, command_generator);
	return NULL;
}

static void
mkdirs(char *path)
{
	char *s;

	for (s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(path, 0700);
		*s = '/';
	}
}

/* $XDG_STATE_HOME/fleet/fsh_history, or ~/.local/state/fleet/... */
static char *
history_file(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *path = NULL;

	if (state != NULL && state[0] == '/')
		asprintf(&path, "%s/fleet/fsh_history", state);
	else if (home != NULL)
		asprintf(&path, "%s/.local/state/fleet/fsh_history", home);
	if (path != NULL)
		mkdirs(path);
	return path;
}

/*
 * One byte of the terminal. ctrl-C, SIGHUP or SIGTERM ends the line
 * (readline() returns NULL); other signals do not. libedit's own signal
 * handling is off: it passes each signal on to the whole process group
 * with kill(0, sig) and ends the line on any of them, ctrl-Z included.
 */
static struct shell *edit_shell;

/* Background jobs' VMs go on while the line is typed: their output
 * moves as the connection's events come. */
static int
tty_getc(FILE *f)
{
	unsigned char c;
	ssize_t n;

	for (;;) {
		if (got_sigint || got_term)
			return EOF;
		if (!shell_sleep(edit_shell, STDIN_FILENO, -1))
			continue;
		if ((n = read(STDIN_FILENO, &c, 1)) >= 0 || errno != EINTR)
			break;
	}
	return n == 1 ? c : EOF;
}

void
edit_init(struct shell *sh)
{
	edit_shell = sh;
	rl_readline_name = "fsh";
	rl_catch_signals = 0;
	rl_getc_function = tty_getc;
	rl_attempted_completion_function = complete;
	using_history();
	stifle_history(1000);
	history_path = history_file();
	if (history_path != NULL)
		read_history(history_path);
}

/* A line; NULL at the end of input or on ctrl-C (got_sigint). ctrl-Z at
 * the prompt does nothing, as in sh. */
char *
edit_readline(const char *prompt)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	char *line;

	sigaction(SIGTSTP, &ign, &old);
	line = readline(prompt);
	sigaction(SIGTSTP, &old, NULL);
	return line;
}

void
edit_add_history(const char *line)
{
	if (line[0] == '\0')
		return;
	add_history(line);
	if (history_path != NULL)
		write_history(history_path);
}

void
edit_history_print(FILE *f)
{
	HIST_ENTRY *h;
	int i;

	for (i = 0; i < history_length; i++)
		if ((h = history_get(history_base + i)) != NULL)
			fprintf(f, "%5d  %s\n", history_base + i, h->line);
}

void
edit_finish(void)
{
	free(history_path);
	history_path = NULL;
}
