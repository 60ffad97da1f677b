/* alias.c: the alias table, and alias/unalias */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alias.h"
#include "strbuf.h"

struct alias {
	char *name, *value;
	struct alias *next;	/* sorted by name */
};

static struct alias *aliases;

static struct alias **
alias_slot(const char *name)
{
	struct alias **ap;

	for (ap = &aliases; *ap != NULL && strcmp((*ap)->name, name) < 0;
	    ap = &(*ap)->next)
		;
	return ap;
}

const char *
alias_get(const char *name)
{
	struct alias *a = *alias_slot(name);

	return a != NULL && strcmp(a->name, name) == 0 ? a->value : NULL;
}

int
alias_set(const char *name, const char *value)
{
	struct alias **ap = alias_slot(name), *a = *ap;

	if (a != NULL && strcmp(a->name, name) == 0) {
		free(a->value);
		a->value = xstrdup(value);
		return 0;
	}
	a = xcalloc(1, sizeof(*a));
	a->name = xstrdup(name);
	a->value = xstrdup(value);
	a->next = *ap;
	*ap = a;
	return 0;
}

int
alias_unset(const char *name)
{
	struct alias **ap = alias_slot(name), *a = *ap;

	if (a == NULL || strcmp(a->name, name) != 0)
		return -1;
	*ap = a->next;
	free(a->name);
	free(a->value);
	free(a);
	return 0;
}

void
alias_clear(void)
{
	while (aliases != NULL)
		alias_unset(aliases->name);
}

static void
print_one(const struct alias *a)
{
	printf("%s=", a->name);
	put_quoted(stdout, a->value);
	putchar('\n');
}

void
alias_print_all(void)
{
	const struct alias *a;

	for (a = aliases; a != NULL; a = a->next)
		print_one(a);
}

int
alias_print(const char *name)
{
	const struct alias *a = *alias_slot(name);

	if (a == NULL || strcmp(a->name, name) != 0)
		return -1;
	print_one(a);
	return 0;
}
