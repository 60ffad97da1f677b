/* parse.h: shell text to syntax trees, one complete command at a time */
#ifndef FSH_PARSE_H
#define FSH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"

struct parser;

/* buf must outlive the parser. */
struct parser *parser_new(const char *buf, size_t len);
void parser_free(struct parser *p);

/*
 * The next complete command (a list ended by a newline or the end), owned
 * by the caller (ast_free). NULL at the end of input or on a syntax error.
 */
struct node *parser_next(struct parser *p);

/* The first syntax error, or NULL. *incomplete: more input could fix it. */
const char *parser_error(const struct parser *p, struct pos *pos,
    bool *incomplete);

#endif
