/* lex.h: tokens of the shell language, shared by lex.c and parse.c */
#ifndef FSH_LEX_H
#define FSH_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"

enum tok_type {
	TOK_EOF,
	TOK_WORD,
	TOK_IO_NUMBER,	/* 2 in 2>file */
	TOK_NEWLINE,
	TOK_AND_IF,	/* && */
	TOK_OR_IF,	/* || */
	TOK_DSEMI,	/* ;; */
	TOK_SEMI,	/* ; */
	TOK_AMP,	/* & */
	TOK_PIPE,	/* | */
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_LESS,	/* < */
	TOK_GREAT,	/* > */
	TOK_DGREAT,	/* >> */
	TOK_DLESS,	/* << */
	TOK_DLESSDASH,	/* <<- */
	TOK_LESSAND,	/* <& */
	TOK_GREATAND,	/* >& */
	TOK_LESSGREAT,	/* <> */
	TOK_CLOBBER,	/* >| */
	TOK_ERROR,
};

struct token {
	enum tok_type type;
	struct pos pos;
	struct word *word;	/* TOK_WORD; owned by the token until taken */
	int io_number;
	size_t start, end;	/* offsets in the input */
};

#define LEX_MAX_HEREDOCS 64

#define LEX_MAX_ALIASES 16
#define LEX_MAX_DEPTH 500	/* nesting, that the recursion fits the stack */

struct lexer {
	const char *buf;
	size_t len, i;
	char *own;		/* buf, once an alias was spliced in */
	struct {		/* aliases being read: not expanded again */
		char *name;
		size_t end;
	} aliases[LEX_MAX_ALIASES];
	size_t naliases;
	int depth;		/* substitutions and commands open now */
	struct pos pos;
	struct redir *heredocs[LEX_MAX_HEREDOCS];	/* waiting for a newline */
	size_t nheredocs;
	char *error;		/* first error, malloc'd */
	struct pos error_pos;
	bool incomplete;	/* the error is "input ended too soon" */
};

void lex_init(struct lexer *lx, const char *buf, size_t len);
void lex_finish(struct lexer *lx);
/* The next token; TOK_ERROR with lx->error set on failure. */
struct token lex_next(struct lexer *lx);
/* Read r's body after the next newline token. */
int lex_add_heredoc(struct lexer *lx, struct redir *r);
void lex_error(struct lexer *lx, struct pos pos, bool incomplete,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *tok_name(enum tok_type t);
/* The token t (a word, NAME) replaced by value in the input, which is
 * read from t's start again; false if NAME's own text is being read. */
bool lex_alias(struct lexer *lx, const struct token *t, const char *name,
    const char *value);

/* parse.c: the commands of $( ... ) from lx's position up to and past
 * the closing parenthesis (to_paren), or of `...` (the whole of lx);
 * NULL with lx->error set on a syntax error. */
struct node *parse_sub(struct lexer *lx, bool to_paren);

#endif
