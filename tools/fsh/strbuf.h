/* strbuf.h: a growing byte string */
#ifndef FSH_STRBUF_H
#define FSH_STRBUF_H

#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *s;	/* NUL-terminated once anything was added */
	size_t len, cap;
};

void sb_putc(struct strbuf *b, char c);
void sb_puts(struct strbuf *b, const char *s);
void sb_putn(struct strbuf *b, const char *s, size_t n);
/* The string (never NULL), now owned by the caller; b is empty again. */
char *sb_take(struct strbuf *b);
void sb_free(struct strbuf *b);
/* s in single quotes, as the shell reads it back: into b, or onto f. */
void sb_put_quoted(struct strbuf *b, const char *s);
void put_quoted(FILE *f, const char *s);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

#endif
