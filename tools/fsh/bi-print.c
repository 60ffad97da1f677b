/* bi-print.c: echo and printf. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bi.h"
#include "strbuf.h"

/* One backslash escape at s (after the backslash), appended to out; the
 * number of bytes read. echo and %b spell octal \0NNN and stop at \c;
 * a printf format spells it \NNN. */
static size_t
escape(const char *s, struct strbuf *out, bool echo_style, bool *stop)
{
	static const char from[] = "abfnrtv\\", to[] = "\a\b\f\n\r\t\v\\";
	const char *c = *s ? strchr(from, *s) : NULL;
	size_t i = 0, max = 3;
	int n = 0;

	if (c != NULL) {
		sb_putc(out, to[c - from]);
		return 1;
	}
	if (echo_style && *s == 'c') {
		*stop = true;
		return 1;
	}
	if (echo_style && *s == '0')
		i = 1, max = 4;
	else if (*s < '0' || *s > '7') {
		sb_putc(out, '\\');
		return 0;
	}
	for (; i < max && s[i] >= '0' && s[i] <= '7'; i++)
		n = n * 8 + (s[i] - '0');
	sb_putc(out, (char)n);
	return i;
}

/* s with its escapes decoded, as echo and %b do. */
static void
unescape(const char *s, struct strbuf *out, bool *stop)
{
	for (; *s && !*stop; s++) {
		if (*s == '\\' && s[1] != '\0')
			s += escape(s + 1, out, true, stop);
		else
			sb_putc(out, *s);
	}
}

/* out on stdout, freed; status, or 1 if it could not be written. */
static int
put_out(struct strbuf *out, const char *cmd, int status)
{
	if (out->len > 0)
		fwrite(out->s, 1, out->len, stdout);
	sb_free(out);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fsh: %s: write error: %s\n", cmd,
		    strerror(errno));
		clearerr(stdout);
		return 1;
	}
	return status;
}

int
bi_echo(struct shell *sh, int argc, char **argv)
{
	struct strbuf out = { 0 };
	bool newline = true, stop = false;
	int i = 1;

	(void)sh;
	if (argc > 1 && strcmp(argv[1], "-n") == 0)
		newline = false, i++;
	for (; i < argc && !stop; i++) {
		unescape(argv[i], &out, &stop);
		if (i + 1 < argc && !stop)
			sb_putc(&out, ' ');
	}
	if (newline && !stop)
		sb_putc(&out, '\n');
	return put_out(&out, "echo", 0);
}

struct args {
	char **v;
	int n;
	int status;
};

static const char *
next_arg(struct args *a)
{
	if (a->n == 0)
		return NULL;
	a->n--;
	return *a->v++;
}

/* A numeric argument: a number in C's bases, or 'c for c's code. */
static intmax_t
num_arg(struct args *a)
{
	const char *s = next_arg(a);
	char *end;
	intmax_t n;

	if (s == NULL)
		return 0;
	if (*s == '\'' || *s == '"')
		return (unsigned char)s[1];
	errno = 0;
	n = strtoimax(s, &end, 0);
	if (end == s || *end != '\0' || errno != 0) {
		fprintf(stderr, "fsh: printf: %s: %s\n", s,
		    errno == ERANGE ? "out of range" :
		    "expected numeric value");
		a->status = 1;
	}
	return n;
}

static double
float_arg(struct args *a)
{
	const char *s = next_arg(a);
	char *end;
	double d;

	if (s == NULL)
		return 0;
	if (*s == '\'' || *s == '"')
		return (unsigned char)s[1];
	d = strtod(s, &end);
	if (end == s || *end != '\0') {
		fprintf(stderr, "fsh: printf: %s: expected numeric value\n",
		    s);
		a->status = 1;
	}
	return d;
}

/* One conversion: spec is "%[flags][width][.prec]", conv its letter.
 * Returns false if %b met \c (the output ends). */
static bool
convert(struct strbuf *out, const char spec[48], char conv, struct args *a)
{
	struct strbuf tmp = { 0 };
	const char *s;
	char fmt[64], *r = NULL;
	bool stop = false;
	int n = -1;

	switch (conv) {
	case 'd': case 'i':
		snprintf(fmt, sizeof(fmt), "%sj%c", spec, conv);
		n = asprintf(&r, fmt, num_arg(a));
		break;
	case 'o': case 'u': case 'x': case 'X':
		snprintf(fmt, sizeof(fmt), "%sj%c", spec, conv);
		n = asprintf(&r, fmt, (uintmax_t)num_arg(a));
		break;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
	case 'a': case 'A':
		snprintf(fmt, sizeof(fmt), "%s%c", spec, conv);
		n = asprintf(&r, fmt, float_arg(a));
		break;
	case 'c':
		s = next_arg(a);
		snprintf(fmt, sizeof(fmt), "%sc", spec);
		n = asprintf(&r, fmt, s != NULL ? *s : '\0');
		break;
	case 's':
	case 'b':
		s = next_arg(a);
		if (s == NULL)
			s = "";
		if (conv == 'b') {
			unescape(s, &tmp, &stop);
			s = tmp.s != NULL ? tmp.s : "";
		}
		snprintf(fmt, sizeof(fmt), "%ss", spec);
		n = asprintf(&r, fmt, s);
		sb_free(&tmp);
		break;
	}
	if (n < 0)
		abort();
	sb_putn(out, r, (size_t)n);
	free(r);
	return !stop;
}

/* Flags, width and precision after a '%', '*' taken from the arguments;
 * the spec written to spec, the conversion letter returned (or 0). */
static char
read_spec(const char **fp, char *spec, size_t len, struct args *a)
{
	const char *f = *fp;
	size_t n = 0;
	int part;

	spec[n++] = '%';
	while (*f && strchr("-+ #0", *f) && n < len - 24)
		spec[n++] = *f++;
	for (part = 0; part < 2; part++) {
		if (part == 1) {
			if (*f != '.')
				break;
			spec[n++] = *f++;
		}
		if (*f == '*') {
			n += (size_t)snprintf(spec + n, len - n, "%d",
			    (int)num_arg(a));
			f++;
		}
		while (*f >= '0' && *f <= '9' && n < len - 12)
			spec[n++] = *f++;
	}
	spec[n] = '\0';
	*fp = f + (*f != '\0');
	return *f != '\0' && strchr("diouxXeEfFgGaAcsb", *f) ? *f : 0;
}

/* The format once over; false if the output ends (\c in %b). */
static bool
format_once(const char *f, struct strbuf *out, struct args *a)
{
	char spec[48], conv;
	bool stop = false;

	while (*f) {
		if (*f == '\\') {
			f++;
			f += escape(f, out, false, &stop);
			continue;
		}
		if (*f != '%') {
			sb_putc(out, *f++);
			continue;
		}
		if (*++f == '%') {
			sb_putc(out, *f++);
			continue;
		}
		conv = read_spec(&f, spec, sizeof(spec), a);
		if (conv == 0) {
			fprintf(stderr, "fsh: printf: %s: invalid directive\n",
			    spec);
			a->status = 2;
			return false;
		}
		if (!convert(out, spec, conv, a))
			return false;
	}
	return true;
}

int
bi_printf(struct shell *sh, int argc, char **argv)
{
	struct strbuf out = { 0 };
	struct args a = { argv + 2, argc - 2, 0 };
	int before;

	(void)sh;
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		argv++, argc--, a.v++, a.n = argc - 2;
	if (argc < 2) {
		fprintf(stderr, "fsh: printf: usage: printf FORMAT [ARG...]\n");
		return 2;
	}
	do {
		before = a.n;
		if (!format_once(argv[1], &out, &a))
			break;
	} while (a.n > 0 && a.n < before);
	return put_out(&out, "printf", a.status);
}
