/* bi-test.c: test and [, by POSIX's rules on the number of arguments,
 * and beyond four arguments by a grammar of -o, -a, ! and parentheses. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bi.h"

struct test {
	char **v;
	int n;
	const char *name;
	bool error;
};

static void
test_error(struct test *t, const char *what, const char *arg)
{
	if (t->error)
		return;
	if (arg != NULL)
		fprintf(stderr, "fsh: %s: %s: %s\n", t->name, arg, what);
	else
		fprintf(stderr, "fsh: %s: %s\n", t->name, what);
	t->error = true;
}

static intmax_t
integer(struct test *t, const char *s)
{
	char *end;
	intmax_t n;

	errno = 0;
	n = strtoimax(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end != '\0' || errno != 0)
		test_error(t, "Illegal number", s);
	return n;
}

static bool
is_unary(const char *op)
{
	return op[0] == '-' && op[1] != '\0' && op[2] == '\0' &&
	    strchr("bcdefghkLnprsStuwxzOG", op[1]) != NULL;
}

static bool
is_binary(const char *op)
{
	static const char *const ops[] = {
		"=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt",
		"-ge", "-nt", "-ot", "-ef",
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i]) == 0)
			return true;
	return false;
}

static bool
file_test(char op, const char *path)
{
	struct stat st;
	int r = op == 'h' || op == 'L' ? lstat(path, &st) : stat(path, &st);

	if (op == 't')
		return isatty(atoi(path));
	if (op == 'r' || op == 'w' || op == 'x')
		return faccessat(AT_FDCWD, path, op == 'r' ? R_OK :
		    op == 'w' ? W_OK : X_OK, AT_EACCESS) == 0;
	if (r < 0)
		return false;
	switch (op) {
	case 'b': return S_ISBLK(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 'e': return true;
	case 'f': return S_ISREG(st.st_mode);
	case 'g': return (st.st_mode & S_ISGID) != 0;
	case 'h': case 'L': return S_ISLNK(st.st_mode);
	case 'k': return (st.st_mode & S_ISVTX) != 0;
	case 'p': return S_ISFIFO(st.st_mode);
	case 's': return st.st_size > 0;
	case 'S': return S_ISSOCK(st.st_mode);
	case 'u': return (st.st_mode & S_ISUID) != 0;
	case 'O': return st.st_uid == geteuid();
	case 'G': return st.st_gid == getegid();
	}
	return false;
}

static bool
unary(struct test *t, const char *op, const char *arg)
{
	(void)t;
	if (op[1] == 'n')
		return arg[0] != '\0';
	if (op[1] == 'z')
		return arg[0] == '\0';
	return file_test(op[1], arg);
}

static bool
newer(const char *a, const char *b, bool which)
{
	struct stat sa, sb;
	bool ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;

	if (!ha || !hb)
		return which ? ha && !hb : hb && !ha;
	if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec)
		return which == (sa.st_mtim.tv_sec > sb.st_mtim.tv_sec);
	if (sa.st_mtim.tv_nsec == sb.st_mtim.tv_nsec)
		return false;
	return which == (sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec);
}

static bool
binary(struct test *t, const char *a, const char *op, const char *b)
{
	struct stat sa, sb;
	intmax_t x, y;

	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
		return strcmp(a, b) == 0;
	if (strcmp(op, "!=") == 0)
		return strcmp(a, b) != 0;
	if (strcmp(op, "<") == 0)
		return strcoll(a, b) < 0;
	if (strcmp(op, ">") == 0)
		return strcoll(a, b) > 0;
	if (strcmp(op, "-nt") == 0 || strcmp(op, "-ot") == 0)
		return newer(a, b, op[1] == 'n');
	if (strcmp(op, "-ef") == 0)
		return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
		    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	x = integer(t, a);
	y = integer(t, b);
	switch (op[1] * 256 + op[2]) {
	case 'e' * 256 + 'q': return x == y;
	case 'n' * 256 + 'e': return x != y;
	case 'l' * 256 + 't': return x < y;
	case 'l' * 256 + 'e': return x <= y;
	case 'g' * 256 + 't': return x > y;
	default: return x >= y;
	}
}

static const char *
peek(struct test *t, int i)
{
	return i < t->n ? t->v[i] : NULL;
}

static const char *
take(struct test *t)
{
	if (t->n == 0)
		return NULL;
	t->n--;
	return *t->v++;
}

static bool or_expr(struct test *t);

/* primary: ( expr ) | UNARY ARG | ARG BINARY ARG | ARG */
static bool
primary(struct test *t)
{
	const char *a = take(t), *op, *b;
	bool r;

	if (a == NULL) {
		test_error(t, "argument expected", NULL);
		return false;
	}
	if (strcmp(a, "(") == 0 && t->n > 0) {
		r = or_expr(t);
		if ((b = take(t)) == NULL || strcmp(b, ")") != 0)
			test_error(t, "closing paren expected", NULL);
		return r;
	}
	if ((op = peek(t, 0)) != NULL && is_binary(op) && t->n >= 2) {
		take(t);
		return binary(t, a, op, take(t));
	}
	if (is_unary(a) && t->n >= 1)
		return unary(t, a, take(t));
	return a[0] != '\0';
}

static bool
not_expr(struct test *t)
{
	const char *a = peek(t, 0);

	if (a != NULL && strcmp(a, "!") == 0 && t->n > 1) {
		take(t);
		return !not_expr(t);
	}
	return primary(t);
}

static bool
and_expr(struct test *t)
{
	bool r = not_expr(t);
	const char *a;

	while ((a = peek(t, 0)) != NULL && strcmp(a, "-a") == 0) {
		take(t);
		r = not_expr(t) && r;
	}
	return r;
}

static bool
or_expr(struct test *t)
{
	bool r = and_expr(t);
	const char *a;

	while ((a = peek(t, 0)) != NULL && strcmp(a, "-o") == 0) {
		take(t);
		r = and_expr(t) || r;
	}
	return r;
}

/* POSIX's table for up to four arguments; -1 when it does not apply. */
static int
by_count(struct test *t, char **v, int n)
{
	if (n == 0)
		return 0;
	if (n == 1)
		return v[0][0] != '\0';
	if (n == 2) {
		if (strcmp(v[0], "!") == 0)
			return v[1][0] == '\0';
		if (is_unary(v[0]))
			return unary(t, v[0], v[1]);
		return -1;
	}
	if (n == 3) {
		if (is_binary(v[1]))
			return binary(t, v[0], v[1], v[2]);
		if (strcmp(v[1], "-a") == 0)
			return v[0][0] != '\0' && v[2][0] != '\0';
		if (strcmp(v[1], "-o") == 0)
			return v[0][0] != '\0' || v[2][0] != '\0';
		if (strcmp(v[0], "!") == 0)
			return by_count(t, v + 1, 2) == 0;
		if (strcmp(v[0], "(") == 0 && strcmp(v[2], ")") == 0)
			return v[1][0] != '\0';
		return -1;
	}
	if (n == 4 && strcmp(v[0], "!") == 0) {
		int r = by_count(t, v + 1, 3);
		return r < 0 ? -1 : !r;
	}
	if (n == 4 && strcmp(v[0], "(") == 0 && strcmp(v[3], ")") == 0)
		return by_count(t, v + 1, 2);
	return -1;
}

int
bi_test(struct shell *sh, int argc, char **argv)
{
	struct test t = { argv + 1, argc - 1, argv[0], false };
	int r;

	(void)sh;
	if (strcmp(argv[0], "[") == 0) {
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
			fprintf(stderr, "fsh: [: missing ]\n");
			return 2;
		}
		t.n--;
	}
	r = by_count(&t, t.v, t.n);
	if (r < 0) {
		r = or_expr(&t);
		if (t.n > 0)
			test_error(&t, "unexpected operator", t.v[0]);
	}
	return t.error ? 2 : !r;
}
