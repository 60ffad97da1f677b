/* config.c: fleetd's configuration file: one directive per line, words as
 * sh splits them (quotes and backslashes, no expansion) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core.h"
#include "config.h"

#define CONFIG_SIZE_MAX	(1 << 20)

struct lex {
	const char *path;
	const char *p, *end;
	int line;
};

struct word {
	char *s;
	size_t len, cap;
};

struct line {
	char **w;
	size_t n, cap;
	int line;		/* where it starts */
};

static int
word_put(struct word *w, char ch)
{
	char *s;

	if (w->len + 1 >= w->cap) {
		if ((s = realloc(w->s, w->cap ? w->cap * 2 : 32)) == NULL)
			return fleet_seterr(-ENOMEM, "config: out of memory");
		w->s = s;
		w->cap = w->cap ? w->cap * 2 : 32;
	}
	w->s[w->len++] = ch;
	w->s[w->len] = '\0';
	return 0;
}

static int
bad(const struct lex *lx, int line, const char *what)
{
	return fleet_seterr(-EINVAL, "%s:%d: %s", lx->path, line, what);
}

/* Inside '...': everything up to the next quote. */
static int
lex_single(struct lex *lx, struct word *w)
{
	int start = lx->line, r;

	for (; lx->p < lx->end && *lx->p != '\''; lx->p++) {
		if (*lx->p == '\n')
			lx->line++;
		if ((r = word_put(w, *lx->p)) < 0)
			return r;
	}
	if (lx->p == lx->end)
		return bad(lx, start, "unterminated single quote");
	lx->p++;
	return 0;
}

/* Inside "...": a backslash quotes only $ ` " \ and a newline. */
static int
lex_double(struct lex *lx, struct word *w)
{
	int start = lx->line, r;
	char ch;

	while (lx->p < lx->end && *lx->p != '"') {
		ch = *lx->p++;
		if (ch == '\\' && lx->p < lx->end) {
			if (*lx->p == '\n') {
				lx->p++;
				lx->line++;
				continue;
			}
			if (strchr("$`\"\\", *lx->p))
				ch = *lx->p++;
		} else if (ch == '\n')
			lx->line++;
		if ((r = word_put(w, ch)) < 0)
			return r;
	}
	if (lx->p == lx->end)
		return bad(lx, start, "unterminated double quote");
	lx->p++;
	return 0;
}

/* One word (from a non-blank character): into w. */
static int
lex_word(struct lex *lx, struct word *w)
{
	int r = 0;
	char ch;

	while (r == 0 && lx->p < lx->end && !strchr(" \t\n", *lx->p)) {
		ch = *lx->p++;
		if (ch == '\'')
			r = lex_single(lx, w);
		else if (ch == '"')
			r = lex_double(lx, w);
		else if (ch == '\\' && lx->p < lx->end && *lx->p == '\n') {
			lx->p++;
			lx->line++;
		} else if (ch == '\\' && lx->p < lx->end)
			r = word_put(w, *lx->p++);
		else
			r = word_put(w, ch);
	}
	return r;
}

static int
line_add(struct line *l, char *s)
{
	char **v;

	if (l->n + 2 > l->cap) {
		if ((v = realloc(l->w, (l->cap + 8) * sizeof(*v))) == NULL)
			return fleet_seterr(-ENOMEM, "config: out of memory");
		l->w = v;
		l->cap += 8;
	}
	l->w[l->n++] = s;
	l->w[l->n] = NULL;
	return 0;
}

static void
line_clear(struct line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->w[i]);
	l->n = 0;
}

/*
 * The next directive's words into l (none at the end of the file):
 * blanks between words, `#` starting a word comments out the rest of
 * the line, backslash-newline joins lines.
 */
static int
lex_line(struct lex *lx, struct line *l)
{
	struct word w = { NULL, 0, 0 };
	int r;

	l->line = lx->line;
	while (lx->p < lx->end) {
		if (*lx->p == ' ' || *lx->p == '\t') {
			lx->p++;
		} else if (*lx->p == '\\' && lx->p + 1 < lx->end &&
		    lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
		} else if (*lx->p == '\n') {
			lx->p++;
			lx->line++;
			if (l->n > 0)
				return 0;
			l->line = lx->line;
		} else if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else {
			r = lex_word(lx, &w);
			if (r == 0 && w.s == NULL &&	/* '' is a word too */
			    (w.s = strdup("")) == NULL)
				r = fleet_seterr(-ENOMEM, "config: out of "
				    "memory");
			if (r < 0 || (r = line_add(l, w.s)) < 0) {
				free(w.s);
				return r;
			}
			w.s = NULL;
			w.len = w.cap = 0;
		}
	}
	return 0;
}

int
config_check_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= FLEET_NAME_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-") != n)
		return -EINVAL;
	return 0;
}

/* Take l's words from index from on as an argv. */
static char **
take_argv(struct line *l, size_t from)
{
	char **v;
	size_t i;

	if ((v = calloc(l->n - from + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = from; i < l->n; i++) {
		v[i - from] = l->w[i];
		l->w[i] = NULL;
	}
	return v;
}

static int
add_svc(struct config *c, struct lex *lx, struct line *l)
{
	struct config_svc *v, s = { NULL, NULL, l->line };
	char msg[160];
	size_t i;

	if (config_check_name(l->w[1]) < 0) {
		snprintf(msg, sizeof(msg), "bad service name '%.64s': 1..%d "
		    "of [A-Za-z0-9_.-]", l->w[1], FLEET_NAME_MAX - 1);
		return bad(lx, l->line, msg);
	}
	for (i = 0; i < c->nsvcs; i++)
		if (strcmp(c->svcs[i].name, l->w[1]) == 0) {
			snprintf(msg, sizeof(msg), "service '%s' given twice "
			    "(first on line %d)", l->w[1], c->svcs[i].line);
			return bad(lx, l->line, msg);
		}
	if ((v = realloc(c->svcs, (c->nsvcs + 1) * sizeof(*v))) == NULL)
		return fleet_seterr(-ENOMEM, "config: out of memory");
	c->svcs = v;
	if ((s.argv = take_argv(l, 2)) == NULL)
		return fleet_seterr(-ENOMEM, "config: out of memory");
	s.name = l->w[1];
	l->w[1] = NULL;
	c->svcs[c->nsvcs++] = s;
	return 0;
}

static int
add_boot(struct config *c, struct lex *lx, struct line *l)
{
	char msg[64];

	if (c->boot != NULL) {
		snprintf(msg, sizeof(msg), "boot given twice (first on line "
		    "%d)", c->boot->line);
		return bad(lx, l->line, msg);
	}
	if ((c->boot = calloc(1, sizeof(*c->boot))) == NULL ||
	    (c->boot->argv = take_argv(l, 1)) == NULL)
		return fleet_seterr(-ENOMEM, "config: out of memory");
	c->boot->line = l->line;
	return 0;
}

static int
add_opt(struct config *c, struct lex *lx, struct line *l,
    const struct option *o)
{
	struct config_opt *v;
	char msg[128];
	size_t want = o->has_arg == no_argument ? 1 : 2;

	if (l->n != want) {
		snprintf(msg, sizeof(msg), "'%s' takes %s", o->name,
		    want == 1 ? "no argument" : "one argument");
		return bad(lx, l->line, msg);
	}
	if ((v = realloc(c->opts, (c->nopts + 1) * sizeof(*v))) == NULL)
		return fleet_seterr(-ENOMEM, "config: out of memory");
	c->opts = v;
	v[c->nopts] = (struct config_opt){ o->val, NULL, l->line };
	if (want == 2) {
		v[c->nopts].arg = l->w[1];
		l->w[1] = NULL;
	}
	c->nopts++;
	return 0;
}

static int
directive(struct config *c, struct lex *lx, struct line *l,
    const struct option *opts)
{
	const char *d = l->w[0];
	char msg[128];

	if (strcmp(d, "service") == 0)
		return l->n < 3 ? bad(lx, l->line, "usage: service NAME "
		    "COMMAND [ARG...]") : add_svc(c, lx, l);
	if (strcmp(d, "boot") == 0)
		return l->n < 2 ? bad(lx, l->line, "usage: boot COMMAND "
		    "[ARG...]") : add_boot(c, lx, l);
	for (; opts != NULL && opts->name != NULL; opts++)
		if (strcmp(d, opts->name) == 0)
			return add_opt(c, lx, l, opts);
	snprintf(msg, sizeof(msg), "unknown directive '%.64s'", d);
	return bad(lx, l->line, msg);
}

int
config_parse(struct config *c, const char *path, const char *text,
    size_t len, const struct option *opts)
{
	struct lex lx = { path, text, text + len, 1 };
	struct line l = { NULL, 0, 0, 0 };
	const char *nul;
	int r = 0;

	fleet_clearerr();
	memset(c, 0, sizeof(*c));
	if ((c->path = strdup(path)) == NULL)
		return fleet_seterr(-ENOMEM, "config: out of memory");
	if ((nul = memchr(text, '\0', len)) != NULL) {
		for (; text < nul; text++)
			lx.line += *text == '\n';
		return bad(&lx, lx.line, "a NUL byte");
	}
	while (r == 0 && lx.p < lx.end) {
		if ((r = lex_line(&lx, &l)) == 0 && l.n > 0)
			r = directive(c, &lx, &l, opts);
		line_clear(&l);
	}
	free(l.w);
	return r;
}

static int
read_all(const char *path, int missing_ok, char **bufp, size_t *lenp)
{
	struct stat st;
	ssize_t k;
	size_t len = 0;
	char *buf;
	int fd;

	*bufp = NULL;
	*lenp = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT && missing_ok ? 0 :
		    fleet_seterr(-errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > CONFIG_SIZE_MAX) {
		close(fd);
		return fleet_seterr(-EINVAL, "%s: not a file of at most %d "
		    "bytes", path, CONFIG_SIZE_MAX);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return fleet_seterr(-ENOMEM, "config: out of memory");
	}
	while ((k = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)k;
	close(fd);
	if (k < 0) {
		free(buf);
		return fleet_seterr(-EIO, "%s: %s", path, strerror(errno));
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
config_load(struct config *c, const char *path, const struct option *opts,
    int missing_ok)
{
	char *buf;
	size_t len;
	int r;

	fleet_clearerr();
	memset(c, 0, sizeof(*c));
	if ((r = read_all(path, missing_ok, &buf, &len)) < 0)
		return r;
	r = config_parse(c, path, buf ? buf : "", len, opts);
	free(buf);
	return r;
}

static void
argv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < c->nopts; i++)
		free(c->opts[i].arg);
	for (i = 0; i < c->nsvcs; i++) {
		free(c->svcs[i].name);
		argv_free(c->svcs[i].argv);
	}
	if (c->boot != NULL)
		argv_free(c->boot->argv);
	free(c->boot);
	free(c->svcs);
	free(c->opts);
	free(c->path);
	memset(c, 0, sizeof(*c));
}
