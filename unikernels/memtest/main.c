/* memtest: what a libc's memory does under fleetrt. Many mallocs of
 * every size, freed out of order; mmap, mremap and munmap; a large
 * stack; argv and the environment. Prints one line per check and a
 * digest of what it computed; exits 1 if anything was wrong. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static int bad;

static void
say(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAILED");
	bad |= !ok;
}

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
heap(void)
{
	enum { SLOTS = 2048 };
	static unsigned char *slot[SLOTS];
	static size_t len[SLOTS];
	uint32_t s = 7;
	int i, k, ok = 1;

	for (i = 0; i < 20000; i++) {
		k = (int)(rnd(&s) % SLOTS);
		if (slot[k] != NULL) {
			size_t j;

			for (j = 0; j < len[k]; j++)
				if (slot[k][j] != (unsigned char)(k + j))
					ok = 0;
			free(slot[k]);
		}
		len[k] = rnd(&s) % (rnd(&s) % 8 == 0 ? 300000 : 600);
		if ((slot[k] = malloc(len[k])) == NULL) {
			ok = 0;
			break;
		}
		for (size_t j = 0; j < len[k]; j++)
			slot[k][j] = (unsigned char)(k + j);
	}
	for (k = 0; k < SLOTS; k++)
		free(slot[k]);
	say("malloc", ok);
}

static void
maps(void)
{
	size_t n = 64 << 20;
	unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok = p != MAP_FAILED;

	if (ok) {
		p[0] = 1;
		p[n - 1] = 2;
		p = mremap(p, n, 2 * n, MREMAP_MAYMOVE);
		ok = p != MAP_FAILED && p[0] == 1 && p[n - 1] == 2 &&
		    p[2 * n - 1] == 0;
		if (ok)
			ok = mprotect(p, 4096, PROT_READ) == 0 &&
			    munmap(p, 2 * n) == 0;
	}
	say("mmap", ok);
}

static unsigned
deep(unsigned n)
{
	volatile unsigned char pad[4096];

	pad[0] = (unsigned char)n;
	pad[4095] = (unsigned char)(n >> 8);
	return n == 0 ? 0 : deep(n - 1) + pad[0] + pad[4095];
}

int
main(int argc, char **argv)
{
	size_t total = 0;
	int i;

	heap();
	maps();
	say("stack", deep(1500) > 0);	/* 6 MiB of stack */
	for (i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	printf("argc %d, %zu bytes of argv\n", argc, total);
	printf("FLEET_TEST=%s\n", getenv("FLEET_TEST") ? getenv("FLEET_TEST") :
	    "(unset)");
	return bad;
}
