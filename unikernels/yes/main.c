/* yes: print the arguments (or "y") forever, until killed. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

/* One line of output; 0 when it does not fit in buf. */
static size_t
line(int argc, char **argv)
{
	size_t n = 0, k;
	int i;

	if (argc < 2)
		return (size_t)snprintf(buf, sizeof(buf), "y\n");
	for (i = 1; i < argc; i++) {
		k = strlen(argv[i]);
		if (n + k + 1 > sizeof(buf))
			return 0;
		memcpy(buf + n, argv[i], k);
		n += k;
		buf[n++] = i + 1 < argc ? ' ' : '\n';
	}
	return n;
}

int
main(int argc, char **argv)
{
	size_t n, len;
	int i;

	if ((n = line(argc, argv)) == 0) {
		for (;;) {
			for (i = 1; i < argc; i++)
				printf("%s%c", argv[i], i + 1 < argc ? ' ' : '\n');
		}
	}
	for (len = n; 2 * len <= sizeof(buf); len *= 2)
		memcpy(buf + len, buf, len);
	for (;;)
		write(1, buf, len);
}
