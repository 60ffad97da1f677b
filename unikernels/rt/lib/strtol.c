/* strtol family and ato*. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static int
digit(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

/* Magnitude in *v, sign in *neg; 0, or -1 with *v at max on overflow. */
static int
scan(const char *s, char **end, int base, unsigned long long max,
    unsigned long long *v, int *neg)
{
	const char *p = s, *start;
	int d, over = 0;

	*v = 0;
	*neg = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0)
		base = *p == '0' ? 8 : 10;
	for (start = p; (d = digit((unsigned char)*p)) < base; p++) {
		if (*v > (max - (unsigned)d) / (unsigned)base)
			over = 1;
		else
			*v = *v * (unsigned)base + (unsigned)d;
	}
	if (end != NULL)
		*end = (char *)(p == start ? s : p);
	if (over) {
		*v = max;
		errno = ERANGE;
		return -1;
	}
	return 0;
}

long long
strtoll(const char *restrict s, char **restrict end, int base)
{
	unsigned long long v;
	int neg;

	if (scan(s, end, base, (unsigned long long)LLONG_MAX + 1, &v,
	    &neg) == -1 || (!neg && v > LLONG_MAX)) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

long
strtol(const char *restrict s, char **restrict end, int base)
{
	long long v = strtoll(s, end, base);

	if (v > LONG_MAX || v < LONG_MIN) {
		errno = ERANGE;
		return v > 0 ? LONG_MAX : LONG_MIN;
	}
	return (long)v;
}

unsigned long long
strtoull(const char *restrict s, char **restrict end, int base)
{
	unsigned long long v;
	int neg;

	if (scan(s, end, base, ULLONG_MAX, &v, &neg) == -1)
		return ULLONG_MAX;
	return neg ? 0 - v : v;
}

unsigned long
strtoul(const char *restrict s, char **restrict end, int base)
{
	unsigned long long v;
	int neg;

	if (scan(s, end, base, ULONG_MAX, &v, &neg) == -1)
		return ULONG_MAX;
	return neg ? 0 - (unsigned long)v : (unsigned long)v;
}

long long atoll(const char *s) { return strtoll(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }
long long llabs(long long v) { return v < 0 ? -v : v; }
