/* Host tests of the runtime's pure parts: the very same fmt.c and
 * cmdline.c that fleetrt links, checked against glibc and by brute
 * force. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pure.h"

static int failures, checks;

#define FAIL(...) do { failures++; fprintf(stderr, __VA_ARGS__); } while (0)

static int
ours(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

/* Format with both and compare result and return value. */
#define SAME(fmt, ...) do {						\
	char a[256], b[256];						\
	int na = snprintf(a, sizeof(a), fmt, __VA_ARGS__);		\
	int nb = ours(b, sizeof(b), fmt, __VA_ARGS__);			\
	checks++;							\
	if (na != nb || strcmp(a, b) != 0)				\
		FAIL("fmt %s: glibc \"%s\" (%d), ours \"%s\" (%d)\n",	\
		    fmt, a, na, b, nb);					\
} while (0)

static void
test_fmt(void)
{
	char buf[8];
	int v[] = { 0, 1, -1, 42, -42, 1000000, INT_MAX, INT_MIN };
	const char *ifmts[] = { "%d", "%i", "%5d", "%-5d|", "%05d", "%+d",
	    "% d", "%.3d", "%.0d", "%+.0d", "%8.3d", "%-8.3d|", "%08.3d",
	    "%u", "%x", "%X", "%#x", "%#X", "%o", "%#o", "%#.0o", "%.0x",
	    "%#.3x", "%#10x", "%-#10x|", "%#010x", "%hhd", "%hd", "%hhu",
	    "%hx", "% 05d", "%+05d", "%-+5d|", "%c" };
	size_t i, j;

	for (i = 0; i < sizeof(ifmts) / sizeof(ifmts[0]); i++)
		for (j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
			if (strcmp(ifmts[i], "%c") == 0 && (v[j] < 0 ||
			    v[j] > 255 || v[j] == 0))
				continue;
			SAME(ifmts[i], v[j]);
		}
	SAME("%lld %lli", LLONG_MIN, LLONG_MAX);
	SAME("%llu %llx %llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	SAME("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0xdeadbeefUL);
	SAME("%zu %zx %zd", (size_t)123456789, (size_t)0xabcdef, (ssize_t)-5);
	SAME("%jd %ju %td", (intmax_t)-7, (uintmax_t)7, (ptrdiff_t)-9);
	SAME("%s|%10s|%-10s|%.2s|%10.3s|%-10.3s|", "hello", "hi", "hi",
	    "hello", "hello", "hello");
	SAME("%s %.8s %.3s", (char *)NULL, (char *)NULL, (char *)NULL);
	SAME("%c%c%5c%-3c|", 'a', 'b', 'c', 'd');
	SAME("%p %20p %-20p|", (void *)0x1234, (void *)0xdeadbeef,
	    (void *)0xfeed);
	SAME("%p %10p", (void *)NULL, (void *)NULL);
	SAME("%% %d%%", 5);
	SAME("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
	SAME("%.*d|%.*s|%.*d", 4, 7, 3, "abcdef", -1, 9);
	SAME("%s", "");
	SAME("no conversions at all", 0);
	SAME("%5%|%d", 3);
	checks++;
	if (ours(buf, sizeof(buf), "%s", "hello world") != 11 ||
	    strcmp(buf, "hello w") != 0)
		FAIL("fmt: truncation gives \"%s\"\n", buf);
	checks++;
	if (ours(NULL, 0, "%d", 12345) != 5)
		FAIL("fmt: size 0 does not count\n");
}

static size_t
encode(const unsigned char *w, size_t n, char *out)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789-_.~/,:=+@";
	size_t i, k = 0;

	if (n == 0) {
		out[k++] = '%';
		return k;
	}
	for (i = 0; i < n; i++) {
		if (w[i] != 0 && strchr(safe, w[i]) != NULL)
			out[k++] = (char)w[i];
		else
			k += (size_t)sprintf(out + k, "%%%02X", w[i]);
	}
	return k;
}

static int
parse(const char *line, struct cmdline *cl, char **words, char *err)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf), "%s", line);
	return cmdline_parse(buf, words, 64, cl, err, 128);
}

static void
expect_argv(const char *line, int argc, const char *const *want, int nset)
{
	struct cmdline cl;
	char *words[64], err[128];
	int i;

	checks++;
	if (parse(line, &cl, words, err) == -1) {
		FAIL("cmdline \"%s\": %s\n", line, err);
		return;
	}
	if (cl.argc != argc || cl.nset != nset || cl.argv[argc] != NULL) {
		FAIL("cmdline \"%s\": argc %d nset %d\n", line, cl.argc,
		    cl.nset);
		return;
	}
	for (i = 0; i < argc; i++)
		if (strcmp(cl.argv[i], want[i]) != 0)
			FAIL("cmdline \"%s\": argv[%d] \"%s\"\n", line, i,
			    cl.argv[i]);
}

static void
expect_error(const char *line, const char *want)
{
	struct cmdline cl;
	char *words[64], err[128];

	checks++;
	if (parse(line, &cl, words, err) == 0)
		FAIL("cmdline \"%s\": accepted\n", line);
	else if (strncmp(err, want, strlen(want)) != 0)
		FAIL("cmdline \"%s\": \"%s\", want \"%s\"\n", line, err, want);
}

static void
test_cmdline(void)
{
	static const char *const ab[] = { "a", "b" };
	static const char *const dec[] = { "p", "A\xc3\xa9", "", "x y",
	    "100%" };
	unsigned char word[255];
	char line[1024], *words[64], err[128];
	struct cmdline cl;
	size_t i, k;

	expect_argv("/tmp/img -- a b", 2, ab, 0);
	expect_argv("-- a b", 2, ab, 0);
	expect_argv("  /img  fleet.ip=10.0.0.2/24 fleet.v=1  --  a   b ", 2,
	    ab, 2);
	expect_argv("-- p A%c3%A9 % x%20y 100%25", 5, dec, 0);
	expect_error("/img a b", "no -- before");
	expect_error("", "no -- before");
	expect_error("fleet.v=1 a -- b", "no -- before");
	expect_error("--", "no program name");
	expect_error("-- p a%zz", "bad %-escape in word 1");
	expect_error("-- p a%4", "bad %-escape in word 1");
	expect_error("-- p a%", "bad %-escape in word 1");
	expect_error("-- p %00", "encoded NUL byte in word 1");
	expect_error("-- p q a\"b", "raw byte not allowed in word 2 (0x22)");
	expect_error("-- p \xff", "raw byte not allowed in word 1 (0xff)");
	for (i = 0; i < sizeof(word); i++)
		word[i] = (unsigned char)(i + 1);
	k = (size_t)sprintf(line, "/img -- p ");
	k += encode(word, sizeof(word), line + k);
	line[k] = '\0';
	checks++;
	if (parse(line, &cl, words, err) == -1 || cl.argc != 2 ||
	    memcmp(cl.argv[1], word, sizeof(word)) != 0 ||
	    cl.argv[1][sizeof(word)] != '\0')
		FAIL("cmdline: bytes 1..255 do not round-trip\n");
	checks++;
	if (parse("fleet.ip=1.2.3.4 fleet.mac=52:54:00:00:00:01 -- p", &cl,
	    words, err) == -1 || cl.nset != 2 ||
	    strcmp(cl.set[1], "fleet.mac=52:54:00:00:00:01") != 0)
		FAIL("cmdline: settings not kept\n");
	/* Pool mode: no `--`, the settings still there. */
	checks++;
	if (parse("/img fleet.pool=1 fleet.v=1", &cl, words, err) != -1 ||
	    cl.dashdash || cl.nset != 2 || strcmp(cl.set[0], "fleet.pool=1"))
		FAIL("cmdline: settings without --\n");
	checks++;
	if (parse("fleet.v=1 -- p %zz", &cl, words, err) != -1 ||
	    !cl.dashdash || cl.nset != 1)
		FAIL("cmdline: -- not noted\n");
}

int
main(void)
{
	test_fmt();
	test_cmdline();
	printf("rt unit: %d checks, %d failures\n", checks, failures);
	return failures != 0;
}
