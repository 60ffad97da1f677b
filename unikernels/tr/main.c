/* tr: GNU tr, C locale. SET1 [SET2] with escapes (\\ \a \b \f \n \r \t
 * \v \NNN), ranges a-z, classes [:alpha:] ..., [=c=], [c*n] and [c*];
 * options -c/-C, -d, -s, -t. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct set {
	unsigned char *c;
	size_t n, cap;
	size_t fill;		/* where [c*] goes in SET2; -1 if none */
	unsigned char fillc;
};

static const struct {
	const char *name;
	int (*is)(int);
} classes[] = {
	{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank },
	{ "cntrl", iscntrl }, { "digit", isdigit }, { "graph", isgraph },
	{ "lower", islower }, { "print", isprint }, { "punct", ispunct },
	{ "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
};

static void
fail(const char *msg, const char *arg)
{
	fprintf(stderr, "tr: ");
	fprintf(stderr, msg, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static void
add(struct set *s, unsigned char c, size_t times)
{
	while (times-- > 0) {
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 256;
			if ((s->c = realloc(s->c, s->cap)) == NULL)
				fail("memory exhausted", "");
		}
		s->c[s->n++] = c;
	}
}

/* One possibly escaped character at *p; advances *p. */
static unsigned char
one(const char **p)
{
	static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
	const char *s = *p, *e;
	int v, i;

	if (*s != '\\' || s[1] == '\0') {
		*p = s + 1;
		return (unsigned char)*s;
	}
	s++;
	if (*s >= '0' && *s <= '7') {
		for (v = 0, i = 0; i < 3 && *s >= '0' && *s <= '7'; i++)
			v = v * 8 + (*s++ - '0');
		*p = s;
		return (unsigned char)v;
	}
	*p = s + 1;
	if ((e = strchr(from, *s)) != NULL)
		return (unsigned char)to[e - from];
	return (unsigned char)*s;
}

static int
bracket(const char **p, struct set *s, int set2)
{
	const char *q = *p, *end;
	char name[16];
	unsigned char c;
	size_t i, n;
	char *stop;

	if (q[1] == ':' && (end = strstr(q + 2, ":]")) != NULL) {
		n = (size_t)(end - q - 2);
		snprintf(name, sizeof(name), "%.*s", (int)n, q + 2);
		for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
			if (n < sizeof(name) && strcmp(name, classes[i].name) == 0)
				break;
		if (i == sizeof(classes) / sizeof(classes[0]))
			fail("invalid character class '%s'", name);
		for (n = 0; n < 256; n++)
			if (classes[i].is((int)n))
				add(s, (unsigned char)n, 1);
		*p = end + 2;
		return 1;
	}
	if (q[1] == '=' && q[2] != '\0' && q[3] == '=' && q[4] == ']') {
		add(s, (unsigned char)q[2], 1);
		*p = q + 5;
		return 1;
	}
	q++;
	if (*q == '\0')
		return 0;
	c = one(&q);
	if (*q != '*' || (end = strchr(q, ']')) == NULL)
		return 0;
	n = strtoul(q + 1, &stop, q[1] == '0' ? 8 : 10);
	if (stop != end)
		return 0;
	if (n == 0 && set2) {
		s->fill = s->n;
		s->fillc = c;
	} else
		add(s, c, n == 0 ? 1 : n);
	*p = end + 1;
	return 1;
}

static void
parse(const char *arg, struct set *s, int set2)
{
	const char *p = arg, *q;
	unsigned char a, b;

	s->fill = (size_t)-1;
	while (*p != '\0') {
		if (*p == '[' && bracket(&p, s, set2))
			continue;
		a = one(&p);
		if (*p == '-' && p[1] != '\0') {
			q = p + 1;
			b = one(&q);
			if (b < a)
				fail("range-endpoints of '%s' are in reverse "
				    "collating sequence order", arg);
			for (; a < b; a++)
				add(s, a, 1);
			p = q;
		}
		add(s, a, 1);
	}
}

static void
complement(struct set *s)
{
	unsigned char in[256] = { 0 }, *c;
	size_t i;

	for (i = 0; i < s->n; i++)
		in[s->c[i]] = 1;
	s->n = 0;
	c = s->c;
	s->c = NULL;
	s->cap = 0;
	free(c);
	for (i = 0; i < 256; i++)
		if (!in[i])
			add(s, (unsigned char)i, 1);
}

/* Put SET2's [c*] where it was, as many times as SET1 is longer. */
static void
fill(struct set *s2, size_t len1)
{
	size_t k, i;

	if (s2->fill == (size_t)-1)
		return;
	k = len1 > s2->n ? len1 - s2->n : 0;
	add(s2, 0, k);
	for (i = s2->n; i-- > s2->fill + k;)
		s2->c[i] = s2->c[i - k];
	memset(s2->c + s2->fill, s2->fillc, k);
}

enum { O_COMP = 1, O_DEL = 2, O_SQ = 4, O_TRUNC = 8 };

/* What to do with each byte value. */
struct tables {
	unsigned char map[256], drop[256], squeeze[256];
};

static int
options(int argc, char **argv, int *flags)
{
	const char *o;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (o = argv[i] + 1; *o != '\0'; o++)
			switch (*o) {
			case 'c': case 'C': *flags |= O_COMP; break;
			case 'd': *flags |= O_DEL; break;
			case 's': *flags |= O_SQ; break;
			case 't': *flags |= O_TRUNC; break;
			default: fail("invalid option -- '%c'", (char[]){*o, 0});
			}
	}
	return i;
}

static void
tables(struct tables *t, struct set *s1, struct set *s2, int nsets,
    int flags)
{
	struct set *sq = nsets == 2 ? s2 : s1;
	size_t k;

	memset(t, 0, sizeof(*t));
	for (k = 0; k < 256; k++)
		t->map[k] = (unsigned char)k;
	if (flags & O_DEL)
		for (k = 0; k < s1->n; k++)
			t->drop[s1->c[k]] = 1;
	else if (nsets == 2) {
		if (s2->n == 0 && s1->n > 0)
			fail("when not truncating set1, string2 must be "
			    "non-empty", "");
		if ((flags & O_TRUNC) && s1->n > s2->n)
			s1->n = s2->n;
		for (k = 0; k < s1->n; k++)
			t->map[s1->c[k]] = s2->c[k < s2->n ? k : s2->n - 1];
	}
	if (flags & O_SQ)
		for (k = 0; k < sq->n; k++)
			t->squeeze[sq->c[k]] = 1;
}

static void
run(const struct tables *t)
{
	static unsigned char buf[8192], out[8192];
	int last = -1;
	ssize_t n, j;
	size_t k;
	unsigned char c;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (j = 0, k = 0; j < n; j++) {
			if (t->drop[c = buf[j]])
				continue;
			c = t->map[c];
			if (t->squeeze[c] && last == c)
				continue;
			last = c;
			out[k++] = c;
		}
		fwrite(out, 1, k, stdout);
	}
}

int
main(int argc, char **argv)
{
	struct set s1 = { 0 }, s2 = { 0 };
	struct tables t;
	int flags = 0, i;

	i = options(argc, argv, &flags);
	argc -= i;
	argv += i;
	if (argc < 1)
		fail("missing operand", "");
	if (argc < 2 && !(flags & (O_DEL | O_SQ)))
		fail("missing operand after '%s'\nTwo strings must be given "
		    "when translating.", argv[0]);
	if (argc > 2 || (argc == 2 && (flags & O_DEL) && !(flags & O_SQ)))
		fail("extra operand '%s'", argv[argc - 1]);
	parse(argv[0], &s1, 0);
	if (flags & O_COMP)
		complement(&s1);
	if (argc == 2) {
		parse(argv[1], &s2, 1);
		fill(&s2, s1.n);
	}
	tables(&t, &s1, &s2, argc, flags);
	run(&t);
	return 0;
}
