/* sleep: pause for the sum of the arguments, each NUMBER[smhd] where
 * NUMBER may have a fraction (down to nanoseconds). */
#include <fleetrt.h>
#include <stdio.h>

/* Nanoseconds in s, or -1 when it is not a valid interval. */
static int64_t
interval(const char *s)
{
	uint64_t whole = 0, frac = 0, scale = 1000000000u, mult = 1;
	const char *p = s;
	int digits = 0;

	for (; *p >= '0' && *p <= '9'; p++, digits++)
		if ((whole = whole * 10 + (uint64_t)(*p - '0')) > 100000000u)
			return -1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (scale > 1)
				frac += (uint64_t)(*p - '0') * (scale /= 10);
	if (digits == 0)
		return -1;
	switch (*p) {
	case 'd': mult = 86400; p++; break;
	case 'h': mult = 3600; p++; break;
	case 'm': mult = 60; p++; break;
	case 's': p++; break;
	}
	if (*p != '\0')
		return -1;
	return (int64_t)((whole * 1000000000u + frac) * mult);
}

int
main(int argc, char **argv)
{
	uint64_t total = 0;
	int64_t ns;
	int i;

	if (argc < 2) {
		fprintf(stderr, "sleep: missing operand\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if ((ns = interval(argv[i])) < 0) {
			fprintf(stderr, "sleep: invalid time interval '%s'\n",
			    argv[i]);
			return 1;
		}
		total += (uint64_t)ns;
	}
	fleetrt_sleep_ns(total);
	return 0;
}
