/* var.c: shell variables; exported ones live in the environment too */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fsh.h"
#include "strbuf.h"

struct var {
	char *name, *value;
	bool exported, readonly;
	struct var *next;
};

/* A function's locals: what each was before `local`. */
struct saved {
	char *name, *value;	/* value NULL: was unset */
	bool exported, readonly;
	struct saved *next;
};

struct frame {
	struct saved *saved;
	struct frame *up;
};

static struct var *vars;
static struct frame *frames;
extern char **environ;

bool
var_valid_name(const char *s)
{
	const char *c;

	if (s[0] == '\0' || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (c = s; *c != '\0'; c++)
		if (!(*c == '_' || (*c >= 'a' && *c <= 'z') ||
		    (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return false;
	return true;
}

static struct var *
var_lookup(const char *name)
{
	struct var *v;

	for (v = vars; v != NULL; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static struct var *
var_put(const char *name, const char *value)
{
	struct var *v = var_lookup(name);

	if (v == NULL) {
		v = xcalloc(1, sizeof(*v));
		v->name = xstrdup(name);
		v->next = vars;
		vars = v;
	}
	if (value != NULL) {
		free(v->value);
		v->value = xstrdup(value);
	}
	if (v->exported && v->value != NULL)
		setenv(v->name, v->value, 1);
	return v;
}

void
var_init(void)
{
	char **e, *eq, *name, ppid[24];
	struct var *v;

	for (e = environ; *e != NULL; e++) {
		if ((eq = strchr(*e, '=')) == NULL)
			continue;
		name = strndup(*e, eq - *e);
		if (name != NULL && var_valid_name(name)) {
			v = var_put(name, eq + 1);
			v->exported = true;
		}
		free(name);
	}
	if (var_get("IFS") == NULL)
		var_put("IFS", " \t\n");
	if (var_get("PPID") == NULL) {	/* a fresh copy gets it in its state */
		snprintf(ppid, sizeof(ppid), "%ld", (long)getppid());
		var_put("PPID", ppid);
	}
}

const char *
var_get(const char *name)
{
	struct var *v = var_lookup(name);

	return v ? v->value : NULL;
}

int
var_assign(const char *name, const char *value)
{
	struct var *v = var_lookup(name);

	if (v != NULL && v->readonly) {
		fprintf(stderr, "fsh: %s: is read only\n", name);
		return -1;
	}
	var_put(name, value);
	return 0;
}

void
var_set(const char *name, const char *value)
{
	(void)var_assign(name, value);
}

bool
var_is_readonly(const char *name)
{
	struct var *v = var_lookup(name);

	return v != NULL && v->readonly;
}

/* value NULL: mark the variable as it is. */
void
var_readonly(const char *name, const char *value)
{
	struct var *v = var_lookup(name);

	if (v == NULL || !v->readonly)
		v = var_put(name, value);
	v->readonly = true;
}

void
var_frame_push(void)
{
	struct frame *f = xcalloc(1, sizeof(*f));

	f->up = frames;
	frames = f;
}

void
var_local(const char *name)
{
	struct saved *s;
	struct var *v = var_lookup(name);

	if (frames == NULL)
		return;
	for (s = frames->saved; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return;
	s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(name);
	if (v != NULL && v->value != NULL)
		s->value = xstrdup(v->value);
	s->exported = v != NULL && v->exported;
	s->readonly = v != NULL && v->readonly;
	s->next = frames->saved;
	frames->saved = s;
}

static void
var_restore(struct saved *s)
{
	struct var *v;

	if (s->value == NULL) {
		var_unset(s->name);
		return;
	}
	v = var_put(s->name, s->value);
	v->readonly = s->readonly;
	if (v->exported && !s->exported)
		unsetenv(v->name);
	v->exported = s->exported;
	if (v->exported)
		setenv(v->name, v->value, 1);
}

void
var_frame_pop(void)
{
	struct frame *f = frames;
	struct saved *s, *next;

	if (f == NULL)
		return;
	for (s = f->saved; s != NULL; s = next) {
		next = s->next;
		var_restore(s);
		free(s->name);
		free(s->value);
		free(s);
	}
	frames = f->up;
	free(f);
}

/* value NULL: export the variable as it is. */
void
var_export(const char *name, const char *value)
{
	struct var *v = var_put(name, value);

	v->exported = true;
	if (v->value != NULL)
		setenv(v->name, v->value, 1);
}

int
var_unset(const char *name)
{
	struct var **vp, *v;

	for (vp = &vars; (v = *vp) != NULL; vp = &v->next) {
		if (strcmp(v->name, name) == 0) {
			if (v->readonly) {
				fprintf(stderr, "fsh: unset: %s: is read "
				    "only\n", name);
				return -1;
			}
			*vp = v->next;
			if (v->exported)
				unsetenv(v->name);
			free(v->name);
			free(v->value);
			free(v);
			return 0;
		}
	}
	return 0;
}

/* Oldest first; the environment carries the exported ones' values. */
static void
state_from(struct strbuf *b, const struct var *v)
{
	if (v == NULL)
		return;
	state_from(b, v->next);
	if (v->value != NULL && !v->exported) {
		sb_puts(b, v->name);
		sb_putc(b, '=');
		sb_put_quoted(b, v->value);
		sb_putc(b, '\n');
	}
	if (v->exported && v->value == NULL) {
		sb_puts(b, "export ");
		sb_puts(b, v->name);
		sb_putc(b, '\n');
	}
	if (v->readonly) {
		sb_puts(b, "readonly ");
		sb_puts(b, v->name);
		sb_putc(b, '\n');
	}
}

void
var_state(struct strbuf *b)
{
	state_from(b, vars);
}

static int
var_cmp(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name,
	    (*(struct var *const *)b)->name);
}

/* name='value' lines, sorted, as `set` and `export -p` show them. */
void
var_print(enum var_which which)
{
	struct var *v, **all;
	size_t n = 0, i;

	for (v = vars; v != NULL; v = v->next)
		n++;
	all = xcalloc(n, sizeof(*all));
	for (n = 0, v = vars; v != NULL; v = v->next)
		all[n++] = v;
	qsort(all, n, sizeof(*all), var_cmp);
	for (i = 0; i < n; i++) {
		if ((which == VAR_EXPORTED && !all[i]->exported) ||
		    (which == VAR_READONLY && !all[i]->readonly))
			continue;
		if (which == VAR_EXPORTED)
			fputs("export ", stdout);
		else if (which == VAR_READONLY)
			fputs("readonly ", stdout);
		printf("%s", all[i]->name);
		if (all[i]->value != NULL) {
			putchar('=');
			put_quoted(stdout, all[i]->value);
		}
		putchar('\n');
	}
	free(all);
}
