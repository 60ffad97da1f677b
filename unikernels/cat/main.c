/* cat: copy stdin to stdout (the only file there is; "-" names it). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
copy(void)
{
	static char buf[65536];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, ret = 0;

	if (argc < 2)
		return copy();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			copy();
		else {
			fprintf(stderr, "cat: %s: No such file or directory\n",
			    argv[i]);
			ret = 1;
		}
	}
	return ret;
}
