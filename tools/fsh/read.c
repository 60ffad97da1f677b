/* read.c: the read builtin (POSIX read, as dash has it) */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fsh.h"
#include "strbuf.h"

/* A line's bytes, and which of them a backslash protected. */
struct line {
	struct strbuf text, quoted;
};

static void
put(struct line *l, char c, bool q)
{
	sb_putc(&l->text, c);
	sb_putc(&l->quoted, q ? 1 : 0);
}

/* One line of fd 0, a byte at a time (what follows stays for the next
 * reader). 0, or 1 at the end of input. */
static int
read_line(struct line *l, bool raw)
{
	bool esc = false;
	ssize_t n;
	char c;

	for (;;) {
		n = read(STDIN_FILENO, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		if (esc) {
			esc = false;
			if (c != '\n')
				put(l, c, true);
			continue;
		}
		if (c == '\\' && !raw) {
			esc = true;
			continue;
		}
		if (c == '\n')
			return 0;
		put(l, c, false);
	}
}

static bool
is_ifs(const char *ifs, const struct line *l, size_t i)
{
	return !l->quoted.s[i] && strchr(ifs, l->text.s[i]) != NULL &&
	    l->text.s[i] != '\0';
}

static bool
is_space(const char *ifs, const struct line *l, size_t i)
{
	return is_ifs(ifs, l, i) && strchr(" \t\n", l->text.s[i]) != NULL;
}

/* Past IFS white space, and one other IFS byte with the white space
 * around it. */
static size_t
skip_delim(const char *ifs, const struct line *l, size_t i)
{
	while (i < l->text.len && is_space(ifs, l, i))
		i++;
	if (i < l->text.len && is_ifs(ifs, l, i) && !is_space(ifs, l, i)) {
		i++;
		while (i < l->text.len && is_space(ifs, l, i))
			i++;
	}
	return i;
}

/* names[0..n-1] from l's fields; the last takes the rest of the line. */
static void
assign(const struct line *l, char **names, int n)
{
	const char *ifs = var_get("IFS");
	struct strbuf v = { 0 };
	size_t i = 0, end;
	char *s;
	int k;

	if (ifs == NULL)
		ifs = " \t\n";
	while (i < l->text.len && is_space(ifs, l, i))
		i++;
	for (k = 0; k < n; k++) {
		end = i;
		if (k + 1 < n)
			while (end < l->text.len && !is_ifs(ifs, l, end))
				end++;
		else {
			end = l->text.len;
			while (end > i && is_space(ifs, l, end - 1))
				end--;
		}
		if (end > i)
			sb_putn(&v, l->text.s + i, end - i);
		s = sb_take(&v);
		var_set(names[k], s);
		free(s);
		i = k + 1 < n ? skip_delim(ifs, l, end) : end;
	}
}

int
bi_read(struct shell *sh, int argc, char **argv)
{
	struct line l = { { 0 }, { 0 } };
	bool raw = false;
	int i = 1, end;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-r") != 0) {
			fprintf(stderr, "fsh: read: %s: unknown option\n",
			    argv[i]);
			return 2;
		}
		raw = true;
	}
	if (i >= argc) {
		fprintf(stderr, "fsh: read: arg count\n");
		return 2;
	}
	for (int k = i; k < argc; k++)
		if (!var_valid_name(argv[k])) {
			fprintf(stderr, "fsh: read: %s: bad variable name\n",
			    argv[k]);
			return 2;
		}
	end = read_line(&l, raw);
	assign(&l, argv + i, argc - i);
	sb_free(&l.text);
	sb_free(&l.quoted);
	return end;
}
