/* expand.c: parameters, field splitting, pathnames: words to argv */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fsh.h"
#include "strbuf.h"

struct fields {
	char **v;
	size_t n;
	struct strbuf text;	/* the field being built */
	struct strbuf pattern;	/* the same, quoted glob characters escaped */
	bool open;		/* a field has begun (even if empty) */
	bool glob;		/* it has an unquoted * ? or [ */
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

static void
field_end(struct fields *f)
{
	glob_t g;
	size_t i;

	if (!f->open)
		return;
	if (f->glob && glob(f->pattern.s, 0, NULL, &g) == 0) {
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

static void
field_add(struct fields *f, const char *s, size_t n, bool quoted)
{
	size_t i;

	f->open = true;
	sb_putn(&f->text, s, n);
	for (i = 0; i < n; i++) {
		if (strchr("*?[", s[i]) != NULL) {
			if (quoted)
				sb_putc(&f->pattern, '\\');
			else
				f->glob = true;
		} else if (s[i] == '\\') {
			sb_putc(&f->pattern, '\\');
		}
		sb_putc(&f->pattern, s[i]);
	}
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
		snprintf(tmp, tmplen, "%ld", (long)getpid());
		return tmp;
	case '!':
		return sh->last_bg;
	case '#':
		snprintf(tmp, tmplen, "%d", sh->nargs);
		return tmp;
	case '-':
		snprintf(tmp, tmplen, "%s%s%s", sh->opt_e ? "e" : "",
		    sh->opt_x ? "x" : "", sh->interactive ? "i" : "");
		return tmp;
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

/* A parameter after its operator: malloc'd, or NULL when unset. */
static char *
param_full(struct shell *sh, const struct part *p)
{
	char tmp[64], *a;
	const char *v = param_value(sh, p->text, tmp, sizeof(tmp));
	bool colon = p->op[0] == ':';
	char op = p->op[colon];
	bool set = v != NULL && !(colon && v[0] == '\0');

	switch (op) {
	case '\0':
		return v ? xstrdup(v) : NULL;
	case '#':
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
		var_set(p->text, a);
		return a;
	case '?':
		if (set)
			return xstrdup(v);
		a = expand_string(sh, p->arg);
		fprintf(stderr, "fsh: %s: %s\n", p->text,
		    a[0] ? a : "parameter not set");
		free(a);
		if (!sh->interactive && !sh->exiting) {
			sh->exiting = true;
			sh->exit_status = 2;
		}
		return NULL;
	default:
		abort();
	}
}

/* Unquoted: split on IFS. */
static void
add_split(struct fields *f, const char *v)
{
	const char *ifs = var_get("IFS");
	size_t n;

	if (ifs == NULL)
		ifs = " \t\n";
	while (*v != '\0') {
		n = strcspn(v, ifs);
		if (n > 0) {
			field_add(f, v, n, false);
			v += n;
			continue;
		}
		field_end(f);
		if (strchr(" \t\n", *v) != NULL) {
			v += strspn(v, " \t\n");
		} else {	/* a non-blank separator delimits a field */
			v++;
			f->open = true;
			if (*v == '\0')
				field_end(f);
		}
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
	if ((strcmp(p->text, "@") == 0 || strcmp(p->text, "*") == 0) &&
	    p->op[0] == '\0') {
		add_args(sh, f, p);
		return;
	}
	if ((value = param_full(sh, p)) == NULL)
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
	for (; w != NULL; w = w->next) {
		for (p = w->parts; p != NULL; p = p->next)
			add_part(sh, &f, p, p == w->parts);
		field_end(&f);
	}
	*argvp = f.v;
	return 0;
}

char *
expand_string(struct shell *sh, const struct word *w)
{
	struct strbuf b = { 0 };
	const struct part *p;
	char *v;
	int i;

	for (p = w ? w->parts : NULL; p != NULL; p = p->next) {
		if (p->type == PART_LIT) {
			sb_puts(&b, p->text);
			continue;
		}
		if ((strcmp(p->text, "@") == 0 || strcmp(p->text, "*") == 0) &&
		    p->op[0] == '\0') {
			for (i = 0; i < sh->nargs; i++) {
				if (i > 0)
					sb_putc(&b, ' ');
				sb_puts(&b, sh->args[i]);
			}
			continue;
		}
		if ((v = param_full(sh, p)) != NULL)
			sb_puts(&b, v);
		free(v);
	}
	return sb_take(&b);
}
