/* arith.c: $((...)) by recursive descent, one function per precedence
 * level of C's operators; arithmetic wraps as two's complement, and a
 * branch that is not taken (&&, ||, ?:) assigns nothing and divides by
 * nothing. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arith.h"

struct arith {
	const char *p;
	const struct arith_vars *v;
	char *err;
	int depth;		/* parentheses and unary operators open */
};

#define ARITH_MAX_DEPTH 500	/* that the recursion fits the stack */

/* Longest first, so that "<<=" is not read as "<<" then "=". */
static const char *const ops[] = {
	"<<=", ">>=", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>",
	"+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=",
	"+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~",
	"(", ")", "?", ":", "=",
};

/* The binary operators, loosest first. */
static const char *const levels[][5] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<", "<=", ">", ">=" }, { "<<", ">>" }, { "+", "-" },
	{ "*", "/", "%" },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static intmax_t assign(struct arith *a, bool eval);

static void
fail(struct arith *a, const char *fmt, const char *arg)
{
	if (a->err != NULL)
		return;
	if (asprintf(&a->err, fmt, arg) < 0)
		abort();
}

static void
skip_space(struct arith *a)
{
	while (isspace((unsigned char)*a->p))
		a->p++;
}

/* The operator at the cursor, or NULL; the cursor does not move. */
static const char *
peek_op(struct arith *a)
{
	const char *o;
	size_t i;

	skip_space(a);
	if (*a->p == '\0' || strchr("<>&|=!+-*/%^~()?:", *a->p) == NULL)
		return NULL;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		o = ops[i];
		if (o[0] == a->p[0] && (o[1] == '\0' || (o[1] == a->p[1] &&
		    (o[2] == '\0' || o[2] == a->p[2]))))
			return o;
	}
	return NULL;
}

static bool
take_op(struct arith *a, const char *op)
{
	const char *o = peek_op(a);

	if (o == NULL || strcmp(o, op) != 0)
		return false;
	a->p += strlen(o);
	return true;
}

static bool
is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

/* A name at the cursor: its length, 0 if none. */
static size_t
name_len(const char *p)
{
	size_t n = 0;

	if (!is_name_start(p[0]))
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

static intmax_t
variable(struct arith *a, const char *name)
{
	const char *s = a->v->get(a->v->arg, name);
	char *end;
	intmax_t n;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	n = strtoimax(s, &end, 0);
	if (errno != 0 || *end != '\0')
		fail(a, "Illegal number: %s", s);
	return n;
}

static void
set_variable(struct arith *a, const char *name, intmax_t n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%jd", n);
	if (a->v->set(a->v->arg, name, buf) < 0)
		fail(a, "%s: is read only", name);
}

static intmax_t
apply(struct arith *a, const char *op, intmax_t l, intmax_t r, bool eval)
{
	uintmax_t ul = (uintmax_t)l, ur = (uintmax_t)r;

	switch (op[0]) {
	case '+': return (intmax_t)(ul + ur);
	case '-': return (intmax_t)(ul - ur);
	case '*': return (intmax_t)(ul * ur);
	case '/':
	case '%':
		if (r == 0) {
			if (eval)
				fail(a, "%s", "division by zero");
			return 0;
		}
		if (l == INTMAX_MIN && r == -1)
			return op[0] == '/' ? INTMAX_MIN : 0;
		return op[0] == '/' ? l / r : l % r;
	case '^': return l ^ r;
	case '|': return op[1] == '|' ? (l || r) : (l | r);
	case '&': return op[1] == '&' ? (l && r) : (l & r);
	case '=': return l == r;
	case '!': return l != r;
	case '<':
		if (op[1] == '<')
			return (intmax_t)(ul << (ur & 63));
		return op[1] == '=' ? l <= r : l < r;
	case '>':
		if (op[1] == '>')
			return l >> (ur & 63);
		return op[1] == '=' ? l >= r : l > r;
	}
	abort();
}

static intmax_t
number(struct arith *a)
{
	char *end;
	intmax_t n;

	errno = 0;
	n = strtoimax(a->p, &end, 0);
	a->p = end;
	return n;
}

static intmax_t
primary(struct arith *a, bool eval)
{
	size_t n;
	intmax_t r;
	char *name;

	if (take_op(a, "(")) {
		r = assign(a, eval);
		if (!take_op(a, ")"))
			fail(a, "%s", "expecting ')'");
		return r;
	}
	skip_space(a);
	if (isdigit((unsigned char)*a->p))
		return number(a);
	n = name_len(a->p);
	if (n == 0) {
		fail(a, "%s", "expecting primary");
		return 0;
	}
	name = strndup(a->p, n);
	a->p += n;
	r = eval ? variable(a, name) : 0;
	free(name);
	return r;
}

static intmax_t
unary(struct arith *a, bool eval)
{
	const char *op = peek_op(a);
	intmax_t r;

	if (op == NULL || op[1] != '\0' || strchr("+-!~", op[0]) == NULL)
		return primary(a, eval);
	a->p++;
	if (a->depth++ >= ARITH_MAX_DEPTH) {
		fail(a, "%s", "nested too deeply");
		return 0;
	}
	r = unary(a, eval);
	a->depth--;
	switch (op[0]) {
	case '-': return (intmax_t)(0 - (uintmax_t)r);
	case '!': return !r;
	case '~': return ~r;
	default: return r;
	}
}

static bool
at_level(const char *op, size_t level)
{
	size_t i;

	for (i = 0; i < 5 && levels[level][i] != NULL; i++)
		if (strcmp(op, levels[level][i]) == 0)
			return true;
	return false;
}

static intmax_t
binary(struct arith *a, size_t level, bool eval)
{
	const char *op;
	intmax_t l, r;
	bool rhs;

	if (level == NLEVELS)
		return unary(a, eval);
	l = binary(a, level + 1, eval);
	while (a->err == NULL && (op = peek_op(a)) != NULL &&
	    at_level(op, level)) {
		a->p += strlen(op);
		rhs = eval;
		if (strcmp(op, "||") == 0)
			rhs = eval && !l;
		else if (strcmp(op, "&&") == 0)
			rhs = eval && l;
		r = binary(a, level + 1, rhs);
		l = apply(a, op, l, r, rhs);
	}
	return l;
}

static intmax_t
conditional(struct arith *a, bool eval)
{
	intmax_t c = binary(a, 0, eval), t, f;

	if (a->err != NULL || !take_op(a, "?"))
		return c;
	t = assign(a, eval && c);
	if (!take_op(a, ":")) {
		fail(a, "%s", "expecting ':'");
		return 0;
	}
	f = assign(a, eval && !c);
	return c ? t : f;
}

static intmax_t assign_at(struct arith *a, bool eval);

/* NAME op= expression, or a conditional expression. */
static intmax_t
assign(struct arith *a, bool eval)
{
	intmax_t r;

	if (a->depth++ >= ARITH_MAX_DEPTH) {
		fail(a, "%s", "nested too deeply");
		return 0;
	}
	r = assign_at(a, eval);
	a->depth--;
	return r;
}

static intmax_t
assign_at(struct arith *a, bool eval)
{
	const char *start, *op;
	char *name, bin[3];
	intmax_t r;
	size_t n;

	skip_space(a);
	start = a->p;
	n = name_len(a->p);
	if (n == 0)
		return conditional(a, eval);
	a->p += n;
	op = peek_op(a);
	if (op == NULL || op[strlen(op) - 1] != '=' || strcmp(op, "==") == 0 ||
	    ((op[0] == '<' || op[0] == '>' || op[0] == '!') &&
	    strlen(op) == 2)) {
		a->p = start;
		return conditional(a, eval);
	}
	a->p += strlen(op);
	name = strndup(start, n);
	r = assign(a, eval);
	if (strcmp(op, "=") != 0 && a->err == NULL) {
		snprintf(bin, sizeof(bin), "%.*s", (int)strlen(op) - 1, op);
		r = apply(a, bin, eval ? variable(a, name) : 0, r, eval);
	}
	if (eval && a->err == NULL)
		set_variable(a, name, r);
	free(name);
	return r;
}

int
arith_eval(const char *expr, const struct arith_vars *v, intmax_t *result,
    char **err)
{
	struct arith a = { expr, v, NULL, 0 };
	intmax_t r;

	r = assign(&a, true);
	skip_space(&a);
	if (a.err == NULL && *a.p != '\0')
		fail(&a, "%s", "expecting EOF");
	if (a.err != NULL) {
		*err = a.err;
		return -1;
	}
	*result = r;
	return 0;
}
