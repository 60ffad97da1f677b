/* upcase: copy stdin to stdout with a-z mapped to A-Z, byte by byte. */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	static unsigned char buf[4096];
	ssize_t n, i;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] -= 'a' - 'A';
		fwrite(buf, 1, (size_t)n, stdout);
	}
	return 0;
}
