/* seq: GNU seq for integers. FIRST, FIRST LAST, FIRST INCR LAST;
 * -s SEP, -w (equal width, as wide as the wider of FIRST and LAST). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
number(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0) {
		fprintf(stderr, "seq: invalid or unsupported argument: '%s'\n",
		    s);
		return -1;
	}
	return 0;
}

static int
operand(const char *s)
{
	return s[0] != '-' || (s[1] >= '0' && s[1] <= '9');
}

int
main(int argc, char **argv)
{
	long long first = 1, incr = 1, last, v;
	const char *sep = "\n", *ops[3];
	int i, n = 0, width = 0;

	for (i = 1; i < argc; i++) {
		if (n == 0 && !operand(argv[i]) && strcmp(argv[i], "-w") == 0)
			width = 1;
		else if (n == 0 && strncmp(argv[i], "-s", 2) == 0 &&
		    !operand(argv[i])) {
			if (argv[i][2] != '\0')
				sep = argv[i] + 2;
			else if (++i < argc)
				sep = argv[i];
			else
				goto usage;
		} else if (n < 3 && operand(argv[i]))
			ops[n++] = argv[i];
		else
			goto usage;
	}
	if (n == 0)
		goto usage;
	if (number(ops[n - 1], &last) == -1 ||
	    (n >= 2 && number(ops[0], &first) == -1) ||
	    (n == 3 && number(ops[1], &incr) == -1))
		return 1;
	if (incr == 0) {
		fprintf(stderr, "seq: invalid Zero increment value: '%s'\n",
		    ops[1]);
		return 1;
	}
	if (width) {
		width = (int)strlen(ops[n - 1]);
		if (n >= 2 && (int)strlen(ops[0]) > width)
			width = (int)strlen(ops[0]);
	}
	for (v = first, i = 0; incr > 0 ? v <= last : v >= last; v += incr) {
		printf("%s%0*lld", i++ ? sep : "", width, v);
		if ((incr > 0 && v > LLONG_MAX - incr) ||
		    (incr < 0 && v < LLONG_MIN - incr))
			break;
	}
	if (i > 0)
		printf("\n");
	return 0;
usage:
	fprintf(stderr, "usage: seq [-w] [-s SEP] [FIRST [INCR]] LAST\n");
	return 1;
}
