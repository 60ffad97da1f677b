/* fuzz_fsh.c: fsh's lexer and parser (every complete command of the
 * input, printed as `fsh -n` would), and its arithmetic, on any bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alias.h"
#include "arith.h"
#include "parse.h"

static const char *
get_var(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "x") == 0 ? "7" : strcmp(name, "bad") == 0 ?
	    "1+" : NULL;
}

static int
set_var(void *arg, const char *name, const char *value)
{
	(void)arg, (void)value;
	return strcmp(name, "ro") == 0 ? -1 : 0;
}

static void
parse_all(const char *buf, size_t len, FILE *out)
{
	struct parser *p = parser_new(buf, len);
	struct node *n;
	struct pos pos;
	bool incomplete;

	while ((n = parser_next(p)) != NULL) {
		ast_print(out, n, 0);
		ast_free(n);
	}
	(void)parser_error(p, &pos, &incomplete);
	parser_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct arith_vars v = { get_var, set_var, NULL };
	char *s, *err = NULL;
	intmax_t r;

	if (null == NULL) {
		null = fopen("/dev/null", "w");
		alias_set("ll", "echo long; ll");
		alias_set("c", "case ");
	}
	if (size == 0)
		return 0;
	s = strndup((const char *)data + 1, size - 1);
	if (data[0] & 1) {
		if (arith_eval(s, &v, &r, &err) < 0)
			free(err);
	} else {
		parse_all(s, strlen(s), null);
	}
	free(s);
	return 0;
}
