/* text.c: a command's source-like text, for `jobs` */
#include <stdlib.h>
#include "fsh.h"
#include "strbuf.h"

static void node_text_to(struct strbuf *b, const struct node *n);

static void
word_text(struct strbuf *b, const struct word *w)
{
	const struct part *p;

	for (p = w->parts; p != NULL; p = p->next) {
		if (p->type == PART_PARAM) {
			sb_puts(b, "${");
			sb_puts(b, p->text);
			sb_putc(b, '}');
		} else if (p->type == PART_CMDSUB) {
			sb_puts(b, "$(");
			sb_puts(b, p->text);
			sb_putc(b, ')');
		} else if (p->type == PART_ARITH) {
			sb_puts(b, "$((");
			word_text(b, p->arg);
			sb_puts(b, "))");
		} else if (p->quoted) {
			sb_putc(b, '\'');
			sb_puts(b, p->text);
			sb_putc(b, '\'');
		} else {
			sb_puts(b, p->text);
		}
	}
}

static void
simple_text(struct strbuf *b, const struct simple *s)
{
	const struct assign *a;
	const struct word *w;
	const struct redir *r;
	static const char *ops[] = { "<", ">", ">>", "<>", "<&", ">&", "<<" };

	for (a = s->assigns; a != NULL; a = a->next) {
		sb_puts(b, a->name);
		sb_putc(b, '=');
		if (a->value != NULL)
			word_text(b, a->value);
		sb_putc(b, ' ');
	}
	for (w = s->words; w != NULL; w = w->next) {
		word_text(b, w);
		if (w->next != NULL || s->node.redirs != NULL)
			sb_putc(b, ' ');
	}
	for (r = s->node.redirs; r != NULL; r = r->next) {
		sb_puts(b, ops[r->op]);
		word_text(b, r->target);
		if (r->next != NULL)
			sb_putc(b, ' ');
	}
}

static void
node_text_to(struct strbuf *b, const struct node *n)
{
	const struct pipeline *pl;
	size_t i;

	switch (n->type) {
	case NODE_PIPELINE:
		pl = (const struct pipeline *)n;
		if (pl->bang)
			sb_puts(b, "! ");
		for (i = 0; i < pl->n; i++) {
			if (i > 0)
				sb_puts(b, " | ");
			node_text_to(b, pl->cmds[i]);
		}
		return;
	case NODE_SIMPLE:
		simple_text(b, (const struct simple *)n);
		return;
	case NODE_AND:
	case NODE_OR:
		node_text_to(b, ((const struct binop *)n)->left);
		sb_puts(b, n->type == NODE_AND ? " && " : " || ");
		node_text_to(b, ((const struct binop *)n)->right);
		return;
	case NODE_LIST:
		sb_puts(b, "...");
		return;
	case NODE_BRACE:
		sb_puts(b, "{ ... }");
		return;
	case NODE_IF:
		sb_puts(b, "if ... fi");
		return;
	case NODE_WHILE:
	case NODE_UNTIL:
		sb_puts(b, n->type == NODE_WHILE ? "while" : "until");
		sb_puts(b, " ... done");
		return;
	case NODE_FOR:
		sb_puts(b, "for ... done");
		return;
	case NODE_SUBSHELL:
		sb_puts(b, "( ... )");
		return;
	case NODE_CASE:
		sb_puts(b, "case ... esac");
		return;
	case NODE_FUNC:
		sb_puts(b, ((const struct func *)n)->name);
		sb_puts(b, "() ...");
		return;
	}
	abort();
}

char *
node_text(const struct node *n)
{
	struct strbuf b = { 0 };

	node_text_to(&b, n);
	return sb_take(&b);
}

/* Here-document bodies in n's subtree written after offset end. */
static void
heredocs(const struct node *n, size_t end, struct strbuf *b)
{
	const struct list_item *it;
	const struct case_item *it2;
	const struct redir *r;
	size_t i;

	if (n == NULL)
		return;
	for (r = n->redirs; r != NULL; r = r->next) {
		if (r->op == REDIR_HEREDOC && r->raw != NULL &&
		    r->raw_at >= end) {
			sb_putc(b, '\n');
			sb_puts(b, r->raw);
		}
	}
	switch (n->type) {
	case NODE_LIST:
		for (it = ((const struct list *)n)->items; it; it = it->next)
			heredocs(it->node, end, b);
		return;
	case NODE_AND:
	case NODE_OR:
		heredocs(((const struct binop *)n)->left, end, b);
		heredocs(((const struct binop *)n)->right, end, b);
		return;
	case NODE_PIPELINE:
		for (i = 0; i < ((const struct pipeline *)n)->n; i++)
			heredocs(((const struct pipeline *)n)->cmds[i], end, b);
		return;
	case NODE_SIMPLE:
		return;
	case NODE_BRACE:
	case NODE_SUBSHELL:
		heredocs(((const struct brace *)n)->body, end, b);
		return;
	case NODE_FUNC:
		heredocs(((const struct func *)n)->body, end, b);
		return;
	case NODE_CASE:
		for (it2 = ((const struct case_clause *)n)->items; it2 != NULL;
		    it2 = it2->next)
			heredocs(it2->body, end, b);
		return;
	case NODE_IF:
		heredocs(((const struct if_clause *)n)->cond, end, b);
		heredocs(((const struct if_clause *)n)->then, end, b);
		heredocs(((const struct if_clause *)n)->otherwise, end, b);
		return;
	case NODE_WHILE:
	case NODE_UNTIL:
		heredocs(((const struct loop *)n)->cond, end, b);
		heredocs(((const struct loop *)n)->body, end, b);
		return;
	case NODE_FOR:
		heredocs(((const struct for_clause *)n)->body, end, b);
		return;
	}
	abort();
}

/* n as shell text that parses back to n: its source, and the bodies of
 * its here-documents (for a copy of the shell that runs it). */
char *
node_source(const struct node *n)
{
	struct strbuf b = { 0 };

	sb_puts(&b, n->src ? n->src : "");
	heredocs(n, n->src_end, &b);
	sb_putc(&b, '\n');
	return sb_take(&b);
}

/* A list (a subshell's body) as shell text, item by item. */
char *
list_source(const struct list *l)
{
	const struct list_item *it;
	struct strbuf b = { 0 };

	for (it = l->items; it != NULL; it = it->next) {
		sb_puts(&b, it->node->src ? it->node->src : "");
		if (it->background)
			sb_puts(&b, " &");
		heredocs(it->node, it->node->src_end, &b);
		sb_putc(&b, '\n');
	}
	return sb_take(&b);
}

/* w's text if it is one literal part (a command name as written). */
const char *
word_literal(const struct word *w)
{
	const struct part *p = w->parts;

	if (p == NULL || p->next != NULL || p->type != PART_LIT)
		return NULL;
	return p->text;
}
