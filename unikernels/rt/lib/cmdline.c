/* Split and percent-decode the kernel command line, in place. */
#include "pure.h"

static int
safe(unsigned char c)
{
	static const char extra[] = "-_.~/,:=+@";
	const char *p;

	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	for (p = extra; *p != '\0'; p++)
		if (c == (unsigned char)*p)
			return 1;
	return 0;
}

int
cmdline_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
prefix(const char *s, const char *p)
{
	while (*p != '\0')
		if (*s++ != *p++)
			return 0;
	return 1;
}

static int
equal(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Next space-separated word, NUL-terminated in place; NULL at the end. */
static char *
next_word(char **sp)
{
	char *s = *sp, *w;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return NULL;
	w = s;
	while (*s != '\0' && *s != ' ')
		s++;
	if (*s == ' ')
		*s++ = '\0';
	*sp = s;
	return w;
}

static void
say(char *err, size_t len, const char *what, int word, int byte)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;

	while (*what != '\0' && n + 1 < len)
		err[n++] = *what++;
	if (word >= 0 && n + 12 < len) {
		const char *w = " in word ";
		while (*w != '\0')
			err[n++] = *w++;
		if (word >= 100)
			err[n++] = digits[word / 100 % 10];
		if (word >= 10)
			err[n++] = digits[word / 10 % 10];
		err[n++] = digits[word % 10];
	}
	if (byte >= 0 && n + 8 < len) {
		const char *w = " (0x";
		while (*w != '\0')
			err[n++] = *w++;
		err[n++] = digits[byte >> 4];
		err[n++] = digits[byte & 15];
		err[n++] = ')';
	}
	if (len > 0)
		err[n] = '\0';
}

/* Decode one word in place; -1 and a message when it is malformed. */
int
cmdline_decode(char *w, int idx, char *err, size_t elen)
{
	char *out = w;
	int hi, lo;

	if (w[0] == '%' && w[1] == '\0') {
		w[0] = '\0';
		return 0;
	}
	for (; *w != '\0'; w++) {
		if (safe((unsigned char)*w)) {
			*out++ = *w;
			continue;
		}
		if (*w != '%') {
			say(err, elen, "raw byte not allowed", idx,
			    (unsigned char)*w);
			return -1;
		}
		if ((hi = cmdline_hex(w[1])) < 0 ||
		    (lo = cmdline_hex(w[2])) < 0) {
			say(err, elen, "bad %-escape", idx, -1);
			return -1;
		}
		if ((hi | lo) == 0) {
			say(err, elen, "encoded NUL byte", idx, -1);
			return -1;
		}
		*out++ = (char)(hi << 4 | lo);
		w += 2;
	}
	*out = '\0';
	return 0;
}

/*
 * Words before the first `fleet.` or `--` are the loader's (QEMU's
 * multiboot loader puts the kernel file name there) and are skipped.
 * words[] holds max entries, shared by settings and argv. Also the
 * decoder of pool mode's `args` line. When the `--` is missing, the
 * settings before it are kept in cl all the same.
 */
int
cmdline_parse(char *s, char **words, int max, struct cmdline *cl,
    char *err, size_t elen)
{
	char *w;
	int n = 0;

	cl->argc = cl->nset = cl->dashdash = 0;
	cl->set = cl->argv = words;
	while ((w = next_word(&s)) != NULL && !prefix(w, "fleet.") &&
	    !equal(w, "--"))
		;
	for (; w != NULL && prefix(w, "fleet."); w = next_word(&s)) {
		if (n + 1 >= max)
			goto toomany;
		words[n++] = w;
	}
	cl->nset = n;
	if (w == NULL || !equal(w, "--")) {
		say(err, elen, "no -- before the program's words", -1, -1);
		return -1;
	}
	cl->dashdash = 1;
	cl->argv = words + n;
	while ((w = next_word(&s)) != NULL) {
		if (n + 1 >= max)
			goto toomany;
		if (cmdline_decode(w, cl->argc, err, elen) == -1)
			return -1;
		words[n++] = w;
		cl->argc++;
	}
	words[n] = NULL;
	if (cl->argc == 0) {
		say(err, elen, "no program name after --", -1, -1);
		return -1;
	}
	return 0;
toomany:
	say(err, elen, "too many words", -1, -1);
	return -1;
}
