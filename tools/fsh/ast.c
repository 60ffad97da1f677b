/* ast.c: free and print the syntax tree */
#include <stdlib.h>
#include <string.h>
#include "ast.h"

void
word_free(struct word *w)
{
	struct word *wn;
	struct part *p, *pn;

	for (; w != NULL; w = wn) {
		wn = w->next;
		for (p = w->parts; p != NULL; p = pn) {
			pn = p->next;
			free(p->text);
			word_free(p->arg);
			ast_free(p->cmd);
			free(p);
		}
		free(w);
	}
}

void
redir_free(struct redir *r)
{
	struct redir *rn;

	for (; r != NULL; r = rn) {
		rn = r->next;
		word_free(r->target);
		word_free(r->body);
		free(r->raw);
		free(r);
	}
}

static void
assign_free(struct assign *a)
{
	struct assign *an;

	for (; a != NULL; a = an) {
		an = a->next;
		free(a->name);
		word_free(a->value);
		free(a);
	}
}

static void
list_free(struct list *l)
{
	struct list_item *it, *next;

	for (it = l->items; it != NULL; it = next) {
		next = it->next;
		ast_free(it->node);
		free(it);
	}
}

static void
pipeline_free(struct pipeline *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		ast_free(p->cmds[i]);
	free(p->cmds);
}

static void
case_free(struct case_clause *c)
{
	struct case_item *it, *next;

	word_free(c->subject);
	for (it = c->items; it != NULL; it = next) {
		next = it->next;
		word_free(it->patterns);
		ast_free(it->body);
		free(it);
	}
}

void
ast_free(struct node *n)
{
	if (n == NULL)
		return;
	if (n->refs > 0) {
		n->refs--;
		return;
	}
	redir_free(n->redirs);
	free(n->src);
	switch (n->type) {
	case NODE_LIST:
		list_free((struct list *)n);
		break;
	case NODE_AND:
	case NODE_OR:
		ast_free(((struct binop *)n)->left);
		ast_free(((struct binop *)n)->right);
		break;
	case NODE_PIPELINE:
		pipeline_free((struct pipeline *)n);
		break;
	case NODE_SIMPLE:
		assign_free(((struct simple *)n)->assigns);
		word_free(((struct simple *)n)->words);
		break;
	case NODE_BRACE:
	case NODE_SUBSHELL:
		ast_free(((struct brace *)n)->body);
		break;
	case NODE_CASE:
		case_free((struct case_clause *)n);
		break;
	case NODE_FUNC:
		free(((struct func *)n)->name);
		ast_free(((struct func *)n)->body);
		break;
	case NODE_IF:
		ast_free(((struct if_clause *)n)->cond);
		ast_free(((struct if_clause *)n)->then);
		ast_free(((struct if_clause *)n)->otherwise);
		break;
	case NODE_WHILE:
	case NODE_UNTIL:
		ast_free(((struct loop *)n)->cond);
		ast_free(((struct loop *)n)->body);
		break;
	case NODE_FOR:
		free(((struct for_clause *)n)->name);
		word_free(((struct for_clause *)n)->words);
		ast_free(((struct for_clause *)n)->body);
		break;
	default:
		abort();
	}
	free(n);
}

static void
indent(FILE *f, int depth)
{
	while (depth-- > 0)
		fputs("  ", f);
}

static void
print_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
param_print(FILE *f, const struct part *p)
{
	if (p->quoted)
		fputc('"', f);
	if (p->type == PART_CMDSUB) {
		fputs("$(", f);
		fputs(p->text, f);
		fputc(')', f);
	} else if (p->type == PART_ARITH) {
		fputs("$((", f);
		word_print(f, p->arg);
		fputs("))", f);
	} else if (strcmp(p->op, "L") == 0) {
		fprintf(f, "${#%s}", p->text);
	} else {
		fprintf(f, "${%s%s", p->text, p->op);
		if (p->arg != NULL)
			word_print(f, p->arg);
		fputc('}', f);
	}
	if (p->quoted)
		fputc('"', f);
}

/* Unquoted text as is, quoted text in "...", parameters as ${name}. */
void
word_print(FILE *f, const struct word *w)
{
	const struct part *p;

	for (p = w->parts; p != NULL; p = p->next) {
		if (p->type != PART_LIT)
			param_print(f, p);
		else if (p->quoted)
			print_quoted(f, p->text);
		else
			fputs(p->text, f);
	}
}

static const char *
redir_name(const struct redir *r)
{
	switch (r->op) {
	case REDIR_IN:
		return "<";
	case REDIR_OUT:
		return r->clobber ? ">|" : ">";
	case REDIR_APPEND:
		return ">>";
	case REDIR_RDWR:
		return "<>";
	case REDIR_DUP_IN:
		return "<&";
	case REDIR_DUP_OUT:
		return ">&";
	case REDIR_HEREDOC:
		return r->strip_tabs ? "<<-" : "<<";
	}
	abort();
}

static void
print_redirs(FILE *f, const struct redir *r, int depth)
{
	for (; r != NULL; r = r->next) {
		indent(f, depth);
		fprintf(f, "redir %d%s ", r->fd, redir_name(r));
		word_print(f, r->target);
		if (r->op == REDIR_HEREDOC && r->body != NULL) {
			fputs(r->quoted ? " body(literal) " : " body ", f);
			word_print(f, r->body);
		}
		fputc('\n', f);
	}
}

static void
print_words(FILE *f, const char *what, const struct word *w, int depth)
{
	for (; w != NULL; w = w->next) {
		indent(f, depth);
		fprintf(f, "%s ", what);
		word_print(f, w);
		fputc('\n', f);
	}
}

static void
print_simple(FILE *f, const struct simple *s, int depth)
{
	const struct assign *a;

	for (a = s->assigns; a != NULL; a = a->next) {
		indent(f, depth);
		fprintf(f, "assign %s=", a->name);
		if (a->value != NULL)
			word_print(f, a->value);
		fputc('\n', f);
	}
	print_words(f, "word", s->words, depth);
}

static void
print_list(FILE *f, const struct list *l, int depth)
{
	const struct list_item *it;

	for (it = l->items; it != NULL; it = it->next) {
		ast_print(f, it->node, depth);
		if (it->background) {
			indent(f, depth);
			fputs("&\n", f);
		}
	}
}

static void
print_if(FILE *f, const struct if_clause *c, int depth)
{
	ast_print(f, c->cond, depth);
	indent(f, depth - 1);
	fputs("then\n", f);
	ast_print(f, c->then, depth);
	if (c->otherwise != NULL) {
		indent(f, depth - 1);
		fputs("else\n", f);
		ast_print(f, c->otherwise, depth);
	}
}

static void
print_for(FILE *f, const struct for_clause *c, int depth)
{
	indent(f, depth);
	fprintf(f, "name %s\n", c->name);
	if (c->has_in) {
		indent(f, depth);
		fputs("in\n", f);
		print_words(f, "word", c->words, depth + 1);
	}
	indent(f, depth - 1);
	fputs("do\n", f);
	ast_print(f, c->body, depth);
}

static void
print_case(FILE *f, const struct case_clause *c, int depth)
{
	const struct case_item *it;

	print_words(f, "word", c->subject, depth);
	for (it = c->items; it != NULL; it = it->next) {
		indent(f, depth);
		fputs("item\n", f);
		print_words(f, "pattern", it->patterns, depth + 1);
		if (it->body != NULL)
			ast_print(f, it->body, depth + 1);
	}
}

static const char *
node_name(const struct node *n)
{
	static const char *names[] = {
		[NODE_LIST] = "list", [NODE_AND] = "and", [NODE_OR] = "or",
		[NODE_PIPELINE] = "pipeline", [NODE_SIMPLE] = "simple",
		[NODE_BRACE] = "brace", [NODE_IF] = "if",
		[NODE_WHILE] = "while", [NODE_UNTIL] = "until",
		[NODE_FOR] = "for", [NODE_SUBSHELL] = "subshell",
		[NODE_CASE] = "case", [NODE_FUNC] = "function",
	};

	return names[n->type];
}

/* One line per node, children indented by two spaces. */
void
ast_print(FILE *f, const struct node *n, int depth)
{
	size_t i;

	indent(f, depth);
	fputs(node_name(n), f);
	if (n->type == NODE_PIPELINE && ((struct pipeline *)n)->bang)
		fputs(" !", f);
	fputc('\n', f);
	switch (n->type) {
	case NODE_LIST:
		print_list(f, (const struct list *)n, depth + 1);
		break;
	case NODE_AND:
	case NODE_OR:
		ast_print(f, ((const struct binop *)n)->left, depth + 1);
		ast_print(f, ((const struct binop *)n)->right, depth + 1);
		break;
	case NODE_PIPELINE:
		for (i = 0; i < ((const struct pipeline *)n)->n; i++)
			ast_print(f, ((const struct pipeline *)n)->cmds[i],
			    depth + 1);
		break;
	case NODE_SIMPLE:
		print_simple(f, (const struct simple *)n, depth + 1);
		break;
	case NODE_BRACE:
	case NODE_SUBSHELL:
		ast_print(f, ((const struct brace *)n)->body, depth + 1);
		break;
	case NODE_CASE:
		print_case(f, (const struct case_clause *)n, depth + 1);
		break;
	case NODE_FUNC:
		indent(f, depth + 1);
		fprintf(f, "name %s\n", ((const struct func *)n)->name);
		ast_print(f, ((const struct func *)n)->body, depth + 1);
		break;
	case NODE_IF:
		print_if(f, (const struct if_clause *)n, depth + 1);
		break;
	case NODE_WHILE:
	case NODE_UNTIL:
		ast_print(f, ((const struct loop *)n)->cond, depth + 1);
		indent(f, depth);
		fputs("do\n", f);
		ast_print(f, ((const struct loop *)n)->body, depth + 1);
		break;
	case NODE_FOR:
		print_for(f, (const struct for_clause *)n, depth + 1);
		break;
	default:
		abort();
	}
	print_redirs(f, n->redirs, depth + 1);
}
