/* main.c: fsh's arguments, its input (string, script, stdin, terminal) and
 * the read-parse-run loop */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fsh.h"
#include "parse.h"
#include "strbuf.h"

static const char usage[] =
    "usage: fsh [-efnuvxCis] [-o NAME] [-H ROUTER] [-c STRING [NAME "
    "[ARG...]] | SCRIPT [ARG...]]\n"
    "       fsh --help | --version\n";

void
sh_error_pos(const char *name, struct pos pos, const char *msg)
{
	fprintf(stderr, "%s: %d: Syntax error: %s (column %d)\n",
	    name ? name : "fsh", pos.line, msg, pos.col);
}

/* Parse all of buf; NULL-terminated nodes, or NULL after a message. */
static struct node **
parse_all(const char *buf, size_t len, const char *name, bool *incomplete)
{
	struct parser *p = parser_new(buf, len);
	struct node **v = xcalloc(1, sizeof(*v)), *n;
	size_t count = 0;
	const char *msg;
	struct pos pos;

	*incomplete = false;
	while ((n = parser_next(p)) != NULL) {
		v = realloc(v, (count + 2) * sizeof(*v));
		v[count++] = n;
		v[count] = NULL;
	}
	if ((msg = parser_error(p, &pos, incomplete)) != NULL) {
		if (!*incomplete || name != NULL)
			sh_error_pos(NULL, pos, msg);
		for (count = 0; v[count] != NULL; count++)
			ast_free(v[count]);
		free(v);
		v = NULL;
	}
	parser_free(p);
	return v;
}

static int
print_ast(struct shell *sh, const char *buf, size_t len)
{
	struct node **v;
	bool incomplete;
	size_t i;

	if ((v = parse_all(buf, len, "", &incomplete)) == NULL)
		return 2;
	for (i = 0; v[i] != NULL; i++) {
		ast_print(stdout, v[i], 0);
		ast_free(v[i]);
	}
	free(v);
	return 0;
}

/* Run buf one complete command at a time, each parsed whole first. */
int
run_buffer(struct shell *sh, const char *buf, size_t len, const char *name)
{
	struct parser *p;
	struct node *n;
	const char *msg;
	struct pos pos;
	bool incomplete;

	if (sh->noexec)
		return print_ast(sh, buf, len);
	p = parser_new(buf, len);
	while (!sh->exiting && !sh->returning &&
	    (n = parser_next(p)) != NULL) {
		if (sh->opt_v && n->src != NULL)
			fprintf(stderr, "%s\n", n->src);
		if (sh->opt_n && !sh->interactive) {	/* set -n: read only */
			ast_free(n);
			continue;
		}
		sh->status = exec_node(sh, n);
		ast_free(n);
		if (traps_pending())
			traps_run(sh);
		if (sh->interactive)
			jobs_notify(sh);
	}
	if ((msg = parser_error(p, &pos, &incomplete)) != NULL) {
		sh_error_pos(name, pos, msg);
		sh->status = 2;
		if (!sh->interactive && !sh->exiting) {
			sh->exiting = true;
			sh->exit_status = 2;
		}
	}
	parser_free(p);
	return sh->status;
}

static char *
prompt(struct shell *sh)
{
	const char *ps1 = var_get("PS1"), *where = "no endpoint";
	char *s;

	if (ps1 != NULL)
		return xstrdup(ps1);
	if (sh->conn != NULL && (where = fleet_conn_router(sh->conn)) == NULL)
		where = fleet_conn_uri(sh->conn);
	if (asprintf(&s, "fsh (%s)$ ", where) < 0)
		abort();
	return s;
}

/* One complete command from the terminal, parsed whole, then run. */
static void
interactive_one(struct shell *sh, struct strbuf *acc)
{
	struct node **v;
	bool incomplete;
	size_t i;

	v = parse_all(acc->s, acc->len, NULL, &incomplete);
	if (v == NULL && incomplete)
		return;
	acc->s[acc->len - 1] = '\0';
	edit_add_history(acc->s);
	sb_free(acc);
	if (v == NULL) {
		sh->status = 2;
		return;
	}
	sh->interrupted = false;
	for (i = 0; v[i] != NULL; i++) {
		if (!sh->exiting && !sh->interrupted)
			sh->status = exec_node(sh, v[i]);
		ast_free(v[i]);
	}
	free(v);
}

static void
interactive(struct shell *sh)
{
	struct strbuf acc = { 0 };
	char *line, *ps;

	edit_init(sh);
	sh_conn(sh);
	while (!sh->exiting) {
		if (acc.len == 0)
			jobs_notify(sh);
		ps = acc.len == 0 ? prompt(sh) : xstrdup("> ");
		got_sigint = got_sigtstp = 0;
		line = edit_readline(ps);
		free(ps);
		if (sh_terminated(sh)) {
			free(line);
			break;
		}
		if (line == NULL && got_sigint) {
			got_sigint = 0;
			sb_free(&acc);
			fputc('\n', stderr);
			continue;
		}
		if (line == NULL) {	/* ctrl-D: what follows starts a line */
			fputc('\n', stderr);
			break;
		}
		sb_puts(&acc, line);
		sb_putc(&acc, '\n');
		free(line);
		interactive_one(sh, &acc);
	}
	if (acc.len > 0)
		interactive_one(sh, &acc);
	sb_free(&acc);
	edit_finish();
}

static int
read_all(FILE *f, struct strbuf *b)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_putn(b, chunk, n);
	return ferror(f) ? -1 : 0;
}

static void
set_args(struct shell *sh, char **argv)
{
	int i;

	sh->nargs = argv[0] ? (int)argv_len(argv) : 0;
	sh->args = xcalloc(sh->nargs + 1, sizeof(*sh->args));
	for (i = 0; i < sh->nargs; i++)
		sh->args[i] = xstrdup(argv[i]);
}

static bool router_named;	/* -H: found at the start, or an error */

/* Options before the operands: -c -e -n -x -i -H, --help, --version. */
static int
options(struct shell *sh, int argc, char **argv, bool *cmd, bool *inter,
    bool *stdin_)
{
	int i;
	char *o;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strcmp(argv[i], "--help") == 0) {
			printf("%sfsh: the shell where every command is a VM "
			    "(see fsh(1), and `help` inside)\n", usage);
			exit(0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("fsh %s\n", FLEET_VERSION);
			exit(0);
		}
		if (strncmp(argv[i], "--state=", 8) == 0) {
			sh->state_fd = atoi(argv[i] + 8);
			continue;
		}
		if (argv[i][1] == '-') {
			fprintf(stderr, "fsh: %s: unknown option\n%s", argv[i],
			    usage);
			exit(2);
		}
		/* -H ROUTER: that router, found by DNS-SD, for fsh and
		 * every fleet tool it runs */
		if (strcmp(argv[i], "-H") == 0 && i + 1 < argc) {
			setenv("FLEET_ROUTER", argv[++i], 1);
			router_named = true;
			unsetenv("FLEET_URI");
			unsetenv("FLEET_CTL");
			continue;
		}
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			char *set[] = { "set", argv[i], argv[i + 1], NULL };

			if (bi_set(sh, 3, set) != 0)
				exit(2);
			i++;
			continue;
		}
		for (o = argv[i] + 1; *o != '\0'; o++) {
			switch (*o) {
			case 'c': *cmd = true; break;
			case 'e': sh->opt_e = true; break;
			case 'f': sh->opt_f = true; break;
			case 'u': sh->opt_u = true; break;
			case 'v': sh->opt_v = true; break;
			case 'C': sh->opt_C = true; break;
			case 'n': sh->noexec = true; break;
			case 'x': sh->opt_x = true; break;
			case 'i': *inter = true; break;
			case 's': *stdin_ = true; break;
			default:
				fprintf(stderr, "fsh: -%c: unknown option\n%s",
				    *o, usage);
				exit(2);
			}
		}
	}
	return i;
}

static int
run_input(struct shell *sh, int argc, char **argv, int i, bool cmd,
    bool stdin_)
{
	struct strbuf b = { 0 };
	FILE *f;

	if (cmd) {
		if (i >= argc) {
			fprintf(stderr, "fsh: -c: a string is needed\n");
			return 2;
		}
		sh->arg0 = xstrdup(i + 1 < argc ? argv[i + 1] : "fsh");
		set_args(sh, argv + (i + 1 < argc ? i + 2 : argc));
		if (sh->state_fd >= 0 && state_load(sh, sh->state_fd) < 0)
			return 2;
		return run_buffer(sh, argv[i], strlen(argv[i]), NULL);
	}
	if (i < argc && !stdin_) {
		if ((f = fopen(argv[i], "r")) == NULL) {
			fprintf(stderr, "fsh: %s: %s\n", argv[i],
			    strerror(errno));
			return 127;
		}
		read_all(f, &b);
		fclose(f);
		sh->arg0 = xstrdup(argv[i]);
		set_args(sh, argv + i + 1);
		run_buffer(sh, b.s ? b.s : "", b.len, argv[i]);
		sb_free(&b);
		return sh->status;
	}
	sh->arg0 = xstrdup("fsh");
	set_args(sh, argv + (stdin_ ? i : argc));
	if (sh->interactive) {
		interactive(sh);
		return sh->status;
	}
	read_all(stdin, &b);
	run_buffer(sh, b.s ? b.s : "", b.len, NULL);
	sb_free(&b);
	return sh->status;
}

int
main(int argc, char **argv)
{
	struct shell sh = { .state_fd = -1, .subst_status = -1 };
	bool cmd = false, inter = false, stdin_ = false;
	int i, status;

	sh.root_pid = getpid();
	i = options(&sh, argc, argv, &cmd, &inter, &stdin_);
	sh.interactive = !sh.noexec && !cmd && (i >= argc || stdin_) &&
	    (inter || (isatty(0) && isatty(2)));
	var_init();
	if (router_named && !sh.noexec && sh_conn(&sh) == NULL)
		return 2;
	if (sh.interactive && isatty(STDIN_FILENO))
		tty_take();
	signals_init(&sh);
	setvbuf(stdout, NULL, _IOLBF, 0);
	status = run_input(&sh, argc, argv, i, cmd, stdin_);
	if (sh.exiting)
		status = sh.exit_status;
	status = traps_exit(&sh, status);
	fflush(NULL);
	jobs_end(&sh);
	tty_release();
	fleet_close(sh.conn);
	free(sh.last_bg);
	free(sh.arg0);
	argv_free(sh.args);
	return status;
}
