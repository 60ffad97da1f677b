/* bi-shell.c: the POSIX builtins about the shell itself: options,
 * variables, functions, eval, exec, command */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <unistd.h>
#include "alias.h"
#include "fsh.h"
#include "strbuf.h"

static const struct {
	char letter;
	const char *name;
	size_t off;
} options[] = {
	{ 'e', "errexit", offsetof(struct shell, opt_e) },
	{ 'f', "noglob", offsetof(struct shell, opt_f) },
	{ 'n', "noexec", offsetof(struct shell, opt_n) },
	{ 'u', "nounset", offsetof(struct shell, opt_u) },
	{ 'v', "verbose", offsetof(struct shell, opt_v) },
	{ 'x', "xtrace", offsetof(struct shell, opt_x) },
	{ 'C', "noclobber", offsetof(struct shell, opt_C) },
	{ 0, "pipefail", offsetof(struct shell, opt_pipefail) },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static bool *
opt_flag(struct shell *sh, size_t i)
{
	return (bool *)((char *)sh + options[i].off);
}

const char *
opt_letters(const struct shell *sh)
{
	static char buf[NOPTIONS + 2];
	size_t i, k = 0;

	for (i = 0; i < NOPTIONS; i++)
		if (options[i].letter &&
		    *opt_flag((struct shell *)sh, i))
			buf[k++] = options[i].letter;
	if (sh->interactive)
		buf[k++] = 'i';
	buf[k] = '\0';
	return buf;
}

/* -o NAME, +o NAME, or a letter: 0, or -1 if unknown. */
static int
opt_set(struct shell *sh, char letter, const char *name, bool on)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++) {
		if ((name != NULL && strcmp(options[i].name, name) == 0) ||
		    (name == NULL && options[i].letter == letter)) {
			*opt_flag(sh, i) = on;
			return 0;
		}
	}
	return -1;
}

static void
opt_print(struct shell *sh, bool as_commands)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++) {
		if (as_commands)
			printf("set %co %s\n", *opt_flag(sh, i) ? '-' : '+',
			    options[i].name);
		else
			printf("%-16s%s\n", options[i].name,
			    *opt_flag(sh, i) ? "on" : "off");
	}
}

static void
set_args(struct shell *sh, int argc, char **argv)
{
	int i;

	argv_free(sh->args);
	sh->args = xcalloc(argc + 1, sizeof(*sh->args));
	for (i = 0; i < argc; i++)
		sh->args[i] = xstrdup(argv[i]);
	sh->nargs = argc;
}

/* One -xyz or +o NAME argument of set; the arguments it used, or -1. */
static int
set_option(struct shell *sh, char **argv)
{
	bool on = argv[0][0] == '-';
	const char *o;

	for (o = argv[0] + 1; *o != '\0'; o++) {
		if (*o == 'o') {
			if (argv[1] == NULL) {
				opt_print(sh, !on);
				return 1;
			}
			if (opt_set(sh, 0, argv[1], on) < 0) {
				fprintf(stderr, "fsh: set: Illegal option -o "
				    "%s\n", argv[1]);
				return -1;
			}
			return 2;
		}
		if (opt_set(sh, *o, NULL, on) < 0) {
			fprintf(stderr, "fsh: set: Illegal option %c%c\n",
			    argv[0][0], *o);
			return -1;
		}
	}
	return 1;
}

int
bi_set(struct shell *sh, int argc, char **argv)
{
	int i = 1, n;

	if (argc == 1) {
		var_print(VAR_ALL);
		return 0;
	}
	while (i < argc && (argv[i][0] == '-' || argv[i][0] == '+')) {
		if (strcmp(argv[i], "--") == 0 || strcmp(argv[i], "-") == 0) {
			if (strcmp(argv[i], "-") == 0)
				sh->opt_x = sh->opt_v = false;
			i++;
			set_args(sh, argc - i, argv + i);
			return 0;
		}
		if ((n = set_option(sh, argv + i)) < 0) {
			special_fail(sh);
			return 2;
		}
		i += n;
	}
	if (i < argc)
		set_args(sh, argc - i, argv + i);
	return 0;
}

int
bi_shift(struct shell *sh, int argc, char **argv)
{
	char *end;
	long n = 1;
	int i;

	if (argc > 1) {
		n = strtol(argv[1], &end, 10);
		if (argv[1][0] == '\0' || *end != '\0' || n < 0) {
			fprintf(stderr, "fsh: shift: Illegal number: %s\n",
			    argv[1]);
			special_fail(sh);
			return 2;
		}
	}
	if (n > sh->nargs) {
		fprintf(stderr, "fsh: shift: can't shift that many\n");
		special_fail(sh);
		return 2;
	}
	for (i = 0; i < n; i++)
		free(sh->args[i]);
	memmove(sh->args, sh->args + n, (sh->nargs - n + 1) *
	    sizeof(*sh->args));
	sh->nargs -= (int)n;
	return 0;
}

int
bi_unset(struct shell *sh, int argc, char **argv)
{
	bool funcs = false;
	int i = 1, ret = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-f") == 0)
			funcs = true;
		else if (strcmp(argv[i], "-v") == 0)
			funcs = false;
		else {
			fprintf(stderr, "fsh: unset: Illegal option %s\n",
			    argv[i]);
			special_fail(sh);
			return 2;
		}
	}
	for (; i < argc; i++) {
		if (funcs)
			func_unset(argv[i]);
		else if (var_unset(argv[i]) < 0)
			ret = 2;
	}
	if (ret != 0)
		special_fail(sh);
	return ret;
}

/* NAME[=VALUE]... for export, readonly and local. */
static int
name_values(const char *cmd, int argc, char **argv,
    void (*fn)(const char *name, const char *value))
{
	char *eq, *name;
	int i, ret = 0;

	for (i = 1; i < argc; i++) {
		eq = strchr(argv[i], '=');
		name = eq ? strndup(argv[i], eq - argv[i]) : xstrdup(argv[i]);
		if (!var_valid_name(name)) {
			fprintf(stderr, "fsh: %s: %s: bad variable name\n",
			    cmd, name);
			ret = 2;
		} else if (eq != NULL && var_is_readonly(name)) {
			fprintf(stderr, "fsh: %s: %s: is read only\n", cmd,
			    name);
			ret = 2;
		} else {
			fn(name, eq ? eq + 1 : NULL);
		}
		free(name);
	}
	return ret;
}

static int
special_status(struct shell *sh, int status)
{
	if (status != 0)
		special_fail(sh);
	return status;
}

int
bi_export(struct shell *sh, int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
		var_print(VAR_EXPORTED);
		return 0;
	}
	return special_status(sh, name_values("export", argc, argv,
	    var_export));
}

int
bi_readonly(struct shell *sh, int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
		var_print(VAR_READONLY);
		return 0;
	}
	return special_status(sh, name_values("readonly", argc, argv,
	    var_readonly));
}

static void
local_one(const char *name, const char *value)
{
	var_local(name);
	if (value != NULL)
		var_set(name, value);
}

int
bi_local(struct shell *sh, int argc, char **argv)
{
	if (sh->funcs == 0) {
		fprintf(stderr, "fsh: local: not in a function\n");
		return 2;
	}
	return name_values("local", argc, argv, local_one);
}

int
bi_return(struct shell *sh, int argc, char **argv)
{
	char *end;
	long n = sh->status;

	if (argc > 1) {
		n = strtol(argv[1], &end, 10);
		if (argv[1][0] == '\0' || *end != '\0' || n < 0) {
			fprintf(stderr, "fsh: return: Illegal number: %s\n",
			    argv[1]);
			return 2;
		}
	}
	if (sh->funcs == 0 && sh->sourcing == 0) {
		sh->exiting = true;
		sh->exit_status = (int)(n & 255);
		return sh->exit_status;
	}
	sh->returning = true;
	sh->status = (int)(n & 255);
	return sh->status;
}

int
bi_eval(struct shell *sh, int argc, char **argv)
{
	size_t len = 0;
	char *text, *p;
	int i, status;

	for (i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = p = xcalloc(1, len + 1);
	for (i = 1; i < argc; i++)
		p += sprintf(p, "%s%s", argv[i], i + 1 < argc ? " " : "");
	sh->status = 0;
	status = run_buffer(sh, text, strlen(text), NULL);
	free(text);
	return status;
}

int
bi_exec(struct shell *sh, int argc, char **argv)
{
	int status;
	char **rest;
	int i;

	if (argc < 2)
		return 0;
	rest = xcalloc(argc, sizeof(*rest));
	for (i = 1; i < argc; i++)
		rest[i - 1] = xstrdup(argv[i]);
	status = exec_argv(sh, rest);
	sh->exiting = true;
	sh->exit_status = status;
	return status;
}

/* command -v / -V NAME: what NAME runs, as a shell would say. */
static int
command_describe(struct shell *sh, const char *name, bool verbose)
{
	char *path;

	(void)sh;
	if (alias_get(name) != NULL) {
		if (verbose)
			printf("%s is an alias for %s\n", name, alias_get(name));
		else
			printf("alias %s='%s'\n", name, alias_get(name));
	} else if (keyword_is(name)) {
		printf(verbose ? "%s is a shell keyword\n" : "%s\n", name);
	} else if (func_find(name) != NULL) {
		printf(verbose ? "%s is a shell function\n" : "%s\n", name);
	} else if (builtin_find(name) != NULL) {
		printf(verbose ? "%s is a %sshell builtin\n" : "%s\n", name,
		    builtin_special(name) ? "special " : "");
	} else if ((path = NULL, fleet_image_find(name, &path)) == 0) {
		if (verbose)
			printf("%s is %s\n", name, path);
		else
			printf("%s\n", path);
		free(path);
	} else {
		if (verbose)	/* on stdout, as dash */
			printf("%s: not found\n", name);
		return 127;
	}
	return 0;
}

int
bi_command(struct shell *sh, int argc, char **argv)
{
	bool describe = false, verbose = false;
	char **rest;
	int i = 1, k, ret = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-v") == 0)
			describe = true;
		else if (strcmp(argv[i], "-V") == 0)
			describe = verbose = true;
		else if (strcmp(argv[i], "-p") != 0) {
			fprintf(stderr, "fsh: command: Illegal option %s\n",
			    argv[i]);
			return 2;
		}
	}
	if (i >= argc)
		return 0;
	if (describe) {
		for (; i < argc; i++)
			if (command_describe(sh, argv[i], verbose) != 0)
				ret = 127;
		return ret;
	}
	rest = xcalloc(argc - i + 1, sizeof(*rest));
	for (k = 0; i < argc; i++, k++)
		rest[k] = xstrdup(argv[i]);
	sh->command_prefix++;
	ret = exec_argv(sh, rest);
	sh->command_prefix--;
	return ret;
}

int
bi_type(struct shell *sh, int argc, char **argv)
{
	int i, ret = 0;

	for (i = 1; i < argc; i++)
		if (command_describe(sh, argv[i], true) != 0)
			ret = 127;
	return ret;
}

int
bi_true(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 0;
}

int
bi_false(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 1;
}

int
bi_umask(struct shell *sh, int argc, char **argv)
{
	mode_t m;
	char *end;
	long v;

	(void)sh;
	if (argc < 2 || strcmp(argv[1], "-S") == 0) {
		m = umask(0);
		umask(m);
		if (argc < 2)
			printf("%04o\n", (unsigned)m);
		else
			printf("u=%s%s%s,g=%s%s%s,o=%s%s%s\n",
			    m & 0400 ? "" : "r", m & 0200 ? "" : "w",
			    m & 0100 ? "" : "x", m & 040 ? "" : "r",
			    m & 020 ? "" : "w", m & 010 ? "" : "x",
			    m & 04 ? "" : "r", m & 02 ? "" : "w",
			    m & 01 ? "" : "x");
		return 0;
	}
	v = strtol(argv[1], &end, 8);
	if (argv[1][0] == '\0' || *end != '\0' || v < 0 || v > 0777) {
		fprintf(stderr, "fsh: umask: Illegal number: %s\n", argv[1]);
		return 1;
	}
	umask((mode_t)v);
	return 0;
}

static void
print_time(clock_t t, long hz)
{
	printf("%ldm%ld.%03lds", (long)(t / hz / 60), (long)(t / hz % 60),
	    (long)(t % hz * 1000 / hz));
}

int
bi_times(struct shell *sh, int argc, char **argv)
{
	long hz = sysconf(_SC_CLK_TCK);
	struct tms t;

	(void)sh, (void)argc, (void)argv;
	times(&t);
	print_time(t.tms_utime, hz);
	putchar(' ');
	print_time(t.tms_stime, hz);
	putchar('\n');
	print_time(t.tms_cutime, hz);
	putchar(' ');
	print_time(t.tms_cstime, hz);
	putchar('\n');
	return 0;
}

/* ulimit [-HS] [-n|-f|-c|-s|-v|-t] [N|unlimited]: the shell's own
 * limits, which its forked copies inherit (a VM has its own memory). */
int
bi_ulimit(struct shell *sh, int argc, char **argv)
{
	static const struct { char opt; int res; long unit; } lims[] = {
		{ 'f', RLIMIT_FSIZE, 512 }, { 'c', RLIMIT_CORE, 512 },
		{ 'n', RLIMIT_NOFILE, 1 }, { 's', RLIMIT_STACK, 1024 },
		{ 'v', RLIMIT_AS, 1024 }, { 't', RLIMIT_CPU, 1 },
	};
	bool hard = false;
	size_t k = 0, i;
	struct rlimit rl;
	int a;

	(void)sh;
	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "-H") == 0 || strcmp(argv[a], "-S") == 0) {
			hard = argv[a][1] == 'H';
			continue;
		}
		for (i = 0; i < sizeof(lims) / sizeof(lims[0]); i++)
			if (argv[a][1] == lims[i].opt && argv[a][2] == '\0')
				break;
		if (i == sizeof(lims) / sizeof(lims[0])) {
			fprintf(stderr, "fsh: ulimit: Illegal option %s\n",
			    argv[a]);
			return 2;
		}
		k = i;
	}
	getrlimit(lims[k].res, &rl);
	if (a >= argc) {
		rlim_t v = hard ? rl.rlim_max : rl.rlim_cur;

		if (v == RLIM_INFINITY)
			printf("unlimited\n");
		else
			printf("%lu\n", (unsigned long)(v / lims[k].unit));
		return 0;
	}
	if (strcmp(argv[a], "unlimited") == 0) {
		rl.rlim_cur = RLIM_INFINITY;
	} else {
		char *end;
		unsigned long v = strtoul(argv[a], &end, 10);

		if (argv[a][0] == '\0' || *end != '\0') {
			fprintf(stderr, "fsh: ulimit: bad number: %s\n",
			    argv[a]);
			return 2;
		}
		rl.rlim_cur = (rlim_t)v * lims[k].unit;
	}
	if (hard)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(lims[k].res, &rl) < 0) {
		fprintf(stderr, "fsh: ulimit: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}

/* hash: fsh looks programs up on FLEET_PATH each time; nothing to keep. */
int
bi_hash(struct shell *sh, int argc, char **argv)
{
	char *path;
	int i, ret = 0;

	(void)sh;
	for (i = 1; i < argc; i++) {
		path = NULL;
		if (strcmp(argv[i], "-r") == 0 || builtin_find(argv[i]) ||
		    func_find(argv[i]))
			continue;
		if (fleet_image_find(argv[i], &path) < 0) {
			fprintf(stderr, "fsh: hash: %s: not found\n", argv[i]);
			ret = 1;
		}
		free(path);
	}
	return ret;
}

/* getopts's place inside a group of options (-abc), while OPTIND is
 * what getopts last set it to. */
static int getopts_off;
static char getopts_ind[24];

static void
getopts_done(const char *name, int ind)
{
	snprintf(getopts_ind, sizeof(getopts_ind), "%d", ind);
	var_set("OPTIND", getopts_ind);
	var_set(name, "?");
	getopts_off = 0;
}

/* getopts OPTSTRING NAME [ARG...] */
int
bi_getopts(struct shell *sh, int argc, char **argv)
{
	const char *ind = var_get("OPTIND"), *spec, *opt;
	char **args = sh->args, c[2] = "", *arg;
	int nargs = sh->nargs, i;
	bool silent;

	if (argc < 3) {
		fprintf(stderr, "fsh: getopts: usage: getopts OPTSTRING NAME "
		    "[ARG...]\n");
		return 2;
	}
	if (argc > 3) {
		args = argv + 3;
		nargs = argc - 3;
	}
	spec = argv[1];
	silent = spec[0] == ':';
	if (ind == NULL || strcmp(ind, getopts_ind) != 0)
		getopts_off = 0;
	i = ind ? atoi(ind) : 1;
	if (i < 1)
		i = 1;
	if (getopts_off == 0) {
		if (i > nargs || args[i - 1][0] != '-' ||
		    args[i - 1][1] == '\0') {
			getopts_done(argv[2], i);
			return 1;
		}
		if (strcmp(args[i - 1], "--") == 0) {
			getopts_done(argv[2], i + 1);
			return 1;
		}
		getopts_off = 1;
	}
	arg = args[i - 1];
	c[0] = arg[getopts_off++];
	if (arg[getopts_off] == '\0') {
		i++;
		getopts_off = 0;
	}
	opt = c[0] != ':' ? strchr(silent ? spec + 1 : spec, c[0]) : NULL;
	var_unset("OPTARG");
	if (opt == NULL) {
		if (silent) {
			var_set("OPTARG", c);
		} else {
			fprintf(stderr, "fsh: Illegal option -%s\n", c);
		}
		var_set(argv[2], "?");
	} else if (opt[1] == ':') {
		if (getopts_off > 0) {
			var_set("OPTARG", arg + getopts_off);
			i++;
			getopts_off = 0;
		} else if (i <= nargs) {
			var_set("OPTARG", args[i - 1]);
			i++;
		} else if (silent) {
			var_set("OPTARG", c);
			c[0] = ':';
		} else {
			fprintf(stderr, "fsh: No arg for -%s option\n", c);
			c[0] = '?';
		}
		var_set(argv[2], c);
	} else {
		var_set("OPTARG", "");
		var_set(argv[2], c);
	}
	snprintf(getopts_ind, sizeof(getopts_ind), "%d", i);
	var_set("OPTIND", getopts_ind);
	return 0;
}

int
bi_alias(struct shell *sh, int argc, char **argv)
{
	char *eq, *name;
	int i, ret = 0;

	(void)sh;
	if (argc == 1)
		alias_print_all();
	for (i = 1; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL) {
			if (alias_print(argv[i]) < 0) {
				fprintf(stderr, "fsh: alias: %s not found\n",
				    argv[i]);
				ret = 1;
			}
			continue;
		}
		name = strndup(argv[i], eq - argv[i]);
		alias_set(name, eq + 1);
		free(name);
	}
	return ret;
}

int
bi_unalias(struct shell *sh, int argc, char **argv)
{
	int i, ret = 0;

	(void)sh;
	if (argc == 2 && strcmp(argv[1], "-a") == 0) {
		alias_clear();
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "fsh: unalias: usage: unalias [-a] NAME...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (alias_unset(argv[i]) < 0) {
			fprintf(stderr, "fsh: unalias: %s not found\n", argv[i]);
			ret = 1;
		}
	}
	return ret;
}
