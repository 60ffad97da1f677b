/* func.c: the shell's functions, each holding its definition's tree */
#include <stdlib.h>
#include <string.h>
#include "fsh.h"
#include "strbuf.h"

struct fn {
	struct func *def;
	struct fn *next;
};

static struct fn *fns;

const struct func *
func_find(const char *name)
{
	struct fn *f;

	for (f = fns; f != NULL; f = f->next)
		if (strcmp(f->def->name, name) == 0)
			return f->def;
	return NULL;
}

/* name() ...: def is held (its refs) until redefined or unset. */
void
func_define(struct func *def)
{
	struct fn *f;

	def->node.refs++;
	for (f = fns; f != NULL; f = f->next) {
		if (strcmp(f->def->name, def->name) == 0) {
			ast_free(&f->def->node);
			f->def = def;
			return;
		}
	}
	f = xcalloc(1, sizeof(*f));
	f->def = def;
	f->next = fns;
	fns = f;
}

int
func_unset(const char *name)
{
	struct fn **fp, *f;

	for (fp = &fns; (f = *fp) != NULL; fp = &f->next) {
		if (strcmp(f->def->name, name) == 0) {
			*fp = f->next;
			ast_free(&f->def->node);
			free(f);
			return 0;
		}
	}
	return -1;
}

/* Oldest first, so that a copy of the shell defines them in order. */
static void
each_from(const struct fn *f, void (*fn)(const struct func *, void *),
    void *arg)
{
	if (f == NULL)
		return;
	each_from(f->next, fn, arg);
	fn(f->def, arg);
}

void
func_each(void (*fn)(const struct func *, void *), void *arg)
{
	each_from(fns, fn, arg);
}
