/* lex.c: shell input to tokens; words keep their quoting as parts */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lex.h"
#include "strbuf.h"

struct word_state {
	struct part **tail;
	struct strbuf lit;
	bool lit_quoted;
	bool lit_open;		/* lit holds a part, maybe empty ("") */
	bool added;		/* anything since the last quote opened */
};

static const struct {
	const char *text;
	enum tok_type type;
} operators[] = {	/* longest first */
	{ "<<-", TOK_DLESSDASH },
	{ "&&", TOK_AND_IF }, { "||", TOK_OR_IF }, { ";;", TOK_DSEMI },
	{ "<<", TOK_DLESS }, { ">>", TOK_DGREAT }, { "<&", TOK_LESSAND },
	{ ">&", TOK_GREATAND }, { "<>", TOK_LESSGREAT }, { ">|", TOK_CLOBBER },
	{ ";", TOK_SEMI }, { "&", TOK_AMP }, { "|", TOK_PIPE },
	{ "(", TOK_LPAREN }, { ")", TOK_RPAREN }, { "<", TOK_LESS },
	{ ">", TOK_GREAT },
};

const char *
tok_name(enum tok_type t)
{
	size_t i;

	switch (t) {
	case TOK_EOF:
		return "end of input";
	case TOK_WORD:
	case TOK_IO_NUMBER:
		return "word";
	case TOK_NEWLINE:
		return "newline";
	case TOK_ERROR:
		return "error";
	default:
		break;
	}
	for (i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
		if (operators[i].type == t)
			return operators[i].text;
	abort();
}

void
lex_init(struct lexer *lx, const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->buf = buf;
	lx->len = len;
	lx->pos.line = 1;
	lx->pos.col = 1;
}

void
lex_finish(struct lexer *lx)
{
	free(lx->error);
	lx->error = NULL;
	while (lx->naliases > 0)
		free(lx->aliases[--lx->naliases].name);
	free(lx->own);
	lx->own = NULL;
}

static bool
alias_active(struct lexer *lx, const char *name, size_t at)
{
	size_t i;

	for (i = 0; i < lx->naliases; i++)
		if (at < lx->aliases[i].end &&
		    strcmp(lx->aliases[i].name, name) == 0)
			return true;
	return false;
}

bool
lex_alias(struct lexer *lx, const struct token *t, const char *name,
    const char *value)
{
	size_t vlen = strlen(value), i, k;
	char *buf;

	if (alias_active(lx, name, t->start))
		return false;
	for (i = k = 0; i < lx->naliases; i++) {	/* read past: forget */
		if (lx->aliases[i].end <= t->start)
			free(lx->aliases[i].name);
		else
			lx->aliases[k++] = lx->aliases[i];
	}
	lx->naliases = k;
	if (k == LEX_MAX_ALIASES)
		return false;
	buf = xmalloc(lx->len - (t->end - t->start) + vlen + 1);
	memcpy(buf, lx->buf, t->start);
	memcpy(buf + t->start, value, vlen);
	memcpy(buf + t->start + vlen, lx->buf + t->end, lx->len - t->end);
	for (i = 0; i < k; i++)
		lx->aliases[i].end += t->start + vlen - t->end;
	lx->aliases[k].name = xstrdup(name);
	lx->aliases[k].end = t->start + vlen;
	lx->naliases++;
	lx->len = lx->len - (t->end - t->start) + vlen;
	buf[lx->len] = '\0';
	free(lx->own);
	lx->buf = lx->own = buf;
	lx->i = t->start;
	lx->pos = t->pos;
	return true;
}

void
lex_error(struct lexer *lx, struct pos pos, bool incomplete,
    const char *fmt, ...)
{
	va_list ap;

	if (lx->error != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&lx->error, fmt, ap) < 0)
		lx->error = NULL;
	va_end(ap);
	lx->error_pos = pos;
	lx->incomplete = incomplete;
}

static int
peekc(struct lexer *lx, size_t ahead)
{
	if (lx->i + ahead >= lx->len)
		return -1;
	return (unsigned char)lx->buf[lx->i + ahead];
}

static int
getc_(struct lexer *lx)
{
	int c = peekc(lx, 0);

	if (c < 0)
		return c;
	lx->i++;
	if (c == '\n') {
		lx->pos.line++;
		lx->pos.col = 1;
	} else {
		lx->pos.col++;
	}
	return c;
}

static bool
is_meta(int c)
{
	return c < 0 || strchr(" \t\n;&|<>()", c) != NULL;
}

static bool
is_name_start(int c)
{
	return c == '_' || (c >= 0 && c < 128 && isalpha(c));
}

static bool
is_name_char(int c)
{
	return c == '_' || (c >= 0 && c < 128 && isalnum(c));
}

static void
ws_flush(struct word_state *ws)
{
	struct part *p;

	if (!ws->lit_open)
		return;
	p = xcalloc(1, sizeof(*p));
	p->type = PART_LIT;
	p->quoted = ws->lit_quoted;
	p->text = sb_take(&ws->lit);
	*ws->tail = p;
	ws->tail = &p->next;
	ws->lit_open = false;
}

static void
ws_lit(struct word_state *ws, const char *s, size_t n, bool quoted)
{
	if (ws->lit_open && ws->lit_quoted != quoted)
		ws_flush(ws);
	if (!ws->lit_open) {
		ws->lit_open = true;
		ws->lit_quoted = quoted;
	}
	sb_putn(&ws->lit, s, n);
	ws->added = true;
}

static struct part *
ws_part(struct word_state *ws, enum part_type type, char *text, bool quoted)
{
	struct part *p;

	ws_flush(ws);
	ws->added = true;
	p = xcalloc(1, sizeof(*p));
	p->type = type;
	p->quoted = quoted;
	p->text = text;
	*ws->tail = p;
	ws->tail = &p->next;
	return p;
}

/* A new word at the lexer's position, its parts added through ws. */
static struct word *
ws_begin(struct word_state *ws, struct lexer *lx)
{
	struct word *w = xcalloc(1, sizeof(*w));

	memset(ws, 0, sizeof(*ws));
	w->pos = lx->pos;
	ws->tail = &w->parts;
	return w;
}

/* The word's parts are all there; NULL (and w freed) if r < 0. */
static struct word *
ws_finish(struct word_state *ws, struct word *w, int r)
{
	ws_flush(ws);
	sb_free(&ws->lit);
	if (r < 0) {
		word_free(w);
		return NULL;
	}
	return w;
}

static int lex_dollar(struct lexer *lx, struct word_state *ws, bool quoted);
static int lex_single(struct lexer *lx, struct word_state *ws);
static int lex_double(struct lexer *lx, struct word_state *ws);
static int lex_backquote(struct lexer *lx, struct word_state *ws,
    bool quoted);

/* The word after ${name OP, up to the unquoted closing brace. */
static struct word *
lex_param_arg(struct lexer *lx, bool quoted, struct pos start)
{
	struct word_state ws;
	struct word *w = ws_begin(&ws, lx);
	int c, r = 0;
	char ch;

	while (r == 0 && (c = peekc(lx, 0)) != '}') {
		if (c < 0) {
			lex_error(lx, start, true, "unterminated ${");
			r = -1;
		} else if (c == '$') {
			r = lex_dollar(lx, &ws, quoted);
		} else if (c == '`') {
			r = lex_backquote(lx, &ws, quoted);
		} else if (c == '\'' && !quoted) {
			r = lex_single(lx, &ws);
		} else if (c == '"' && !quoted) {
			r = lex_double(lx, &ws);
		} else if (c == '"') {	/* "${x-"a"}": quoted either way */
			getc_(lx);
		} else {
			bool esc = false;

			getc_(lx);
			if (c == '\\' && peekc(lx, 0) >= 0) {
				c = getc_(lx);
				esc = true;
			}
			ch = (char)c;
			ws_lit(&ws, &ch, 1, quoted || esc);
		}
	}
	return ws_finish(&ws, w, r);
}

/* The operator after ${name: one of - = + ? (or :OP), % %% # ##. */
static void
braced_op(struct lexer *lx, char op[3])
{
	int c = peekc(lx, 0);

	if (c == ':' && peekc(lx, 1) >= 0 && strchr("-=+?", peekc(lx, 1))) {
		op[0] = (char)getc_(lx);
		op[1] = (char)getc_(lx);
	} else if (c >= 0 && strchr("-=+?", c)) {
		op[0] = (char)getc_(lx);
	} else if (c == '%' || c == '#') {
		op[0] = (char)getc_(lx);
		if (peekc(lx, 0) == c)
			op[1] = (char)getc_(lx);
	}
}

/* ${name}, ${#name}, ${name OP word} */
static int
lex_braced(struct lexer *lx, struct word_state *ws, bool quoted,
    struct pos start)
{
	struct strbuf name = { 0 };
	char op[3] = "";
	struct part *p;
	int c;

	getc_(lx);	/* { */
	if (peekc(lx, 0) == '#' && peekc(lx, 1) >= 0 &&
	    strchr("}-=+?%#:", peekc(lx, 1)) == NULL) {
		getc_(lx);
		strcpy(op, "L");
	} else if (peekc(lx, 0) == '#' && peekc(lx, 1) == '#' &&
	    peekc(lx, 2) == '}') {
		getc_(lx);
		strcpy(op, "L");
	}
	c = peekc(lx, 0);
	if (c >= 0 && strchr("?$!#@*-0123456789", c)) {
		sb_putc(&name, (char)getc_(lx));
		while (isdigit(c) && isdigit(peekc(lx, 0)))
			sb_putc(&name, (char)getc_(lx));
	} else {
		while (is_name_char(peekc(lx, 0)))
			sb_putc(&name, (char)getc_(lx));
	}
	if (op[0] == '\0')
		braced_op(lx, op);
	c = peekc(lx, 0);
	if (c < 0) {
		sb_free(&name);
		lex_error(lx, start, true, "Missing '}'");
		return -1;
	}
	if (name.len == 0 || ((op[0] == '\0' || op[0] == 'L') && c != '}')) {
		sb_free(&name);
		lex_error(lx, start, false, "Bad substitution");
		return -1;
	}
	p = ws_part(ws, PART_PARAM, sb_take(&name), quoted);
	memcpy(p->op, op, sizeof(op));
	if (op[0] != '\0' && op[0] != 'L' &&
	    (p->arg = lex_param_arg(lx, quoted && !strchr("%#", op[0]),
	    start)) == NULL)	/* a pattern is one even inside "..." */
		return -1;
	getc_(lx);	/* } */
	return 0;
}

/* The commands of a substitution keep its text whole, here-documents
 * included, for a copy of the shell that runs them. */
static void
cmd_source(struct part *p, struct node *cmd)
{
	p->cmd = cmd;
	free(cmd->src);
	cmd->src = xstrdup(p->text);
	cmd->src_end = SIZE_MAX;
}

/* $( ... ): the parser reads the commands, up to the closing ')'. */
static int
lex_cmdsub(struct lexer *lx, struct word_state *ws, bool quoted)
{
	size_t from;
	struct node *cmd;
	struct part *p;

	getc_(lx);	/* ( */
	from = lx->i;
	if ((cmd = parse_sub(lx, true)) == NULL)
		return -1;
	p = ws_part(ws, PART_CMDSUB, strndup(lx->buf + from, lx->i - 1 - from),
	    quoted);
	cmd_source(p, cmd);
	return 0;
}

/* The length of $((...))'s text from lx->i, or 0 when the parentheses
 * close as $( (...) ... ), a command substitution. */
static size_t
arith_len(struct lexer *lx)
{
	size_t n;
	int depth = 0, c;

	for (n = 0; (c = peekc(lx, n)) >= 0; n++) {
		if (c == '(')
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		else if (c == ')')
			return peekc(lx, n + 1) == ')' ? n + 1 : 0;
	}
	return 0;
}

static struct word *dq_word(struct lexer *lx, const char *s, size_t n,
    struct pos pos, bool arith);

/* $(( ... )): its text is a word expanded as if in double quotes. */
static int
lex_arith(struct lexer *lx, struct word_state *ws, bool quoted,
    struct pos start)
{
	struct pos pos;
	struct part *p;
	size_t n;

	getc_(lx);
	getc_(lx);	/* (( */
	pos = lx->pos;
	if ((n = arith_len(lx)) == 0) {
		lex_error(lx, start, true, "Missing '))'");
		return -1;
	}
	p = ws_part(ws, PART_ARITH, xstrdup(""), quoted);
	if ((p->arg = dq_word(lx, lx->buf + lx->i, n - 1, pos, true)) == NULL)
		return -1;
	while (n-- > 0)
		getc_(lx);
	getc_(lx);	/* the second ) */
	return 0;
}

static int lex_dollar_at(struct lexer *lx, struct word_state *ws,
    bool quoted);

/* At '$': a parameter, a substitution, or a literal dollar sign. */
static int
lex_dollar(struct lexer *lx, struct word_state *ws, bool quoted)
{
	int r;

	if (lx->depth >= LEX_MAX_DEPTH) {
		lex_error(lx, lx->pos, false, "nested too deeply");
		return -1;
	}
	lx->depth++;
	r = lex_dollar_at(lx, ws, quoted);
	lx->depth--;
	return r;
}

static int
lex_dollar_at(struct lexer *lx, struct word_state *ws, bool quoted)
{
	struct pos start = lx->pos;
	struct strbuf name = { 0 };
	int c;

	getc_(lx);	/* $ */
	c = peekc(lx, 0);
	if (c == '{')
		return lex_braced(lx, ws, quoted, start);
	if (c == '(' && peekc(lx, 1) == '(') {
		size_t n;

		lx->i += 2;
		n = arith_len(lx);
		lx->i -= 2;
		if (n > 0)
			return lex_arith(lx, ws, quoted, start);
	}
	if (c == '(')
		return lex_cmdsub(lx, ws, quoted);
	if (c >= 0 && strchr("?$!#@*-0123456789", c)) {
		sb_putc(&name, (char)getc_(lx));
		ws_part(ws, PART_PARAM, sb_take(&name), quoted);
		return 0;
	}
	if (!is_name_start(c)) {
		ws_lit(ws, "$", 1, quoted);
		return 0;
	}
	while (is_name_char(peekc(lx, 0)))
		sb_putc(&name, (char)getc_(lx));
	ws_part(ws, PART_PARAM, sb_take(&name), quoted);
	return 0;
}

static int
lex_single(struct lexer *lx, struct word_state *ws)
{
	struct pos start = lx->pos;
	size_t from;

	getc_(lx);	/* ' */
	from = lx->i;
	while (peekc(lx, 0) != '\'') {
		if (getc_(lx) < 0) {
			lex_error(lx, start, true, "unterminated single quote");
			return -1;
		}
	}
	ws_lit(ws, lx->buf + from, lx->i - from, true);
	getc_(lx);
	return 0;
}

static int
lex_double(struct lexer *lx, struct word_state *ws)
{
	struct pos start = lx->pos;
	char ch;
	int c;

	getc_(lx);	/* " */
	ws->added = false;
	for (;;) {
		c = peekc(lx, 0);
		if (c < 0) {
			lex_error(lx, start, true, "unterminated double quote");
			return -1;
		}
		if (c == '"')
			break;
		if (c == '$') {
			if (lex_dollar(lx, ws, true) < 0)
				return -1;
			continue;
		}
		if (c == '`') {
			if (lex_backquote(lx, ws, true) < 0)
				return -1;
			continue;
		}
		getc_(lx);
		if (c == '\\' && peekc(lx, 0) >= 0 &&
		    strchr("$`\"\\\n", peekc(lx, 0))) {
			c = getc_(lx);
			if (c == '\n')
				continue;
		}
		ch = (char)c;
		ws_lit(ws, &ch, 1, true);
	}
	getc_(lx);
	if (!ws->added)
		ws_lit(ws, "", 0, true);	/* "" is an empty word */
	return 0;
}

/* One step of an unquoted word: 1 when the word ends, -1 on error. */
static int
lex_word_step(struct lexer *lx, struct word_state *ws)
{
	int c = peekc(lx, 0);
	char ch;

	if (is_meta(c))
		return 1;
	switch (c) {
	case '\'':
		return lex_single(lx, ws);
	case '"':
		return lex_double(lx, ws);
	case '$':
		return lex_dollar(lx, ws, false);
	case '`':
		return lex_backquote(lx, ws, false);
	case '\\':
		getc_(lx);
		c = getc_(lx);
		if (c == '\n')
			return 0;
		ch = c < 0 ? '\\' : (char)c;
		ws_lit(ws, &ch, 1, c >= 0);
		return 0;
	default:
		ch = (char)getc_(lx);
		ws_lit(ws, &ch, 1, false);
		return 0;
	}
}

static struct word *
lex_word(struct lexer *lx)
{
	struct word_state ws;
	struct word *w = ws_begin(&ws, lx);
	int r;

	while ((r = lex_word_step(lx, &ws)) == 0)
		;
	return ws_finish(&ws, w, r);
}

/* Blanks, backslash-newline and comments. */
static void
skip_blanks(struct lexer *lx)
{
	for (;;) {
		int c = peekc(lx, 0);

		if (c == ' ' || c == '\t') {
			getc_(lx);
		} else if (c == '\\' && peekc(lx, 1) == '\n') {
			getc_(lx);
			getc_(lx);
		} else if (c == '#') {
			while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
				getc_(lx);
		} else {
			return;
		}
	}
}

static bool
lex_operator(struct lexer *lx, struct token *t)
{
	size_t i, n;

	for (i = 0; i < sizeof(operators) / sizeof(operators[0]); i++) {
		n = strlen(operators[i].text);
		if (lx->len - lx->i >= n &&
		    memcmp(lx->buf + lx->i, operators[i].text, n) == 0) {
			t->type = operators[i].type;
			while (n-- > 0)
				getc_(lx);
			return true;
		}
	}
	return false;
}

static bool
lex_io_number(struct lexer *lx, struct token *t)
{
	size_t n = 0;
	int c;

	while ((c = peekc(lx, n)) >= '0' && c <= '9' && n < 4)
		n++;
	if (n == 0 || (c != '<' && c != '>'))
		return false;
	t->type = TOK_IO_NUMBER;
	t->io_number = 0;
	while (n-- > 0)
		t->io_number = t->io_number * 10 + getc_(lx) - '0';
	return true;
}

int
lex_add_heredoc(struct lexer *lx, struct redir *r)
{
	if (lx->nheredocs == LEX_MAX_HEREDOCS) {
		lex_error(lx, r->pos, false, "too many here-documents");
		return -1;
	}
	lx->heredocs[lx->nheredocs++] = r;
	return 0;
}

/*
 * Text expanded as in double quotes: $params, $(...), `...`, and \$ \`
 * \\ \newline. Arithmetic's text also loses its double quotes; a
 * here-document's keeps them.
 */
static struct word *
dq_word(struct lexer *lx, const char *s, size_t n, struct pos pos, bool arith)
{
	struct lexer sub;
	struct word_state ws;
	struct word *w;
	int c, r = 0;
	char ch;

	lex_init(&sub, s, n);
	sub.pos = pos;
	w = ws_begin(&ws, &sub);
	while (r == 0 && (c = peekc(&sub, 0)) >= 0) {
		if (c == '$') {
			r = lex_dollar(&sub, &ws, true);
			continue;
		}
		if (c == '`') {
			r = lex_backquote(&sub, &ws, true);
			continue;
		}
		getc_(&sub);
		if (arith && c == '"')
			continue;
		if (c == '\\' && peekc(&sub, 0) >= 0 &&
		    strchr(arith ? "$`\\\n\"" : "$`\\\n", peekc(&sub, 0))) {
			c = getc_(&sub);
			if (c == '\n')
				continue;
		}
		ch = (char)c;
		ws_lit(&ws, &ch, 1, true);
	}
	if (!ws.added)
		ws_lit(&ws, "", 0, true);
	if (r < 0)
		lex_error(lx, sub.error_pos, sub.incomplete, "%s", sub.error);
	lex_finish(&sub);
	return ws_finish(&ws, w, r);
}

/* `...`: the text up to the closing backquote, its \$ \` \\ (and in
 * double quotes \") unescaped, is the command substitution's source. */
static int
lex_backquote(struct lexer *lx, struct word_state *ws, bool quoted)
{
	struct pos start = lx->pos;
	struct strbuf src = { 0 };
	struct lexer sub;
	struct node *cmd;
	struct part *p;
	int c;

	getc_(lx);	/* ` */
	while ((c = getc_(lx)) != '`') {
		if (c < 0) {
			sb_free(&src);
			lex_error(lx, start, true, "EOF in backquote substitution");
			return -1;
		}
		if (c == '\\' && peekc(lx, 0) >= 0 &&
		    strchr(quoted ? "$`\\\"" : "$`\\", peekc(lx, 0)))
			c = getc_(lx);
		sb_putc(&src, (char)c);
	}
	lex_init(&sub, src.s ? src.s : "", src.len);
	sub.pos = start;
	cmd = parse_sub(&sub, false);
	if (cmd == NULL)
		lex_error(lx, sub.error_pos, sub.incomplete, "%s", sub.error);
	lex_finish(&sub);
	if (cmd == NULL) {
		sb_free(&src);
		return -1;
	}
	p = ws_part(ws, PART_CMDSUB, sb_take(&src), quoted);
	cmd_source(p, cmd);
	return 0;
}

/* The delimiter's text, and whether any of it was quoted. */
static char *
heredoc_delim(const struct word *w, bool *quoted)
{
	struct strbuf b = { 0 };
	const struct part *p;

	*quoted = false;
	for (p = w->parts; p != NULL; p = p->next) {
		if (p->quoted)
			*quoted = true;
		if (p->type == PART_PARAM)
			sb_putc(&b, '$');
		sb_puts(&b, p->text);
	}
	return sb_take(&b);
}

static int
read_heredoc(struct lexer *lx, struct redir *r)
{
	struct strbuf body = { 0 };
	struct pos start = lx->pos;
	char *delim = heredoc_delim(r->target, &r->quoted);
	size_t dlen = strlen(delim), from, n;
	int ret = -1;

	r->raw_at = lx->i;

	for (;;) {
		if (peekc(lx, 0) < 0) {
			lex_error(lx, r->pos, true,
			    "unterminated here-document (wanted '%s')", delim);
			goto out;
		}
		while (r->strip_tabs && peekc(lx, 0) == '\t')
			getc_(lx);
		from = lx->i;
		while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
			getc_(lx);
		n = lx->i - from;
		getc_(lx);	/* newline */
		if (n == dlen && memcmp(lx->buf + from, delim, n) == 0) {
			r->raw = strndup(lx->buf + r->raw_at, lx->i - r->raw_at);
			break;
		}
		sb_putn(&body, lx->buf + from, n);
		sb_putc(&body, '\n');
	}
	if (r->quoted) {
		r->body = xcalloc(1, sizeof(*r->body));
		r->body->pos = start;
		r->body->parts = xcalloc(1, sizeof(struct part));
		r->body->parts->type = PART_LIT;
		r->body->parts->quoted = true;
		r->body->parts->text = sb_take(&body);
	} else {
		r->body = dq_word(lx, body.s ? body.s : "", body.len, start,
		    false);
		if (r->body == NULL)
			goto out;
	}
	ret = 0;
out:
	sb_free(&body);
	free(delim);
	return ret;
}

static int
lex_read_heredocs(struct lexer *lx)
{
	size_t i;

	for (i = 0; i < lx->nheredocs; i++)
		if (read_heredoc(lx, lx->heredocs[i]) < 0)
			return -1;
	lx->nheredocs = 0;
	return 0;
}

struct token
lex_next(struct lexer *lx)
{
	struct token t = { 0 };

	skip_blanks(lx);
	t.pos = lx->pos;
	t.start = lx->i;
	if (peekc(lx, 0) < 0) {
		t.type = TOK_EOF;
	} else if (peekc(lx, 0) == '\n') {
		getc_(lx);
		t.end = lx->i;
		t.type = TOK_NEWLINE;
		if (lex_read_heredocs(lx) < 0)
			t.type = TOK_ERROR;
	} else if (lex_io_number(lx, &t) || lex_operator(lx, &t)) {
		;
	} else {
		t.word = lex_word(lx);
		t.type = t.word ? TOK_WORD : TOK_ERROR;
	}
	if (t.type != TOK_NEWLINE)
		t.end = lx->i;
	if (t.type == TOK_EOF && lx->nheredocs > 0) {
		lex_error(lx, lx->heredocs[0]->pos, true,
		    "unterminated here-document");
		t.type = TOK_ERROR;
	}
	return t;
}
