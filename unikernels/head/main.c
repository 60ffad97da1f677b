/* head: GNU head on stdin. -n [-]N, -c [-]N (N with suffixes b kB K KiB
 * MB M MiB GB G GiB ...), the old -N form, operand "-" only. A leading
 * '-' in N means all but the last N. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char buf[65536];

/* N with an optional multiplier suffix; -1 when invalid. */
static int
amount(const char *s, unsigned long long *v, int *allbut)
{
	static const char units[] = "bKMGTPEZY";
	unsigned long long mult = 1, base = 1024;
	const char *u;
	char *end, unit;
	int i;

	*allbut = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end == '\0')
		return 0;
	unit = *end == 'k' || *end == 'm' ? *end - ('a' - 'A') : *end;
	if ((u = strchr(units, unit)) == NULL || (*end == 'b' && end[1]))
		return -1;
	if (*end == 'b')
		mult = 512;
	else if (strcmp(end + 1, "B") == 0)
		base = 1000;
	else if (end[1] != '\0' && strcmp(end + 1, "iB") != 0)
		return -1;
	for (i = 0; i < u - units; i++) {
		if (mult > ~0ull / base)
			return -1;
		mult *= base;
	}
	if (*v > ~0ull / mult)
		return -1;
	*v *= mult;
	return 0;
}

/* Copy the first n bytes, or up to the n-th newline. */
static void
first(unsigned long long n, int lines)
{
	ssize_t r;
	size_t k;

	while (n > 0 && (r = read(0, buf, sizeof(buf))) > 0) {
		if (!lines)
			k = (unsigned long long)r < n ? (size_t)r : (size_t)n;
		else
			for (k = 0; k < (size_t)r && n > 0; k++)
				if (buf[k] == '\n')
					n--;
		fwrite(buf, 1, k, stdout);
		if (!lines)
			n -= k;
	}
}

/* Copy all but the last n bytes or lines: hold the whole input. */
static int
allbut(unsigned long long n, int lines)
{
	unsigned char *all = NULL, *p;
	size_t len = 0, cap = 0, end;
	ssize_t r;

	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(all, cap)) == NULL) {
				fprintf(stderr, "head: memory exhausted\n");
				return 1;
			}
			all = p;
		}
		if ((r = read(0, all + len, cap - len)) <= 0)
			break;
		len += (size_t)r;
	}
	end = len;
	if (!lines)
		end = n < len ? len - (size_t)n : 0;
	else
		for (; n > 0 && end > 0; n--) {
			p = memrchr(all, '\n', all[end - 1] == '\n' ? end - 1 :
			    end);
			end = p == NULL ? 0 : (size_t)(p - all) + 1;
		}
	fwrite(all, 1, end, stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long long n = 10;
	int i, lines = 1, but = 0;
	const char *arg, *num = "";

	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "-") == 0)
			continue;
		if (arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9') {
			lines = 1;
			if (amount(num = arg + 1, &n, &but) == -1)
				goto bad;
			continue;
		}
		if (strcmp(arg, "-n") != 0 && strcmp(arg, "-c") != 0 &&
		    strncmp(arg, "-n", 2) != 0 && strncmp(arg, "-c", 2) != 0) {
			fprintf(stderr, "head: %s: unsupported (stdin only)\n",
			    arg);
			return 1;
		}
		lines = arg[1] == 'n';
		if (arg[2] == '\0' && ++i >= argc) {
			fprintf(stderr, "head: option requires an argument -- "
			    "'%c'\n", lines ? 'n' : 'c');
			return 1;
		}
		num = arg[2] != '\0' ? arg + 2 : argv[i];
		if (amount(num, &n, &but) == -1)
			goto bad;
	}
	if (but)
		return allbut(n, lines);
	first(n, lines);
	return 0;
bad:
	fprintf(stderr, "head: invalid number of %s: '%s'\n",
	    lines ? "lines" : "bytes", num);
	return 1;
}
