/* var.c: shell variables; exported ones live in the environment too */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsh.h"
#include "strbuf.h"

struct var {
	char *name, *value;
	bool exported;
	struct var *next;
};

static struct var *vars;
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
	char **e, *eq, *name;
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
}

const char *
var_get(const char *name)
{
	struct var *v = var_lookup(name);

	return v ? v->value : NULL;
}

void
var_set(const char *name, const char *value)
{
	var_put(name, value);
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

void
var_unset(const char *name)
{
	struct var **vp, *v;

	for (vp = &vars; (v = *vp) != NULL; vp = &v->next) {
		if (strcmp(v->name, name) == 0) {
			*vp = v->next;
			if (v->exported)
				unsetenv(v->name);
			free(v->name);
			free(v->value);
			free(v);
			return;
		}
	}
}

/* Put every variable in the environment (in a copy of the shell about
 * to exec itself). */
void
var_export_all(void)
{
	struct var *v;

	for (v = vars; v != NULL; v = v->next)
		if (v->value != NULL)
			setenv(v->name, v->value, 1);
}

static int
var_cmp(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name,
	    (*(struct var *const *)b)->name);
}

static void
print_value(const char *s)
{
	putchar('\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/* name='value' lines, sorted, as `set` and `export -p` show them. */
void
var_print(bool exported_only)
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
		if (exported_only && !all[i]->exported)
			continue;
		if (exported_only)
			fputs("export ", stdout);
		printf("%s", all[i]->name);
		if (all[i]->value != NULL) {
			putchar('=');
			print_value(all[i]->value);
		}
		putchar('\n');
	}
	free(all);
}
