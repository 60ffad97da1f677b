/* parse.c: recursive descent, one function per production of the POSIX
 * shell grammar (the subset fsh speaks) */
#include <stdlib.h>
#include <string.h>
#include "alias.h"
#include "lex.h"
#include "parse.h"
#include "strbuf.h"

struct parser {
	struct lexer lx;
	struct token tok;
	bool have;
	size_t last_end;	/* just past the last token consumed */
	bool no_alias;		/* $(...) shares its text with the outer lexer */
};

static struct node *and_or(struct parser *p);
static bool starts_command(struct parser *p);
static struct node *compound_list(struct parser *p);

static const char *terminators[] = {
	"then", "elif", "else", "fi", "do", "done", "}", "esac", NULL,
};

static struct token *
peek(struct parser *p)
{
	if (!p->have) {
		p->tok = lex_next(&p->lx);
		p->have = true;
	}
	return &p->tok;
}

static void
consume(struct parser *p)
{
	p->last_end = p->tok.end;
	word_free(p->tok.word);
	p->tok.word = NULL;
	p->have = false;
}

static struct word *
take_word(struct parser *p)
{
	struct word *w = p->tok.word;

	p->last_end = p->tok.end;
	p->tok.word = NULL;
	p->have = false;
	return w;
}

static bool
is_keyword(struct parser *p, const char *kw)
{
	struct token *t = peek(p);
	struct part *part;

	if (t->type != TOK_WORD)
		return false;
	part = t->word->parts;
	return part != NULL && part->next == NULL && !part->quoted &&
	    part->type == PART_LIT && strcmp(part->text, kw) == 0;
}

static bool
is_terminator(struct parser *p)
{
	size_t i;

	for (i = 0; terminators[i] != NULL; i++)
		if (is_keyword(p, terminators[i]))
			return true;
	return false;
}

/* Report the current token as unexpected; always NULL. */
static void *
unexpected(struct parser *p, const char *wanted)
{
	struct token *t = peek(p);
	struct strbuf what = { 0 };
	struct part *part;

	if (t->type == TOK_ERROR)
		return NULL;
	if (t->type == TOK_WORD) {
		sb_putc(&what, '\'');
		for (part = t->word->parts; part != NULL; part = part->next)
			sb_puts(&what, part->text);
		sb_putc(&what, '\'');
	} else if (t->type == TOK_EOF || t->type == TOK_NEWLINE) {
		sb_puts(&what, tok_name(t->type));
	} else {
		sb_putc(&what, '\'');
		sb_puts(&what, tok_name(t->type));
		sb_putc(&what, '\'');
	}
	lex_error(&p->lx, t->pos, t->type == TOK_EOF, "unexpected %s%s%s",
	    what.s, wanted ? ", expected " : "", wanted ? wanted : "");
	sb_free(&what);
	return NULL;
}

static bool
expect_keyword(struct parser *p, const char *kw)
{
	char want[16];

	if (is_keyword(p, kw)) {
		consume(p);
		return true;
	}
	snprintf(want, sizeof(want), "'%s'", kw);
	unexpected(p, want);
	return false;
}

/* Parse with fn, keeping the text as written in n->src. */
static struct node *
sourced(struct parser *p, struct node *(*fn)(struct parser *))
{
	size_t start = peek(p)->start;
	struct node *n = fn(p);

	if (n == NULL || n->src != NULL)
		return n;
	n->src = strndup(p->lx.buf + start, p->last_end - start);
	n->src_end = p->last_end;
	return n;
}

static void
linebreak(struct parser *p)
{
	while (peek(p)->type == TOK_NEWLINE)
		consume(p);
}

static void *
node_new(size_t size, enum node_type type, struct pos pos)
{
	struct node *n = xcalloc(1, size);

	n->type = type;
	n->pos = pos;
	return n;
}

static bool
is_redir_op(enum tok_type t)
{
	switch (t) {
	case TOK_LESS: case TOK_GREAT: case TOK_DGREAT: case TOK_DLESS:
	case TOK_DLESSDASH: case TOK_LESSAND: case TOK_GREATAND:
	case TOK_LESSGREAT: case TOK_CLOBBER:
		return true;
	default:
		return false;
	}
}

static enum redir_op
redir_op(enum tok_type t)
{
	switch (t) {
	case TOK_LESS:
		return REDIR_IN;
	case TOK_GREAT:
	case TOK_CLOBBER:
		return REDIR_OUT;
	case TOK_DGREAT:
		return REDIR_APPEND;
	case TOK_LESSGREAT:
		return REDIR_RDWR;
	case TOK_LESSAND:
		return REDIR_DUP_IN;
	case TOK_GREATAND:
		return REDIR_DUP_OUT;
	case TOK_DLESS:
	case TOK_DLESSDASH:
		return REDIR_HEREDOC;
	default:
		abort();
	}
}

/* io_redirect: [IO_NUMBER] (io_file | io_here) */
static struct redir *
io_redirect(struct parser *p)
{
	struct redir *r = xcalloc(1, sizeof(*r));
	struct token *t = peek(p);
	const char *op;

	r->pos = t->pos;
	r->fd = -1;
	if (t->type == TOK_IO_NUMBER) {
		r->fd = t->io_number;
		consume(p);
		t = peek(p);
	}
	r->op = redir_op(t->type);
	r->strip_tabs = t->type == TOK_DLESSDASH;
	r->clobber = t->type == TOK_CLOBBER;
	op = tok_name(t->type);
	if (r->fd < 0)
		r->fd = (r->op == REDIR_IN || r->op == REDIR_DUP_IN ||
		    r->op == REDIR_HEREDOC || r->op == REDIR_RDWR) ? 0 : 1;
	consume(p);
	if (peek(p)->type != TOK_WORD) {
		if (peek(p)->type != TOK_ERROR)
			lex_error(&p->lx, peek(p)->pos,
			    peek(p)->type == TOK_EOF,
			    "expected a %s after '%s'", r->op == REDIR_HEREDOC ?
			    "delimiter" : "file name", op);
		free(r);
		return NULL;
	}
	r->target = take_word(p);
	if (r->op == REDIR_HEREDOC && lex_add_heredoc(&p->lx, r) < 0) {
		redir_free(r);
		return NULL;
	}
	return r;
}

/* redirect_list: io_redirect+, appended to *tail */
static bool
redirect_list(struct parser *p, struct redir **tail)
{
	struct redir *r;

	while (*tail != NULL)
		tail = &(*tail)->next;
	while (peek(p)->type == TOK_IO_NUMBER || is_redir_op(peek(p)->type)) {
		if ((r = io_redirect(p)) == NULL)
			return false;
		*tail = r;
		tail = &r->next;
	}
	return true;
}

static bool
is_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* NAME=value: split the word into an assignment, or NULL. */
static struct assign *
assignment(struct word *w)
{
	struct part *first = w->parts;
	struct assign *a;
	char *eq;

	if (first == NULL || first->quoted || first->type != PART_LIT)
		return NULL;
	eq = strchr(first->text, '=');
	if (eq == NULL || !is_name(first->text, eq - first->text))
		return NULL;
	a = xcalloc(1, sizeof(*a));
	a->name = strndup(first->text, eq - first->text);
	memmove(first->text, eq + 1, strlen(eq + 1) + 1);
	a->value = w;
	return a;
}

static struct node *compound_command(struct parser *p);

static const char *
lit_text(const struct word *w)
{
	const struct part *part = w->parts;

	if (part == NULL || part->next != NULL || part->quoted ||
	    part->type != PART_LIT)
		return NULL;
	return part->text;
}

/* function_definition: fname ( ) linebreak function_body
 * function_body: compound_command redirect_list? */
static struct node *
function_def(struct parser *p, struct word *name)
{
	struct func *f = node_new(sizeof(*f), NODE_FUNC, name->pos);
	const char *text = lit_text(name);

	if (text == NULL || !is_name(text, strlen(text))) {
		lex_error(&p->lx, name->pos, false, "Bad function name");
		goto fail;
	}
	f->name = xstrdup(text);
	consume(p);	/* ( */
	if (peek(p)->type != TOK_RPAREN) {
		unexpected(p, "')'");
		goto fail;
	}
	consume(p);
	linebreak(p);
	if ((f->body = compound_command(p)) == NULL) {
		unexpected(p, "a compound command");
		goto fail;
	}
	if (!redirect_list(p, &f->body->redirs))
		goto fail;
	word_free(name);
	return &f->node;
fail:
	word_free(name);
	ast_free(&f->node);
	return NULL;
}

/* simple_command: cmd_prefix? cmd_word? cmd_suffix? */
static struct node *
simple_command(struct parser *p)
{
	struct simple *s = node_new(sizeof(*s), NODE_SIMPLE, peek(p)->pos);
	struct assign **atail = &s->assigns, *a;
	struct word **wtail = &s->words, *w;

	for (;;) {
		if (peek(p)->type == TOK_IO_NUMBER ||
		    is_redir_op(peek(p)->type)) {
			if (!redirect_list(p, &s->node.redirs))
				goto fail;
			continue;
		}
		if (peek(p)->type != TOK_WORD)
			break;
		w = take_word(p);
		if (s->words == NULL && s->assigns == NULL &&
		    s->node.redirs == NULL && peek(p)->type == TOK_LPAREN) {
			ast_free(&s->node);
			return function_def(p, w);
		}
		if (s->words == NULL && (a = assignment(w)) != NULL) {
			*atail = a;
			atail = &a->next;
		} else {
			*wtail = w;
			wtail = &w->next;
		}
	}
	if (s->assigns == NULL && s->words == NULL && s->node.redirs == NULL)
		goto fail_unexpected;
	return &s->node;
fail_unexpected:
	unexpected(p, NULL);
fail:
	ast_free(&s->node);
	return NULL;
}

/* do_group: Do compound_list Done */
static struct node *
do_group(struct parser *p)
{
	struct node *body;

	if (!expect_keyword(p, "do"))
		return NULL;
	if ((body = compound_list(p)) == NULL)
		return NULL;
	if (!expect_keyword(p, "done")) {
		ast_free(body);
		return NULL;
	}
	return body;
}

/* brace_group: Lbrace compound_list Rbrace */
static struct node *
brace_group(struct parser *p)
{
	struct brace *b = node_new(sizeof(*b), NODE_BRACE, peek(p)->pos);

	consume(p);
	if ((b->body = compound_list(p)) == NULL || !expect_keyword(p, "}")) {
		ast_free(&b->node);
		return NULL;
	}
	return &b->node;
}

/* else_part: Elif compound_list Then compound_list else_part?
 *          | Else compound_list */
static struct node *
else_part(struct parser *p, struct pos pos)
{
	struct if_clause *c;

	if (is_keyword(p, "else")) {
		consume(p);
		return compound_list(p);
	}
	c = node_new(sizeof(*c), NODE_IF, pos);
	consume(p);	/* if, elif */
	if ((c->cond = compound_list(p)) == NULL ||
	    !expect_keyword(p, "then") ||
	    (c->then = compound_list(p)) == NULL)
		goto fail;
	if (is_keyword(p, "elif") || is_keyword(p, "else")) {
		c->otherwise = else_part(p, peek(p)->pos);
		if (c->otherwise == NULL)
			goto fail;
	}
	return &c->node;
fail:
	ast_free(&c->node);
	return NULL;
}

/* if_clause: If compound_list Then compound_list else_part? Fi */
static struct node *
if_clause(struct parser *p)
{
	struct node *n = else_part(p, peek(p)->pos);

	if (n != NULL && !expect_keyword(p, "fi")) {
		ast_free(n);
		return NULL;
	}
	return n;
}

/* while_clause: While compound_list do_group; until_clause likewise */
static struct node *
loop_clause(struct parser *p, enum node_type type)
{
	struct loop *l = node_new(sizeof(*l), type, peek(p)->pos);

	consume(p);
	if ((l->cond = compound_list(p)) == NULL ||
	    (l->body = do_group(p)) == NULL) {
		ast_free(&l->node);
		return NULL;
	}
	return &l->node;
}

/* wordlist after In, up to a sequential separator */
static bool
for_words(struct parser *p, struct for_clause *f)
{
	struct word **tail = &f->words, *w;

	f->has_in = true;
	consume(p);	/* in */
	while (peek(p)->type == TOK_WORD) {
		w = take_word(p);
		*tail = w;
		tail = &w->next;
	}
	if (peek(p)->type != TOK_SEMI && peek(p)->type != TOK_NEWLINE) {
		unexpected(p, "';' or newline");
		return false;
	}
	consume(p);
	return true;
}

/* for_clause: For name linebreak [In wordlist? sequential_sep] do_group */
static struct node *
for_clause(struct parser *p)
{
	struct for_clause *f = node_new(sizeof(*f), NODE_FOR, peek(p)->pos);
	struct part *part;

	consume(p);
	part = peek(p)->type == TOK_WORD ? peek(p)->word->parts : NULL;
	if (part == NULL || part->next != NULL || part->quoted ||
	    part->type != PART_LIT || !is_name(part->text, strlen(part->text))) {
		unexpected(p, "a variable name");
		goto fail;
	}
	f->name = xstrdup(part->text);
	consume(p);
	if (peek(p)->type == TOK_SEMI)
		consume(p);
	linebreak(p);
	if (is_keyword(p, "in") && !for_words(p, f))
		goto fail;
	linebreak(p);
	if ((f->body = do_group(p)) == NULL)
		goto fail;
	return &f->node;
fail:
	ast_free(&f->node);
	return NULL;
}

/* subshell: ( compound_list ) */
static struct node *
subshell(struct parser *p)
{
	struct brace *b = node_new(sizeof(*b), NODE_SUBSHELL, peek(p)->pos);

	consume(p);
	if ((b->body = compound_list(p)) == NULL)
		goto fail;
	if (peek(p)->type != TOK_RPAREN) {
		unexpected(p, "')'");
		goto fail;
	}
	consume(p);
	return &b->node;
fail:
	ast_free(&b->node);
	return NULL;
}

/* pattern: [(] word (| word)* ) */
static bool
case_patterns(struct parser *p, struct case_item *it)
{
	struct word **tail = &it->patterns, *w;

	if (peek(p)->type == TOK_LPAREN)
		consume(p);
	for (;;) {
		if (peek(p)->type != TOK_WORD) {
			unexpected(p, "a pattern");
			return false;
		}
		w = take_word(p);
		*tail = w;
		tail = &w->next;
		if (peek(p)->type != TOK_PIPE)
			break;
		consume(p);
	}
	if (peek(p)->type != TOK_RPAREN) {
		unexpected(p, "')'");
		return false;
	}
	consume(p);
	return true;
}

/* case_item: pattern linebreak compound_list? (;; linebreak)? */
static struct case_item *
case_item(struct parser *p)
{
	struct case_item *it = xcalloc(1, sizeof(*it));

	if (!case_patterns(p, it))
		goto fail;
	linebreak(p);
	if (starts_command(p) && (it->body = compound_list(p)) == NULL)
		goto fail;
	if (peek(p)->type == TOK_DSEMI) {
		consume(p);
		linebreak(p);
	} else if (!is_keyword(p, "esac")) {
		unexpected(p, "';;' or 'esac'");
		goto fail;
	}
	return it;
fail:
	word_free(it->patterns);
	ast_free(it->body);
	free(it);
	return NULL;
}

/* case_clause: Case WORD linebreak In linebreak case_item* Esac */
static struct node *
case_clause(struct parser *p)
{
	struct case_clause *c = node_new(sizeof(*c), NODE_CASE, peek(p)->pos);
	struct case_item **tail = &c->items, *it;

	consume(p);
	if (peek(p)->type != TOK_WORD) {
		unexpected(p, "a word");
		goto fail;
	}
	c->subject = take_word(p);
	linebreak(p);
	if (!expect_keyword(p, "in"))
		goto fail;
	linebreak(p);
	while (!is_keyword(p, "esac")) {
		if ((it = case_item(p)) == NULL)
			goto fail;
		*tail = it;
		tail = &it->next;
	}
	consume(p);
	return &c->node;
fail:
	ast_free(&c->node);
	return NULL;
}

static struct node *compound_at(struct parser *p);

/* compound_command: brace_group | subshell | if_clause | case_clause
 *                 | while_clause | until_clause | for_clause */
static struct node *
compound_command(struct parser *p)
{
	struct node *n;

	if (p->lx.depth >= LEX_MAX_DEPTH) {
		lex_error(&p->lx, peek(p)->pos, false, "nested too deeply");
		return NULL;
	}
	p->lx.depth++;
	n = compound_at(p);
	p->lx.depth--;
	return n;
}

static struct node *
compound_at(struct parser *p)
{
	if (peek(p)->type == TOK_LPAREN)
		return subshell(p);
	if (is_keyword(p, "case"))
		return case_clause(p);
	if (is_keyword(p, "{"))
		return brace_group(p);
	if (is_keyword(p, "if"))
		return if_clause(p);
	if (is_keyword(p, "while"))
		return loop_clause(p, NODE_WHILE);
	if (is_keyword(p, "until"))
		return loop_clause(p, NODE_UNTIL);
	if (is_keyword(p, "for"))
		return for_clause(p);
	return NULL;
}

/* A command word that names an alias is replaced by its text. */
static bool
alias_expand(struct parser *p)
{
	struct token *t = peek(p);
	struct part *part;
	const char *value;

	if (p->no_alias || t->type != TOK_WORD)
		return false;
	part = t->word->parts;
	if (part == NULL || part->next != NULL || part->quoted ||
	    part->type != PART_LIT ||
	    (value = alias_get(part->text)) == NULL ||
	    !lex_alias(&p->lx, t, part->text, value))
		return false;
	word_free(t->word);
	t->word = NULL;
	p->have = false;
	return true;
}

/* command: simple_command | compound_command redirect_list? */
static struct node *
command(struct parser *p)
{
	struct node *n;

	while (alias_expand(p))
		;
	if (is_terminator(p) || is_keyword(p, "!"))
		return unexpected(p, NULL);
	if (peek(p)->type == TOK_LPAREN || is_keyword(p, "case") ||
	    is_keyword(p, "{") || is_keyword(p, "if") ||
	    is_keyword(p, "while") || is_keyword(p, "until") ||
	    is_keyword(p, "for")) {
		if ((n = compound_command(p)) == NULL)
			return NULL;
		if (!redirect_list(p, &n->redirs)) {
			ast_free(n);
			return NULL;
		}
		return n;
	}
	return simple_command(p);
}

/* pipeline: Bang? pipe_sequence
 * pipe_sequence: command (| linebreak command)* */
static struct node *
pipeline(struct parser *p)
{
	struct pipeline *pl = node_new(sizeof(*pl), NODE_PIPELINE,
	    peek(p)->pos);
	struct node *cmd;

	if (is_keyword(p, "!")) {
		pl->bang = true;
		consume(p);
	}
	for (;;) {
		if ((cmd = sourced(p, command)) == NULL)
			goto fail;
		pl->cmds = realloc(pl->cmds, (pl->n + 1) * sizeof(*pl->cmds));
		pl->cmds[pl->n++] = cmd;
		if (peek(p)->type != TOK_PIPE)
			break;
		consume(p);
		linebreak(p);
	}
	return &pl->node;
fail:
	ast_free(&pl->node);
	return NULL;
}

/* and_or: pipeline ((AND_IF | OR_IF) linebreak pipeline)* */
static struct node *
and_or(struct parser *p)
{
	struct node *left = sourced(p, pipeline), *right;
	struct binop *b;
	enum tok_type t;

	while (left != NULL && ((t = peek(p)->type) == TOK_AND_IF ||
	    t == TOK_OR_IF)) {
		struct pos pos = peek(p)->pos;

		consume(p);
		linebreak(p);
		if ((right = sourced(p, pipeline)) == NULL) {
			ast_free(left);
			return NULL;
		}
		b = node_new(sizeof(*b), t == TOK_AND_IF ? NODE_AND : NODE_OR,
		    pos);
		b->left = left;
		b->right = right;
		left = &b->node;
	}
	return left;
}

static bool
starts_command(struct parser *p)
{
	enum tok_type t = peek(p)->type;

	if (t == TOK_WORD)
		return !is_terminator(p);
	return t == TOK_IO_NUMBER || t == TOK_LPAREN || is_redir_op(t);
}

/*
 * list: and_or (separator_op and_or)* separator_op?
 * term (multiline, in compound_list): the same with newlines as separators.
 */
static struct node *
list(struct parser *p, bool multiline)
{
	struct list *l = node_new(sizeof(*l), NODE_LIST, peek(p)->pos);
	struct list_item **tail = &l->items, *it;
	struct node *n;

	for (;;) {
		if (multiline)
			linebreak(p);
		if (l->items != NULL && !starts_command(p))
			break;
		if ((n = sourced(p, and_or)) == NULL)
			goto fail;
		it = xcalloc(1, sizeof(*it));
		it->node = n;
		*tail = it;
		tail = &it->next;
		if (peek(p)->type == TOK_SEMI || peek(p)->type == TOK_AMP) {
			it->background = peek(p)->type == TOK_AMP;
			consume(p);
		} else if (!multiline || peek(p)->type != TOK_NEWLINE) {
			break;
		}
	}
	return &l->node;
fail:
	ast_free(&l->node);
	return NULL;
}

/* compound_list: linebreak term separator? */
static struct node *
compound_list(struct parser *p)
{
	return list(p, true);
}

/* complete_command: list separator_op? (then a newline or the end) */
struct node *
parser_next(struct parser *p)
{
	struct node *n;

	if (p->lx.error != NULL)
		return NULL;
	linebreak(p);
	if (peek(p)->type == TOK_EOF || peek(p)->type == TOK_ERROR)
		return NULL;
	if ((n = list(p, false)) == NULL)
		return NULL;
	if (peek(p)->type != TOK_NEWLINE && peek(p)->type != TOK_EOF) {
		unexpected(p, NULL);
		ast_free(n);
		return NULL;
	}
	if (peek(p)->type == TOK_NEWLINE)
		consume(p);
	return n;
}

struct node *
parse_sub(struct lexer *lx, bool to_paren)
{
	struct parser *p = parser_new(lx->buf, lx->len);
	struct node *n;

	p->no_alias = true;
	p->lx.depth = lx->depth;
	p->lx.i = lx->i;
	p->lx.pos = lx->pos;
	linebreak(p);
	if (to_paren && peek(p)->type == TOK_RPAREN)
		n = node_new(sizeof(struct list), NODE_LIST, peek(p)->pos);
	else if (!to_paren && peek(p)->type == TOK_EOF)
		n = node_new(sizeof(struct list), NODE_LIST, peek(p)->pos);
	else
		n = compound_list(p);
	if (n != NULL && peek(p)->type != (to_paren ? TOK_RPAREN : TOK_EOF)) {
		unexpected(p, to_paren ? "')'" : NULL);
		ast_free(n);
		n = NULL;
	}
	if (n == NULL) {
		lex_error(lx, p->lx.error_pos, p->lx.incomplete, "%s",
		    p->lx.error ? p->lx.error : "syntax error");
	} else {
		consume(p);
		lx->i = p->lx.i;
		lx->pos = p->lx.pos;
	}
	parser_free(p);
	return n;
}

struct parser *
parser_new(const char *buf, size_t len)
{
	struct parser *p = xcalloc(1, sizeof(*p));

	lex_init(&p->lx, buf, len);
	return p;
}

void
parser_free(struct parser *p)
{
	if (p == NULL)
		return;
	if (p->have)
		consume(p);
	lex_finish(&p->lx);
	free(p);
}

const char *
parser_error(const struct parser *p, struct pos *pos, bool *incomplete)
{
	if (p->lx.error == NULL)
		return NULL;
	*pos = p->lx.error_pos;
	*incomplete = p->lx.incomplete;
	return p->lx.error;
}
