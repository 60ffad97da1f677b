/* crash: fault on purpose. The argument picks how: pf (default, a NULL
 * write), de (divide by zero), ud (invalid opcode), gp, stack (overflow),
 * df (the double-fault path, entered by hand). */
#include <stdio.h>
#include <string.h>

static volatile int zero;

static int
recurse(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	return n < 0 ? 0 : recurse(n + 1) + pad[0];
}

int
main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "pf";

	if (strcmp(how, "de") == 0)
		return 100 / zero;
	if (strcmp(how, "ud") == 0)
		__asm__ volatile("ud2");
	if (strcmp(how, "gp") == 0)
		__asm__ volatile("movw $0x28, %%ax; movw %%ax, %%ds" ::: "eax");
	if (strcmp(how, "df") == 0)
		__asm__ volatile("int $8");
	if (strcmp(how, "stack") == 0)
		return recurse(0);
	*(volatile int *)0 = 1;
	fprintf(stderr, "crash: still alive\n");
	return 1;
}
