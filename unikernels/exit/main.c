/* exit: end with the status given as the argument (default 0). */
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
	char *end;
	long v;

	if (argc < 2)
		return 0;
	v = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0') {
		fprintf(stderr, "exit: %s: numeric argument required\n",
		    argv[1]);
		return 2;
	}
	exit((int)(v & 255));
}
