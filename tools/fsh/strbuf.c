/* strbuf.c: a growing byte string, and allocation that never fails */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(2, "malloc");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		err(2, "calloc");
	return p;
}

char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		err(2, "strdup");
	return d;
}

void
sb_putn(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = realloc(b->s, cap);
		if (b->s == NULL)
			err(2, "realloc");
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sb_putc(struct strbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

void
sb_puts(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

char *
sb_take(struct strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
sb_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* s in single quotes, as the shell reads it back; a run of quotes in
 * double quotes, as dash writes it ('it'"'"'s'). */
void
sb_put_quoted(struct strbuf *b, const char *s)
{
	size_t n;

	do {
		n = strcspn(s, "'");
		sb_putc(b, '\'');
		sb_putn(b, s, n);
		sb_putc(b, '\'');
		s += n;
		if (*s != '\'')
			break;
		n = strspn(s, "'");
		sb_putc(b, '"');
		sb_putn(b, s, n);
		sb_putc(b, '"');
		s += n;
	} while (*s != '\0');
}

/* The same on f. */
void
put_quoted(FILE *f, const char *s)
{
	struct strbuf b = { 0 };

	sb_put_quoted(&b, s);
	fputs(b.s, f);
	sb_free(&b);
}
