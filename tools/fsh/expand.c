/* expand.c: parameters, field splitting, pathnames: words to argv */
#include <fnmatch.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fsh.h"
#include "strbuf.h"
#include "arith.h"

struct fields {
	char **v;
	size_t n;
	struct strbuf text;	/* the field being built */
	struct strbuf pattern;	/* the same, quoted glob characters escaped */
	bool open;		/* a field has begun (even if empty) */
	bool glob;		/* it has an unquoted * ? or [ */
	bool noglob;		/* set -f */
};

void
argv_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

size_t
argv_len(char *const *argv)
{
	size_t n = 0;

	while (argv[n] != NULL)
		n++;
	return n;
}

static void
fields_push(struct fields *f, char *s)
{
	f->v = realloc(f->v, (f->n + 2) * sizeof(*f->v));
	if (f->v == NULL)
		abort();
	f->v[f->n++] = s;
	f->v[f->n] = NULL;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether pattern can match other names than itself: an unquoted * or ?,
 * or [ with a ] after it (a lone "[", test's, reads no directory). */
static bool
pattern_magic(const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '*' || *p == '?')
			return true;
		else if (*p == '[' && strchr(p + 1, ']') != NULL)
			return true;
	}
	return false;
}

static void
field_end(struct fields *f)
{
	glob_t g;
	size_t i;

	if (!f->open)
		return;
	if (f->glob && pattern_magic(f->pattern.s) && glob(f->pattern.s, GLOB_NOSORT, NULL, &g) == 0) {
		qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), path_cmp);
		for (i = 0; i < g.gl_pathc; i++)
			fields_push(f, xstrdup(g.gl_pathv[i]));
		globfree(&g);
		sb_free(&f->text);
	} else {
		fields_push(f, sb_take(&f->text));
	}
	sb_free(&f->pattern);
	f->open = false;
	f->glob = false;
}

static bool
glob_char(char c)
{
	return c == '*' || c == '?' || c == '[' || c == '\\';
}

static void
field_add(struct fields *f, const char *s, size_t n, bool quoted)
{
	size_t i;

	size_t run;

	f->open = true;
	sb_putn(&f->text, s, n);
	for (i = 0; i < n; i++) {
		for (run = i; run < n && !glob_char(s[run]); run++)
			;
		sb_putn(&f->pattern, s + i, run - i);
		if ((i = run) == n)
			break;
		if (s[i] == '\\' || quoted || f->noglob)
			sb_putc(&f->pattern, '\\');
		else
			f->glob = true;
		sb_putc(&f->pattern, s[i]);
	}
}

static const char *
arith_get(void *arg, const char *name)
{
	(void)arg;
	return var_get(name);
}

static int
arith_set(void *arg, const char *name, const char *value)
{
	(void)arg;
	if (var_is_readonly(name))
		return -1;
	var_set(name, value);
	return 0;
}

/* The value of a special or named parameter; NULL if unset. */
static const char *
param_value(struct shell *sh, const char *name, char *tmp, size_t tmplen)
{
	int i;

	switch (name[0]) {
	case '?':
		snprintf(tmp, tmplen, "%d", sh->status);
		return tmp;
	case '$':
		snprintf(tmp, tmplen, "%ld", (long)sh->root_pid);
		return tmp;
	case '!':
		return sh->last_bg;
	case '#':
		snprintf(tmp, tmplen, "%d", sh->nargs);
		return tmp;
	case '-':
		return opt_letters(sh);
	case '0':
		if (name[1] == '\0')
			return sh->arg0;
		/* fall through */
	case '1': case '2': case '3': case '4': case '5': case '6':
	case '7': case '8': case '9':
		i = atoi(name);
		return i >= 1 && i <= sh->nargs ? sh->args[i - 1] : NULL;
	default:
		return var_get(name);
	}
}

void
expand_fail(struct shell *sh)
{
	sh->status = 2;
	if (sh->interactive)
		sh->interrupted = true;
	else if (!sh->exiting) {
		sh->exiting = true;
		sh->exit_status = 2;
	}
}

/* ${name#pattern} and the like: what is left of v. */
static char *
strip(const char *v, const char *pat, bool prefix, bool longest)
{
	size_t len = strlen(v), i, k;
	char *head;
	int r;

	for (k = 0; k <= len; k++) {
		i = longest ? len - k : k;
		if (prefix) {
			head = strndup(v, i);
			r = fnmatch(pat, head, 0);
			free(head);
			if (r == 0)
				return xstrdup(v + i);
		} else if (fnmatch(pat, v + (len - i), 0) == 0) {
			return strndup(v, len - i);
		}
	}
	return xstrdup(v);
}

static bool
is_special(const char *name)
{
	return strchr("@*#?-$!0", name[0]) != NULL || (name[0] >= '1' &&
	    name[0] <= '9');
}

/* set -u: an unset parameter in an expansion is an error. */
static bool
unset_error(struct shell *sh, const struct part *p, const char *v)
{
	if (v != NULL || !sh->opt_u || (is_special(p->text) &&
	    !(p->text[0] >= '1' && p->text[0] <= '9') && p->text[0] != '!'))
		return false;
	fprintf(stderr, "fsh: %s: parameter not set\n", p->text);
	expand_fail(sh);
	return true;
}

static char *
param_unset_msg(struct shell *sh, const struct part *p)
{
	char *a = expand_string(sh, p->arg);

	fprintf(stderr, "fsh: %s: %s\n", p->text,
	    a[0] ? a : "parameter not set");
	free(a);
	expand_fail(sh);
	return NULL;
}

/* A parameter after its operator: malloc'd, or NULL when unset. */
static char *
param_full(struct shell *sh, const struct part *p)
{
	char tmp[64], *a, *r;
	const char *v = param_value(sh, p->text, tmp, sizeof(tmp));
	bool colon = p->op[0] == ':';
	char op = p->op[colon];
	bool set = v != NULL && !(colon && v[0] == '\0');

	switch (op) {
	case '\0':
		if (unset_error(sh, p, v))
			return NULL;
		return v ? xstrdup(v) : NULL;
	case 'L':
		if (unset_error(sh, p, v))
			return NULL;
		snprintf(tmp, sizeof(tmp), "%zu", v ? strlen(v) : 0);
		return xstrdup(tmp);
	case '-':
		return set ? xstrdup(v) : expand_string(sh, p->arg);
	case '+':
		return set ? expand_string(sh, p->arg) : xstrdup("");
	case '=':
		if (set)
			return xstrdup(v);
		a = expand_string(sh, p->arg);
		if (is_special(p->text)) {
			fprintf(stderr, "fsh: %s: bad variable name\n",
			    p->text);
			expand_fail(sh);
		} else if (var_assign(p->text, a) < 0) {
			expand_fail(sh);
		}
		return a;
	case '?':
		return set ? xstrdup(v) : param_unset_msg(sh, p);
	case '%':
	case '#':
		if (unset_error(sh, p, v))
			return NULL;
		a = expand_pattern(sh, p->arg);
		r = strip(v ? v : "", a, op == '#', p->op[1] != '\0');
		free(a);
		return r;
	default:
		abort();
	}
}

char *
arith_expand(struct shell *sh, const struct word *w)
{
	struct arith_vars av = { arith_get, arith_set, sh };
	char *text = expand_string(sh, w), *err, *r;
	intmax_t n;

	if (sh->exiting || sh->interrupted) {
		free(text);
		return xstrdup("");
	}
	if (arith_eval(text, &av, &n, &err) < 0) {
		fprintf(stderr, "fsh: arithmetic expression: %s: \"%s\"\n",
		    err, text);
		free(err);
		free(text);
		expand_fail(sh);
		return xstrdup("");
	}
	free(text);
	if (asprintf(&r, "%jd", n) < 0)
		abort();
	return r;
}

/* A parameter, command substitution or arithmetic: malloc'd, or NULL
 * for an unset parameter. */
static char *
part_value(struct shell *sh, const struct part *p)
{
	if (sh->exiting || sh->interrupted)
		return NULL;
	if (p->type == PART_CMDSUB)
		return exec_capture(sh, p->cmd);
	if (p->type == PART_ARITH)
		return arith_expand(sh, p->arg);
	return param_full(sh, p);
}

/* Unquoted: split on IFS as POSIX says. Its blanks (space, tab,
 * newline) around a field go; any other IFS byte, with the blanks next to
 * it, ends one field, empty or not. */
static void
add_split(struct fields *f, const char *v)
{
	const char *ifs = var_get("IFS");
	char blanks[4];
	size_t n, k = 0;

	if (ifs == NULL)
		ifs = " \t\n";
	for (n = 0; n < 3; n++)
		if (strchr(ifs, " \t\n"[n]) != NULL)
			blanks[k++] = " \t\n"[n];
	blanks[k] = '\0';
	while (*v != '\0') {
		n = strcspn(v, ifs);
		if (n > 0) {
			field_add(f, v, n, false);
			v += n;
			continue;
		}
		v += strspn(v, blanks);
		if (*v != '\0' && strchr(blanks, *v) == NULL &&
		    strchr(ifs, *v) != NULL) {
			f->open = true;
			field_end(f);
			v++;
			v += strspn(v, blanks);
			continue;
		}
		field_end(f);
	}
}

/* $@ and $*: one field per argument, or joined by IFS's first byte. */
static void
add_args(struct shell *sh, struct fields *f, const struct part *p)
{
	const char *ifs = var_get("IFS");
	char sep = ifs == NULL ? ' ' : ifs[0];
	int i;

	for (i = 0; i < sh->nargs; i++) {
		if (!p->quoted) {
			add_split(f, sh->args[i]);
			field_end(f);
			continue;
		}
		if (i > 0 && p->text[0] == '@')
			field_end(f);
		else if (i > 0 && sep != '\0')
			field_add(f, &sep, 1, true);
		field_add(f, sh->args[i], strlen(sh->args[i]), true);
	}
}

static void
add_part(struct shell *sh, struct fields *f, const struct part *p, bool first)
{
	const char *v, *home;
	char *value;

	if (p->type == PART_LIT) {
		v = p->text;
		if (first && !p->quoted && v[0] == '~' &&
		    (v[1] == '\0' || v[1] == '/') &&
		    (home = var_get("HOME")) != NULL) {
			field_add(f, home, strlen(home), true);
			v++;
		}
		if (p->quoted || *v != '\0')
			field_add(f, v, strlen(v), p->quoted);
		return;
	}
	if (p->type == PART_PARAM && (strcmp(p->text, "@") == 0 ||
	    strcmp(p->text, "*") == 0) && p->op[0] == '\0') {
		add_args(sh, f, p);
		return;
	}
	if ((value = part_value(sh, p)) == NULL)
		value = xstrdup("");
	if (p->quoted)
		field_add(f, value, strlen(value), true);
	else
		add_split(f, value);
	free(value);
}

int
expand_words(struct shell *sh, const struct word *w, char ***argvp)
{
	struct fields f = { 0 };
	const struct part *p;

	fields_push(&f, NULL);
	f.n = 0;
	f.noglob = sh->opt_f;
	for (; w != NULL; w = w->next) {
		for (p = w->parts; p != NULL; p = p->next)
			add_part(sh, &f, p, p == w->parts);
		field_end(&f);
	}
	*argvp = f.v;
	return 0;
}

/* s with fnmatch's special characters escaped. */
static void
put_escaped(struct strbuf *b, const char *s)
{
	size_t run;

	while (*s != '\0') {
		run = strcspn(s, "*?[]\\");
		sb_putn(b, s, run);
		if (s[run] == '\0')
			break;
		sb_putc(b, '\\');
		sb_putc(b, s[run]);
		s += run + 1;
	}
}

/* One word flattened; pattern: quoted characters escaped for fnmatch. */
static char *
expand_flat(struct shell *sh, const struct word *w, bool pattern)
{
	struct strbuf b = { 0 };
	const struct part *p;
	const char *s;
	char *v;
	int i;

	for (p = w ? w->parts : NULL; p != NULL; p = p->next) {
		v = NULL;
		if (p->type == PART_LIT) {
			s = p->text;
		} else if (p->type == PART_PARAM && (strcmp(p->text, "@") == 0
		    || strcmp(p->text, "*") == 0) && p->op[0] == '\0') {
			for (i = 0; i < sh->nargs; i++) {
				if (i > 0)
					sb_putc(&b, ' ');
				sb_puts(&b, sh->args[i]);
			}
			continue;
		} else {
			s = v = part_value(sh, p);
		}
		if (s != NULL && pattern && p->quoted)
			put_escaped(&b, s);
		else if (s != NULL)
			sb_puts(&b, s);
		free(v);
	}
	return b.s ? sb_take(&b) : xstrdup("");
}

char *
expand_string(struct shell *sh, const struct word *w)
{
	return expand_flat(sh, w, false);
}

char *
expand_pattern(struct shell *sh, const struct word *w)
{
	return expand_flat(sh, w, true);
}
