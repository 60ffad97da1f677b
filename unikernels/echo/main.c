/* echo: coreutils echo; -n (no newline), -e (escapes), -E (none, the
 * default). An argument is an option only if all its letters are. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int
is_option(const char *s)
{
	if (s[0] != '-' || s[1] == '\0')
		return 0;
	for (s++; *s != '\0'; s++)
		if (*s != 'n' && *s != 'e' && *s != 'E')
			return 0;
	return 1;
}

static int
hexval(int c)
{
	if (!isxdigit(c))
		return -1;
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* Print s with backslash escapes; 1 when \c asked to stop. */
static int
escaped(const char *s)
{
	static const char from[] = "\\abefnrtv", to[] = "\\\a\b\033\f\n\r\t\v";
	const char *p;
	int c, i, d;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			putchar(*s);
			continue;
		}
		c = *++s;
		if (c == 'c')
			return 1;
		if ((p = strchr(from, c)) != NULL) {
			putchar(to[p - from]);
		} else if (c == '0' || (c >= '1' && c <= '7')) {
			if (c == '0')
				c = 0, s++;
			else
				c = 0;
			for (i = 0; i < 3 && *s >= '0' && *s <= '7'; i++)
				c = c * 8 + (*s++ - '0');
			s--;
			putchar(c);
		} else if (c == 'x' && hexval((unsigned char)s[1]) >= 0) {
			for (c = 0, i = 0; i < 2 &&
			    (d = hexval((unsigned char)s[1])) >= 0; i++, s++)
				c = c * 16 + d;
			putchar(c);
		} else {
			putchar('\\');
			putchar(c);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1, nl = 1, esc = 0;
	const char *p;

	for (; i < argc && is_option(argv[i]); i++)
		for (p = argv[i] + 1; *p != '\0'; p++) {
			if (*p == 'n')
				nl = 0;
			else
				esc = *p == 'e';
		}
	for (; i < argc; i++) {
		if (esc ? escaped(argv[i]) : (fputs(argv[i], stdout), 0))
			return 0;
		if (i + 1 < argc)
			putchar(' ');
	}
	if (nl)
		putchar('\n');
	return 0;
}
